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
        return json.loads(json.dumps(asdict(self), default=_plain))

    def key(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()[:12]


def _plain(value):
    """Sets (e.g. IngestOptions.exclude) as sorted lists, for the run manifest."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} in the analysis settings")


class Engine:
    """A worker process's runner (models loaded once) and duplicate signer, shared by threads."""

    def __init__(self, settings: AnalysisSettings):
        from ..ingest.dedup import Deduplicator
        from ..runner import Runner

        self.settings = settings
        self.runner = Runner(
            None if settings.analyzers is None else list(settings.analyzers),
            model=settings.model,
            decision=settings.decision,
            language=settings.language,
            ingest=settings.ingest,
        )
        self.runner.pipeline  # noqa: B018  (load the models now, when the worker starts)
        self.deduplicator = Deduplicator()

    def items(self, piece: Piece) -> Iterator[Article | InputError]:
        """Every analysed article (or failure) of one piece, in input order: the run layer's
        preparation and analysis, as in ``propscope analyze``. (Its duplicate flags cover one
        partition only; the batch run flags duplicates over all partitions afterwards.)"""
        return self.runner.analyze_stream(self._read(piece))

    def _read(self, piece: Piece) -> Iterator[Article | InputError]:
        """``Runner.read`` of one piece: its record window, if any, added to the options."""
        from ..ingest import iter_inputs

        if piece.kind == "error":
            yield InputError(piece.source, piece.reason or "unreadable")
            return
        options = replace(self.runner.ingest, records=piece.records)
        yield from iter_inputs([piece.source], pattern=self.runner.pattern, options=options)


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
