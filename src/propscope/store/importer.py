"""Analyse inputs and store them: the path shared by ``propscope import`` and the API's jobs.

An import is a job row in the store. Its ``position`` counts the items of the input stream
(articles and unreadable inputs, in input order) already dealt with, and advances in the same
transaction that stores each article, so a job interrupted at any point (even by SIGKILL)
resumes where it stopped, storing nothing twice.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from .. import __version__
from ..document import Article
from ..errors import InputError, PropscopeError
from .store import Store

log = logging.getLogger(__name__)

def analysis_names(analyzers, model: str = "linear") -> list[str]:
    """The analyzers a run with these options loads (requirements included), without loading
    any model."""
    from ..analyzers.pipeline import default_names, resolve_order
    from ..runner import Runner

    runner = Runner(None if analyzers is None else list(analyzers), model=model)
    return resolve_order(default_names() if runner.names is None else runner.names,
                         runner.substitutes)


def model_versions(names: list[str]) -> dict[str, str]:
    """A version per analyzer (its shipped artifact's propscope version and the first digits
    of its arrays' SHA-256), also keyed ``"task:family"`` for the tasks' model families."""
    from ..analyzers import get_analyzer
    from ..runner import FAMILIES

    versions = {}
    for name in names:
        manifest = get_analyzer(name).default_path() / "manifest.json"
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            versions[name] = __version__
            continue
        digest = str(data.get("arrays_sha256", ""))[:12]
        versions[name] = f"{data.get('propscope_version', __version__)}+{digest}"
    for family, tasks in FAMILIES.items():
        for task, name in tasks.items():
            if name in versions:
                versions[f"{task}:{family}"] = versions[name]
    return versions


class Analysis:
    """The run layer's :class:`~propscope.runner.Runner` the store's articles are analysed
    with, and the versions of its models. Loaded once; threads may share it."""

    def __init__(
        self, analyzers: list[str] | None = None, decision: str = "micro", model: str = "linear"
    ):
        from ..runner import Runner

        self.options = {"model": model, "decision": decision}
        self.runner = Runner(analyzers, **self.options)
        self.versions = model_versions(self.runner.pipeline.names)

    def settings(self) -> dict[str, Any]:
        return {"analyzers": self.runner.pipeline.names, **self.options}

    def __call__(self, article: Article) -> Article:
        """One article analysed (a failure raises)."""
        return self.runner.analyze(article)

    def runner_for(self, **options):
        """A runner with other reading options (language, ingest, pattern) that shares this
        one's loaded models."""
        from ..runner import Runner

        runner = Runner(self.runner.names, **self.options, **options)
        runner._pipeline = self.runner.pipeline  # the models are loaded once per process
        return runner


@dataclass
class ImportOptions:
    """How a job reads its inputs (the options of ``propscope analyze`` that apply)."""

    feed: bool = False
    glob: str = "*.txt"
    language: str | None = None
    max_bytes: int = 5 * 1024 * 1024
    timeout: float = 20.0
    columns: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportOptions:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def ingest(self):
        from ..ingest import ColumnMap, IngestOptions

        return IngestOptions(
            max_bytes=self.max_bytes,
            timeout=self.timeout,
            columns=ColumnMap(**self.columns),
            feed=self.feed,
        )


def run_job(
    store: Store,
    job_id: int,
    analysis: Analysis,
    *,
    stop: threading.Event | None = None,
    on_error: Callable[[str], None] | None = None,
    batch_size: int = 16,
) -> dict[str, Any]:
    """Run (or resume) an import job to its end; returns the job's final row.

    ``stop`` set: the job pauses after the current batch and stays resumable. Each bad input
    or article becomes one line in the job's errors (and a call of ``on_error``).
    """
    job = store.job(job_id)
    if job is None:
        raise KeyError(job_id)
    if job["status"] in ("done", "failed"):
        return job
    options = ImportOptions.from_dict(job["options"])
    run_id = job["run_id"]
    if run_id is None:
        run_id = store.start_run("import", analysis.versions, analysis.settings())
    store.update_job(job_id, status="running", run_id=run_id)
    runner = analysis.runner_for(
        language=options.language, ingest=options.ingest(), pattern=options.glob
    )
    # read and prepared (duplicates flagged) exactly as `propscope analyze` does; the items a
    # run before an interruption dealt with are skipped before any analysis
    items = islice(runner.prepare(runner.read(job["inputs"])), job["position"], None)
    try:
        while batch := list(islice(items, batch_size)):
            if stop is not None and stop.is_set():
                return store.job(job_id)
            _import_batch(store, job_id, run_id, analysis, runner, batch, on_error)
    except Exception as error:  # a broken store or a bug: the job says so, the server lives
        log.debug("import job %s failed", job_id, exc_info=True)
        reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0]
        store.update_job(job_id, status="failed", message=f"{type(error).__name__}: {reason}")
        return store.job(job_id)
    store.update_job(job_id, status="done")
    store.finish_run(run_id)
    return store.job(job_id)


