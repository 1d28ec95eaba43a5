"""Where quotes and techniques meet: which evidence and paragraphs are someone else's words.

Functions here take an ``Article`` (not imported: ``document`` uses this module for its JSON
summary, and modules do not import each other in circles).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from typing import Any

#: A paragraph whose text lies at least this much inside one speaker's quotes has its
#: paragraph-level techniques counted for that speaker.
PARAGRAPH_SHARE = 0.5


UNATTRIBUTED = "(unattributed)"


def speaker_name(quote) -> str:
    """The name a quote is filed under: its resolved speaker, else the words used."""
    return quote.resolved_speaker or quote.speaker or UNATTRIBUTED


def speaker_label(article, index: int) -> str:
    return speaker_name(article.quotes[index])


@dataclass(frozen=True)
class QuoteLine:
    """A quote as a report shows it under the paragraph where it begins."""

    quote: Any
    speaker: str
    kind: str  # "said" (direct) or "reported"
    unresolved: bool
    words: str  # the quoted words on one line, cut to the report's width


def quotes_beginning_in(article, paragraph, width: int) -> list[QuoteLine]:
    """The quotes that begin in ``paragraph``, words cut to ``width`` characters."""
    lines = []
    for index in paragraph.quotes:
        quote = article.quotes[index]
        if not paragraph.start <= quote.start < paragraph.end:
            continue
        words = " ".join(article.text[quote.start : quote.end].split())
        if len(words) > width:
            words = words[: width - 3] + "..."
        kind = "said" if quote.direct else "reported"
        lines.append(QuoteLine(quote, speaker_name(quote), kind, not quote.resolved_speaker, words))
    return lines


def _quote_at(article, starts: list[int], start: int, end: int) -> int | None:
    """Index of the quote holding most of ``[start, end)``, if it holds at least half of it."""
    position = bisect.bisect_right(starts, end) - 1
    best, best_overlap = None, 0
    # quotes are sorted and rarely overlap: the few before ``end`` are enough to look at
    for index in range(position, max(-1, position - 4), -1):
        quote = article.quotes[index]
        overlap = min(end, quote.end) - max(start, quote.start)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    if best is not None and best_overlap * 2 >= max(1, end - start):
        return best
    return None


def link_quotes(article) -> None:
    """Mark every evidence span with the quote it falls in and every paragraph with the quotes
    overlapping it (``Span.quote``, ``Paragraph.quotes``)."""
    order = sorted(range(len(article.quotes)), key=lambda i: article.quotes[i].start)
    if order != list(range(len(article.quotes))):
        article.quotes = [article.quotes[i] for i in order]
    starts = [q.start for q in article.quotes]
    for paragraph in article.paragraphs:
        first = bisect.bisect_right(starts, paragraph.start)
        paragraph.quotes = [
            i
            for i in range(max(0, first - 4), bisect.bisect_left(starts, paragraph.end))
            if article.quotes[i].end > paragraph.start and article.quotes[i].start < paragraph.end
        ]
        for span in paragraph.spans:
            span.quote = _quote_at(article, starts, span.start, span.end) if starts else None


def speaker_summary(article) -> dict[str, Any]:
    """Per speaker: their quotes (indices), how many direct and reported, and the techniques
    said in their words (evidence spans inside their quotes, and paragraph predictions of
    paragraphs that are mostly their quotes)."""
    result: dict[str, dict[str, Any]] = {}
    for index, quote in enumerate(article.quotes):
        entry = result.setdefault(
            speaker_label(article, index),
            {"quotes": [], "direct": 0, "reported": 0, "techniques": Counter()},
        )
        entry["quotes"].append(index)
        entry["direct" if quote.direct else "reported"] += 1
    for paragraph in article.paragraphs:
        counted: dict[str, set[str]] = {}
        for span in paragraph.spans:
            if span.quote is not None and span.quote < len(article.quotes):
                counted.setdefault(speaker_label(article, span.quote), set()).add(span.label)
        techniques = paragraph.techniques
        if techniques is not None and techniques.predicted and paragraph.quotes:
            share: Counter[str] = Counter()
            for index in paragraph.quotes:
                if index >= len(article.quotes):
                    continue
                quote = article.quotes[index]
                inside = min(paragraph.end, quote.end) - max(paragraph.start, quote.start)
                share[speaker_label(article, index)] += max(0, inside)
            length = max(1, paragraph.end - paragraph.start)
            for speaker, inside in share.items():
                if inside / length >= PARAGRAPH_SHARE:
                    counted.setdefault(speaker, set()).update(techniques.predicted)
        for speaker, labels in counted.items():
            if speaker in result:
                result[speaker]["techniques"].update(labels)
    for entry in result.values():
        entry["techniques"] = dict(sorted(entry["techniques"].items()))
    return dict(sorted(result.items()))
