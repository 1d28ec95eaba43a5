"""Article-held-out cross-validation folds."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence

import numpy as np


def article_folds(
    article_ids: Sequence[str], strata: Sequence[str], folds: int = 5, seed: int = 0
) -> np.ndarray:
    """A fold number per article, every fold holding a share of each stratum (e.g. language).

    Articles, never paragraphs, are split, so no paragraph of a test article is seen in training.
    Returns an array aligned with ``article_ids``.
    """
    if len(set(article_ids)) != len(article_ids):
        raise ValueError("article ids must be unique (one entry per article)")
    rng = np.random.default_rng(seed)
    by_stratum: dict[str, list[int]] = defaultdict(list)
    for index, stratum in enumerate(strata):
        by_stratum[stratum].append(index)
    assignment = np.empty(len(article_ids), dtype=np.int64)
    offset = 0
    for stratum in sorted(by_stratum):
        members = np.array(by_stratum[stratum])
        rng.shuffle(members)
        # Continue the round-robin across strata so small strata do not all land in fold 0.
        assignment[members] = (np.arange(len(members)) + offset) % folds
        offset += len(members)
    return assignment


def cv_record(
    folds: int, seed: int, inner_folds: int | None = None, strata: str | None = "language", **extra
) -> dict:
    """The ``cv`` block of a manifest: how the cross-validation figures were made."""
    record: dict = {"folds": folds}
    if inner_folds is not None:
        record["inner_folds"] = inner_folds
    record.update(seed=seed, grouping="article")
    if strata:
        record["strata"] = strata
    return {**record, **extra}


def train_seconds(started: float, final_started: float) -> dict:
    """The ``train_seconds`` block of a manifest (``time.time()`` at the start and at the
    final fit)."""
    now = time.time()
    return {"final_fit": round(now - final_started, 1), "total": round(now - started, 1)}
