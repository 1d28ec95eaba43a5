"""What the pages show of an analysed Article, ready for the templates.

The rules are the reports' (:mod:`propscope.report.view`): the ``confident`` view shows labels
whose cross-validated precision reaches the bar, ``all`` every predicted label; fallback spans
are hidden unless asked for; an uncertain genre reads "uncertain"; withheld labels say why.
Templates get plain values (strings, numbers, lists); every piece of article text stays a plain
string so that Jinja's autoescape is the only thing that ever turns it into HTML.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from ..document import Article, Paragraph, Prediction
from ..report.segments import segments
from ..report.view import VIEWS, hidden_count, notes, shown_genre, shown_labels, visible_spans
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
    predicted: bool  # shown as a label in this view
    group: str = ""  # techniques only: the group key, for the colour
    precision: float | None = None  # cross-validated precision of this label, where known

    @property
    def percent(self) -> int:
        return round(self.probability * 100)

    @property
    def about(self) -> str:
        """The definition, and how often the label was right in cross-validation."""
        if self.precision is None:
            return self.definition
        return f"{self.definition} (right {self.precision:.0%} of the time in cross-validation)"


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
class Speaker:
    """Someone quoted in the article: how often, and the techniques found in their words."""

    name: str
    direct: int
    reported: int
    techniques: list[Score]


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
    view: str = "confident"
    genre_uncertain: str | None = None  # why the genre reads "uncertain"
    hidden: int = 0  # predicted labels the confident view leaves out
    speakers: list[Speaker] = field(default_factory=list)  # where a quotes analyzer ran


def _scores(
    prediction: Prediction | None,
    names: dict[str, Label],
    language: str,
    shown: list[str] | None = None,
) -> list[Score]:
    """Every label's score; ``predicted`` marks those ``shown`` (default: all predicted)."""
    if prediction is None:
        return []
    shown = list(prediction.predicted) if shown is None else shown
    precision = getattr(prediction, "precision", None) or {}
    result = []
    for label, probability in prediction.probabilities.items():
        if label not in names:
            continue
        name, definition = names[label].describe(language)
        group = getattr(names[label], "group", "")
        result.append(
            Score(
                label, name, definition, probability, label in shown, group, precision.get(label)
            )
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


def _paragraph(
    paragraph: Paragraph, language: str, view: str, show_fallback: bool
) -> ParagraphView:
    runs = []
    shown_spans = replace(paragraph, spans=visible_spans(paragraph, view, show_fallback))
    named: set[str] = set()  # a technique is named after its first span in the paragraph only
    for segment in segments(shown_spans):
        known = [s for s in segment.spans if s.label in TECHNIQUES]
        tags = []
        for span in segment.ending:
            if span.label in TECHNIQUES and span.label not in named:
                named.add(span.label)
                tags.append(_technique(span.label, language, span.confidence or 0.0))
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
    shown = shown_labels(prediction, view)
    techniques = [s for s in _scores(prediction, TECHNIQUES, language, shown) if s.predicted]
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
    """Why labels were withheld (too little text, not news), why the genre is uncertain, the
    article's warnings and every distinct note of its predictions (an untrained language)."""
    found: list[str] = []
    withheld = getattr(article, "withheld", None)
    if withheld:
        found.append(f"no labels given: {withheld}")
    uncertain = getattr(article.genre, "uncertain", None) if article.genre else None
    if uncertain:
        found.append(f"genre uncertain: {uncertain}")
    for text in [*article.warnings, *notes(article)]:
        if text and text not in found and not (withheld and text.startswith(withheld)):
            found.append(text)
    return found


def speakers(article: Article, language: str) -> list[Speaker]:
    """Who is quoted (the reports' speaker summary), most quoted first."""
    if not article.quotes:
        return []
    from ..quoting import speaker_summary

    found = [
        Speaker(
            name,
            entry["direct"],
            entry["reported"],
            [_technique(t, language) for t in entry["techniques"] if t in TECHNIQUES],
        )
        for name, entry in speaker_summary(article).items()
    ]
    found.sort(key=lambda s: (-(s.direct + s.reported), s.name))
    return found


def analysis_view(
    article: Article, view: str = "confident", show_fallback: bool = False
) -> AnalysisView:
    """What a page shows of ``article`` under ``view`` (``confident`` or ``all``)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r} (known: {', '.join(VIEWS)})")
    language = definition_language(article)
    genre = shown_genre(article, view)
    frames = _scores(article.frames, FRAMES, language, shown_labels(article.frames, view))
    shown_frames = [s for s in frames if s.predicted] or frames[:3]
    paragraphs = [_paragraph(p, language, view, show_fallback) for p in article.paragraphs]
    used = Counter(t.label for p in paragraphs for t in p.techniques)
    counts = [
        (_technique(label, language), n)
        for label, n in sorted(used.items(), key=lambda kv: (-kv[1], kv[0]))
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
        genre=_scores(article.genre, GENRES, language, [genre] if genre else []),
        frames=shown_frames,
        paragraphs=paragraphs,
        legend=legend(language),
        caveats=caveats(article),
        counts=counts,
        models={task: model for task, model in models.items() if model},
        alternatives=_alternatives(article, language),
        view=view,
        genre_uncertain=getattr(article.genre, "uncertain", None) if article.genre else None,
        hidden=hidden_count(article, view),
        speakers=speakers(article, language),
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
