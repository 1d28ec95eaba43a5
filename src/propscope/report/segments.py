"""Cut a paragraph into runs of text covered by the same evidence spans.

Spans may overlap; renderers (terminal, HTML) draw each run once, with every span over it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..document import Paragraph, Span


@dataclass
class Segment:
    text: str
    spans: list[Span]  # the spans covering this run, most confident first
    starting: list[Span]  # the spans that start with this run
    ending: list[Span]  # the spans that end with this run


def _confidence(span: Span) -> float:
    return span.confidence if span.confidence is not None else 0.0


def segments(paragraph: Paragraph) -> list[Segment]:
    """Runs of ``paragraph.text``; span offsets are article offsets, clipped to the paragraph."""
    base = paragraph.start
    spans = [s for s in paragraph.spans if s.end > paragraph.start and s.start < paragraph.end]
    cuts = {0, len(paragraph.text)}
    for span in spans:
        cuts.add(max(span.start, paragraph.start) - base)
        cuts.add(min(span.end, paragraph.end) - base)
    bounds = sorted(cuts)
    result = []
    for left, right in zip(bounds, bounds[1:], strict=False):
        covering = [s for s in spans if s.start - base <= left and s.end - base >= right]
        covering.sort(key=lambda s: (-_confidence(s), s.label))
        starting = [s for s in covering if max(s.start, paragraph.start) - base == left]
        ending = [s for s in covering if min(s.end, paragraph.end) - base == right]
        result.append(Segment(paragraph.text[left:right], covering, starting, ending))
    return result
