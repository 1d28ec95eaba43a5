"""Training and article-held-out evaluation of the techniques model (uses scikit-learn).

Recipe (see docs/model-card.md):
1. features: :class:`~propscope.analyzers.features.HashedTfidf` on paragraph text, idf from the
   training rows only;
2. one-vs-rest logistic regression per technique (liblinear, dual, ``C``), all languages jointly;
3. weights pruned to the ``topk`` largest |w| per technique (artifact size);
4. two sets of thresholds, tuned on out-of-fold predictions of training articles only:
   ``micro`` (the default decision): one per technique, coordinate ascent on micro-F1 starting
   from the best global threshold; ``balanced``: each technique's own best F1, which lets rare
   techniques through at some cost in micro-F1 (see ``analyzers.techniques.DECISIONS``).

Evaluation: ``folds``-fold CV by article (folds stratified over languages); inside each
training part an ``inner``-fold CV gives the predictions the thresholds are tuned on, so the
test fold never touches a threshold. The shipped thresholds come from the outer out-of-fold
predictions; the shipped weights from a fit on every article.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from ..analyzers.techniques import DECISIONS, threshold_array
from ..features.paragraph_tfidf import HashedTfidf, TfidfSettings
from ..models.artifact import save_artifact
from ..models.linear import sigmoid
from ..taxonomy import TECHNIQUE_LABELS
from .cv import article_folds, cv_record, train_seconds
from .data import load_labelled
from .scoring import micro_macro

DEFAULTS = {"C": 8.0, "tol": 1e-3, "topk": 40000, "inner": 2, "grid": (0.05, 0.8, 0.025)}


def paragraph_table(corpus, labels=TECHNIQUE_LABELS):
    """Rows for every gold paragraph: group (language_id), language, text, label matrix."""
    index = {label: j for j, label in enumerate(labels)}
    groups, langs, texts, rows = [], [], [], []
    for article in corpus.articles:
        for paragraph in article.paragraphs:
            key = (article.id, paragraph.line)
            if key not in corpus.gold:
                continue
            y = np.zeros(len(labels), dtype=np.int8)
            for label in corpus.gold[key]:
                y[index[label]] = 1
            groups.append(f"{article.language}_{article.id}")
            langs.append(article.language)
            texts.append(paragraph.text)
            rows.append(y)
    matrix = np.array(rows, dtype=np.int8).reshape(-1, len(labels))
    return np.array(groups), np.array(langs), texts, matrix


def fit_linear(X, Y, C, tol):
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float32)
    b = np.zeros(Y.shape[1], dtype=np.float32)
    for j in range(Y.shape[1]):
        column = Y[:, j]
        if column.min() == column.max():  # label absent or everywhere in a small subset
            b[j] = 10.0 if column[0] else -10.0
            continue
        model = LogisticRegression(C=C, solver="liblinear", dual=True, tol=tol)
        model.fit(X, column)
        W[:, j] = model.coef_[0]
        b[j] = model.intercept_[0]
    return W, b


def prune(W, topk):
    if not topk or topk >= W.shape[0]:
        return W
    W = W.copy()
    for j in range(W.shape[1]):
        magnitude = np.abs(W[:, j])
        cut = np.partition(magnitude, -topk)[-topk]
        W[magnitude < cut, j] = 0.0
    return W


def predict(X, W, b):
    return sigmoid(np.asarray(X @ W) + b)


def tune_thresholds(Y, P, grid=DEFAULTS["grid"], per_label=True, passes=2):
    """Thresholds maximising micro-F1 on (Y, P): best global one, then per-label refinement."""
    values = np.arange(*grid)
    best_global = max(values, key=lambda t: micro_macro(Y, (t <= P).astype(np.int8))[0])
    thresholds = np.full(Y.shape[1], best_global, dtype=np.float32)
    if not per_label:
        return thresholds
    pred = (thresholds <= P).astype(np.int8)
    for _ in range(passes):
        for j in range(Y.shape[1]):
            others = np.ones(Y.shape[1], dtype=bool)
            others[j] = False
            tp0 = (Y[:, others] & pred[:, others]).sum()
            fp0 = ((1 - Y[:, others]) & pred[:, others]).sum()
            fn0 = (Y[:, others] & (1 - pred[:, others])).sum()
            gold = Y[:, j].astype(bool)
            best, best_t = -1.0, thresholds[j]
            for t in values:
                hit = P[:, j] >= t
                tp = tp0 + (gold & hit).sum()
                f1 = 2 * tp / (2 * tp + fp0 + (~gold & hit).sum() + fn0 + (gold & ~hit).sum())
                if f1 > best + 1e-9:
                    best, best_t = f1, t
            thresholds[j] = best_t
            pred[:, j] = P[:, j] >= best_t
    return thresholds


def tune_balanced_thresholds(Y, P, grid=DEFAULTS["grid"]):
    """Per technique, the threshold maximising that technique's own F1 on (Y, P)."""
    values = np.arange(*grid, dtype=np.float32)
    hits = P[:, :, None] >= values  # paragraphs x labels x grid
    gold = Y[:, :, None].astype(bool)
    tp = (hits & gold).sum(0)
    f1 = 2 * tp / np.maximum(hits.sum(0) + gold.sum(0), 1)
    # a technique never predicted right keeps the strictest threshold, not the loosest
    best = np.where(f1.max(1) > 0, f1.argmax(1), len(values) - 1)
    return values[best].astype(np.float32)


