"""What a reader submits on the analyse page (pasted text, a file or a URL) as an Article."""

from __future__ import annotations

from pathlib import PurePath

from ..document import Article
from ..errors import InputError
from ..ingest import DEFAULT_MAX_BYTES, IngestOptions
from ..ingest.clean import mark_boilerplate
from ..ingest.html import article_from_html, looks_like_html, read_url
from ..ingest.text import article_from_bytes

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def read_submission(
    text: str = "",
    data: bytes | None = None,
    filename: str = "",
    url: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Article:
    """The one input given, read as the CLI reads it; InputError with one line otherwise."""
    given = [bool(text.strip()), bool(data), bool(url.strip())]
    if sum(given) == 0:
        raise InputError("form", "nothing to analyse: paste a text, drop a file or give a URL")
    if sum(given) > 1:
        raise InputError("form", "give one input at a time: a text, a file or a URL")
    if url.strip():
        return mark_boilerplate(read_url(url.strip(), IngestOptions(max_bytes=max_bytes)))
    name = PurePath(filename).name if data else "pasted text"
    raw = data if data else text.encode("utf-8")
    if len(raw) > max_bytes:
        raise InputError(name, f"too large for one article (limit {max_bytes / 1e6:.1f} MB)")
    article_id = PurePath(name).stem if data else "pasted"
    if PurePath(name).suffix.lower() in HTML_SUFFIXES or looks_like_html(raw):
        return mark_boilerplate(article_from_html(raw, name, article_id))
    return mark_boilerplate(article_from_bytes(raw, name, article_id))
