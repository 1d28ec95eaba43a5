"""Helpers shared by the benchmark scripts: the corpus and one-core measurement."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = (
    Path(os.environ.get("PROPSCOPE_SHARED", ROOT.parent / "shared")) / "data" / "semeval2023"
)


def pin_to_one_core() -> None:
    """Measure on one core: pin the process and keep numeric libraries single-threaded."""
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def unlabelled_article_folders(data_dir: Path) -> list[tuple[str, Path]]:
    """(language folder, folder of unlabelled test articles) for all nine languages."""
    folders = sorted(data_dir.glob("*/test-articles-subtask-3"))
    if not folders:
        sys.exit(f"no test-articles-subtask-3 folders under {data_dir}")
    return [(folder.parent.name, folder) for folder in folders]


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
