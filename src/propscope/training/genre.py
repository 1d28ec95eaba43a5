"""Training of the genre model (see :mod:`propscope.analyzers.genre` for what it does).

Ridge regression on one-hot (+-1) targets, class-balanced article weights within each language,
per-language class offsets tuned on inner out-of-fold scores and shrunk towards the global ones,
and a softmax temperature fitted on out-of-fold scores.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from ..analyzers.article_ridge import GLOBAL
from ..features.article_ngrams import ArticleNgramSettings
from ..models.artifact import save_artifact
from ..taxonomy import GENRE_LABELS
from . import ridge
from .cv import article_folds
from .ridge import inner_scores, shrink_to_global
from .scoring import macro_f1

LAMBDA = 0.3
LANGUAGE_SHARE = 0.5
INNER_FOLDS = 4


def _tune_offsets(scores, gold, languages, spread: float) -> np.ndarray:
    """(0, b_reporting, b_satire) maximising mean per-language macro-F1; small ones preferred."""
    grid = np.linspace(-1.5, 1.5, 25) * spread
    groups = [languages == lang for lang in np.unique(languages)]
    best, best_offsets = -np.inf, np.zeros(3)
    for b1, b2 in itertools.product(grid, grid):
        offsets = np.array([0.0, b1, b2])
        pred = (scores + offsets).argmax(1)
        value = np.mean([macro_f1(gold[g], pred[g]) for g in groups])
        value -= 1e-3 * (abs(b1) + abs(b2)) / spread
        if value > best:
            best, best_offsets = value, offsets
    return best_offsets


def class_balanced_weights(gold: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """Per-article weights giving each genre the same total weight within each language, mean 1.

    Without them the ridge fit is dominated by opinion (76% of articles, 88% in English) and the
    rare genres' scores are too flat for the offsets to separate them.
    """
    weights = np.ones(len(gold))
    for language in np.unique(languages):
        in_language = languages == language
        for genre in np.unique(gold[in_language]):
            members = in_language & (gold == genre)
            weights[members] = in_language.sum() / (len(GENRE_LABELS) * members.sum())
    return weights / weights.mean()


def _offsets(K, rows, gold, languages, ids, weights, seed) -> dict[str, np.ndarray]:
    """Decision offsets from inner out-of-fold scores of ``rows`` (never other articles)."""
    strata = [f"{language}/{g}" for language, g in zip(languages, gold, strict=True)]
    targets = 2.0 * np.eye(3)[gold] - 1
    scores = inner_scores(K, rows, targets, strata, ids, INNER_FOLDS, seed, LAMBDA, weights)
    spread = float(scores.std()) or 1.0
    return shrink_to_global(
        lambda s, g, lang: _tune_offsets(s, g, lang, spread),
        scores,
        gold[rows],
        languages[rows],
        LANGUAGE_SHARE,
        GLOBAL,
    )


def train(data_dir, out_dir, languages=None, folds: int = 5, seed: int = 0) -> dict:
    data = ridge.article_training_set(data_dir, "genre", languages, ArticleNgramSettings())
    corpus, ids, langs, X, K = data.corpus, data.ids, data.languages, data.X, data.K
    gold = np.array([GENRE_LABELS.index(corpus.gold[i]) for i in ids])
    targets = 2.0 * np.eye(3)[gold] - 1
    weights = class_balanced_weights(gold, langs)

    fold = article_folds(
        ids, [f"{lang}/{g}" for lang, g in zip(langs, gold, strict=True)], folds, seed
    )
    oof = np.zeros((len(ids), 3))
    for k in range(folds):
        train_rows, test_rows = np.where(fold != k)[0], np.where(fold == k)[0]
        scores = ridge.dual_scores(
            K, train_rows, test_rows, targets[train_rows], LAMBDA, weights[train_rows]
        )
        offsets = _offsets(K, train_rows, gold, langs, ids, weights, seed + 1)
        scores += np.array([offsets.get(lang, offsets[GLOBAL]) for lang in langs[test_rows]])
        oof[test_rows] = scores
    predicted = oof.argmax(1)
    metrics = ridge.per_language_scores(
        "genre",
        ids,
        langs,
        {i: GENRE_LABELS[g] for i, g in zip(ids, gold, strict=True)},
        {i: GENRE_LABELS[p] for i, p in zip(ids, predicted, strict=True)},
    )
    temperature = ridge.fit_temperature(oof, gold, multiclass=True)

    rows = np.arange(len(ids))
    arrays = ridge.to_primal(X, ridge.solve_dual(K, rows, targets, LAMBDA, weights))
    offsets = _offsets(K, rows, gold, langs, ids, weights, seed + 1)
    manifest = {
        "labels": list(GENRE_LABELS),
        "decision": "argmax(score + thresholds[language]);"
        " thresholds['_global'] for other languages",
        "thresholds": {k: [round(float(x), 5) for x in v] for k, v in offsets.items()},
        "temperature": temperature,
        "model": {
            "kind": "ridge (dual)",
            "lambda": LAMBDA,
            "sample_weights": "genres weigh the same within each language",
            "language_share": LANGUAGE_SHARE,
            "inner_folds": INNER_FOLDS,
        },
        **data.manifest_fields(),
        "cv": {
            "folds": folds,
            "seed": seed,
            "split": "article-held-out, stratified by language+genre",
        },
        "metrics": metrics,
    }
    return save_artifact(Path(out_dir), "genre", arrays, manifest)
