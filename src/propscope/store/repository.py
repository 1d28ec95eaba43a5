"""Map :class:`~propscope.document.Article` to rows and back, losslessly.

``load_article(conn, insert_article(conn, article, ...))`` gives back an Article whose
``to_dict()`` equals the original's. Predictions are read from every model an article or
paragraph holds (``predictions`` keyed ``"task:model"`` where the document model has them) and
the selected one is restored as selected.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import asdict, fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from ..document import Article, Entity, Paragraph, Prediction, Quote, Span
from ..ingest.dedup import article_tokens
from .schema import (
    article_labels,
    article_texts,
    articles,
    entities,
    labels,
    paragraphs,
    predictions,
    quotes,
    sources,
    spans,
)

ARTICLE_TASKS = ("genre", "frames")
PARAGRAPH_TASKS = ("techniques",)
#: Article and Paragraph fields with columns or tables of their own (or transient: features);
#: any other field is kept in the row's ``extra`` JSON.
ARTICLE_FIELDS = (
    "id", "text", "title", "paragraphs", "source", "url", "path", "language",
    "language_confidence", "published", "author", "quotes", "entities", "duplicate_of",
    "warnings", "meta", "predictions", "selected", "features",
)  # fmt: skip
PARAGRAPH_FIELDS = (
    "line", "start", "end", "text", "boilerplate", "language", "spans", "predictions", "selected",
    "quotes",  # derived from the article's quotes when loaded
)  # fmt: skip
_PREDICTION_COLUMNS = ("probabilities", "predicted", "thresholds", "note")


def now() -> datetime:
    return datetime.now(UTC)


def fingerprint(article: Article) -> str:
    """The same words in the non-boilerplate paragraphs give the same fingerprint."""
    words = " ".join(article_tokens(article)) or article.text
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def published_day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def source_id(conn: Connection, name: str | None) -> int | None:
    """The id of an outlet, added on first sight."""
    if not name:
        return None
    found = conn.execute(select(sources.c.id).where(sources.c.name == name)).scalar()
    if found is not None:
        return found
    return conn.execute(insert(sources).values(name=name).returning(sources.c.id)).scalar_one()


def held_predictions(owner: Article | Paragraph) -> list[tuple[str, Prediction, bool]]:
    """(task, prediction, selected) for every prediction an article or paragraph holds."""
    tasks = PARAGRAPH_TASKS if isinstance(owner, Paragraph) else ARTICLE_TASKS
    held = getattr(owner, "predictions", None)
    if held is not None:  # several models of a task side by side, one selected
        found = []
        for key, prediction in held.items():
            task = key.split(":", 1)[0]
            if task in tasks:
                found.append((task, prediction, getattr(owner, task, None) is prediction))
        return found
    return [(t, getattr(owner, t), True) for t in tasks if getattr(owner, t) is not None]


def model_of(prediction: Prediction) -> str:
    return getattr(prediction, "model", None) or "linear"


def version_of(versions: dict[str, str], task: str, model: str) -> str:
    """The version of ``model``'s analyzer of ``task`` (linear analyzers are named by task)."""
    found = versions.get(f"{task}:{model}")
    if found is None and model == "linear":
        found = versions.get(task)
    return found or "unknown"


def _extra(item: Any, known: tuple[str, ...]) -> dict[str, Any]:
    """The dataclass fields a table has no column for (added by later document versions)."""
    return {name: _plain(getattr(item, name)) for name in _field_names(type(item), known)}


@functools.cache
def _field_names(kind: type, known: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.name not in known)


def _plain(value: Any) -> Any:
    return asdict(value) if is_dataclass(value) else value


def insert_article(
    conn: Connection,
    article: Article,
    *,
    run_id: int | None,
    versions: dict[str, str],
    digest: str | None = None,
) -> int:
    """Store a new article and its analysis; returns its database id."""
    return insert_articles(conn, [(article, digest)], run_id=run_id, versions=versions)[0]


