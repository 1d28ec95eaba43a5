"""The article model that flows through every stage of propscope.

One :class:`Article` carries the text, its paragraphs with their official line numbers and
character offsets, and everything the analyzers add. Every other view (JSON, SemEval files,
database rows, API responses) is derived from it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Span:
    """A piece of evidence: characters ``Article.text[start:end]`` carry ``label``."""

    start: int
    end: int
    label: str
    confidence: float | None = None
    # True when no span was found and the best-scoring phrase stands in for one.
    fallback: bool = False


@dataclass
class Prediction:
    """One analyzer's scores over a label set and the decision taken from them."""

    probabilities: dict[str, float]
    predicted: list[str]
    # Per-label decision thresholds of multi-label models; empty for single-label (argmax).
    thresholds: dict[str, float] = field(default_factory=dict)
    note: str | None = None
    # Estimated precision of each label under this decision rule, from article-held-out
    # cross-validation (the ``confident`` view shows labels at or above 0.6).
    precision: dict[str, float] = field(default_factory=dict)
    # Why the top label should not be read as the answer (genre "uncertain"), or None.
    uncertain: str | None = None


@dataclass
class Quote:
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass
class Entity:
    start: int
    end: int
    label: str
    text: str


@dataclass
class Paragraph:
    """A non-empty line of the article: ``text == article.text[start:end]``."""

    line: int
    start: int
    end: int
    text: str
    boilerplate: bool = False
    language: str | None = None
    techniques: Prediction | None = None
    spans: list[Span] = field(default_factory=list)


@dataclass
class Article:
    id: str
    text: str
    title: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    source: str | None = None
    url: str | None = None
    path: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    published: str | None = None
    author: str | None = None
    genre: Prediction | None = None
    frames: Prediction | None = None
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    duplicate_of: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Why no label is given (too little text, not news), or None: see propscope.guards.
    withheld: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def analyzable_paragraphs(self) -> list[Paragraph]:
        """The paragraphs analyzers look at: all but those marked as boilerplate."""
        return [p for p in self.paragraphs if not p.boilerplate]

    def technique_counts(self) -> Counter[str]:
        """How many paragraphs use each predicted technique."""
        counts: Counter[str] = Counter()
        for paragraph in self.paragraphs:
            if paragraph.techniques is not None:
                counts.update(paragraph.techniques.predicted)
        return counts

    def group_counts(self) -> Counter[str]:
        """How many paragraphs use at least one predicted technique of each group."""
        from .taxonomy import group_of

        counts: Counter[str] = Counter()
        for paragraph in self.paragraphs:
            if paragraph.techniques is not None:
                counts.update({group_of(t).label for t in paragraph.techniques.predicted})
        return counts

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # derived from the paragraphs for readers of the JSON; from_dict recomputes it
        data["summary"] = {
            "techniques": dict(sorted(self.technique_counts().items())),
            "groups": dict(sorted(self.group_counts().items())),
        }
        data["schema_version"] = SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        data = dict(data)
        version = data.pop("schema_version", SCHEMA_VERSION)
        data.pop("summary", None)
        if version != SCHEMA_VERSION:
            raise ValueError(f"unsupported article schema version {version!r}")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown article fields: {', '.join(sorted(unknown))}")
        data["paragraphs"] = [_paragraph_from_dict(p) for p in data.get("paragraphs", [])]
        for key in ("genre", "frames"):
            if data.get(key) is not None:
                data[key] = Prediction(**data[key])
        data["quotes"] = [Quote(**q) for q in data.get("quotes", [])]
        data["entities"] = [Entity(**e) for e in data.get("entities", [])]
        return cls(**data)

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Article:
        return cls.from_dict(json.loads(text))


def _paragraph_from_dict(data: dict[str, Any]) -> Paragraph:
    data = dict(data)
    if data.get("techniques") is not None:
        data["techniques"] = Prediction(**data["techniques"])
    data["spans"] = [Span(**s) for s in data.get("spans", [])]
    return Paragraph(**data)
