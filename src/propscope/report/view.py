"""What a report shows of an analysed article: one set of rules for every output format.

- ``view="confident"`` shows only labels whose cross-validated precision (``Prediction.precision``)
  is at least :data:`CONFIDENT_PRECISION`; ``view="all"`` shows every predicted label. Labels
  without a precision estimate are shown in both views.
- Fallback evidence spans (the best phrase standing in when no span was found) are hidden
  unless asked for, and marked when shown.
- A genre marked uncertain reads "uncertain"; an article whose labels are withheld shows why.
- Notes (such as "model not trained on language 'el'") are collected once per article.
"""

from __future__ import annotations

import re

from ..document import Article, Paragraph, Prediction, Span

VIEWS = ("confident", "all")
#: The ``confident`` view's bar: a label is shown when at least this share of its predictions
#: were right in article-held-out cross-validation.
CONFIDENT_PRECISION = 0.6


def shown_labels(prediction: Prediction | None, view: str = "all") -> list[str]:
    if prediction is None:
        return []
    if view == "all":
        return list(prediction.predicted)
    return [
        label
        for label in prediction.predicted
        if prediction.precision.get(label, 1.0) >= CONFIDENT_PRECISION
    ]


def hidden_count(article: Article, view: str) -> int:
    """How many predicted labels (paragraph techniques, frames, genre) the view leaves out."""
    if view == "all":
        return 0
    predictions = [article.frames] + [p.techniques for p in article.paragraphs]
    hidden = sum(
        len(p.predicted) - len(shown_labels(p, view)) for p in predictions if p is not None
    )
    if article.genre is not None and shown_genre(article, view) is None:
        hidden += 1
    return hidden


def shown_genre(article: Article, view: str = "all") -> str | None:
    """The genre to show: a label, "uncertain", or None (no genre, or hidden by the view)."""
    genre = article.genre
    if genre is None or not genre.predicted:
        return None
    if genre.uncertain:
        return "uncertain"
    return genre.predicted[0] if shown_labels(genre, view) else None


def visible_spans(
    paragraph: Paragraph, view: str = "all", show_fallback: bool = False
) -> list[Span]:
    shown = set(shown_labels(paragraph.techniques, view)) if paragraph.techniques else set()
    return [
        s
        for s in paragraph.spans
        if s.label in shown and (show_fallback or not s.fallback)
    ]


def notes(article: Article) -> list[str]:
    """Every distinct note of the article's predictions (e.g. an untrained language)."""
    found = [p.note for p in (article.genre, article.frames) if p is not None and p.note]
    found += [p.techniques.note for p in article.paragraphs if p.techniques and p.techniques.note]
    return list(dict.fromkeys(found))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_control(text: str) -> str:
    """Control characters made visible (``\\x1b``): a text never moves a terminal's cursor,
    retitles its window or clears its screen, and bidi overrides never reorder a line."""
    return _CONTROL.sub(_visible, text)


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"