def insert_articles(
    conn: Connection,
    items: list[tuple[Article, str | None]],
    *,
    run_id: int | None,
    versions: dict[str, str],
) -> list[int]:
    """Store new articles (with their fingerprints, or None to compute them) and their
    analyses in a few statements of many rows each; returns their database ids, in order."""
    if not items:
        return []
    outlets: dict[str | None, int | None] = {}
    rows = []
    for article, digest in items:
        if article.source not in outlets:
            outlets[article.source] = source_id(conn, article.source)
        selected_genre = article.genre
        genre = selected_genre.predicted[0] if selected_genre and selected_genre.predicted else None
        published = published_day(article.published)
        rows.append(
            {
                "key": article.id,
                "source_id": outlets[article.source],
                "url": article.url,
                "path": article.path,
                "title": article.title,
                "language": article.language,
                "language_confidence": article.language_confidence,
                "published": article.published,
                "published_date": published,
                "month": published.strftime("%Y-%m") if published else None,
                "author": article.author,
                "duplicate_of": article.duplicate_of,
                "warnings": list(article.warnings),
                "meta": dict(article.meta),
                "extra": _extra(article, ARTICLE_FIELDS),
                "fingerprint": digest or fingerprint(article),
                "paragraph_count": len(article.analyzable_paragraphs()),
                "genre": genre,
                "genre_probability": selected_genre.probabilities.get(genre) if genre else None,
                "run_id": run_id,
                "created": now(),
            }
        )
    ids = list(
        conn.execute(
            insert(articles).returning(articles.c.id, sort_by_parameter_order=True), rows
        ).scalars()
    )
    conn.execute(
        insert(article_texts),
        [
            {"id": article_id, "title": article.title, "text": article.text}
            for article_id, (article, _) in zip(ids, items, strict=True)
        ],
    )
    paragraph_rows = [
        {
            "article_id": article_id,
            "position": position,
            "line": p.line,
            "start": p.start,
            "end": p.end,
            "boilerplate": p.boilerplate,
            "language": p.language,
            "extra": _extra(p, PARAGRAPH_FIELDS),
        }
        for article_id, (article, _) in zip(ids, items, strict=True)
        for position, p in enumerate(article.paragraphs)
    ]
    paragraph_ids: list[int] = []
    if paragraph_rows:
        paragraph_ids = list(
            conn.execute(
                insert(paragraphs).returning(paragraphs.c.id, sort_by_parameter_order=True),
                paragraph_rows,
            ).scalars()
        )
    batch = AnalysisRows(run_id, versions)
    start = 0
    for article_id, (article, _), row in zip(ids, items, rows, strict=True):
        end = start + len(article.paragraphs)
        groups = {k: row[k] for k in ("source_id", "language", "month")}
        batch.add(article_id, article, paragraph_ids[start:end], groups)
        start = end
    batch.insert(conn)
    return ids


def insert_analysis(
    conn: Connection,
    article_id: int,
    article: Article,
    paragraph_ids: list[int],
    *,
    run_id: int | None,
    versions: dict[str, str],
    groups: dict[str, Any],
) -> None:
    """Add the analysis of a stored article (predictions, labels, spans, quotes, entities);
    ``groups``: its source_id, language and month, copied into the label summary."""
    batch = AnalysisRows(run_id, versions)
    batch.add(article_id, article, paragraph_ids, groups)
    batch.insert(conn)


