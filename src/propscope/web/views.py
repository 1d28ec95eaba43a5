"""What the pages show of an analysed Article, ready for the templates.

Templates get plain values (strings, numbers, lists); every piece of article text stays a plain
string so that Jinja's autoescape is the only thing that ever turns it into HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Article, Paragraph, Prediction
from ..report.segments import segments
from ..taxonomy import FRAMES, GENRES, GROUPS, TECHNIQUES, Label

#: Languages the taxonomy's names and definitions are written in; others read English.
DEFINITION_LANGUAGES = ("en", "fr")


def definition_language(article: Article) -> str:
    return article.language if article.language in DEFINITION_LANGUAGES else "en"


@dataclass
class Score:
    label: str
    name: str
    definition: str
    probability: float
    predicted: bool
    group: str = ""  # techniques only: the group key, for the colour

    @property
    def percent(self) -> int:
        return round(self.probability * 100)


@dataclass
class Run:
    """A piece of paragraph text and the evidence over it."""

    text: str
    group: str = ""  # colour of the most confident span; empty for plain text
    labels: str = ""  # space-separated technique labels, for scripts and tests
    hover: str = ""  # technique, confidence and definition of each span, one per line
    fallback: bool = False
    tags: list[Score] = field(default_factory=list)  # techniques whose evidence ends here


@dataclass
class Alternative:
    """What a model that is not the one shown predicted (models side by side)."""

    task: str
    model: str
    labels: list[Score]  # predicted labels, most probable first


@dataclass
class ParagraphView:
    line: int
    boilerplate: bool
    runs: list[Run]
    techniques: list[Score]
    model: str = ""
    note: str | None = None
    alternatives: list[Alternative] = field(default_factory=list)


@dataclass
class LegendEntry:
    key: str
    name: str
    definition: str
    techniques: list[tuple[str, str]]  # (name, definition) of the group's techniques


@dataclass
class AnalysisView:
    article: Article
    language: str  # of names and definitions
    genre: list[Score]
    frames: list[Score]
    paragraphs: list[ParagraphView]
    legend: list[LegendEntry]
    caveats: list[str]
    counts: list[tuple[Score, int]]  # techniques used, with how many paragraphs use each
    models: dict[str, str]  # task -> model family behind what is shown
    alternatives: list[Alternative] = field(default_factory=list)  # genre and frames


def _scores(prediction: Prediction | None, names: dict[str, Label], language: str) -> list[Score]:
    if prediction is None:
        return []
    result = []
    for label, probability in prediction.probabilities.items():
        if label not in names:
            continue
        name, definition = names[label].describe(language)
        group = getattr(names[label], "group", "")
        result.append(
            Score(label, name, definition, probability, label in prediction.predicted, group)
        )
    result.sort(key=lambda s: (not s.predicted, -s.probability, s.label))
    return result


def _technique(label: str, language: str, probability: float = 1.0) -> Score:
    name, definition = TECHNIQUES[label].describe(language)
    return Score(label, name, definition, probability, True, TECHNIQUES[label].group)


def _alternatives(owner, language: str) -> list[Alternative]:
    names = {"genre": GENRES, "frames": FRAMES, "techniques": TECHNIQUES}
    found = []
    for key, prediction in owner.alternatives().items():
        task = key.split(":", 1)[0]
        if task in names:
            predicted = [s for s in _scores(prediction, names[task], language) if s.predicted]
            found.append(Alternative(task, prediction.model, predicted))
    return found


def _model_of(prediction: Prediction | None) -> str:
    return getattr(prediction, "model", "") or ""


def _hover(span, language: str) -> str:
    name, definition = TECHNIQUES[span.label].describe(language)
    confidence = "" if span.confidence is None else f" ({span.confidence:.2f})"
    fallback = " (best phrase: no exact span found)" if span.fallback else ""
    return f"{name}{confidence}{fallback}: {definition}"


def _paragraph(paragraph: Paragraph, language: str) -> ParagraphView:
    runs = []
    for segment in segments(paragraph):
        known = [s for s in segment.spans if s.label in TECHNIQUES]
        tags = [
            _technique(s.label, language, s.confidence or 0.0)
            for s in segment.ending
            if s.label in TECHNIQUES
        ]
        if not known:
            runs.append(Run(segment.text, tags=tags))
            continue
        runs.append(
            Run(
                segment.text,
                group=TECHNIQUES[known[0].label].group,
                labels=" ".join(s.label for s in known),
                hover="\n".join(_hover(s, language) for s in known),
                fallback=all(s.fallback for s in known),
                tags=tags,
            )
        )
    prediction = paragraph.techniques
    techniques = [s for s in _scores(prediction, TECHNIQUES, language) if s.predicted]
    note = prediction.note if prediction is not None else None
    return ParagraphView(
        paragraph.line,
        paragraph.boilerplate,
        runs,
        techniques,
        _model_of(prediction),
        note,
        _alternatives(paragraph, language),
    )


def legend(language: str) -> list[LegendEntry]:
    entries = []
    for key, group in GROUPS.items():
        name, definition = group.describe(language)
        members = [t.describe(language) for t in TECHNIQUES.values() if t.group == key]
        entries.append(LegendEntry(key, name, definition, members))
    return entries


def caveats(article: Article) -> list[str]:
    """Why labels were withheld (too little text, not news: ``Article.withheld`` where the run
    layer's guards set it), the article's warnings and every distinct note of its predictions."""
    found: list[str] = []
    withheld = getattr(article, "withheld", None)
    if withheld:
        found.append(f"no labels given: {withheld}")
    notes = [article.genre, article.frames] + [p.techniques for p in article.paragraphs]
    for text in [*article.warnings, *(p.note for p in notes if p is not None)]:
        if text and text not in found:
            found.append(text)
    return found


def analysis_view(article: Article) -> AnalysisView:
    language = definition_language(article)
    frames = _scores(article.frames, FRAMES, language)
    shown_frames = [s for s in frames if s.predicted] or frames[:3]
    counts = [
        (_technique(label, language), n)
        for label, n in sorted(article.technique_counts().items(), key=lambda kv: (-kv[1], kv[0]))
        if label in TECHNIQUES
    ]
    paragraph_models = {_model_of(p.techniques) for p in article.paragraphs if p.techniques}
    models = {
        "genre": _model_of(article.genre),
        "frames": _model_of(article.frames),
        "techniques": ", ".join(sorted(m for m in paragraph_models if m)),
    }
    return AnalysisView(
        article=article,
        language=language,
        genre=_scores(article.genre, GENRES, language),
        frames=shown_frames,
        paragraphs=[_paragraph(p, language) for p in article.paragraphs],
        legend=legend(language),
        caveats=caveats(article),
        counts=counts,
        models={task: model for task, model in models.items() if model},
        alternatives=_alternatives(article, language),
    )


def add_model_versions(view: AnalysisView, record: dict | None) -> AnalysisView:
    """Name the stored model version behind each task's current labels (``article_record``)."""
    current = {
        a["task"]: f"{a['model']} {a['model_version']}"
        for a in (record or {}).get("analyses", [])
        if a["current"]
    }
    view.models.update(current)
    if "techniques" in current:
        for paragraph in view.paragraphs:
            paragraph.model = current["techniques"]
    return view
