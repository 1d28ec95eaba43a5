"""The client side of a batch run: plan, skip what is written, submit, follow, deduplicate."""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..atomic import atomic_write
from ..errors import PropscopeError
from . import FORMAT, MANIFEST
from .partition import Partition, plan_partitions
from .tables import DUPLICATES, PARTS, SUMMARY, partition_folders
from .worker import AnalysisSettings, EnginePlugin, run_partition

VERSION = 1


@dataclass
class BatchSummary:
    partitions: int = 0
    written: int = 0  # by this run
    skipped: int = 0  # already written by an earlier run
    failed: list[str] = field(default_factory=list)  # partitions that could not be written
    articles: int = 0  # in the whole output
    failures: int = 0  # errors table rows
    duplicates: int | None = None  # None: not computed (partitions missing)
    analysed: int = 0  # articles analysed by this run
    seconds: float = 0.0
    dashboard: str | None = None

    @property
    def complete(self) -> bool:
        return not self.failed and self.written + self.skipped == self.partitions

    def line(self) -> str:
        rate = f", {self.analysed / self.seconds:.1f} articles/s" if self.seconds else ""
        duplicates = (
            f"{self.duplicates} duplicates"
            if self.duplicates is not None
            else "duplicates not computed (partitions missing)"
        )
        return (
            f"{self.articles} articles, {self.failures} failures, {duplicates}; "
            f"{self.partitions} partitions: {self.written} written, {self.skipped} already there"
            + (f", {len(self.failed)} failed" if self.failed else "")
            + f"; {self.seconds:.1f} s{rate} ({self.analysed} articles analysed by this run)"
        )


