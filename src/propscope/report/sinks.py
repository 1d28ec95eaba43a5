"""Sinks: where analysed articles go, one ``write`` per article and one ``close`` per run.

Every sink writes to an open text handle (standard output or a file that the caller writes
atomically); the HTML report is one page, written once the run is over.
"""

from __future__ import annotations

import logging
from typing import TextIO

from ..document import Article

log = logging.getLogger("propscope")

FORMATS = ("text", "json", "jsonl", "html")


class Sink:
    def __init__(self, out: TextIO):
        self.out = out
        self.written = 0

    def write(self, article: Article) -> None:
        self._write(article)
        self.written += 1

    def _write(self, article: Article) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Finish the output (closing brackets, the HTML page); the handle stays open."""


class TextSink(Sink):
    def __init__(
        self, out: TextIO, color: bool = False, view: str = "all", show_fallback: bool = False
    ):
        super().__init__(out)
        self.color = color
        self.view = view
        self.show_fallback = show_fallback

    def _write(self, article: Article) -> None:
        from .text import render_article

        report = render_article(article, self.color, self.view, self.show_fallback)
        self.out.write(report + "\n")


class JsonLinesSink(Sink):
    def _write(self, article: Article) -> None:
        self.out.write(article.to_json() + "\n")


class JsonArraySink(Sink):
    def __init__(self, out: TextIO):
        super().__init__(out)
        self.out.write("[")

    def _write(self, article: Article) -> None:
        self.out.write(("," if self.written else "") + "\n" + article.to_json(indent=2))

    def close(self) -> None:
        self.out.write("\n]\n")


class HtmlSink(Sink):
    """Collects the articles: the report is one self-contained page (an index from two
    articles on, a warning when it grows large)."""

    def __init__(self, out: TextIO, view: str = "all", show_fallback: bool = False):
        super().__init__(out)
        self.articles: list[Article] = []
        self.view = view
        self.show_fallback = show_fallback

    def _write(self, article: Article) -> None:
        self.articles.append(article)

    def close(self) -> None:
        from .html import LARGE_PAGE_BYTES, render_html

        page = render_html(self.articles, self.view, self.show_fallback)
        size = len(page.encode("utf-8"))
        if size > LARGE_PAGE_BYTES:
            log.warning(
                "warning: the HTML report is %.0f MB (%d articles): browsers may be slow to"
                " open it; split the inputs, or write --format jsonl",
                size / 1e6,
                len(self.articles),
            )
        self.out.write(page)


def make_sink(
    format: str,
    out: TextIO,
    color: bool = False,
    view: str = "all",
    show_fallback: bool = False,
) -> Sink:
    """``view`` and ``show_fallback`` shape the reports (text, HTML); JSON keeps everything."""
    if format == "text":
        return TextSink(out, color, view, show_fallback)
    if format == "jsonl":
        return JsonLinesSink(out)
    if format == "json":
        return JsonArraySink(out)
    if format == "html":
        return HtmlSink(out, view, show_fallback)
    raise ValueError(f"unknown output format {format!r} (known: {', '.join(FORMATS)})")
