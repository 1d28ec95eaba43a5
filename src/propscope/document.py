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

#: Version 2: predictions carry their model family, several models' predictions of a task sit
#: side by side (the selected one under the task's name, the others under ``alternatives``),
#: spans carry their text. Version 1 files are read as version 2 (see :func:`migrate`).
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)


@dataclass
class Span:
    """A piece of evidence: characters ``Article.text[start:end]`` carry ``label``."""

    start: int
    end: int
    label: str
    confidence: float | None = None
    # True when no span was found and the best-scoring phrase stands in for one.
    fallback: bool = False
    #: The words themselves, ``Article.text[start:end]`` (filled by the analyzer).
    text: str = ""
    # Index in Article.quotes of the quote the span falls inside (None: the author's own words).
    quote: int | None = None


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
    #: The model family that made it ("linear", "encoder"): predictions of several families
    #: sit side by side under "task:model" keys.
    model: str = "linear"


class _Predictions:
    """Predictions of several models per task, one of them selected as what reports show.

    Assigning ``obj.genre = prediction`` stores it under ``"genre:<prediction.model>"`` and
    selects it; reading ``obj.genre`` gives the selected one (or None).
    """

    predictions: dict[str, Prediction]
    selected: dict[str, str]

    def set_prediction(self, task: str, prediction: Prediction | None, select: bool = True):
        if prediction is None:
            key = self.selected.pop(task, None)
            if key is not None:
                self.predictions.pop(key, None)
            return
        key = f"{task}:{prediction.model}"
        self.predictions[key] = prediction
        if select or task not in self.selected:
            self.selected[task] = key

    def prediction(self, task: str) -> Prediction | None:
        key = self.selected.get(task)
        return None if key is None else self.predictions.get(key)

    def select(self, task: str, model: str) -> None:
        """Show ``model``'s prediction of ``task`` (when there is one)."""
        key = f"{task}:{model}"
        if key in self.predictions:
            self.selected[task] = key

    def alternatives(self) -> dict[str, Prediction]:
        """The predictions that are not selected, by "task:model" key."""
        shown = set(self.selected.values())
        return {k: v for k, v in sorted(self.predictions.items()) if k not in shown}


def _task_property(task: str) -> property:
    return property(
        lambda self: self.prediction(task),
        lambda self, value: self.set_prediction(task, value),
        doc=f"The selected {task} prediction (None when no model predicted it).",
    )


@dataclass
class Quote:
    """What someone is reported to say: ``Article.text[start:end]``, without quotation marks."""

    start: int
    end: int
    speaker: str | None = None  # as written ("le porte-parole", "he", "Hua Chunying")
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None  # the reporting verb or marker ("a déclaré", "according to", ":")
    direct: bool = True  # in quotation marks; False for reported speech
    confidence: float | None = None
    # Who the speaker is: a pronoun or role resolved to a named or described speaker; None when
    # the article does not make it clear.
    resolved_speaker: str | None = None
    speaker_kind: str | None = None  # name, role, description, pronoun, implicit, unattributed


@dataclass
class Entity:
    """A person (PER), organisation (ORG) or place (LOC) named at ``Article.text[start:end]``."""

    start: int
    end: int
    label: str
    text: str
    name: str | None = None  # the normalised name grouping this article's mentions


@dataclass
class Paragraph(_Predictions):
    """A non-empty line of the article: ``text == article.text[start:end]``."""

    line: int
    start: int
    end: int
    text: str
    boilerplate: bool = False
    language: str | None = None
    spans: list[Span] = field(default_factory=list)
    predictions: dict[str, Prediction] = field(default_factory=dict, repr=False)
    selected: dict[str, str] = field(default_factory=dict, repr=False)
    # Indices in Article.quotes of the quotes overlapping this paragraph, so that its technique
    # predictions can be read as the author's or as someone quoted.
    quotes: list[int] = field(default_factory=list)

    techniques = _task_property("techniques")


