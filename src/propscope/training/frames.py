"""Training of the frames model (see :mod:`propscope.analyzers.frames` for what it does).

Ridge regression on +-1 targets, one output per frame; per-language score thresholds tuned for
micro-F1 on inner out-of-fold scores and shrunk towards the global one; a sigmoid temperature
fitted on out-of-fold margins.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..analyzers.article_ridge import GLOBAL
from ..features.article_ngrams import ArticleNgramSettings
from ..models.artifact import save_artifact
from ..taxonomy import FRAME_LABELS
from . import ridge
from .cv import article_folds
from .ridge import inner_scores, shrink_to_global
from .scoring import micro_f1

LAMBDA = 0.1
LANGUAGE_SHARE = 0.5
INNER_FOLDS = 4


def _tune_cut(scores: np.ndarray, gold: np.ndarray) -> float:
    grid = np.quantile(scores, np.linspace(0.02, 0.98, 80))
    values = [micro_f1(gold, (scores >= t).astype(int)) for t in grid]
    return float(grid[int(np.argmax(values))])


def _cuts(K, rows, gold, languages, ids, seed) -> dict[str, float]:
    """Score thresholds from inner out-of-fold scores of ``rows`` (never other articles)."""
    scores = inner_scores(K, rows, 2.0 * gold - 1, languages, ids, INNER_FOLDS, seed, LAMBDA)
    return shrink_to_global(
        lambda s, g, _: _tune_cut(s, g), scores, gold[rows], languages[rows], LANGUAGE_SHARE, GLOBAL
    )


def train(data_dir, out_dir, languages=None, folds: int = 5, seed: int = 0) -> dict:
    data = ridge.article_training_set(data_dir, "frames", languages, ArticleNgramSettings())
    corpus, ids, langs, X, K = data.corpus, data.ids, data.languages, data.X, data.K
    gold = np.array([[f in corpus.gold[i] for f in FRAME_LABELS] for i in ids], dtype=np.int64)

    fold = article_folds(ids, list(langs), folds, seed)
    margins = np.zeros(gold.shape)
    for k in range(folds):
        train_rows, test_rows = np.where(fold != k)[0], np.where(fold == k)[0]
        scores = ridge.dual_scores(K, train_rows, test_rows, 2.0 * gold[train_rows] - 1, LAMBDA)
        cuts = _cuts(K, train_rows, gold, langs, ids, seed + 1)
        margins[test_rows] = (
            scores - np.array([cuts.get(g, cuts[GLOBAL]) for g in langs[test_rows]])[:, None]
        )
    predicted = margins >= 0

    def labels_of(row):
        return [f for f, on in zip(FRAME_LABELS, row, strict=True) if on]

    metrics = ridge.per_language_scores(
        "frames",
        ids,
        langs,
        {i: labels_of(r) for i, r in zip(ids, gold, strict=True)},
        {i: labels_of(r) for i, r in zip(ids, predicted, strict=True)},
    )
    temperature = ridge.fit_temperature(margins, gold, multiclass=False)

    rows = np.arange(len(ids))
    arrays = ridge.to_primal(X, ridge.solve_dual(K, rows, 2.0 * gold - 1, LAMBDA))
    cuts = _cuts(K, rows, gold, langs, ids, seed + 1)
    manifest = {
        "labels": list(FRAME_LABELS),
        "decision": "frame predicted when score >= score_thresholds[language] ('_global' for other"
        " languages), i.e. probability >= thresholds[frame] = 0.5",
        "thresholds": {f: 0.5 for f in FRAME_LABELS},
        "score_thresholds": {k: round(v, 5) for k, v in cuts.items()},
        "temperature": temperature,
        "model": {
            "kind": "ridge (dual)",
            "lambda": LAMBDA,
            "language_share": LANGUAGE_SHARE,
            "inner_folds": INNER_FOLDS,
        },
        **data.manifest_fields(),
        "cv": {"folds": folds, "seed": seed, "split": "article-held-out, stratified by language"},
        "metrics": metrics,
    }
    return save_artifact(Path(out_dir), "frames", arrays, manifest)
