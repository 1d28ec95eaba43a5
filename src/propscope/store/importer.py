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
from typing import Any

from .. import __version__
from ..document import Article
from ..errors import InputError
from .store import Store

log = logging.getLogger(__name__)

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
