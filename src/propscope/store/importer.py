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
from typing import Any

from .. import __version__
from ..document import Article
from ..errors import InputError
from .store import Store

log = logging.getLogger(__name__)

#: The tasks whose predictions each analyzer makes (for the model version of a label).
ANALYZER_TASKS = {"genre": "genre", "frames": "frames", "techniques": "techniques"}


def model_versions(names: list[str]) -> dict[str, str]:
    """A version per analyzer: its shipped artifact's propscope version and array digest."""
    from ..analyzers import get_analyzer

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
    return versions


class Analysis:
    """The pipeline the store's articles are analysed with, and its model versions.

    Loaded once and shared between threads (the analyzers are thread-safe).
    """

    def __init__(self, analyzers: list[str] | None = None, decision: str = "micro"):
        from ..analyzers import Pipeline

        self.pipeline = Pipeline(analyzers, options={"techniques": {"decision": decision}})
        self.decision = decision
        self.versions = model_versions(self.pipeline.names)

    def settings(self) -> dict[str, Any]:
        return {"analyzers": self.pipeline.names, "decision": self.decision}

    def __call__(self, article: Article) -> Article:
        return self.pipeline(article)


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
) -> dict[str, Any]:
    """Run (or resume) an import job to its end; returns the job's final row.

    ``stop`` set: the job pauses after the current article and stays resumable. Each bad input
    or article becomes one line in the job's errors (and a call of ``on_error``).
    """
    from ..ingest import iter_inputs
    from ..ingest.dedup import flag_duplicates

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
    skip = job["position"]
    items = flag_duplicates(
        iter_inputs(job["inputs"], pattern=options.glob, options=options.ingest())
    )
    try:
        for index, item in enumerate(items):
            if index < skip:  # dealt with before an interruption
                continue
            if stop is not None and stop.is_set():
                return store.job(job_id)
            _import_item(store, job_id, run_id, analysis, options, item, on_error)
    except Exception as error:  # a broken store or a bug: the job says so, the server lives
        log.debug("import job %s failed", job_id, exc_info=True)
        reason = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0]
        store.update_job(job_id, status="failed", message=f"{type(error).__name__}: {reason}")
        return store.job(job_id)
    store.update_job(job_id, status="done")
    store.finish_run(run_id)
    return store.job(job_id)


def _import_item(store, job_id, run_id, analysis, options, item, on_error) -> None:
    if isinstance(item, InputError):
        _failed(store, job_id, str(item), on_error)
        return
    if item.duplicate_of is not None:  # a copy of an earlier article of this import
        with store.writing() as conn:
            store.job_progress(conn, job_id, consumed=1, duplicates=1)
        return
    if options.language:
        item.language, item.language_confidence = options.language, None
    try:
        article = analysis(item)
    except Exception as error:  # one article's failure must not stop the others
        log.debug("analysis of %s failed", item.id, exc_info=True)
        _failed(store, job_id, f"{item.path or item.id}: analysis failed: {error}", on_error)
        return
    with store.writing() as conn:
        added = store.add_in(conn, article, run_id, analysis.versions)
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