def _folds(groups, langs, k, seed):
    unique, first = np.unique(groups, return_index=True)
    fold_of_article = article_folds(list(unique), list(langs[first]), k, seed)
    fold = fold_of_article[np.searchsorted(unique, groups)]
    return [(np.where(fold != i)[0], np.where(fold == i)[0]) for i in range(k)]


def _table(Y, pred, langs, labels):
    out = {}
    for language in sorted(set(langs)) + ["all"]:
        mask = np.ones(len(Y), bool) if language == "all" else langs == language
        micro, macro, _ = micro_macro(Y[mask], pred[mask])
        out[language] = {
            "micro_f1": round(micro, 4),
            "macro_f1": round(macro, 4),
            "paragraphs": int(mask.sum()),
        }
    _, _, per_label = micro_macro(Y, pred)
    out["per_label_f1"] = {
        label: round(float(f), 4) for label, f in zip(labels, per_label, strict=True)
    }
    return out


def nested_out_of_fold(X_counts, Y, groups, langs, settings, folds, seed, opts, log=print):
    """Nested article-held-out CV, one outer fold at a time: yields (training rows, test rows,
    out-of-fold probabilities of the training part from its inner folds, probabilities of the
    test rows from a model fitted on the whole training part). Decisions tuned on the first
    and scored on the second never see the test articles."""
    for k, (train_rows, test_rows) in enumerate(_folds(groups, langs, folds, seed)):
        started = time.time()
        features = HashedTfidf(settings).fit(X_counts[train_rows])
        X = features.transform_counts(X_counts)
        inner = np.zeros((len(train_rows), Y.shape[1]), dtype=np.float32)
        inner_folds = _folds(groups[train_rows], langs[train_rows], opts["inner"], seed + 1)
        for fit_rows, held_rows in inner_folds:
            W, b = fit_linear(
                X[train_rows[fit_rows]], Y[train_rows[fit_rows]], opts["C"], opts["tol"]
            )
            inner[held_rows] = predict(X[train_rows[held_rows]], prune(W, opts["topk"]), b)
        W, b = fit_linear(X[train_rows], Y[train_rows], opts["C"], opts["tol"])
        yield train_rows, test_rows, inner, predict(X[test_rows], prune(W, opts["topk"]), b)
        log(f"fold {k + 1}/{folds}: {time.time() - started:.0f}s")


def cross_validate(X_counts, Y, groups, langs, settings, folds, seed, opts, log=print):
    """Nested article-held-out CV; returns (metrics, outer out-of-fold probabilities)."""
    oof = np.zeros(Y.shape, dtype=np.float32)
    pred_global = np.zeros(Y.shape, dtype=np.int8)
    pred_label = np.zeros(Y.shape, dtype=np.int8)
    pred_balanced = np.zeros(Y.shape, dtype=np.int8)
    for train_rows, test_rows, inner, probabilities in nested_out_of_fold(
        X_counts, Y, groups, langs, settings, folds, seed, opts, log
    ):
        oof[test_rows] = probabilities
        g = tune_thresholds(Y[train_rows], inner, opts["grid"], per_label=False)
        t = tune_thresholds(Y[train_rows], inner, opts["grid"])
        pred_global[test_rows] = probabilities >= g
        pred_label[test_rows] = probabilities >= t
        pred_balanced[test_rows] = probabilities >= tune_balanced_thresholds(
            Y[train_rows], inner, opts["grid"]
        )
    metrics = {
        "per_label_thresholds": _table(Y, pred_label, langs, TECHNIQUE_LABELS),
        "global_threshold": _table(Y, pred_global, langs, TECHNIQUE_LABELS),
        "balanced_thresholds": _table(Y, pred_balanced, langs, TECHNIQUE_LABELS),
    }
    return metrics, oof


