"""Batch runs on Dask: partitions of the inputs analysed on workers into Parquet tables.

``run_batch(inputs, out)`` plans partitions (file lists and corpus record windows), skips those
already written, analyses the rest on a Dask cluster with the models loaded once per worker
process, writes each partition's tables whole (temporary folder, then rename) and flags
duplicates across partitions. ``read_table`` and ``read_articles`` read the output back.
See docs/batch.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

MANIFEST = "batch.json"  # the run manifest at the top of an output folder
FORMAT = "propscope-batch"

__all__ = [
    "AnalysisSettings",
    "BatchSummary",
    "is_output",
    "local_cluster",
    "plan_partitions",
    "read_articles",
    "read_table",
    "run_batch",
]

if TYPE_CHECKING:
    from .partition import plan_partitions
    from .run import BatchSummary, local_cluster, run_batch
    from .tables import read_articles, read_table
    from .worker import AnalysisSettings

_WHERE = {
    "AnalysisSettings": "worker",
    "BatchSummary": "run",
    "local_cluster": "run",
    "plan_partitions": "partition",
    "read_articles": "tables",
    "read_table": "tables",
    "run_batch": "run",
}


def is_output(path: str | Path) -> bool:
    """Whether ``path`` is the output folder of ``propscope batch`` (it holds a run manifest)."""
    manifest = Path(path) / MANIFEST
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def __getattr__(name: str):
    # Dask and pyarrow are imported only when a batch feature is used, not with the CLI.
    if name not in _WHERE:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