@dataclass
class Article(_Predictions):
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
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    duplicate_of: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Why no label is given (too little text, not news), or None: see propscope.guards.
    withheld: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    predictions: dict[str, Prediction] = field(default_factory=dict, repr=False)
    selected: dict[str, str] = field(default_factory=dict, repr=False)
    #: A work area for analyzers (features, embeddings): never serialised, never compared.
    features: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    genre = _task_property("genre")
    frames = _task_property("frames")

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

    def to_records(self) -> list[dict[str, Any]]:
        """Flat rows, one per label of every model: the article's genre and frames (line None)
        and each paragraph's techniques, with the probability and whether it is predicted and
        shown (the selected model)."""
        base = {
            "article_id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "language": self.language,
            "published": self.published,
        }
        rows = []
        owners: list[tuple[_Predictions, int | None, str | None]] = [(self, None, None)]
        owners += [(p, p.line, p.text) for p in self.paragraphs]
        for owner, line, text in owners:
            shown = set(owner.selected.values())
            for key, prediction in sorted(owner.predictions.items()):
                task = key.split(":", 1)[0]
                for label, probability in prediction.probabilities.items():
                    rows.append(
                        {
                            **base,
                            "line": line,
                            "paragraph": text,
                            "task": task,
                            "model": prediction.model,
                            "label": label,
                            "probability": probability,
                            "predicted": label in prediction.predicted,
                            "shown": key in shown,
                        }
                    )
        return rows

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _INTERNAL}
        data = {k: asdict(v) if _is_dataclass(v) else v for k, v in data.items()}
        data["quotes"] = [asdict(q) for q in self.quotes]
        data["entities"] = [asdict(e) for e in self.entities]
        data["meta"] = json.loads(json.dumps(self.meta, default=str))
        data["paragraphs"] = [_paragraph_to_dict(p) for p in self.paragraphs]
        data.update(_predictions_to_dict(self, ("genre", "frames")))
        # derived from the paragraphs for readers of the JSON; from_dict recomputes it
        data["summary"] = {
            "techniques": dict(sorted(self.technique_counts().items())),
            "groups": dict(sorted(self.group_counts().items())),
        }
        if self.quotes:
            from .quoting import speaker_summary

            data["summary"]["speakers"] = speaker_summary(self)
        data["schema_version"] = SCHEMA_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        data = migrate(dict(data))
        data.pop("summary", None)
        tasks = {key: data.pop(key, None) for key in ("genre", "frames")}
        alternatives = data.pop("alternatives", {})
        known = {f.name for f in fields(cls)} - _INTERNAL
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown article fields: {', '.join(sorted(unknown))}")
        data["paragraphs"] = [_paragraph_from_dict(p) for p in data.get("paragraphs", [])]
        data["quotes"] = [Quote(**q) for q in data.get("quotes", [])]
        data["entities"] = [Entity(**e) for e in data.get("entities", [])]
        article = cls(**data)
        _predictions_from_dict(article, tasks, alternatives)
        return article

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Article:
        return cls.from_dict(json.loads(text))


#: Fields kept out of the JSON: predictions are written per task (see _predictions_to_dict).
_INTERNAL = {"predictions", "selected", "features"}


def _is_dataclass(value: Any) -> bool:
    return hasattr(value, "__dataclass_fields__")


def _predictions_to_dict(owner: _Predictions, tasks: tuple[str, ...]) -> dict[str, Any]:
    """The selected prediction of each task under its name, the others under "alternatives"."""
    data: dict[str, Any] = {}
    for task in tasks:
        prediction = owner.prediction(task)
        data[task] = None if prediction is None else asdict(prediction)
    data["alternatives"] = {k: asdict(v) for k, v in owner.alternatives().items()}
    return data


def _predictions_from_dict(owner: _Predictions, tasks: dict, alternatives: dict) -> None:
    for key, value in alternatives.items():
        task = key.split(":", 1)[0]
        owner.set_prediction(task, Prediction(**value), select=False)
    for task, value in tasks.items():
        if value is not None:
            owner.set_prediction(task, Prediction(**value))


def _paragraph_to_dict(paragraph: Paragraph) -> dict[str, Any]:
    names = [f.name for f in fields(paragraph) if f.name not in _INTERNAL]
    data = {name: getattr(paragraph, name) for name in names}
    data["spans"] = [asdict(s) for s in paragraph.spans]
    data.update(_predictions_to_dict(paragraph, ("techniques",)))
    return data


def _paragraph_from_dict(data: dict[str, Any]) -> Paragraph:
    data = dict(data)
    tasks = {"techniques": data.pop("techniques", None)}
    alternatives = data.pop("alternatives", {})
    data["spans"] = [Span(**s) for s in data.get("spans", [])]
    paragraph = Paragraph(**data)
    _predictions_from_dict(paragraph, tasks, alternatives)
    return paragraph


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """An article dict of any readable schema version as the current version (a new dict)."""
    version = data.pop("schema_version", SCHEMA_VERSION)
    if version not in READABLE_VERSIONS:
        raise ValueError(f"unsupported article schema version {version!r}")
    if version == 1:
        # Version 1 had no model families (every prediction was linear) and no span texts.
        text = data.get("text", "")
        for paragraph in data.get("paragraphs", []):
            for span in paragraph.get("spans", []):
                span.setdefault("text", text[span["start"] : span["end"]])
    return data
