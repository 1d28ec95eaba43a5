"""What runs on a Dask worker: models loaded once per worker process, one partition per task."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from distributed import WorkerPlugin, get_worker

from ..document import Article
from ..errors import InputError
from ..ingest.options import IngestOptions
from .partition import Partition, Piece
from .tables import SUMMARY, PartitionTables


@dataclass(frozen=True)
class AnalysisSettings:
    """Everything that decides a run's output besides its inputs (kept in the run manifest)."""

    analyzers: tuple[str, ...] | None = None
    decision: str = "micro"
    model: str = "linear"
    language: str | None = None
    ingest: IngestOptions = field(default_factory=IngestOptions)

    def to_dict(self) -> dict:
        return asdict(self)

    def key(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()[:12]


class Engine:
    """A worker process's loaded pipeline and duplicate signer, shared by its threads."""

    def __init__(self, settings: AnalysisSettings):
        from ..analyzers import Pipeline
        from ..ingest.dedup import Deduplicator

        self.settings = settings
        names = list(settings.analyzers) if settings.analyzers is not None else None
        self.pipeline = Pipeline(names, options={"techniques": {"decision": settings.decision}})
        self.deduplicator = Deduplicator()

    def items(self, piece: Piece) -> Iterator[Article | InputError]:
        """Every analysed article (or failure) of one piece, in input order."""
        if piece.kind == "error":
            yield InputError(piece.source, piece.reason or "unreadable")
            return
        options = replace(self.settings.ingest, records=piece.records)
        yield from analyse_inputs([piece.source], options, self.pipeline, self.settings.language)


def analyse_inputs(
    sources: list[str], options: IngestOptions, pipeline, language: str | None
) -> Iterator[Article | InputError]:
    """The one analysis path of a batch worker: read, mark boilerplate, analyse, isolate errors.

    The same steps as ``propscope analyze`` (without its duplicate flags, which the batch run
    computes over all partitions afterwards).
    """
    from ..ingest import iter_inputs

    for item in iter_inputs(sources, options=options):
        if isinstance(item, InputError):
            yield item
            continue
        if language:
            item.language, item.language_confidence = language, None
        try:
            yield pipeline(item)
        except Exception as error:  # one article's failure must not stop the others
            where = item.meta.get("record") or item.path or item.id
            yield InputError(where, f"analysis failed: {type(error).__name__}: {error}")


class EnginePlugin(WorkerPlugin):
    """Loads the models when a worker starts (and when a restarted worker joins)."""

    # Registered again by a later run with the same settings: workers keep their models.
    idempotent = True

    def __init__(self, settings: AnalysisSettings):
        self.settings = settings
        from .. import __version__

        self.name = f"propscope-engine-{__version__}-{settings.key()}"
        self.engine: Engine | None = None

    def setup(self, worker) -> None:
        started = time.perf_counter()
        self.engine = Engine(self.settings)
        self.load_seconds = time.perf_counter() - started

    def teardown(self, worker) -> None:
        self.engine = None


def run_partition(partition: Partition, out: str, plugin: str) -> dict:
    """Analyse one partition and write its tables whole; the summary of what it holds."""
    folder = Path(out)
    done = folder / "parts" / partition.id / SUMMARY
    if done.is_file():  # a retry after the partition was written: exactly once
        return json.loads(done.read_text(encoding="utf-8")) | {"written": False}
    engine = get_worker().plugins[plugin].engine
    started = time.perf_counter()
    tables = PartitionTables(partition.id)
    position = 0
    for piece in partition.pieces:
        for item in engine.items(piece):
            if isinstance(item, InputError):
                tables.add_error(position, item)
            else:
                tables.add_article(position, item, engine.deduplicator.signature(item))
            position += 1
    summary = {
        "partition": partition.id,
        "articles": tables.articles,
        "failures": tables.failures,
        "seconds": round(time.perf_counter() - started, 3),
        "worker_pid": os.getpid(),
    }
    written = tables.write(folder, summary)
    return summary | {"written": written}
