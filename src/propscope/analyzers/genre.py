"""Genre of an article (SemEval-2023 subtask 1): opinion, reporting or satire.

Model: ridge regression on one-hot (+-1) targets over hashed character and word n-grams
(:mod:`.article_features`), all training languages jointly, each article weighted so that the
three genres weigh the same within its language. The decision is ``argmax(score + bias[language])``:
class offsets chosen on inner out-of-fold scores of the training articles to maximise the mean
per-language macro-F1, shrunk half-way towards the offsets of all languages. Probabilities are
``softmax((score + bias) / T)`` with T fitted on out-of-fold scores, so the predicted genre is
always the most probable one.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from ..document import Article, Prediction
from ..guards import genre_uncertainty
from ..taxonomy import GENRE_LABELS
from .article_features import GLOBAL, ArticleRidgeAnalyzer, FeatureSettings
from .base import register_analyzer, register_trainer

LAMBDA = 0.3
LANGUAGE_SHARE = 0.5
INNER_FOLDS = 4


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


@register_analyzer("genre")
class GenreAnalyzer(ArticleRidgeAnalyzer):
    official_labels = GENRE_LABELS
    decision_key = "thresholds"  # per-language class offsets added to the scores

    def __call__(self, article: Article) -> Article:
        scores, offsets, note = self.scores_and_decision(article)
        probabilities = _softmax((scores + offsets) / self.temperature)
        best = int(np.argmax(probabilities))
        article.genre = Prediction(
            {label: float(p) for label, p in zip(self.labels, probabilities, strict=True)},
            [self.labels[best]],
            note=note,
            precision=self.label_precision(article.language),
        )
        article.genre.uncertain = genre_uncertainty(article, article.genre)
        return article


# -- training ----------------------------------------------------------------------------------


def _macro_f1(gold: np.ndarray, pred: np.ndarray) -> float:
    """Official genre macro-F1 (classes present in gold or prediction) on class indices."""
    confusion = np.bincount(gold * 3 + pred, minlength=9).reshape(3, 3)
    support, predicted = confusion.sum(1), confusion.sum(0)
    present = (support + predicted) > 0
    f1 = 2 * np.diag(confusion) / np.maximum(support + predicted, 1)
    return float(f1[present].mean())


def _tune_offsets(scores, gold, languages, spread: float) -> np.ndarray:
    """(0, b_reporting, b_satire) maximising mean per-language macro-F1; small ones preferred."""
    grid = np.linspace(-1.5, 1.5, 25) * spread
    groups = [languages == lang for lang in np.unique(languages)]
    best, best_offsets = -np.inf, np.zeros(3)
    for b1, b2 in itertools.product(grid, grid):
        offsets = np.array([0.0, b1, b2])
        pred = (scores + offsets).argmax(1)
        value = np.mean([_macro_f1(gold[g], pred[g]) for g in groups])
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
    from ..training.ridge import inner_scores, shrink_to_global

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


@register_trainer("genre")
def train(data_dir, out_dir, languages=None, folds: int = 5, seed: int = 0) -> dict:
    from ..training import ridge
    from ..training.artifact import save_artifact
    from ..training.cv import article_folds

    data = ridge.article_training_set(data_dir, "genre", languages, FeatureSettings())
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
