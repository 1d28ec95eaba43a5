"""The corpus store: one object over a SQLite file or a PostgreSQL database."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from .. import __version__
from ..document import Article
from ..errors import PropscopeError
from . import query, repository
from .query import Filters
from .schema import (
    article_texts,
    articles,
    corrections,
    import_jobs,
    labels,
    paragraphs,
    predictions,
    runs,
    sources,
)

CORRECTION_ACTIONS = ("add", "remove")
MAX_JOB_ERRORS = 1000


class StoreError(PropscopeError):
    """A store that cannot be opened or an operation it refuses (one line for the user)."""


def data_dir() -> Path:
    """Where propscope keeps user data: $XDG_DATA_HOME/propscope (~/.local/share/propscope)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "propscope"


def default_url() -> str:
    """$PROPSCOPE_DB if set, else a SQLite file in the user's data directory."""
    return os.environ.get("PROPSCOPE_DB") or f"sqlite:///{data_dir() / 'propscope.db'}"


def normalise_url(url: str | None) -> str:
    """A SQLAlchemy URL; a plain path means a SQLite file, postgresql:// means psycopg 3."""
    url = url or default_url()
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@dataclass
class Added:
    """What happened to one article given to :meth:`Store.add`."""

    id: int
    status: str  # stored, duplicate (same text, same models) or reanalysed (history kept)


