"""One self-contained HTML report: no external assets, so it opens offline and can be mailed."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from importlib.resources import files

from .. import __version__
from ..document import Article, Paragraph, Prediction
from ..taxonomy import FRAMES, GENRES, GROUPS, TECHNIQUES, group_of
from .segments import segments

_CSS = (files(__package__) / "static" / "report.css").read_text(encoding="utf-8")


def _group_styles() -> str:
    rules = []
    for key, group in GROUPS.items():
        colour = group.colour
        rules.append(
            f"mark.g-{key} {{ background: {colour}40; border-bottom: 2px solid {colour}; }}"
        )
        rules.append(f".g-{key}-chip {{ background: {group.colour}; }}")
        rules.append(f"sup.g-{key} {{ color: {group.colour}; }}")
    return "\n".join(rules)


def _bar(probability: float) -> str:
    return f'<span class="bar" style="width:{probability * 6:.2f}rem"></span> {probability:.2f}'


def _prediction_rows(prediction: Prediction, names: dict) -> str:
    rows = []
    for label, probability in sorted(prediction.probabilities.items(), key=lambda kv: -kv[1]):
        css = ' class="predicted"' if label in prediction.predicted else ""
        rows.append(
            f"<tr{css}><td>{escape(names[label].name)}</td><td>{_bar(probability)}</td></tr>"
        )
    return "".join(rows)


def _summary(article: Article) -> str:
    parts = []
    if article.genre is not None:
        parts.append(f"<h3>Genre</h3><table>{_prediction_rows(article.genre, GENRES)}</table>")
    if article.frames is not None:
        shown = Prediction(
            {f: article.frames.probabilities[f] for f in article.frames.predicted}
            or dict(sorted(article.frames.probabilities.items(), key=lambda kv: -kv[1])[:3]),
            article.frames.predicted,
        )
        parts.append(f"<h3>Frames</h3><table>{_prediction_rows(shown, FRAMES)}</table>")
    counts = article.technique_counts()
    if counts:
        rows = "".join(
            f'<tr><td><span class="chip g-{TECHNIQUES[t].group}-chip">'
            f"{escape(group_of(t).name)}</span></td><td>{escape(TECHNIQUES[t].name)}</td>"
            f"<td>{n} paragraph{'s' if n > 1 else ''}</td></tr>"
            for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        parts.append(f"<h3>Techniques</h3><table>{rows}</table>")
    parts.append(_who_is_quoted(article))
    return f'<div class="summary">{"".join(parts)}</div>' if parts else ""


def _who_is_quoted(article: Article) -> str:
    """A table of the speakers: their quotes and the techniques found in their words."""
    if not article.quotes:
        return ""
    from ..quoting import speaker_summary

    rows = []
    for speaker, entry in speaker_summary(article).items():
        techniques = ", ".join(
            TECHNIQUES[t].name for t in entry["techniques"] if t in TECHNIQUES
        )
        rows.append(
            f'<tr><td class="speaker">{escape(speaker)}</td><td>{entry["direct"]} direct, '
            f'{entry["reported"]} reported</td><td>{escape(techniques)}</td></tr>'
        )
    return f'<h3>Who is quoted</h3><table class="speakers">{"".join(rows)}</table>'


def _quotes_of(article: Article, paragraph: Paragraph) -> str:
    """The quotes that begin in a paragraph, each with its speaker."""
    from ..quoting import speaker_label

    items = []
    for index in paragraph.quotes:
        quote = article.quotes[index]
        if not paragraph.start <= quote.start < paragraph.end:
            continue
        words = " ".join(article.text[quote.start : quote.end].split())
        if len(words) > 90:
            words = words[:87] + "..."
        kind = "said" if quote.direct else "reported"
        unsure = "" if quote.resolved_speaker else " (unresolved)"
        title = f"cue: {quote.cue}" if quote.cue else "no cue"
        if quote.speaker:
            title += f"; written as: {quote.speaker}"
        items.append(
            f'<li title="{escape(title)}">{kind} by <b>{escape(speaker_label(article, index))}'
            f"</b>{unsure}: <q>{escape(words)}</q></li>"
        )
    return f'<ul class="quotes">{"".join(items)}</ul>' if items else ""


def _paragraph(paragraph: Paragraph) -> str:
    pieces = []
    for segment in segments(paragraph):
        text = escape(segment.text)
        if segment.spans:
            top = segment.spans[0]
            hover = "\n".join(
                f"{TECHNIQUES[s.label].name}"
                f"{'' if s.confidence is None else f' ({s.confidence:.2f})'}"
                f"{' - fallback: best phrase, no span found' if s.fallback else ''}: "
                f"{TECHNIQUES[s.label].definition}"
                for s in segment.spans
            )
            fallback = " fallback" if all(s.fallback for s in segment.spans) else ""
            text = (
                f'<mark class="g-{TECHNIQUES[top.label].group}{fallback}" '
                f'data-techniques="{escape(" ".join(s.label for s in segment.spans))}" '
                f'title="{escape(hover)}">{text}</mark>'
            )
        pieces.append(text)
        for span in segment.ending:
            technique = TECHNIQUES[span.label]
            pieces.append(f'<sup class="tag g-{technique.group}">{escape(technique.name)}</sup>')
    css = "para boilerplate" if paragraph.boilerplate else "para"
    number = f'<span class="line">{paragraph.line}</span>'
    return f'<p class="{css}" data-line="{paragraph.line}">{number}{"".join(pieces)}</p>'


def _article(article: Article) -> str:
    meta = [f"id {escape(article.id)}"]
    if article.language:
        meta.append(f"language {escape(article.language)}")
    for key in ("source", "author", "published", "url"):
        value = getattr(article, key)
        if value:
            meta.append(f"{key} {escape(value)}")
    body = "".join(_paragraph(p) + _quotes_of(article, p) for p in article.paragraphs)
    return (
        f'<article id="article-{escape(article.id)}">'
        f"<h2>{escape(article.title or '(untitled)')}</h2>"
        f'<div class="meta">{" · ".join(meta)}</div>{_summary(article)}'
        f'<div class="text">{body}</div></article>'
    )


def render_html(articles: Iterable[Article]) -> str:
    articles = list(articles)
    legend = "".join(
        f'<span class="g-{key}-chip" title="{escape(group.definition)}">{escape(group.name)}</span>'
        for key, group in GROUPS.items()
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>propscope report</title><style>{_CSS}{_group_styles()}</style></head><body>"
        f'<header class="page"><h1>propscope report</h1><div class="meta">{len(articles)} '
        f"article{'s' if len(articles) != 1 else ''} · propscope {__version__} · hover a highlight"
        f' for the technique and its definition</div><div class="legend">{legend}</div></header>'
        f"<main>{''.join(_article(a) for a in articles)}</main></body></html>\n"
    )