def _import_batch(store, job_id, run_id, analysis, runner, batch, on_error) -> None:
    """Analyse a batch, then store its items one by one, each with the job's progress."""
    new = [i for i in batch if isinstance(i, Article) and i.duplicate_of is None]
    analysed = iter(list(runner.analyze_stream(new)))  # one result per article, in order
    for item in batch:
        if isinstance(item, InputError):
            _failed(store, job_id, str(item), on_error)
        elif item.duplicate_of is not None:  # a copy of an earlier article of this import
            with store.writing() as conn:
                store.job_progress(conn, job_id, consumed=1, duplicates=1)
        else:
            result = next(analysed)
            if isinstance(result, InputError):
                _failed(store, job_id, str(result), on_error)
                continue
            with store.writing() as conn:
                added = store.add_in(conn, result, run_id, analysis.versions)
                store.job_progress(
                    conn,
                    job_id,
                    consumed=1,
                    stored=int(added.status != "duplicate"),
                    duplicates=int(added.status == "duplicate"),
                )


def _failed(store, job_id, line: str, on_error) -> None:
    with store.writing() as conn:
        store.job_progress(conn, job_id, consumed=1, errors=[line])
    if on_error is not None:
        on_error(line)


# -- batch output: stored as it is, not analysed again ----------------------------------------


def load_batch(
    store: Store,
    out: str | Path,
    *,
    on_error: Callable[[str], None] | None = None,
    batch_size: int = 64,
) -> dict[str, Any]:
    """Store the analysed articles of a complete ``propscope batch`` output folder.

    The articles keep the predictions the batch run made (nothing is analysed again) and are
    stored in one run of kind ``"batch"`` with the models' versions from the run manifest.
    Articles the batch flagged as duplicates and articles the store already holds are skipped,
    so loading the same folder again stores nothing. Each input the batch could not read (its
    errors table) and each article that cannot be stored is one line (a call of ``on_error``).
    Returns the counts: ``run_id``, ``stored``, ``duplicates``, ``failed``.
    """
    from ..batch import MANIFEST
    from ..batch.tables import DUPLICATES, PARTS, SUMMARY, read_articles, read_table

    out = Path(out)
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise PropscopeError(f"{out}: not a propscope batch output folder") from None
    ids = [p["id"] for p in manifest.get("partitions", [])]
    written = sum((out / PARTS / pid / SUMMARY).is_file() for pid in ids)
    if written < len(ids) or not (out / DUPLICATES).is_file():
        raise PropscopeError(
            f"{out}: batch run not finished ({written} of {len(ids)} partitions written); "
            "run the same propscope batch command again, then import"
        )
    settings = manifest["settings"]
    names = analysis_names(settings.get("analyzers"), settings.get("model", "linear"))
    versions = manifest.get("models") or model_versions(names)
    run_id = store.start_run(
        "batch",
        versions,
        {
            "analyzers": names,
            "model": settings.get("model"),
            "decision": settings.get("decision"),
            "batch": str(out.resolve()),
        },
    )
    counts = {"run_id": run_id, "stored": 0, "duplicates": 0, "failed": 0}

    def failed(line: str) -> None:
        counts["failed"] += 1
        if on_error is not None:
            on_error(line)

    for row in read_table(out, "errors").to_pylist():
        failed(str(InputError(row["source"], row["reason"])))
    pending: list[Article] = []
    for article in read_articles(out):
        if article.duplicate_of is not None:  # a copy of an earlier article of the batch
            counts["duplicates"] += 1
            continue
        pending.append(article)
        if len(pending) == batch_size:
            _store_batch(store, pending, run_id, versions, counts, failed)
            pending = []
    _store_batch(store, pending, run_id, versions, counts, failed)
    store.finish_run(run_id)
    return counts


def _store_batch(store, batch, run_id, versions, counts, failed) -> None:
    """A batch in one transaction; if that fails, article by article, so one article the
    database refuses costs only itself."""
    if not batch:
        return
    try:
        results = store.add_many(batch, run_id, versions)
    except Exception:
        log.debug("storing a batch failed; storing its articles one by one", exc_info=True)
        results = []
        for article in batch:
            try:
                results.append(store.add(article, run_id, versions))
            except Exception as error:
                reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])
                failed(f"{article.id}: not stored: {type(error).__name__}: {reason[0]}")
    for added in results:
        counts["duplicates" if added.status == "duplicate" else "stored"] += 1