class Store:
    """Articles, their analyses (with history), runs, import jobs and corrections.

    Open with ``Store(url)``; the schema is created or upgraded on open (Alembic). Safe to
    share between threads; writes are serialised on SQLite.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True):
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise StoreError(f"not a database URL: {url!r}") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise StoreError(f"{url}: unsupported database (use sqlite or postgresql)")
        self._write_lock = threading.Lock()
        if self.dialect == "sqlite":
            database = parsed.database
            if not database or database == ":memory:":
                raise StoreError("the SQLite store needs a file (sqlite:///path/propscope.db)")
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(self.url, immediate=False)
            # writes begin with BEGIN IMMEDIATE: two writers wait for each other instead of
            # one failing with "database is locked" when it upgrades a read lock
            self._writer = _sqlite_engine(self.url, immediate=True)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=30)
            self._writer = self.engine
        if migrate:
            self.migrate()

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        self.engine.dispose()
        if self._writer is not self.engine:
            self._writer.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- connections --------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except OperationalError as error:
            raise StoreError(f"database unavailable: {_first_line(error)}") from None

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A transaction: committed whole when the block ends, rolled back on any error."""
        lock = self._write_lock if self.dialect == "sqlite" else _NO_LOCK
        with lock:
            try:
                with self._writer.begin() as conn:
                    yield conn
            except OperationalError as error:
                raise StoreError(f"database unavailable: {_first_line(error)}") from None

    def migrate(self) -> None:
        """Create or upgrade the schema to the newest migration shipped with propscope."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", "propscope.store:migrations")
        with self.writing() as conn:
            if self.dialect == "postgresql":  # two processes opening a new store: one migrates
                conn.execute(text("SELECT pg_advisory_xact_lock(7310013)"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    # -- runs ---------------------------------------------------------------------------------

    def start_run(
        self, kind: str, models: dict[str, str], settings: dict[str, Any] | None = None
    ) -> int:
        with self.writing() as conn:
            return conn.execute(
                insert(runs)
                .values(
                    kind=kind,
                    started=repository.now(),
                    propscope_version=__version__,
                    models=models,
                    settings=settings or {},
                )
                .returning(runs.c.id)
            ).scalar_one()

    def finish_run(self, run_id: int) -> None:
        with self.writing() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(finished=repository.now()))

    def run(self, run_id: int) -> dict[str, Any] | None:
        with self.reading() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
        return _plain(row) if row else None

    # -- articles -----------------------------------------------------------------------------

    def add(self, article: Article, run_id: int | None, versions: dict[str, str]) -> Added:
        """Store an analysed article once.

        The same text again is a duplicate, unless its stored analysis came from other model
        versions: then the new analysis becomes current and the old one is kept as history.
        """
        return self.add_many([article], run_id, versions)[0]

    def add_many(
        self, batch: Iterable[Article], run_id: int | None, versions: dict[str, str]
    ) -> list[Added]:
        """:meth:`add` for several articles in one transaction (all stored or none); new
        articles are inserted together, a few statements for the whole batch."""
        batch = list(batch)
        digests = [repository.fingerprint(article) for article in batch]
        results: list[Added | None] = [None] * len(batch)
        with self.writing() as conn:
            known: set[str] = set()
            unique = sorted(set(digests))
            for start in range(0, len(unique), 500):
                known.update(
                    conn.execute(
                        select(articles.c.fingerprint).where(
                            articles.c.fingerprint.in_(unique[start : start + 500])
                        )
                    ).scalars()
                )
            first: dict[str, int] = {}  # fingerprint -> index of its first new article
            new = []
            for index, (article, digest) in enumerate(zip(batch, digests, strict=True)):
                if digest in known:
                    results[index] = self.add_in(conn, article, run_id, versions)
                elif digest not in first:
                    first[digest] = index
                    new.append(index)
            ids = repository.insert_articles(
                conn, [(batch[i], digests[i]) for i in new], run_id=run_id, versions=versions
            )
            for index, article_id in zip(new, ids, strict=True):
                results[index] = Added(article_id, "stored")
            for index, digest in enumerate(digests):
                if results[index] is None:  # the same article twice in the batch
                    results[index] = Added(results[first[digest]].id, "duplicate")
        return results

    def add_in(self, conn: Connection, article: Article, run_id, versions) -> Added:
        """:meth:`add` inside the caller's transaction (``with store.writing() as conn``)."""
        digest = repository.fingerprint(article)
        found = conn.execute(
            select(articles.c.id, article_texts.c.text)
            .join(article_texts, article_texts.c.id == articles.c.id)
            .where(articles.c.fingerprint == digest)
        ).first()
        if found is None:
            article_id = repository.insert_article(
                conn, article, run_id=run_id, versions=versions, digest=digest
            )
            return Added(article_id, "stored")
        stored_versions = set(
            conn.execute(
                select(predictions.c.model_version).where(
                    predictions.c.article_id == found.id, predictions.c.current.is_(True)
                )
            ).scalars()
        )
        new_versions = {
            repository.version_of(versions, task, repository.model_of(prediction))
            for owner in [article, *article.paragraphs]
            for task, prediction, _ in repository.held_predictions(owner)
        }
        same_text = found.text == article.text
        if not same_text or not new_versions or new_versions <= stored_versions:
            return Added(found.id, "duplicate")
        repository.replace_analysis(conn, found.id, article, run_id=run_id, versions=versions)
        return Added(found.id, "reanalysed")

    def get(self, article_id: int) -> Article | None:
        """The stored article with its current analysis."""
        with self.reading() as conn:
            return repository.load_article(conn, article_id)

    def article_record(self, article_id: int) -> dict[str, Any] | None:
        """Store-side facts about an article: id, when stored, the run and the model versions
        of every label, current and past (its history)."""
        with self.reading() as conn:
            row = conn.execute(
                select(articles.c.id, articles.c.created, articles.c.run_id, articles.c.fingerprint)
                .where(articles.c.id == article_id)
            ).first()
            if row is None:
                return None
            history = conn.execute(
                select(
                    predictions.c.task,
                    predictions.c.model,
                    predictions.c.model_version,
                    predictions.c.run_id,
                    predictions.c.current,
                    func.count(),
                )
                .where(predictions.c.article_id == article_id)
                .group_by(
                    predictions.c.task,
                    predictions.c.model,
                    predictions.c.model_version,
                    predictions.c.run_id,
                    predictions.c.current,
                )
                .order_by(predictions.c.run_id, predictions.c.task)
            ).all()
        return {
            "id": row.id,
            "stored": row.created.isoformat(),
            "run_id": row.run_id,
            "fingerprint": row.fingerprint,
            "analyses": [
                {
                    "task": task,
                    "model": model,
                    "model_version": version,
                    "run_id": run,
                    "current": bool(current),
                    "predictions": count,
                }
                for task, model, version, run, current, count in history
            ],
        }

    def count(self) -> int:
        with self.reading() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar_one()

    def ids_of(self, key: str) -> list[int]:
        """Database ids of the stored articles whose own id (``Article.id``) is ``key``."""
        with self.reading() as conn:
            return list(
                conn.execute(
                    select(articles.c.id).where(articles.c.key == key).order_by(articles.c.id)
                ).scalars()
            )

    def sources(self) -> list[dict[str, Any]]:
        """Outlets with their article counts."""
        with self.reading() as conn:
            rows = conn.execute(
                select(sources.c.name, func.count(articles.c.id))
                .join(articles, articles.c.source_id == sources.c.id)
                .group_by(sources.c.name)
                .order_by(sources.c.name)
            ).all()
        return [{"name": name, "articles": count} for name, count in rows]

    def search(self, filters: Filters | None = None, page: int = 1, page_size: int = 20):
        with self.reading() as conn:
            return query.search(conn, filters or Filters(), page, page_size)

    def stats(self, filters: Filters | None = None, by: str = "source", what: str = "techniques"):
        with self.reading() as conn:
            return query.stats(conn, filters or Filters(), by, what)

    def speakers(self, filters: Filters | None = None, limit: int = query.SPEAKERS_LIMIT):
        """Who is quoted in each outlet (see ``query.speakers``)."""
        with self.reading() as conn:
            return query.speakers(conn, filters or Filters(), limit)

    def export_rows(self, filters: Filters | None = None) -> Iterator[dict[str, Any]]:
        """One dict per current label (see ``query.EXPORT_COLUMNS``), streamed from the
        database; the connection is held until the iterator is exhausted or closed."""
        with self.reading() as conn:
            yield from query.export_rows(conn, filters or Filters())

    # -- corrections --------------------------------------------------------------------------

    def add_correction(
        self,
        article_id: int,
        task: str,
        label: str,
        action: str,
        line: int | None = None,
        note: str | None = None,
        author: str | None = None,
    ) -> int:
        """Record a reader's correction: ``remove`` a wrong label or ``add`` a missing one.

        Techniques are corrected on a paragraph (its ``line``); genre and frames on the article.
        """
        from ..taxonomy import labels_of

        if action not in CORRECTION_ACTIONS:
            raise StoreError(f"unknown action {action!r} (add or remove)")
        if task not in ("genre", "frames", "techniques"):
            raise StoreError(f"unknown task {task!r} (genre, frames or techniques)")
        if label not in labels_of(task):
            raise StoreError(f"unknown {task} label {label!r}")
        if (task == "techniques") != (line is not None):
            raise StoreError("techniques are corrected on a paragraph line; genre and frames not")
        with self.writing() as conn:
            found = conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first()
            if found is None:
                raise KeyError(article_id)
            paragraph_id = None
            if line is not None:
                paragraph_id = conn.execute(
                    select(paragraphs.c.id).where(
                        paragraphs.c.article_id == article_id, paragraphs.c.line == line
                    )
                ).scalar()
                if paragraph_id is None:
                    raise StoreError(f"article {article_id} has no paragraph on line {line}")
            return conn.execute(
                insert(corrections)
                .values(
                    article_id=article_id,
                    paragraph_id=paragraph_id,
                    task=task,
                    label=label,
                    action=action,
                    note=note,
                    author=author,
                    created=repository.now(),
                )
                .returning(corrections.c.id)
            ).scalar_one()

    def corrections(self, article_id: int | None = None) -> list[dict[str, Any]]:
        """Corrections in the order they were made, with the paragraph line."""
        with self.reading() as conn:
            statement = (
                select(corrections, paragraphs.c.line)
                .outerjoin(paragraphs, paragraphs.c.id == corrections.c.paragraph_id)
                .order_by(corrections.c.id)
            )
            if article_id is not None:
                statement = statement.where(corrections.c.article_id == article_id)
            rows = conn.execute(statement).all()
        return [
            {
                "id": r.id,
                "article_id": r.article_id,
                "task": r.task,
                "label": r.label,
                "action": r.action,
                "line": r.line,
                "note": r.note,
                "author": r.author,
                "created": r.created.isoformat(),
            }
            for r in rows
        ]

    # -- import jobs --------------------------------------------------------------------------

    def create_job(self, inputs: list[str], options: dict[str, Any]) -> int:
        with self.writing() as conn:
            stamp = repository.now()
            return conn.execute(
                insert(import_jobs)
                .values(
                    status="queued",
                    created=stamp,
                    updated=stamp,
                    inputs=list(inputs),
                    options=dict(options),
                    position=0,
                    stored=0,
                    duplicates=0,
                    failed=0,
                    errors=[],
                )
                .returning(import_jobs.c.id)
            ).scalar_one()

    def job(self, job_id: int) -> dict[str, Any] | None:
        with self.reading() as conn:
            row = conn.execute(select(import_jobs).where(import_jobs.c.id == job_id)).first()
        return _plain(row) if row else None

    def jobs(self, limit: int = 50) -> list[dict[str, Any]]:
        """The most recent import jobs, newest first."""
        with self.reading() as conn:
            rows = conn.execute(
                select(import_jobs).order_by(import_jobs.c.id.desc()).limit(limit)
            ).all()
        return [_plain(row) for row in rows]

    def unfinished_jobs(self) -> list[int]:
        """Jobs queued or interrupted (e.g. by a crash), oldest first: to be resumed."""
        with self.reading() as conn:
            return list(
                conn.execute(
                    select(import_jobs.c.id)
                    .where(import_jobs.c.status.in_(("queued", "running")))
                    .order_by(import_jobs.c.id)
                ).scalars()
            )

    def update_job(self, job_id: int, conn: Connection | None = None, **values: Any) -> None:
        """Change a job's row, inside ``conn``'s transaction when given (so that the progress
        and the articles it counts are committed together)."""
        values["updated"] = repository.now()
        statement = update(import_jobs).where(import_jobs.c.id == job_id).values(**values)
        if conn is not None:
            conn.execute(statement)
            return
        with self.writing() as own:
            own.execute(statement)

    def job_progress(
        self,
        conn: Connection,
        job_id: int,
        *,
        consumed: int,
        stored: int = 0,
        duplicates: int = 0,
        errors: list[str] = (),
    ) -> None:
        """Advance a job's counters inside ``conn``'s transaction."""
        row = conn.execute(
            select(import_jobs.c.errors, import_jobs.c.failed).where(import_jobs.c.id == job_id)
        ).one()
        kept = list(row.errors) + list(errors)
        conn.execute(
            update(import_jobs)
            .where(import_jobs.c.id == job_id)
            .values(
                position=import_jobs.c.position + consumed,
                stored=import_jobs.c.stored + stored,
                duplicates=import_jobs.c.duplicates + duplicates,
                failed=row.failed + len(errors),
                errors=kept[:MAX_JOB_ERRORS],
                updated=repository.now(),
            )
        )

    def label_counts(self) -> dict[str, int]:
        """Current selected labels per task: a cheap health figure."""
        with self.reading() as conn:
            return dict(
                conn.execute(
                    select(labels.c.task, func.count())
                    .where(labels.c.current.is_(True), labels.c.selected.is_(True))
                    .group_by(labels.c.task)
                ).all()
            )


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


_NO_LOCK = _NoLock()


def _sqlite_engine(url: str, immediate: bool):
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _plain(row) -> dict[str, Any]:
    data = dict(row._mapping)
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    return data


def _first_line(error: BaseException) -> str:
    return str(getattr(error, "orig", error)).strip().splitlines()[0]
