"""Span-level scores with partial-overlap credit (after SemEval-2020 Task 11).

A span is ``(document, technique, start, end)`` with character offsets, end exclusive.

- **precision** = (1 / |P|) * sum over predicted spans p of
  |p ∩ G(p)| / |p|, where G(p) is the union of the characters of the gold spans of the same
  document and the same technique as p;
- **recall** = (1 / |G|) * sum over gold spans g of |g ∩ P(g)| / |g|, where P(g) is the union
  of the characters of the predicted spans of the same document and technique;
- **F1** = 2PR / (P + R).

Each span thus earns the share of its characters covered by the other side, at most 1, so a
predicted span is not credited twice for overlapping gold spans, and one long prediction
covering three gold spans earns recall for each of them (and precision for the share of its
characters that falls inside them). Spans of another technique earn nothing. A ratio whose
denominator is zero (no predicted spans, no gold spans) counts as 0. Empty spans
(``end <= start``) are ignored on both sides.

Per-technique figures restrict both sides to that technique; per-group figures (e.g. per
language) restrict both sides to the documents of that group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

SpanTuple = tuple[Hashable, str, int, int]


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _covered(start: int, end: int, union: list[tuple[int, int]]) -> int:
    """How many characters of [start, end) fall inside the merged intervals ``union``."""
    total = 0
    for a, b in union:
        if b <= start:
            continue
        if a >= end:
            break
        total += min(b, end) - max(a, start)
    return total


def _shares(spans: list[SpanTuple], other: list[SpanTuple]) -> list[tuple[str, float]]:
    """(technique, covered share) of each span of ``spans`` against the union of ``other``."""
    unions: dict[tuple[Hashable, str], list[tuple[int, int]]] = defaultdict(list)
    for doc, label, start, end in other:
        unions[(doc, label)].append((start, end))
    merged = {key: _merge(value) for key, value in unions.items()}
    return [
        (label, _covered(start, end, merged.get((doc, label), [])) / (end - start))
        for doc, label, start, end in spans
    ]


def _clean(spans: Iterable[SpanTuple]) -> list[SpanTuple]:
    return [(d, str(t), int(s), int(e)) for d, t, s, e in spans if int(e) > int(s)]


def _prf(precision_sum: float, n_pred: int, recall_sum: float, n_gold: int) -> dict:
    precision = precision_sum / n_pred if n_pred else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold, "predicted": n_pred}


def span_scores(gold: Iterable[SpanTuple], pred: Iterable[SpanTuple]) -> dict:
    """Overall and per-technique span precision, recall and F1 with partial-overlap credit.

    Returns ``{"precision", "recall", "f1", "gold", "predicted", "per_label": {technique:
    {...same keys...}}}``; ``per_label`` covers every technique present on either side.
    """
    gold, pred = _clean(gold), _clean(pred)
    precision_shares = _shares(pred, gold)
    recall_shares = _shares(gold, pred)
    result = _prf(
        sum(s for _, s in precision_shares),
        len(pred),
        sum(s for _, s in recall_shares),
        len(gold),
    )
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0.0, 0])
    for label, share in precision_shares:
        sums[label][0] += share
        sums[label][1] += 1
    for label, share in recall_shares:
        sums[label][2] += share
        sums[label][3] += 1
    result["per_label"] = {label: _prf(*sums[label]) for label in sorted(sums)}
    return result


def grouped_span_scores(
    gold: Iterable[SpanTuple], pred: Iterable[SpanTuple], group_of: dict[Hashable, str]
) -> dict[str, dict]:
    """:func:`span_scores` per group of documents (``group_of``: document -> group)."""
    gold_by: dict[str, list[SpanTuple]] = defaultdict(list)
    pred_by: dict[str, list[SpanTuple]] = defaultdict(list)
    for span in gold:
        gold_by[group_of[span[0]]].append(span)
    for span in pred:
        pred_by[group_of[span[0]]].append(span)
    groups = sorted(set(group_of.values()))
    return {group: span_scores(gold_by[group], pred_by[group]) for group in groups}
