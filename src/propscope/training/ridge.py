"""Ridge regression fitted in the dual (kernel ridge, linear kernel), exported as int8 weights.

With n articles and d hashed features (n << d) the ridge solution ``W = X^T alpha`` with
``alpha = (X X^T + 1 + lam I)^-1 T`` needs one n x n solve, so cross-validation with nested
tuning costs seconds. The constant 1 added to the kernel is a regularised intercept.
Optional per-article weights ``w`` make it weighted ridge (loss ``sum w_i (y_i - f(x_i))^2``):
``alpha = (X X^T + 1 + lam W^-1)^-1 T``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


def gram(X) -> np.ndarray:
    return (X @ X.T).toarray().astype(np.float64) + 1.0


def solve_dual(K: np.ndarray, rows: np.ndarray, targets: np.ndarray, lam: float, weights=None):
    """Dual coefficients of a ridge on ``rows`` (targets and weights align with rows)."""
    from scipy.linalg import solve

    ridge = lam * (np.ones(len(rows)) if weights is None else 1.0 / np.asarray(weights))
    return solve(K[np.ix_(rows, rows)] + np.diag(ridge), targets, assume_a="pos")


def dual_scores(K, train, test, targets: np.ndarray, lam: float, weights=None) -> np.ndarray:
    """Scores of rows ``test`` from a ridge fitted on rows ``train`` (targets and weights align
    with train)."""
    return K[np.ix_(test, train)] @ solve_dual(K, train, targets, lam, weights)


def inner_scores(
    K, rows, targets, strata, ids, folds: int, seed: int, lam: float, weights=None
) -> np.ndarray:
    """Out-of-fold scores of ``rows`` from an article-held-out split of those rows alone.

    Decision values tuned on them never see an article outside ``rows`` (e.g. a test fold).
    ``targets`` and ``weights`` align with all articles, like ``ids``.
    """
    from .cv import article_folds

    inner = article_folds([ids[i] for i in rows], [strata[i] for i in rows], folds, seed)
    scores = np.zeros((len(rows), targets.shape[1]))
    for k in range(folds):
        fit, held = rows[inner != k], rows[inner == k]
        if len(fit) and len(held):
            fit_weights = None if weights is None else weights[fit]
            scores[inner == k] = dual_scores(K, fit, held, targets[fit], lam, fit_weights)
    return scores


def shrink_to_global(tune, scores, gold, languages, share: float, global_key: str) -> dict:
    """``tune(scores, gold, languages)`` on all languages, and per language moved ``share`` of
    the way from the all-language value to the language's own (few examples per language)."""
    result = {global_key: tune(scores, gold, languages)}
    for language in np.unique(languages):
        mask = languages == language
        own = tune(scores[mask], gold[mask], languages[mask])
        result[str(language)] = share * own + (1 - share) * result[global_key]
    return result


def to_primal(X, alpha: np.ndarray) -> dict[str, np.ndarray]:
    """int8 weights with one float32 scale per output, float32 intercepts."""
    from ..models.linear import quantize_int8

    weights, scale = quantize_int8(np.asarray(X.T @ alpha, dtype=np.float64))
    return {"weights": weights, "scale": scale, "bias": alpha.sum(0).astype(np.float32)}


def fit_temperature(logits: np.ndarray, targets: np.ndarray, multiclass: bool) -> float:
    """The temperature T minimising log-loss of softmax(logits / T) (or sigmoid for multi-label)."""
    best, best_t = np.inf, 1.0
    for t in np.geomspace(0.02, 5.0, 60):
        z = logits / t
        if multiclass:
            z = z - z.max(1, keepdims=True)
            logp = z - np.log(np.exp(z).sum(1, keepdims=True))
            loss = -np.mean(logp[np.arange(len(z)), targets])
        else:
            loss = np.mean(np.logaddexp(0, -z) * targets + np.logaddexp(0, z) * (1 - targets))
        if loss < best:
            best, best_t = loss, float(t)
    return best_t


def feature_matrix(rows, settings):
    """A scipy CSR matrix of :func:`~propscope.features.article_ngrams.featurize` outputs."""
    import scipy.sparse as sp

    indptr = np.zeros(len(rows) + 1, np.int64)
    indptr[1:] = np.cumsum([len(index) for index, _ in rows])
    indices = np.concatenate([index for index, _ in rows]) if rows else np.zeros(0, np.int64)
    values = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
    return sp.csr_matrix((values, indices, indptr), shape=(len(rows), settings.size))


def corpus_features(articles, settings):
    """Feature matrix and linear-kernel Gram matrix of training articles."""
    from ..features.article_ngrams import featurize_article

    X = feature_matrix([featurize_article(a, settings) for a in articles], settings)
    return X, gram(X)


@dataclass
class ArticleTrainingSet:
    """The labelled articles of one article-level task, featurized for the ridge trainers."""

    corpus: object  # training.data.LabelledCorpus
    settings: object  # features.article_ngrams.ArticleNgramSettings
    ids: list[str]
    languages: np.ndarray
    X: object  # scipy.sparse matrix, articles x features
    K: np.ndarray  # Gram matrix

    def manifest_fields(self) -> dict:
        return {
            "features": self.settings.to_dict(),
            "trained_languages": sorted(set(self.languages.tolist())),
            "training_articles": len(self.ids),
            "training_data": self.corpus.fingerprint,
        }


def article_training_set(data_dir, task: str, languages, settings) -> ArticleTrainingSet:
    from .data import load_labelled

    corpus = load_labelled(Path(data_dir), task, languages)
    X, K = corpus_features(corpus.articles, settings)
    return ArticleTrainingSet(
        corpus,
        settings,
        [a.id for a in corpus.articles],
        np.array([a.language for a in corpus.articles]),
        X,
        K,
    )


def per_language_scores(task: str, ids, languages, gold: dict, pred: dict) -> dict:
    """Official scores overall and per language (short form: no per-label detail below 'all')."""
    from ..evaluation.metrics import score

    out = {"all": score(task, gold, pred)}
    for language in sorted(set(languages)):
        keep = [i for i, lang in zip(ids, languages, strict=True) if lang == language]
        out[language] = score(task, {i: gold[i] for i in keep}, {i: pred[i] for i in keep})
    return out
