"""A readable plain-text report of analysed articles, for the terminal."""

from __future__ import annotations

import textwrap

from ..document import Article, Paragraph, Prediction
from ..taxonomy import GROUPS, TECHNIQUES, group_of
from .segments import segments

WIDTH = 100


def _top(prediction: Prediction, limit: int = 3) -> str:
    ranked = sorted(prediction.probabilities.items(), key=lambda kv: -kv[1])[:limit]
    return ", ".join(f"{label} {p:.2f}" for label, p in ranked)


def _header(article: Article) -> list[str]:
    language = article.language or "unknown"
    if article.language_confidence is not None:
        language += f" ({article.language_confidence:.2f})"
    lines = [f"== {article.title or '(untitled)'}", f"   id: {article.id}   language: {language}"]
    for key in ("source", "url", "path", "author", "published"):
        value = getattr(article, key)
        if value:
            lines.append(f"   {key}: {value}")
    if article.genre is not None:
        lines.append(f"   genre: {', '.join(article.genre.predicted)}   ({_top(article.genre)})")
    if article.frames is not None:
        shown = [f"{f} {article.frames.probabilities[f]:.2f}" for f in article.frames.predicted]
        lines.append(f"   frames: {', '.join(shown) or 'none above threshold'}")
    counts = article.technique_counts()
    if counts:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append("   techniques: " + ", ".join(f"{TECHNIQUES[t].name} x{n}" for t, n in ranked))
        groups = sorted(article.group_counts().items(), key=lambda kv: (-kv[1], kv[0]))
        lines.append("   groups: " + ", ".join(f"{GROUPS[g].name} x{n}" for g, n in groups))
    for line in _speakers(article):
        lines.append(line)
    for note in _notes(article):
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
    from ..quoting import speaker_label

    lines = []
    for index in paragraph.quotes:
        quote = article.quotes[index]
        if not paragraph.start <= quote.start < paragraph.end:
            continue
        words = " ".join(article.text[quote.start : quote.end].split())
        if len(words) > 60:
            words = words[:57] + "..."
        kind = "said" if quote.direct else "reported"
        unsure = "" if quote.resolved_speaker else " (unresolved)"
        lines.append(f"        {kind} by {speaker_label(article, index)}{unsure}: \"{words}\"")
    return lines


def _notes(article: Article) -> list[str]:
    notes = [p.note for p in (article.genre, article.frames) if p is not None and p.note]
    notes += [p.techniques.note for p in article.paragraphs if p.techniques and p.techniques.note]
    return list(dict.fromkeys(notes))


def highlight(paragraph: Paragraph, color: bool = False) -> str:
    """The paragraph with its evidence marked: ``[words]{Technique}``, or coloured by group."""
    parts = []
    for segment in segments(paragraph):
        if color and segment.spans:
            code = group_of(segment.spans[0].label).ansi
            parts.append(f"\x1b[1;{code}m{segment.text}\x1b[0m")
        else:
            parts.append("[" * len(segment.starting) + segment.text)
        for span in segment.ending:
            name = TECHNIQUES[span.label].name + (" (fallback)" if span.fallback else "")
            parts.append(f"\x1b[2m⟨{name}⟩\x1b[0m" if color else f"]{{{name}}}")
    return "".join(parts)


def render_article(article: Article, color: bool = False) -> str:
    """The report of one article; ``color`` uses terminal colours for evidence."""
    lines = _header(article)
    for paragraph in article.paragraphs:
        marker = " (boilerplate)" if paragraph.boilerplate else ""
        text = highlight(paragraph, color) if paragraph.spans else paragraph.text
        wrapped = textwrap.wrap(text.strip(), WIDTH - 10) or [""]
        lines.append(f"  {paragraph.line:>4}{marker}  {wrapped[0]}")
        lines.extend(f"        {line}" for line in wrapped[1:])
        techniques = paragraph.techniques
        if techniques is not None and techniques.predicted:
            shown = ", ".join(
                f"{TECHNIQUES[t].name} [{group_of(t).name}] {techniques.probabilities[t]:.2f}"
                for t in sorted(techniques.predicted, key=lambda t: -techniques.probabilities[t])
            )
            lines.append(f"        -> {shown}")
        lines.extend(_quote_lines(article, paragraph))
    return "\n".join(lines) + "\n"
