"""Sinks: where analysed articles go, one ``write`` per article and one ``close`` per run.

Every sink writes to an open text handle (standard output or a file that the caller writes
atomically); the HTML report is one page, written once the run is over.
"""

from __future__ import annotations

from typing import TextIO

from ..document import Article

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
    def __init__(self, out: TextIO, color: bool = False):
        super().__init__(out)
        self.color = color

    def _write(self, article: Article) -> None:
        from .text import render_article

        self.out.write(render_article(article, color=self.color) + "\n")


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
    """Collects the articles: the report is one self-contained page."""

    def __init__(self, out: TextIO):
        super().__init__(out)
        self.articles: list[Article] = []

    def _write(self, article: Article) -> None:
        self.articles.append(article)

    def close(self) -> None:
        from .html import render_html

        self.out.write(render_html(self.articles))


def make_sink(format: str, out: TextIO, color: bool = False) -> Sink:
    if format == "text":
        return TextSink(out, color)
    if format == "jsonl":
        return JsonLinesSink(out)
    if format == "json":
        return JsonArraySink(out)
    if format == "html":
        return HtmlSink(out)
    raise ValueError(f"unknown output format {format!r} (known: {', '.join(FORMATS)})")