class AnalysisRows:
    """The analysis rows of one or more stored articles, inserted together."""

    def __init__(self, run_id: int | None, versions: dict[str, str]):
        self.run_id = run_id
        self.versions = versions
        self.predictions: list[dict[str, Any]] = []
        self.labels: list[list[dict[str, Any]]] = []  # per prediction
        self.summary: list[dict[str, Any]] = []
        self.spans: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.entities: list[dict[str, Any]] = []

    def add(
        self, article_id: int, article: Article, paragraph_ids: list[int], groups: dict[str, Any]
    ) -> None:
        run_id, versions = self.run_id, self.versions
        owners: list[tuple[int | None, Article | Paragraph]] = [(None, article)]
        owners += list(zip(paragraph_ids, article.paragraphs, strict=True))
        summary: dict[tuple[str, str], dict[str, Any]] = {}
        for paragraph_id, owner in owners:
            for task, prediction, selected in held_predictions(owner):
                model = model_of(prediction)
                version = version_of(versions, task, model)
                self.predictions.append(
                    {
                        "article_id": article_id,
                        "paragraph_id": paragraph_id,
                        "task": task,
                        "model": model,
                        "model_version": version,
                        "run_id": run_id,
                        "probabilities": dict(prediction.probabilities),
                        "predicted": list(prediction.predicted),
                        "thresholds": dict(prediction.thresholds),
                        "note": prediction.note,
                        "extra": _extra(prediction, (*_PREDICTION_COLUMNS, "model")),
                        "selected": selected,
                        "current": True,
                    }
                )
                rows = []
                for label in prediction.predicted:
                    probability = prediction.probabilities.get(label)
                    rows.append(
                        {
                            "article_id": article_id,
                            "paragraph_id": paragraph_id,
                            "task": task,
                            "label": label,
                            "probability": probability,
                            "model": model,
                            "model_version": version,
                            "run_id": run_id,
                            "selected": selected,
                            "current": True,
                        }
                    )
                    if not selected:
                        continue
                    entry = summary.setdefault(
                        (task, label),
                        {"article_id": article_id, "task": task, "label": label,
                         "paragraphs": 0, "probability": None, **groups},
                    )  # fmt: skip
                    entry["paragraphs"] += 1
                    if probability is not None and (
                        entry["probability"] is None or probability > entry["probability"]
                    ):
                        entry["probability"] = probability
                self.labels.append(rows)
        self.summary.extend(summary.values())
        span_version = versions.get("evidence", "unknown")
        for paragraph_id, paragraph in zip(paragraph_ids, article.paragraphs, strict=True):
            for position, span in enumerate(paragraph.spans):
                self.spans.append(
                    {
                        "article_id": article_id,
                        "paragraph_id": paragraph_id,
                        "position": position,
                        "start": span.start,
                        "end": span.end,
                        "label": span.label,
                        "confidence": span.confidence,
                        "fallback": span.fallback,
                        "extra": _extra(span, ("start", "end", "label", "confidence", "fallback")),
                        "model_version": span_version,
                        "run_id": run_id,
                        "current": True,
                    }
                )
        for position, quote in enumerate(article.quotes):
            self.quotes.append(
                {
                    "article_id": article_id,
                    "position": position,
                    "start": quote.start,
                    "end": quote.end,
                    "speaker": quote.speaker,
                    "extra": _extra(quote, ("start", "end", "speaker")),
                    "run_id": run_id,
                    "current": True,
                }
            )
        for position, entity in enumerate(article.entities):
            self.entities.append(
                {
                    "article_id": article_id,
                    "position": position,
                    "start": entity.start,
                    "end": entity.end,
                    "label": entity.label,
                    "text": entity.text,
                    "extra": _extra(entity, ("start", "end", "label", "text")),
                    "run_id": run_id,
                    "current": True,
                }
            )

    def insert(self, conn: Connection) -> None:
        if self.predictions:
            ids = conn.execute(
                insert(predictions).returning(predictions.c.id, sort_by_parameter_order=True),
                self.predictions,
            ).scalars()
            flat = []
            for prediction_id, rows in zip(ids, self.labels, strict=True):
                for row in rows:
                    row["prediction_id"] = prediction_id
                    flat.append(row)
            if flat:
                conn.execute(insert(labels), flat)
        for table, rows in (
            (article_labels, self.summary),
            (spans, self.spans),
            (quotes, self.quotes),
            (entities, self.entities),
        ):
            if rows:
                conn.execute(insert(table), rows)


def supersede_analysis(conn: Connection, article_id: int) -> None:
    """Mark an article's current analysis as history (kept, no longer current)."""
    for table in (predictions, labels, spans, quotes, entities):
        conn.execute(
            update(table)
            .where(table.c.article_id == article_id, table.c.current.is_(True))
            .values(current=False)
        )