def run_batch(
    inputs: Sequence[str],
    out: Path,
    settings: AnalysisSettings | None = None,
    *,
    partition_size: int = 200,
    pattern: str = "*.txt",
    scheduler: str | None = None,
    workers: int | None = None,
    client=None,
    progress: bool | None = None,
    report=None,
) -> BatchSummary:
    """Analyse ``inputs`` on Dask and write Parquet tables under ``out``; resumable.

    ``client``: a connected ``distributed.Client`` to use; else ``scheduler`` (an address), else
    a LocalCluster of ``workers`` processes (default: one per usable CPU). ``report`` is called
    with one-line messages (default: standard error).
    """
    settings = settings or AnalysisSettings()
    report = report or (lambda message: print(f"propscope: {message}", file=sys.stderr))
    out = Path(out)
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out):
        partitions = plan_partitions(inputs, partition_size, pattern, settings.ingest)
        _check_manifest(out, partitions, settings, partition_size, pattern, _models(settings))
        _remove_leftovers(out)
        summary = BatchSummary(partitions=len(partitions))
        todo = [p for p in partitions if not (out / PARTS / p.id / SUMMARY).is_file()]
        summary.skipped = len(partitions) - len(todo)
        if todo:
            with _client(client, scheduler, workers) as dask_client:
                summary.dashboard = _dashboard(dask_client)
                if summary.dashboard:
                    report(f"Dask dashboard: {summary.dashboard}")
                _submit(dask_client, todo, out, settings, summary, progress, report)
        ids = [p.id for p in partitions]
        summary.articles, summary.failures = _totals(out, ids)
        if summary.complete:
            _remove_leftovers(out)  # e.g. of a worker killed while writing
            summary.duplicates = flag_duplicates_across(out, ids)
        summary.seconds = time.perf_counter() - started
    return summary


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One run at a time per output folder."""
    with (out / ".lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PropscopeError(f"{out}: another batch run is writing there") from None
        yield


def _models(settings: AnalysisSettings) -> dict[str, str]:
    """The versions of the models the run analyses with, for the store (``--db``, import)."""
    from ..store.importer import analysis_names, model_versions

    return model_versions(analysis_names(settings.analyzers, settings.model))


def _check_manifest(
    out: Path,
    partitions: list[Partition],
    settings: AnalysisSettings,
    size: int,
    pattern: str,
    models: dict[str, str],
) -> None:
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "settings": settings.to_dict(),
        "models": models,  # other models (an upgrade) make a rerun refuse to mix outputs
        "partition_size": size,
        "pattern": pattern,
        "partitions": [p.to_dict() for p in partitions],
    }
    path = out / MANIFEST
    if path.is_file():
        try:
            earlier = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            raise PropscopeError(f"{path}: not a propscope batch manifest") from None
        if earlier.get("format") != FORMAT:
            raise PropscopeError(f"{path}: not a propscope batch manifest")
        # A JSON round trip so tuples compare as the lists they were written as
        if earlier != json.loads(json.dumps(manifest)):
            raise PropscopeError(
                f"{out}: holds a batch run of other inputs, settings or models (or the input "
                "files changed since); write to a new --out folder"
            )
        return
    if (out / PARTS).exists():
        raise PropscopeError(f"{out}: holds partitions but no {MANIFEST}; use a new --out folder")
    with atomic_write(path) as handle:
        json.dump(manifest, handle, indent=1)


def _remove_leftovers(out: Path) -> None:
    """Temporary folders of partitions whose writing was cut short by a crash or a kill."""
    parts = out / PARTS
    if parts.is_dir():
        for folder in parts.glob(".tmp-*"):
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _client(client, scheduler: str | None, workers: int | None):
    if client is not None:
        yield client
        return
    from distributed import Client

    if not logging.getLogger().isEnabledFor(logging.DEBUG):  # Dask's start-up chatter: --debug
        logging.getLogger("distributed").setLevel(logging.WARNING)
    if scheduler is not None:
        with Client(scheduler) as remote:
            yield remote
        return
    count = workers or len(os.sched_getaffinity(0))
    with local_cluster(count) as cluster, Client(cluster) as local:
        yield local


#: Dask settings for the workers propscope starts. The statistical profiler keeps a call tree
#: per second for an hour (distributed.worker.profile): over a long run it was the one part of
#: a worker's memory that grew with time, and a batch run needs no per-line profile.
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


@contextlib.contextmanager
def local_cluster(workers: int, **options):
    """A LocalCluster of ``workers`` single-thread processes with :data:`WORKER_CONFIG`
    (the settings reach the worker processes, which copy the config when they start)."""
    import dask
    from distributed import LocalCluster

    settings = {"threads_per_worker": 1, "processes": True, **options}
    with dask.config.set(WORKER_CONFIG), LocalCluster(n_workers=workers, **settings) as cluster:
        yield cluster


def _dashboard(client) -> str | None:
    """The dashboard link, when the scheduler serves one (it needs bokeh there)."""
    try:
        if not client.run_on_scheduler(_has_bokeh):
            return None
    except Exception:  # a scheduler that refuses to run functions: no link, no harm
        return None
    return client.dashboard_link


def _has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None


def _submit(client, todo, out, settings, summary, progress, report) -> None:
    from distributed import as_completed
    from tqdm import tqdm

    plugin = EnginePlugin(settings)
    client.register_plugin(plugin, name=plugin.name)
    token = uuid.uuid4().hex[:8]
    futures = client.map(
        run_partition,
        todo,
        out=str(out.resolve()),
        plugin=plugin.name,
        key=[f"propscope-partition-{p.id}-{token}" for p in todo],
        retries=1,
    )
    described = {f.key: p for f, p in zip(futures, todo, strict=True)}
    bar = tqdm(
        total=summary.partitions,
        initial=summary.skipped,
        unit="partition",
        disable=None if progress is None else not progress,
        file=sys.stderr,
    )
    try:
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as error:  # the partition stays missing; a rerun retries it
                partition = described[future.key]
                summary.failed.append(partition.id)
                report(f"partition {partition.id} ({partition.describe()}) failed: {error}")
            else:
                if result["written"]:
                    summary.written += 1
                    summary.analysed += result["articles"]
                else:  # written meanwhile by a task of an interrupted earlier run
                    summary.skipped += 1
            bar.update(1)
            bar.set_postfix(articles=summary.analysed, refresh=False)
    finally:
        bar.close()
        client.cancel(futures)


def _totals(out: Path, ids: list[str]) -> tuple[int, int]:
    articles = failures = 0
    for folder in partition_folders(out, ids):
        summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
        articles += summary["articles"]
        failures += summary["failures"]
    return articles, failures


def flag_duplicates_across(out: Path, ids: list[str]) -> int:
    """The run-wide duplicate pass: every partition's signatures, in input order, through one
    Deduplicator, as ``propscope analyze`` flags them in one stream. Writes duplicates.parquet
    (key, id, duplicate_of) whole; returns how many articles copy an earlier one."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..ingest.dedup import Deduplicator

    deduplicator = Deduplicator()
    keys, article_ids, firsts = [], [], []
    for folder in partition_folders(out, ids):
        table = pq.read_table(folder / "signatures.parquet")
        for key, article_id, digest, minhash in zip(
            *(table.column(c).to_pylist() for c in ("key", "id", "digest", "minhash")),
            strict=True,
        ):
            if digest is None:
                continue
            first = deduplicator.check_signature(
                article_id, digest, np.frombuffer(minhash, dtype=deduplicator.dtype)
            )
            if first is not None:
                keys.append(key)
                article_ids.append(article_id)
                firsts.append(first.split("\x00", 1)[0])
    strings = pa.string()
    table = pa.table(
        {"key": keys, "id": article_ids, "duplicate_of": firsts},
        schema=pa.schema([("key", strings), ("id", strings), ("duplicate_of", strings)]),
    )
    with atomic_write(out / DUPLICATES, mode="wb") as handle:
        pq.write_table(table, handle)
    return len(keys)
