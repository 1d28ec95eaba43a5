"""A readable plain-text report of analysed articles, for the terminal."""

from __future__ import annotations

import textwrap
from dataclasses import replace

from ..document import Article, Paragraph, Prediction, Span
from ..taxonomy import GROUPS, TECHNIQUES, group_of
from .segments import segments
from .view import escape_control, hidden_count, notes, shown_genre, shown_labels, visible_spans

WIDTH = 100


def _top(prediction: Prediction, limit: int = 3) -> str:
    ranked = sorted(prediction.probabilities.items(), key=lambda kv: -kv[1])[:limit]
    return ", ".join(f"{label} {p:.2f}" for label, p in ranked)


def _header(article: Article, view: str) -> list[str]:
    language = article.language or "unknown"
    if article.language_confidence is not None:
        language += f" ({article.language_confidence:.2f})"
    lines = [f"== {article.title or '(untitled)'}", f"   id: {article.id}   language: {language}"]
    for key in ("source", "url", "path", "author", "published"):
        value = getattr(article, key)
        if value:
            lines.append(f"   {key}: {value}")
    if article.withheld:
        lines.append(f"   labels withheld: {article.withheld}")
    if article.genre is not None:
        genre = shown_genre(article, view) or "(below the confident view's bar)"
        lines.append(f"   genre: {genre}   ({_top(article.genre)})")
        if article.genre.uncertain:
            lines.append(f"   genre uncertain: {article.genre.uncertain}")
    if article.frames is not None:
        frames = article.frames
        shown = [f"{f} {frames.probabilities[f]:.2f}" for f in shown_labels(frames, view)]
        lines.append(f"   frames: {', '.join(shown) or 'none above threshold'}")
    counts = _shown_counts(article, view)
    if counts:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append("   techniques: " + ", ".join(f"{TECHNIQUES[t].name} x{n}" for t, n in ranked))
        groups: dict[str, int] = {}
        for technique, n in counts.items():
            group = group_of(technique).label
            groups[group] = groups.get(group, 0) + n
        ranked_groups = sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append("   groups: " + ", ".join(f"{GROUPS[g].name} x{n}" for g, n in ranked_groups))
    hidden = hidden_count(article, view)
    if hidden:
        lines.append(
            f"   {hidden} more label{'s' if hidden > 1 else ''} below the confident view's"
            " precision bar (0.6): --view all shows them"
        )
    lines.extend(_speakers(article))
    for note in notes(article):
        lines.append(f"   note: {note}")
    for warning in article.warnings:
        lines.append(f"   warning: {warning}")
    return lines


def _speakers(article: Article) -> list[str]:
    """Who is quoted, how often, and which techniques were found in their words."""
    if not article.quotes:
        return []
    from ..quoting import speaker_summary

    shown = []
    for speaker, entry in speaker_summary(article).items():
        said = f"{entry['direct']} direct, {entry['reported']} reported"
        techniques = ", ".join(TECHNIQUES[t].name for t in entry["techniques"] if t in TECHNIQUES)
        shown.append(f"{speaker} ({said}{'; ' + techniques if techniques else ''})")
    return ["   quoted: " + "; ".join(shown)]


def _quote_lines(article: Article, paragraph: Paragraph) -> list[str]:
    """One line per quote beginning in this paragraph: whose words, direct or reported."""
    from ..quoting import quotes_beginning_in

    return [
        f"        {q.kind} by {q.speaker}{' (unresolved)' if q.unresolved else ''}: \"{q.words}\""
        for q in quotes_beginning_in(article, paragraph, width=60)
    ]


def _shown_counts(article: Article, view: str) -> dict[str, int]:
    """How many paragraphs use each technique the view shows."""
    counts: dict[str, int] = {}
    for paragraph in article.paragraphs:
        for technique in shown_labels(paragraph.techniques, view):
            counts[technique] = counts.get(technique, 0) + 1
    return counts


def highlight(paragraph: Paragraph, color: bool = False, spans: list[Span] | None = None) -> str:
    """The paragraph with its evidence marked: ``[words]{Technique}``, or coloured by group.

    ``spans`` (default: all of the paragraph's) are the spans to mark; the text is shown with
    its control characters made visible.
    """
    if spans is not None:
        paragraph = replace(paragraph, spans=spans)
    parts = []
    for segment in segments(paragraph):
        text = escape_control(segment.text)
        if color and segment.spans:
            code = group_of(segment.spans[0].label).ansi
            parts.append(f"\x1b[1;{code}m{text}\x1b[0m")
        else:
            parts.append("[" * len(segment.starting) + text)
        for span in segment.ending:
            name = TECHNIQUES[span.label].name + (" (fallback)" if span.fallback else "")
            parts.append(f"\x1b[2m⟨{name}⟩\x1b[0m" if color else f"]{{{name}}}")
    return "".join(parts)


def render_article(
    article: Article, color: bool = False, view: str = "all", show_fallback: bool = False
) -> str:
    """The report of one article; ``color`` uses terminal colours for evidence.

    ``view`` is "all" (every predicted label) or "confident" (labels whose cross-validated
    precision is at least 0.6); fallback evidence is shown, marked, only with ``show_fallback``.
    Text from the article is shown with its control characters made visible.
    """
    lines = [escape_control(line) for line in _header(article, view)]
    for paragraph in article.paragraphs:
        marker = " (boilerplate)" if paragraph.boilerplate else ""
        spans = visible_spans(paragraph, view, show_fallback)
        text = highlight(paragraph, color, spans) if spans else escape_control(paragraph.text)
        wrapped = textwrap.wrap(text.strip(), WIDTH - 10) or [""]
        lines.append(f"  {paragraph.line:>4}{marker}  {wrapped[0]}")
        lines.extend(f"        {line}" for line in wrapped[1:])
        techniques = paragraph.techniques
        shown_techniques = shown_labels(techniques, view)
        if shown_techniques:
            shown = ", ".join(
                f"{TECHNIQUES[t].name} [{group_of(t).name}] {techniques.probabilities[t]:.2f}"
                for t in sorted(shown_techniques, key=lambda t: -techniques.probabilities[t])
            )
            lines.append(f"        -> {shown}")
        lines.extend(_quote_lines(article, paragraph))
    return "\n".join(lines) + "\n"