def train_techniques(
    data_dir: Path,
    out_dir: Path,
    languages=None,
    folds: int = 5,
    seed: int = 0,
    max_articles: int | None = None,
    log=None,
    **options,
) -> dict:
    import sys

    log = log or (lambda message: print(message, file=sys.stderr, flush=True))
    opts = {**DEFAULTS, **options}
    settings = TfidfSettings()
    started = time.time()
    corpus = load_labelled(data_dir, "techniques", languages)
    if max_articles:  # for quick tests: the first articles of each language
        kept, seen = [], {}
        for article in corpus.articles:
            seen[article.language] = seen.get(article.language, 0) + 1
            if seen[article.language] <= max_articles:
                kept.append(article)
        corpus.articles = kept
    groups, langs, texts, Y = paragraph_table(corpus)
    log(f"{len(texts)} paragraphs from {len(set(groups))} articles")
    X_counts = HashedTfidf(settings).counts(texts)
    metrics, thresholds = {}, None
    if folds and folds > 1:
        metrics, oof = cross_validate(X_counts, Y, groups, langs, settings, folds, seed, opts, log)
        thresholds = tune_thresholds(Y, oof, opts["grid"])
        balanced = tune_balanced_thresholds(Y, oof, opts["grid"])
        best = metrics["per_label_thresholds"]
        log(
            "CV micro-F1 "
            + " ".join(f"{k}:{v['micro_f1']:.3f}" for k, v in best.items() if k != "per_label_f1")
        )
    final_started = time.time()
    features = HashedTfidf(settings).fit(X_counts)
    X = features.transform_counts(X_counts)
    W, b = fit_linear(X, Y, opts["C"], opts["tol"])
    W = prune(W, opts["topk"])
    if thresholds is None:
        thresholds = balanced = np.full(len(TECHNIQUE_LABELS), 0.15, dtype=np.float32)
    rows, cols = np.nonzero(W)
    feature_arrays, feature_json = features.to_arrays()
    arrays = {
        **feature_arrays,
        "weight_index": (rows.astype(np.int64) * len(TECHNIQUE_LABELS) + cols).astype(np.int32),
        "weight_value": W[rows, cols].astype(np.float16),
        "bias": b.astype(np.float32),
        threshold_array("micro"): thresholds.astype(np.float32),
        threshold_array("balanced"): balanced.astype(np.float32),
    }
    manifest = {
        "labels": list(TECHNIQUE_LABELS),
        "thresholds": {
            lab: round(float(t), 4) for lab, t in zip(TECHNIQUE_LABELS, thresholds, strict=True)
        },
        "decisions": {
            name: {"rule": rule, "array": threshold_array(name)} for name, rule in DECISIONS.items()
        },
        "features": feature_json,
        "model": {
            "type": "one-vs-rest logistic regression",
            "solver": "liblinear (dual)",
            "C": opts["C"],
            "tol": opts["tol"],
            "topk_weights_per_label": opts["topk"],
        },
        "threshold_tuning": "on out-of-fold predictions: micro (per-label coordinate ascent on"
        " micro-F1) and balanced (each label's own F1)",
        "trained_languages": sorted(set(langs.tolist())),
        "training_data_fingerprint": corpus.fingerprint,
        "training_paragraphs": int(len(texts)),
        "cv": cv_record(folds, seed, opts["inner"]),
        "metrics": metrics,
        "train_seconds": train_seconds(started, final_started),
    }
    return save_artifact(Path(out_dir), "techniques", arrays, manifest)


def train(data_dir, out_dir, languages=None, folds=5, seed=0, **options) -> dict:
    """The ``propscope train techniques`` entry point."""
    return train_techniques(
        Path(data_dir), Path(out_dir), languages, folds=folds, seed=seed, **options
    )
