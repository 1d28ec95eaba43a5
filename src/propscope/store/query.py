"""Search, statistics and export rows over the stored corpus, with one set of filters.

Every query looks at the current analysis only (the selected prediction of each task), the same
one reports show; history rows are kept but not counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, literal_column, select, text

from ..document import Quote
from ..features.tokenize import WORDS as _WORD
from ..quoting import speaker_name
from .schema import (
    article_labels,
    article_texts,
    articles,
    labels,
    paragraphs,
    quotes,
    sources,
    spans,
)

STATS_BY = ("source", "language", "month")
STATS_WHAT = ("techniques", "frames", "genre")
MAX_PAGE_SIZE = 200


@dataclass
class Filters:
    """What to keep. ``min_confidence`` applies to the genre, frame and technique filters; on
    its own it keeps articles with at least one label that confident."""

    q: str | None = None
    source: str | None = None
    language: str | None = None
    genre: str | None = None
    frame: str | None = None
    technique: str | None = None
    since: date | None = None
    until: date | None = None
    min_confidence: float | None = None

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def _with_label(task: str | None, label: str | None, minimum: float | None):
    """Articles whose current selected analysis has the label (at least that confident)."""
    conditions = []
    if task:
        conditions.append(article_labels.c.task == task)
    if label:
        conditions.append(article_labels.c.label == label)
    if minimum is not None:
        conditions.append(article_labels.c.probability >= minimum)
    return articles.c.id.in_(select(article_labels.c.article_id).where(*conditions))


def full_text_words(q: str) -> list[str]:
    """The words of a query; every one must occur (search syntax is not exposed)."""
    return _WORD.findall(q)


def conditions(conn: Connection, filters: Filters) -> list:
    """SQL conditions on ``articles`` for ``filters``."""
    where: list = []
    minimum = filters.min_confidence
    if filters.q and filters.q.strip():
        words = full_text_words(filters.q)
        if not words:
            where.append(literal_column("0") == 1)
        elif conn.dialect.name == "postgresql":
            where.append(
                articles.c.id.in_(
                    select(article_texts.c.id).where(
                        literal_column("article_texts.search").op("@@")(
                            func.plainto_tsquery("simple", " ".join(words))
                        )
                    )
                )
            )
        else:
            match = " ".join('"' + w.replace('"', "") + '"' for w in words)
            where.append(
                articles.c.id.in_(
                    select(literal_column("rowid"))
                    .select_from(text("articles_fts"))
                    .where(text("articles_fts MATCH :match").bindparams(match=match))
                )
            )
    if filters.source:
        where.append(
            articles.c.source_id.in_(select(sources.c.id).where(sources.c.name == filters.source))
        )
    if filters.language:
        where.append(articles.c.language == filters.language)
    if filters.genre:
        where.append(articles.c.genre == filters.genre)
        if minimum is not None:
            where.append(articles.c.genre_probability >= minimum)
    if filters.frame:
        where.append(_with_label("frames", filters.frame, minimum))
    if filters.technique:
        where.append(_with_label("techniques", filters.technique, minimum))
    if minimum is not None and not (filters.genre or filters.frame or filters.technique):
        where.append(
            _with_label(None, None, minimum)
        )
    if filters.since:
        where.append(articles.c.published_date >= filters.since)
    if filters.until:
        where.append(articles.c.published_date <= filters.until)
    return where


def search(
    conn: Connection, filters: Filters, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    """One page of matching articles, newest first, with the total count."""
    page = max(1, page)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    where = conditions(conn, filters)
    total = conn.execute(select(func.count()).select_from(articles).where(*where)).scalar_one()
    rows = conn.execute(
        select(
            articles.c.id,
            articles.c.key,
            articles.c.title,
            articles.c.url,
            articles.c.language,
            articles.c.published,
            articles.c.genre,
            articles.c.genre_probability,
            articles.c.paragraph_count,
            articles.c.created,
            sources.c.name.label("source"),
        )
        .outerjoin(sources, sources.c.id == articles.c.source_id)
        .where(*where)
        .order_by(articles.c.published_date.desc().nulls_last(), articles.c.id.desc())
        .limit(page_size)
        .offset((page - 1) * page_size)
    ).all()
    ids = [r.id for r in rows]
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    frames: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for article_id, task, label, count in conn.execute(
            select(
                article_labels.c.article_id,
                article_labels.c.task,
                article_labels.c.label,
                article_labels.c.paragraphs,
            ).where(
                article_labels.c.article_id.in_(ids),
                article_labels.c.task.in_(("techniques", "frames")),
            )
        ):
            if task == "techniques":
                counts[article_id][label] = count
            else:
                frames[article_id].append(label)
    items = [
        {
            "id": r.id,
            "key": r.key,
            "title": r.title,
            "source": r.source,
            "url": r.url,
            "language": r.language,
            "published": r.published,
            "genre": r.genre,
            "genre_probability": r.genre_probability,
            "frames": sorted(frames[r.id]),
            "paragraphs": r.paragraph_count,
            "techniques": dict(sorted(counts[r.id].items())),
            "stored": r.created.isoformat() if r.created else None,
        }
        for r in rows
    ]
    return {"total": total, "page": page, "page_size": page_size, "items": items}


def _group_column(by: str):
    if by == "source":
        return articles.c.source_id  # named afterwards: grouping on an integer is cheaper
    if by == "language":
        return articles.c.language
    if by == "month":
        return articles.c.month
    raise ValueError(f"unknown grouping {by!r} (known: {', '.join(STATS_BY)})")


def stats(conn: Connection, filters: Filters, by: str, what: str) -> dict[str, Any]:
    """Counts per group and label, and rates per 100 (analysable) paragraphs and articles.

    techniques: paragraphs using the technique; frames: articles with the frame; genre:
    articles of the genre.
    """
    if what not in STATS_WHAT:
        raise ValueError(f"unknown statistic {what!r} (known: {', '.join(STATS_WHAT)})")
    group = _group_column(by).label("grp")
    where = conditions(conn, filters)
    base = articles
    totals = {
        g: (n, p or 0)
        for g, n, p in conn.execute(
            select(group, func.count(), func.sum(articles.c.paragraph_count))
            .select_from(base)
            .where(*where)
            .group_by(group)
        )
    }
    if what == "genre":
        counted = conn.execute(
            select(group, articles.c.genre, func.count())
            .select_from(base)
            .where(*where, articles.c.genre.is_not(None))
            .group_by(group, articles.c.genre)
        ).all()
    else:
        task = "techniques" if what == "techniques" else "frames"
        label_group = getattr(article_labels.c, "source_id" if by == "source" else by)
        narrowed = [article_labels.c.article_id.in_(select(articles.c.id).where(*where))]
        counted = conn.execute(
            select(label_group, article_labels.c.label, func.sum(article_labels.c.paragraphs))
            .where(article_labels.c.task == task, *(narrowed if where else []))
            .group_by(label_group, article_labels.c.label)
        ).all()
    rows = []
    for g, label, count in counted:
        n_articles, n_paragraphs = totals.get(g, (0, 0))
        per_paragraph = round(100 * count / n_paragraphs, 3) if n_paragraphs else None
        rows.append(
            {
                "group": g,
                "label": label,
                "count": count,
                "articles": n_articles,
                "paragraphs": n_paragraphs,
                "per_100_paragraphs": per_paragraph,
                "per_100_articles": round(100 * count / n_articles, 3) if n_articles else None,
            }
        )
    if by == "source":
        names = dict(conn.execute(select(sources.c.id, sources.c.name)).all())
        totals = {names.get(g): value for g, value in totals.items()}
        for row in rows:
            row["group"] = names.get(row["group"])
    rows.sort(key=lambda r: (str(r["group"]), -r["count"], r["label"]))
    groups = [
        {"group": g, "articles": n, "paragraphs": p}
        for g, (n, p) in sorted(totals.items(), key=lambda item: str(item[0]))
    ]
    return {"by": by, "what": what, "groups": groups, "rows": rows}


SPEAKERS_LIMIT = 100


def speakers(
    conn: Connection, filters: Filters, limit: int = SPEAKERS_LIMIT, batch: int = 2000
) -> dict[str, Any]:
    """Who is quoted in each outlet: per speaker, quotes (direct and reported), the articles
    quoting them, and the techniques found inside their quotes (evidence spans marked with the
    quote they fall in; each technique counted once per quote). The ``limit`` most quoted
    speakers of each outlet are listed; ``speakers`` says how many there are in all.
    """
    where = conditions(conn, filters)
    totals = dict(
        conn.execute(
            select(articles.c.source_id, func.count()).where(*where).group_by(articles.c.source_id)
        ).all()
    )
    found: dict[tuple[int | None, str], dict[str, Any]] = {}
    owner: dict[tuple[int, int], tuple[int | None, str]] = {}  # (article, position) -> key
    quoting: dict[int | None, set[int]] = {}
    # the JSON fields are read by the database: decoding every row's extra here is slower
    rows = conn.execution_options(stream_results=True, yield_per=batch).execute(
        select(articles.c.id, articles.c.source_id, quotes.c.position, quotes.c.start,
               quotes.c.end, quotes.c.speaker,
               quotes.c.extra["resolved_speaker"].as_string(),
               quotes.c.extra["direct"].as_boolean())
        .join(articles, articles.c.id == quotes.c.article_id)
        .where(*where, quotes.c.current.is_(True))
    )  # fmt: skip
    for article_id, source_id, position, start, end, speaker, resolved, direct in rows:
        direct = direct is not False  # the Quote default where a row does not say
        quote = Quote(start, end, speaker, direct=direct, resolved_speaker=resolved)
        key = (source_id, speaker_name(quote))
        entry = found.get(key)
        if entry is None:
            entry = found[key] = {"quotes": 0, "direct": 0, "reported": 0, "articles": set(),
                                  "techniques": {}}  # fmt: skip
        entry["quotes"] += 1
        entry["direct" if direct else "reported"] += 1
        entry["articles"].add(article_id)
        owner[article_id, position] = key
        quoting.setdefault(source_id, set()).add(article_id)
    seen: set[tuple[int, int, str]] = set()
    if owner:
        inside = spans.c.extra["quote"].as_integer()
        with_quotes = select(quotes.c.article_id).where(quotes.c.current.is_(True))
        span_rows = conn.execution_options(stream_results=True, yield_per=batch).execute(
            select(spans.c.article_id, spans.c.label, inside)
            .join(articles, articles.c.id == spans.c.article_id)
            .where(*where, spans.c.current.is_(True), inside.is_not(None),
                   spans.c.article_id.in_(with_quotes))
        )  # fmt: skip
        for article_id, label, position in span_rows:
            key = owner.get((article_id, position))
            if key is None or (article_id, position, label) in seen:
                continue
            seen.add((article_id, position, label))
            counted = found[key]["techniques"]
            counted[label] = counted.get(label, 0) + 1
    by_source: dict[int | None, list[tuple[str, dict[str, Any]]]] = {}
    for (source_id, speaker), entry in found.items():
        by_source.setdefault(source_id, []).append((speaker, entry))
    names = dict(conn.execute(select(sources.c.id, sources.c.name)).all())
    outlets = []
    for source_id in sorted(totals, key=lambda s: str(names.get(s) or "")):
        listed = sorted(by_source.get(source_id, ()), key=lambda i: (-i[1]["quotes"], i[0]))
        outlets.append(
            {
                "source": names.get(source_id),
                "articles": totals[source_id],
                "articles_with_quotes": len(quoting.get(source_id, ())),
                "quotes": sum(e["quotes"] for _, e in listed),
                "speakers": len(listed),
                "rows": [
                    {
                        "speaker": speaker,
                        "quotes": e["quotes"],
                        "direct": e["direct"],
                        "reported": e["reported"],
                        "articles": len(e["articles"]),
                        "techniques": dict(
                            sorted(e["techniques"].items(), key=lambda t: (-t[1], t[0]))
                        ),
                    }
                    for speaker, e in listed[: max(0, limit)]
                ],
            }
        )
    return {"limit": limit, "outlets": outlets}




EXPORT_COLUMNS = (
    "article_id",
    "article_key",
    "source",
    "url",
    "language",
    "published",
    "level",
    "line",
    "task",
    "label",
    "probability",
    "selected",
    "model",
    "model_version",
    "run_id",
)


def export_rows(conn: Connection, filters: Filters, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """One row per current label (paragraph techniques, article genre and frames), streamed."""
    query = (
        select(
            articles.c.id.label("article_id"),
            articles.c.key.label("article_key"),
            sources.c.name.label("source"),
            articles.c.url,
            articles.c.language,
            articles.c.published,
            paragraphs.c.line,
            labels.c.task,
            labels.c.label,
            labels.c.probability,
            labels.c.selected,
            labels.c.model,
            labels.c.model_version,
            labels.c.run_id,
        )
        .select_from(
            labels.join(articles, articles.c.id == labels.c.article_id)
            .outerjoin(sources, sources.c.id == articles.c.source_id)
            .outerjoin(paragraphs, paragraphs.c.id == labels.c.paragraph_id)
        )
        .where(*conditions(conn, filters), labels.c.current.is_(True))
        .order_by(
            articles.c.id, paragraphs.c.line.asc().nulls_first(), labels.c.task, labels.c.label
        )
    )
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
    for row in result:
        data = dict(row._mapping)
        data["level"] = "article" if data["line"] is None else "paragraph"
        yield {name: data[name] for name in EXPORT_COLUMNS}