def replace_analysis(
    conn: Connection,
    article_id: int,
    article: Article,
    *,
    run_id: int | None,
    versions: dict[str, str],
) -> None:
    """A newer analysis of a stored article: the old one stays as history."""
    paragraph_ids = list(
        conn.execute(
            select(paragraphs.c.id)
            .where(paragraphs.c.article_id == article_id)
            .order_by(paragraphs.c.position)
        ).scalars()
    )
    if len(paragraph_ids) != len(article.paragraphs):
        raise ValueError(f"article {article_id}: the new analysis has other paragraphs")
    supersede_analysis(conn, article_id)
    conn.execute(delete(article_labels).where(article_labels.c.article_id == article_id))
    groups = dict(
        conn.execute(
            select(articles.c.source_id, articles.c.language, articles.c.month).where(
                articles.c.id == article_id
            )
        )
        .one()
        ._mapping
    )
    insert_analysis(
        conn, article_id, article, paragraph_ids, run_id=run_id, versions=versions, groups=groups
    )
    genre = article.genre.predicted[0] if article.genre and article.genre.predicted else None
    conn.execute(
        update(articles)
        .where(articles.c.id == article_id)
        .values(
            genre=genre,
            genre_probability=article.genre.probabilities.get(genre) if genre else None,
        )
    )


def _prediction(row) -> Prediction:
    arguments = {name: row._mapping[name] for name in _PREDICTION_COLUMNS}
    arguments.update(row.extra or {})
    if "model" in {f.name for f in fields(Prediction)}:
        arguments["model"] = row.model
    return Prediction(**arguments)


def _restore(owner: Article | Paragraph, rows) -> None:
    held = getattr(owner, "predictions", None)
    for row in sorted(rows, key=lambda r: r.selected):  # the selected one last
        prediction = _prediction(row)
        if held is not None:
            held[f"{row.task}:{row.model}"] = prediction
        if row.selected:
            setattr(owner, row.task, prediction)


def load_article(conn: Connection, article_id: int) -> Article | None:
    """The stored article with its current analysis, or None."""
    row = conn.execute(
        select(articles, article_texts.c.text, sources.c.name.label("source_name"))
        .join(article_texts, article_texts.c.id == articles.c.id)
        .outerjoin(sources, sources.c.id == articles.c.source_id)
        .where(articles.c.id == article_id)
    ).first()
    if row is None:
        return None
    article = Article(
        id=row.key,
        text=row.text,
        title=row.title,
        source=row.source_name,
        url=row.url,
        path=row.path,
        language=row.language,
        language_confidence=row.language_confidence,
        published=row.published,
        author=row.author,
        duplicate_of=row.duplicate_of,
        warnings=list(row.warnings),
        meta=dict(row.meta),
        **(row.extra or {}),
    )
    by_paragraph: dict[int, Paragraph] = {}
    for p in conn.execute(
        select(paragraphs).where(paragraphs.c.article_id == article_id).order_by("position")
    ):
        paragraph = Paragraph(
            line=p.line,
            start=p.start,
            end=p.end,
            text=row.text[p.start : p.end],
            boilerplate=p.boilerplate,
            language=p.language,
            **(p.extra or {}),
        )
        article.paragraphs.append(paragraph)
        by_paragraph[p.id] = paragraph
    current = conn.execute(
        select(predictions)
        .where(predictions.c.article_id == article_id, predictions.c.current.is_(True))
        .order_by(predictions.c.id)
    ).all()
    _restore(article, [r for r in current if r.paragraph_id is None])
    grouped: dict[int, list] = {}
    for r in current:
        if r.paragraph_id is not None:
            grouped.setdefault(r.paragraph_id, []).append(r)
    for paragraph_id, rows in grouped.items():
        _restore(by_paragraph[paragraph_id], rows)
    for s in conn.execute(
        select(spans)
        .where(spans.c.article_id == article_id, spans.c.current.is_(True))
        .order_by(spans.c.paragraph_id, spans.c.position)
    ):
        by_paragraph[s.paragraph_id].spans.append(
            Span(s.start, s.end, s.label, s.confidence, s.fallback, **(s.extra or {}))
        )
    for q in conn.execute(
        select(quotes)
        .where(quotes.c.article_id == article_id, quotes.c.current.is_(True))
        .order_by(quotes.c.position)
    ):
        article.quotes.append(Quote(start=q.start, end=q.end, speaker=q.speaker, **q.extra))
    if article.quotes:  # which quotes each paragraph holds is derived, not stored
        from ..quoting import link_quotes

        link_quotes(article)
    for e in conn.execute(
        select(entities)
        .where(entities.c.article_id == article_id, entities.c.current.is_(True))
        .order_by(entities.c.position)
    ):
        article.entities.append(
            Entity(start=e.start, end=e.end, label=e.label, text=e.text, **e.extra)
        )
    return article
