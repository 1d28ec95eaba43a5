"""One self-contained HTML report: no external assets, so it opens offline and can be mailed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from html import escape
from importlib.resources import files

from .. import __version__
from ..document import Article, Paragraph, Prediction
from ..taxonomy import FRAMES, GENRES, GROUPS, TECHNIQUES, group_of
from .segments import segments
from .view import hidden_count, notes, shown_genre, shown_labels, visible_spans

#: Above this many articles the page gets an index; above this size a warning (browsers slow
#: down on pages of tens of megabytes: split the run, or write JSON and open a part of it).
INDEX_FROM = 2
LARGE_PAGE_BYTES = 20 * 1024 * 1024

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


def _summary(article: Article, view: str) -> str:
    parts = []
    if article.withheld:
        parts.append(f'<p class="withheld">Labels withheld: {escape(article.withheld)}</p>')
    if article.genre is not None:
        genre = shown_genre(article, view)
        shown = Prediction(article.genre.probabilities, [genre] if genre else [])
        title = "Genre: uncertain" if genre == "uncertain" else "Genre"
        reason = (
            f'<p class="uncertain">{escape(article.genre.uncertain)}</p>'
            if article.genre.uncertain
            else ""
        )
        parts.append(f"<h3>{title}</h3>{reason}<table>{_prediction_rows(shown, GENRES)}</table>")
    if article.frames is not None:
        predicted = shown_labels(article.frames, view)
        shown = Prediction(
            {f: article.frames.probabilities[f] for f in predicted}
            or dict(sorted(article.frames.probabilities.items(), key=lambda kv: -kv[1])[:3]),
            predicted,
        )
        parts.append(f"<h3>Frames</h3><table>{_prediction_rows(shown, FRAMES)}</table>")
    counts: dict[str, int] = {}
    for paragraph in article.paragraphs:
        for technique in shown_labels(paragraph.techniques, view):
            counts[technique] = counts.get(technique, 0) + 1
    if counts:
        rows = "".join(
            f'<tr><td><span class="chip g-{TECHNIQUES[t].group}-chip">'
            f"{escape(group_of(t).name)}</span></td><td>{escape(TECHNIQUES[t].name)}</td>"
            f"<td>{n} paragraph{'s' if n > 1 else ''}</td></tr>"
            for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        parts.append(f"<h3>Techniques</h3><table>{rows}</table>")
    parts.append(_who_is_quoted(article))
    hidden = hidden_count(article, view)
    if hidden:
        parts.append(
            f'<p class="hidden-labels">{hidden} more label{"s" if hidden > 1 else ""} below the'
            " confident view's precision bar (0.6); <code>--view all</code> shows them.</p>"
        )
    for note in notes(article):
        parts.append(f'<p class="note">Note: {escape(note)}</p>')
    for warning in article.warnings:
        parts.append(f'<p class="warning">Warning: {escape(warning)}</p>')
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
    from ..quoting import quotes_beginning_in

    items = []
    for line in quotes_beginning_in(article, paragraph, width=90):
        quote = line.quote
        title = f"cue: {quote.cue}" if quote.cue else "no cue"
        if quote.speaker:
            title += f"; written as: {quote.speaker}"
        unsure = " (unresolved)" if line.unresolved else ""
        items.append(
            f'<li title="{escape(title)}">{line.kind} by <b>{escape(line.speaker)}'
            f"</b>{unsure}: <q>{escape(line.words)}</q></li>"
        )
    return f'<ul class="quotes">{"".join(items)}</ul>' if items else ""


def _paragraph(paragraph: Paragraph, view: str = "all", show_fallback: bool = True) -> str:
    paragraph = replace(paragraph, spans=visible_spans(paragraph, view, show_fallback))
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
            name = technique.name + (" (fallback)" if span.fallback else "")
            pieces.append(f'<sup class="tag g-{technique.group}">{escape(name)}</sup>')
    css = "para boilerplate" if paragraph.boilerplate else "para"
    number = f'<span class="line">{paragraph.line}</span>'
    return f'<p class="{css}" data-line="{paragraph.line}">{number}{"".join(pieces)}</p>'


def _anchor(index: int) -> str:
    return f"a{index + 1}"


def _article(article: Article, index: int, view: str, show_fallback: bool) -> str:
    meta = [f"id {escape(article.id)}"]
    if article.language:
        meta.append(f"language {escape(article.language)}")
    for key in ("source", "author", "published", "url"):
        value = getattr(article, key)
        if value:
            meta.append(f"{key} {escape(value)}")
    body = "".join(
        _paragraph(p, view, show_fallback) + _quotes_of(article, p) for p in article.paragraphs
    )
    return (
        f'<article id="{_anchor(index)}" data-id="{escape(article.id)}">'
        f"<h2>{escape(article.title or '(untitled)')}</h2>"
        f'<div class="meta">{" · ".join(meta)}</div>{_summary(article, view)}'
        f'<div class="text">{body}</div></article>'
    )


def _index(articles: list[Article], view: str) -> str:
    rows = []
    for i, article in enumerate(articles):
        genre = "withheld" if article.withheld else (shown_genre(article, view) or "")
        techniques = sum(len(shown_labels(p.techniques, view)) for p in article.paragraphs)
        rows.append(
            f'<li><a href="#{_anchor(i)}">{escape(article.title or "(untitled)")}</a>'
            f' <span class="meta">{escape(article.language or "")} · {escape(genre)} ·'
            f" {techniques} technique label{'s' if techniques != 1 else ''}</span></li>"
        )
    return f'<nav class="index"><h2>Articles</h2><ol>{"".join(rows)}</ol></nav>'


def render_html(
    articles: Iterable[Article], view: str = "all", show_fallback: bool = True
) -> str:
    """One self-contained page; more than one article gets an index linking to each section."""
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
        f"{_index(articles, view) if len(articles) >= INDEX_FROM else ''}"
        f"<main>{''.join(_article(a, i, view, show_fallback) for i, a in enumerate(articles))}"
        "</main></body></html>\n"
    )
