"""Settings shared by the input readers (column names, download limits)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fetch import DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT
from .text import DEFAULT_MAX_BYTES

#: Column names tried, in order, when the user names none. The first present one is used.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "maintext", "article", "article_text"),
    "title": ("title", "headline"),
    "id": ("id", "article_id", "doc_id", "uuid", "guid"),
    "url": ("url", "link", "uri"),
    "source": ("source", "outlet", "site_name", "sitename", "site", "domain", "publisher"),
    "date": ("date", "published", "published_at", "date_publish", "pubdate", "timestamp"),
    "language": ("language", "lang"),
}


@dataclass
class ColumnMap:
    """Which column holds what. ``None`` means: the first present of DEFAULT_COLUMNS."""

    text: str | None = None
    title: str | None = None
    id: str | None = None
    url: str | None = None
    source: str | None = None
    date: str | None = None
    language: str | None = None

    def resolve(self, available: list[str]) -> tuple[dict[str, str], list[str]]:
        """Map field -> column among ``available``; also the explicitly named missing columns."""
        present = set(available)
        chosen: dict[str, str] = {}
        missing: list[str] = []
        for name, candidates in DEFAULT_COLUMNS.items():
            explicit = getattr(self, name)
            if explicit is not None:
                if explicit in present:
                    chosen[name] = explicit
                else:
                    missing.append(explicit)
                continue
            for candidate in candidates:
                if candidate in present:
                    chosen[name] = candidate
                    break
        return chosen, missing


@dataclass
class IngestOptions:
    max_bytes: int = DEFAULT_MAX_BYTES  # one article (file, page, record)
    timeout: float = DEFAULT_TIMEOUT
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    columns: ColumnMap = field(default_factory=ColumnMap)
    feed: bool = False  # inputs are RSS/Atom feeds
    # files never read as inputs, as resolved paths (the run's own output file)
    exclude: frozenset[str] = frozenset()
    # Read only the corpus records numbered first <= n < stop (stop None: to the end), numbered
    # as the readers number them (line, row, archive record): how batch runs split one file.
    records: tuple[int, int | None] | None = None

    def in_window(self, number: int) -> bool:
        return self.records is None or number >= self.records[0]

    def past_window(self, number: int) -> bool:
        stop = self.records[1] if self.records is not None else None
        return stop is not None and number >= stop
