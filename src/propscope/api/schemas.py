"""Request bodies of the REST API. Unknown fields are refused (a typo is an error, not a no-op)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_BATCH = 500


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def web_address(url: str) -> str:
    """Only http(s) URLs: anything else would make the server read its own files."""
    from ..ingest.fetch import is_url

    if not is_url(url.strip()):
        raise ValueError("not an http(s) URL")
    return url.strip()


class AnalyzeIn(Strict):
    """Exactly one of ``text``, ``html`` or ``url``; the rest is optional metadata."""

    text: str | None = Field(None, description="plain text: title on the first line")
    html: str | None = Field(None, description="a web page; its main text is extracted")
    url: str | None = Field(None, description="an http(s) page to fetch and read")
    id: str | None = Field(None, max_length=300, description="the article's own identifier")
    title: str | None = None
    source: str | None = Field(None, max_length=300, description="the outlet")
    published: str | None = Field(None, max_length=64, description="ISO date")
    author: str | None = None
    language: str | None = Field(
        None, min_length=2, max_length=16, description="ISO 639-1 code: skips detection"
    )

    @field_validator("url")
    @classmethod
    def _web_url(cls, url: str | None) -> str | None:
        return None if url is None else web_address(url)

    @model_validator(mode="after")
    def _one_input(self):
        given = [name for name in ("text", "html") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError("give text or html, not both")
        if not given and self.url is None:
            raise ValueError("give one of text, html or url")
        for name in given:
            if not getattr(self, name).strip():
                raise ValueError(f"{name} is empty")
        return self


class ArticleIn(AnalyzeIn):
    """An article to store: as for analysis; ``url`` alone means fetch it."""


class ArticleBatch(Strict):
    articles: list[ArticleIn] = Field(..., min_length=1, max_length=MAX_BATCH)


class CorrectionIn(Strict):
    task: Literal["genre", "frames", "techniques"]
    label: str = Field(..., min_length=1, max_length=80)
    action: Literal["add", "remove"] = Field(
        ..., description="remove: the label is wrong; add: a label the model missed"
    )
    line: int | None = Field(
        None, ge=1, description="the paragraph's line (techniques only)"
    )
    note: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=200)


class ImportIn(Strict):
    """An import of web pages or feeds by URL (files are uploaded as multipart form data)."""

    urls: list[str] = Field(..., min_length=1, max_length=10_000)
    feed: bool = Field(False, description="the URLs are RSS/Atom feeds")
    language: str | None = Field(None, min_length=2, max_length=16)

    @field_validator("urls")
    @classmethod
    def _web_urls(cls, urls: list[str]) -> list[str]:
        return [web_address(url) for url in urls]
