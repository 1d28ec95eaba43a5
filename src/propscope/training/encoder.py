"""Training of the encoder family: techniques, genre and frames over multilingual-e5 vectors.

Recipe (docs/encoder.md):
1. vectors: every paragraph of every training article embedded once with the pinned encoder
   (:mod:`propscope.models.encoder`), kept in a disk cache outside the repository
   (:mod:`.embed_cache`);
2. features: paragraph context (techniques) or article pooling (genre, frames), defined once in
   :mod:`propscope.models.encoder_heads`, standardised;
3. heads, all languages jointly: ridge regression on +-1 targets (frames), multinomial logistic
   regression by L-BFGS (genre), a one-hidden-layer network trained with Adam on binary
   cross-entropy, its epoch count chosen on the inner folds (techniques; ``head="ridge"`` gives
   the ridge instead);
4. a blend with the linear model of the task, its weight chosen on held-out training articles
   (weight 1 means the encoder alone, 0 the linear model's scores alone); both families are put on
   one scale first: Platt-calibrated probabilities (techniques, frames) or temperature-scaled
   log-probabilities (genre);
5. calibration of the blend: Platt scaling per label (temperature for genre), fitted on
   out-of-fold scores;
6. decisions: thresholds (techniques, frames) or class offsets (genre) tuned on out-of-fold
   predictions of training articles.

Evaluation: ``folds``-fold CV by article; inside each training part an ``inner``-fold CV gives
the scores the blend weight, calibration and thresholds are tuned on, so the test fold never
touches them. The linear model is trained and scored on the same folds, so the figures beside
each other in the manifest compare the two families on the same held-out articles.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from ..analyzers.techniques import DECISIONS, threshold_array
from ..models.artifact import save_artifact
from ..models.encoder import DIM, ENCODER_ID
from ..models.encoder_heads import (
    FEATURES,
    article_pooling,
    calibrate,
    gelu,
    genre_log_probabilities,
    log_probabilities,
    logit,
    mlp_scores,
    paragraph_context,
)
from ..models.linear import sigmoid, softmax
from ..taxonomy import FRAME_LABELS, GENRE_LABELS, TECHNIQUE_LABELS
from .cv import cv_record, train_seconds
from .data import load_labelled
from .embed_cache import EmbeddingCache
from .scoring import macro_f1, micro_f1

DEFAULTS = {
    # ridge (techniques, frames; per article or paragraph) and logistic (genre) penalties
    "l2": {"techniques": 0.3, "frames": 1.0, "genre": 3e-2},
    "maxiter": 300,
    "inner": 2,
    "grid": (0.05, 0.8, 0.025),
    "blend_grid": (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0),
    # also train the linear model on the same folds and blend (False: the encoder alone)
    "blend": True,
    # the techniques head: "mlp" (settings below) or "ridge" (l2 above)
    "head": "mlp",
    "mlp": {
        "hidden": 512,
        "activation": "relu",
        "dropout": 0.7,  # on the hidden layer
        "input_dropout": 0.2,
        "weight_decay": 1e-4,  # decoupled (AdamW), on the two weight matrices
        "lr": 3e-4,
        "batch": 128,
        "pos_weight": 1.0,  # weight of the positive class in the cross-entropy
        "max_epochs": 30,  # the epoch count is chosen on the inner folds, up to this
    },
}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- vectors and features -----------------------------------------------------------------------


def article_vectors(corpus, cache: EmbeddingCache | None = None) -> dict[str, np.ndarray]:
    """Vectors of every analysable paragraph (stripped text, in order) of every article."""
    cache = cache or EmbeddingCache()
    texts, owners = [], []
    for article in corpus.articles:
        for paragraph in article.analyzable_paragraphs():
            texts.append(paragraph.text.strip())
            owners.append(article.id)
    vectors = cache.embed(texts, progress=True)
    out: dict[str, list] = {}
    for owner, vector in zip(owners, vectors, strict=True):
        out.setdefault(owner, []).append(vector)
    return {key: np.array(value, dtype=np.float32) for key, value in out.items()}


def _cap(corpus, max_articles: int | None):
    """For quick tests: the first ``max_articles`` articles of each language."""
    if max_articles:
        kept, seen = [], {}
        for article in corpus.articles:
            seen[article.language] = seen.get(article.language, 0) + 1
            if seen[article.language] <= max_articles:
                kept.append(article)
        corpus.articles = kept
    return corpus


# -- heads ----------------------------------------------------------------------------------------


def standardiser(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    return mean.astype(np.float32), np.where(scale > 1e-6, scale, 1.0).astype(np.float32)


def fit_logistic(X, Y, l2: float, multiclass=False, sample_weight=None, maxiter=300):
    """Multi-label (or multinomial) logistic regression on all labels jointly, by L-BFGS.

    Returns (mean, scale, W, b) with X standardised by (mean, scale)."""
    from scipy.optimize import minimize

    mean, scale = standardiser(X)
    Xs = ((X - mean) / scale).astype(np.float32)
    n, d = Xs.shape
    labels = Y.shape[1]
    Yf = Y.astype(np.float32)
    sw = np.ones(n, np.float32) if sample_weight is None else sample_weight.astype(np.float32)
    sw = sw / sw.sum()

    def loss_and_grad(theta):
        W = theta[: d * labels].reshape(d, labels).astype(np.float32)
        b = theta[d * labels :].astype(np.float32)
        Z = Xs @ W + b
        if multiclass:
            Z = Z - Z.max(axis=1, keepdims=True)
            log_norm = np.log(np.exp(Z).sum(axis=1, keepdims=True))
            loss = -(sw[:, None] * Yf * (Z - log_norm)).sum()
            G = np.exp(Z - log_norm) - Yf
        else:
            loss = (sw[:, None] * (np.logaddexp(0, Z) - Yf * Z)).sum()
            G = sigmoid(Z) - Yf
        G *= sw[:, None]
        gW = Xs.T @ G + l2 * W
        loss += 0.5 * l2 * float((W * W).sum())
        return float(loss), np.concatenate([gW.ravel(), G.sum(axis=0)]).astype(np.float64)

    theta = np.zeros(d * labels + labels)
    result = minimize(
        loss_and_grad, theta, jac=True, method="L-BFGS-B", options={"maxiter": maxiter}
    )
    W = result.x[: d * labels].reshape(d, labels).astype(np.float32)
    b = result.x[d * labels :].astype(np.float32)
    return mean, scale, W, b


def fit_ridge(X, Y, l2: float):
    """Ridge regression on +-1 targets for all labels at once (one linear solve): scores
    whose sigmoid Platt scaling then turns into probabilities. Returns (mean, scale, W, b)."""
    mean, scale = standardiser(X)
    Xs = ((X - mean) / scale).astype(np.float64)
    targets = 2.0 * Y - 1.0
    bias = targets.mean(axis=0)
    gram = Xs.T @ Xs
    gram[np.diag_indices_from(gram)] += l2 * len(X)
    W = np.linalg.solve(gram, Xs.T @ (targets - bias))
    return mean, scale, W.astype(np.float32), bias.astype(np.float32)


def fit_mlp(X, Y, epochs: int, settings: dict, seed: int = 0, watch=()):
    """A one-hidden-layer network for all labels at once: binary cross-entropy (positives
    weighted by ``pos_weight``), dropout on the input and the hidden layer, AdamW, ``epochs``
    passes over shuffled mini-batches. Returns (head, history): head = (mean, scale, W1, b1, W2,
    b2) with X standardised by (mean, scale); history[j][e] the probabilities of ``watch[j]``
    after epoch e + 1 (how the inner folds choose the epoch count)."""
    rng = np.random.default_rng(seed)
    mean, scale = standardiser(X)
    Xs = ((X - mean) / scale).astype(np.float32)
    n, d = Xs.shape
    labels, hidden = Y.shape[1], int(settings["hidden"])
    Yf = Y.astype(np.float32)
    relu = settings["activation"] == "relu"
    W1 = (rng.standard_normal((d, hidden)) * np.sqrt(2.0 / d)).astype(np.float32)
    b1 = np.zeros(hidden, np.float32)
    W2 = (rng.standard_normal((hidden, labels)) * np.sqrt(1.0 / hidden)).astype(np.float32)
    rate = np.clip(Yf.mean(axis=0), 1e-3, 1 - 1e-3)
    b2 = np.log(rate / (1 - rate)).astype(np.float32)  # start at the base rates
    params = [W1, b1, W2, b2]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    beta1, beta2, eps, step = 0.9, 0.999, 1e-8, 0
    lr, decay = float(settings["lr"]), float(settings["weight_decay"])
    drop, drop_in = float(settings["dropout"]), float(settings["input_dropout"])
    pos_weight = np.float32(settings["pos_weight"])
    watched = [((A - mean) / scale).astype(np.float32) for A in watch]
    history: list[list[np.ndarray]] = [[] for _ in watched]
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, int(settings["batch"])):
            rows = order[start : start + int(settings["batch"])]
            x, y = Xs[rows], Yf[rows]
            if drop_in:
                x = x * ((rng.random(x.shape, dtype=np.float32) >= drop_in) / (1 - drop_in))
            z = x @ W1 + b1
            h = np.maximum(z, 0) if relu else gelu(z)
            mask = (rng.random(h.shape, dtype=np.float32) >= drop) / np.float32(1 - drop)
            h = h * mask
            p = sigmoid(h @ W2 + b2)
            # gradient of the weighted cross-entropy w.r.t. the logits, mean over the batch
            g = (p * (pos_weight * y + 1 - y) - pos_weight * y) / len(rows)
            gh = (g @ W2.T) * mask
            gz = gh * (z > 0) if relu else gh * _gelu_slope(z)
            grads = (x.T @ gz, gz.sum(axis=0), h.T @ g, g.sum(axis=0))
            step += 1
            for i, grad in enumerate(grads):
                first[i] = beta1 * first[i] + (1 - beta1) * grad
                second[i] = beta2 * second[i] + (1 - beta2) * grad * grad
                update = (first[i] / (1 - beta1**step)) / (
                    np.sqrt(second[i] / (1 - beta2**step)) + eps
                )
                if decay and i in (0, 2):
                    params[i] -= lr * decay * params[i]
                params[i] -= (lr * update).astype(np.float32)
        for j, A in enumerate(watched):
            history[j].append(sigmoid(mlp_scores(A, *params, settings["activation"])))
    return (mean, scale, *params, settings["activation"]), history


def head_arrays(head) -> dict[str, np.ndarray]:
    """The artifact arrays of a ridge or MLP head (weight matrices in float16)."""
    if len(head) == 4:
        mean, scale, W, b = head
        arrays = {}
    else:  # an MLP: the hidden layer, then W and b on its output
        mean, scale, W1, b1, W, b, _ = head
        arrays = {"hidden_weights": W1.astype(np.float16), "hidden_bias": b1.astype(np.float32)}
    return {
        **arrays,
        "mean": mean,
        "scale": scale,
        "weights": W.astype(np.float16),
        "bias": b.astype(np.float32),
    }


def _gelu_slope(z: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * (1.0 + erf(z * np.float32(0.7071067811865476))) + z * np.exp(
        -0.5 * z * z
    ) * np.float32(0.3989422804014327)


def head_scores(head, X) -> np.ndarray:
    """Logits of a ridge or logistic head (mean, scale, W, b) or of an MLP head (mean, scale,
    W1, b1, W2, b2, activation)."""
    x = ((X - head[0]) / head[1]).astype(np.float32)
    if len(head) == 4:
        return x @ head[2] + head[3]
    return mlp_scores(x, *head[2:])


def fit_platt(P: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per label (a, b) minimising log-loss of sigmoid(a * logit(p) + b), by Newton steps."""
    Z = logit(P).astype(np.float64)
    Yf = Y.astype(np.float64)
    a = np.ones(Z.shape[1])
    b = np.zeros(Z.shape[1])
    for _ in range(50):
        p = sigmoid(a * Z + b)
        r = p - Yf
        w = np.maximum(p * (1 - p), 1e-9)
        ga, gb = (r * Z).mean(0) + 1e-4 * (a - 1), r.mean(0)
        haa, hab, hbb = (w * Z * Z).mean(0) + 1e-4, (w * Z).mean(0), w.mean(0)
        det = np.maximum(haa * hbb - hab * hab, 1e-12)
        a -= (hbb * ga - hab * gb) / det
        b -= (haa * gb - hab * ga) / det
    return a.astype(np.float32), b.astype(np.float32)


def expected_calibration_error(P: np.ndarray, Y: np.ndarray, bins: int = 10) -> float:
    """ECE over all (item, label) cells: |accuracy - confidence| per probability bin, weighted."""
    p = np.asarray(P, dtype=np.float64).ravel()
    y = np.asarray(Y, dtype=np.float64).ravel()
    if len(p) == 0:
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for k in range(bins):
        mask = which == k
        if mask.any():
            total += mask.sum() * abs(y[mask].mean() - p[mask].mean())
    return float(total / len(p))


def reliability(P: np.ndarray, Y: np.ndarray, bins: int = 10) -> list[list[float]]:
    """[mean confidence, observed frequency, count] per bin, for the reliability plot."""
    p = np.asarray(P, dtype=np.float64).ravel()
    y = np.asarray(Y, dtype=np.float64).ravel()
    which = np.minimum((p * bins).astype(int), bins - 1)
    out = []
    for k in range(bins):
        mask = which == k
        if mask.any():
            out.append([round(p[mask].mean(), 4), round(y[mask].mean(), 4), int(mask.sum())])
    return out


def _calibration_table(P, Y, langs) -> dict:
    out = {"all": {"ece": round(expected_calibration_error(P, Y), 4), "bins": reliability(P, Y)}}
    for language in sorted(set(langs.tolist())):
        mask = langs == language
        out[language] = {"ece": round(expected_calibration_error(P[mask], Y[mask]), 4)}
    return out


# -- techniques -----------------------------------------------------------------------------------


def techniques_table(corpus, vectors):
    """Rows of every gold paragraph: keys, group, language, text, features, labels."""
    index = {label: j for j, label in enumerate(TECHNIQUE_LABELS)}
    keys, groups, langs, texts, features, rows = [], [], [], [], [], []
    for article in corpus.articles:
        paragraphs = article.analyzable_paragraphs()
        context = paragraph_context(vectors[article.id])
        for paragraph, feature in zip(paragraphs, context, strict=True):
            key = (article.id, paragraph.line)
            if key not in corpus.gold:
                continue
            y = np.zeros(len(TECHNIQUE_LABELS), dtype=np.int8)
            for label in corpus.gold[key]:
                y[index[label]] = 1
            keys.append(key)
            groups.append(f"{article.language}_{article.id}")
            langs.append(article.language)
            texts.append(paragraph.text)
            features.append(feature)
            rows.append(y)
    return (
        keys,
        np.array(groups),
        np.array(langs),
        texts,
        np.array(features, dtype=np.float32).reshape(-1, 4 * DIM),
        np.array(rows, dtype=np.int8).reshape(-1, len(TECHNIQUE_LABELS)),
    )


def _choose_blend(Y, P_enc, P_lin, grid) -> float:
    """The weight of the encoder whose blend reaches the best micro-F1 at one global threshold."""
    thresholds = np.arange(*DEFAULTS["grid"])
    best, best_w = -1.0, 1.0
    for w in grid:
        P = w * P_enc + (1 - w) * P_lin
        value = max(micro_f1(Y, (t <= P).astype(np.int8)) for t in thresholds)
        if value > best + 1e-4:  # prefer the smaller weight only when it is really better
            best, best_w = value, float(w)
    return best_w


def _official(keys, langs, Y, pred, labels=TECHNIQUE_LABELS, task="techniques") -> dict:
    from .ridge import per_language_scores

    def labels_of(row):
        return [labels[j] for j in np.nonzero(row)[0]]

    gold = {k: labels_of(y) for k, y in zip(keys, Y, strict=True)}
    predicted = {k: labels_of(p) for k, p in zip(keys, pred, strict=True)}
    scores = per_language_scores(task, keys, langs.tolist(), gold, predicted)
    # the short form per language; per-label detail only for all languages
    for language, value in scores.items():
        if language != "all":
            value.pop("per_label", None)
    return scores


def _summary(metrics: dict, keys=("micro_f1", "micro_precision", "micro_recall")) -> dict:
    return {
        language: {key: round(value[key], 4) for key in keys} for language, value in metrics.items()
    }


def train_techniques(
    data_dir: Path,
    out_dir: Path,
    languages=None,
    folds: int = 5,
    seed: int = 0,
    max_articles: int | None = None,
    cache: EmbeddingCache | None = None,
    log=_log,
    **options,
) -> dict:
    from ..features.paragraph_tfidf import HashedTfidf, TfidfSettings
    from .techniques import DEFAULTS as LINEAR
    from .techniques import (
        _folds,
        fit_linear,
        predict,
        prune,
        tune_balanced_thresholds,
        tune_thresholds,
    )

    opts = {**DEFAULTS, **options}
    l2 = opts["l2"]["techniques"] if isinstance(opts["l2"], dict) else opts["l2"]
    started = time.time()
    corpus = _cap(load_labelled(data_dir, "techniques", languages), max_articles)
    vectors = article_vectors(corpus, cache)
    log(f"vectors ready ({time.time() - started:.0f}s)")
    keys, groups, langs, texts, X, Y = techniques_table(corpus, vectors)
    log(f"{len(keys)} paragraphs from {len(set(groups))} articles")
    tfidf_settings = TfidfSettings()
    X_counts = HashedTfidf(tfidf_settings).counts(texts)

    def linear_probabilities(fit_rows, apply_rows):
        if not opts["blend"]:
            return np.zeros((len(apply_rows), Y.shape[1]), np.float32)
        features = HashedTfidf(tfidf_settings).fit(X_counts[fit_rows])
        W, b = fit_linear(
            features.transform_counts(X_counts[fit_rows]), Y[fit_rows], LINEAR["C"], LINEAR["tol"]
        )
        return predict(features.transform_counts(X_counts[apply_rows]), prune(W, LINEAR["topk"]), b)

    head_type = opts["head"]
    if head_type not in ("mlp", "ridge"):
        raise ValueError(f"unknown techniques head {head_type!r} (known: mlp, ridge)")
    mlp = {**DEFAULTS["mlp"], **opts["mlp"]}

    def encoder_probabilities(fit_rows, apply_rows, epochs=None):
        """Uncalibrated: sigmoid of the head's scores."""
        if head_type == "ridge":
            head = fit_ridge(X[fit_rows], Y[fit_rows], l2)
        else:
            head, _ = fit_mlp(X[fit_rows], Y[fit_rows], epochs, mlp, seed)
        return sigmoid(head_scores(head, X[apply_rows]))

    def inner_encoder(rows, splits):
        """Held-out probabilities of ``rows`` from the inner ``splits``, and the MLP's epoch
        count: the one whose held-out probabilities reach the best micro-F1 at one global
        threshold (None for the ridge)."""
        out = np.zeros((len(rows), Y.shape[1]), np.float32)
        if head_type == "ridge":
            for fit, held in splits:
                out[held] = encoder_probabilities(rows[fit], rows[held])
            return out, None
        histories = [
            fit_mlp(X[rows[fit]], Y[rows[fit]], mlp["max_epochs"], mlp, seed, [X[rows[held]]])[1][0]
            for fit, held in splits
        ]
        thresholds = np.arange(*grid)
        best, epochs = -1.0, 1
        for e in range(mlp["max_epochs"]):
            for (_, held), history in zip(splits, histories, strict=True):
                out[held] = history[e]
            value = max(micro_f1(Y[rows], (t <= out).astype(np.int8)) for t in thresholds)
            if value > best:
                best, epochs = value, e + 1
        for (_, held), history in zip(splits, histories, strict=True):
            out[held] = history[epochs - 1]
        return out, epochs

    def inner_splits(rows):
        # too few articles for a split in tiny test runs: that split is skipped
        found = _folds(groups[rows], langs[rows], opts["inner"], seed + 1)
        return [(fit, held) for fit, held in found if len(fit) and len(held)]

    grid = opts["grid"]
    oof = {name: np.zeros(Y.shape, np.float32) for name in ("encoder", "linear", "blend")}
    raw = {name: np.zeros(Y.shape, np.float32) for name in ("encoder", "linear")}
    pred = {name: np.zeros(Y.shape, np.int8) for name in ("encoder", "linear", "blend")}
    pred_balanced = np.zeros(Y.shape, np.int8)
    blends, epochs_per_fold = [], []
    metrics: dict = {}
    if folds and folds > 1:
        for k, (train_rows, test_rows) in enumerate(_folds(groups, langs, folds, seed)):
            fold_started = time.time()
            inner = {name: np.zeros((len(train_rows), Y.shape[1]), np.float32) for name in oof}
            splits = inner_splits(train_rows)
            inner["encoder"], epochs = inner_encoder(train_rows, splits)
            epochs_per_fold.append(epochs)
            for fit, held in splits:
                inner["linear"][held] = linear_probabilities(train_rows[fit], train_rows[held])
            test = {
                "encoder": encoder_probabilities(train_rows, test_rows, epochs),
                "linear": linear_probabilities(train_rows, test_rows),
            }
            for name in raw:
                raw[name][test_rows] = test[name]
            # the encoder's scores are calibrated before they are blended
            platt = fit_platt(inner["encoder"], Y[train_rows])
            inner["encoder"] = calibrate(inner["encoder"], *platt)
            test["encoder"] = calibrate(test["encoder"], *platt)
            w = (
                _choose_blend(Y[train_rows], inner["encoder"], inner["linear"], opts["blend_grid"])
                if opts["blend"]
                else 1.0
            )
            blends.append(w)
            inner["blend"] = w * inner["encoder"] + (1 - w) * inner["linear"]
            test["blend"] = w * test["encoder"] + (1 - w) * test["linear"]
            for name in oof:
                a, b = fit_platt(inner[name], Y[train_rows])
                calibrated_inner = calibrate(inner[name], a, b)
                oof[name][test_rows] = calibrate(test[name], a, b)
                thresholds = tune_thresholds(Y[train_rows], calibrated_inner, grid)
                pred[name][test_rows] = oof[name][test_rows] >= thresholds
                if name == "blend":
                    balanced = tune_balanced_thresholds(Y[train_rows], calibrated_inner, grid)
                    pred_balanced[test_rows] = oof[name][test_rows] >= balanced
            log(
                f"fold {k + 1}/{folds}: blend weight {w:.1f}"
                + (f", {epochs} epochs" if epochs else "")
                + f", {time.time() - fold_started:.0f}s"
            )
        official = {name: _official(keys, langs, Y, pred[name]) for name in pred}
        metrics = {
            "micro": official["blend"],
            "balanced": _official(keys, langs, Y, pred_balanced),
            "same_folds": {
                "encoder_alone": _summary(official["encoder"]),
                "linear_alone": _summary(official["linear"]),
                "shipped": _summary(official["blend"]),
            },
            "blend_weight_per_fold": blends,
            "calibration": _calibration_table(oof["blend"], Y, langs),
        }
        if head_type == "mlp":
            metrics["epochs_per_fold"] = epochs_per_fold
        log(
            "CV micro-F1 (precision) "
            + " ".join(
                f"{lang}:{v['micro_f1']:.3f}({v['micro_precision']:.3f})"
                for lang, v in official["blend"].items()
            )
        )
    final_started = time.time()
    w = float(np.median(blends)) if blends else 1.0
    if folds and folds > 1:
        # shipped calibration and thresholds: from the outer out-of-fold scores, which are
        # held out from the final fit as the inner ones were from each fold's
        encoder_platt = fit_platt(raw["encoder"], Y)
        blended = w * calibrate(raw["encoder"], *encoder_platt) + (1 - w) * raw["linear"]
        platt = fit_platt(blended, Y)
        calibrated = calibrate(blended, *platt)
        thresholds = tune_thresholds(Y, calibrated, grid)
        balanced = tune_balanced_thresholds(Y, calibrated, grid)
    else:
        platt = encoder_platt = (np.ones(Y.shape[1], np.float32), np.zeros(Y.shape[1], np.float32))
        thresholds = balanced = np.full(Y.shape[1], 0.3, np.float32)
    if head_type == "ridge":
        head = fit_ridge(X, Y, l2)
        model = {
            "head": "linear",
            "type": "ridge regression on +-1 targets, all techniques at once",
            "l2": l2,
        }
    else:
        # the final network trains for the median of the epoch counts the folds chose
        if epochs_per_fold:
            epochs = int(np.median(epochs_per_fold))
        else:
            epochs = inner_encoder(np.arange(len(Y)), inner_splits(np.arange(len(Y))))[1]
        head = fit_mlp(X, Y, epochs, mlp, seed)[0]
        model = {
            "head": "mlp",
            "type": "one hidden layer, all techniques at once, binary cross-entropy, AdamW",
            **{key: mlp[key] for key in sorted(mlp) if key != "max_epochs"},
            "epochs": epochs,
            "epochs_chosen_on": f"inner folds (at most {mlp['max_epochs']})",
            "seed": seed,
        }
    model["calibration"] = (
        "Platt scaling per technique of the encoder's scores, then of the blend, both on"
        " out-of-fold scores"
    )
    arrays = {
        **head_arrays(head),
        "encoder_calibration_a": encoder_platt[0],
        "encoder_calibration_b": encoder_platt[1],
        "calibration_a": platt[0],
        "calibration_b": platt[1],
        threshold_array("micro"): thresholds.astype(np.float32),
        threshold_array("balanced"): balanced.astype(np.float32),
    }
    manifest = {
        "labels": list(TECHNIQUE_LABELS),
        "features": "paragraph_context",
        "features_version": FEATURES["paragraph_context"],
        "encoder": ENCODER_ID,
        "blend": w,
        "blend_with": "techniques (the linear model)",
        "thresholds": {
            lab: round(float(t), 4) for lab, t in zip(TECHNIQUE_LABELS, thresholds, strict=True)
        },
        "decisions": {
            name: {"rule": rule, "array": threshold_array(name)} for name, rule in DECISIONS.items()
        },
        "model": model,
        "trained_languages": sorted(set(langs.tolist())),
        "training_data_fingerprint": corpus.fingerprint,
        "training_paragraphs": int(len(keys)),
        "cv": cv_record(folds, seed, opts["inner"]),
        "metrics": metrics,
        "train_seconds": train_seconds(started, final_started),
    }
    return save_artifact(Path(out_dir), "techniques_encoder", arrays, manifest)


# -- genre and frames -----------------------------------------------------------------------------


def _article_features(corpus, vectors) -> np.ndarray:
    return np.array(
        [article_pooling(vectors[a.id]) for a in corpus.articles], dtype=np.float32
    ).reshape(-1, 3 * DIM)


def _genre_decision(scores, gold, langs):
    """Temperature and per-language class offsets (shrunk to the global ones) on held-out
    scores; the offsets are added to log-probabilities. Then the temperature of what is shown,
    ``softmax((log p + offsets) / T_shown)``: the offsets serve macro-F1 and move the
    probabilities away from calibration, a second temperature brings them back (it keeps the
    argmax, so the decision stays the same)."""
    from ..analyzers.article_ridge import GLOBAL
    from .genre import LANGUAGE_SHARE, _tune_offsets
    from .ridge import fit_temperature, shrink_to_global

    temperature = fit_temperature(scores, gold, multiclass=True)
    logp = genre_log_probabilities(softmax(scores / temperature))
    spread = float(logp.std()) or 1.0
    offsets = shrink_to_global(
        lambda s, g, lang: _tune_offsets(s, g, lang, spread),
        logp,
        gold,
        langs,
        LANGUAGE_SHARE,
        GLOBAL,
    )
    shown = fit_temperature(_apply_genre(scores, langs, temperature, offsets), gold, True)
    return temperature, offsets, shown


def _apply_genre(scores, langs, temperature, offsets):
    """Log-probabilities plus the offsets of each article's language: the argmax decides;
    their ``softmax`` over the shown temperature is what the analyzer shows."""
    from ..analyzers.article_ridge import GLOBAL

    logp = genre_log_probabilities(softmax(scores / temperature))
    return logp + np.array([offsets.get(lang, offsets[GLOBAL]) for lang in langs])


def _choose_genre_blend(gold, langs, Z_enc, Z_lin, grid) -> float:
    """The weight of the encoder whose blend of log-probabilities reaches the best mean
    per-language macro-F1 once its temperature and class offsets are tuned."""
    groups = [langs == language for language in np.unique(langs)]
    best, best_w = -1.0, 1.0
    for w in grid:
        Z = w * Z_enc + (1 - w) * Z_lin
        pred = _apply_genre(Z, langs, *_genre_decision(Z, gold, langs)[:2]).argmax(1)
        value = float(np.mean([macro_f1(gold[g], pred[g]) for g in groups]))
        if value > best + 1e-4:  # prefer the smaller weight only when it is really better
            best, best_w = value, float(w)
    return best_w


def train_article_task(
    task: str,
    data_dir: Path,
    out_dir: Path,
    languages=None,
    folds: int = 5,
    seed: int = 0,
    max_articles: int | None = None,
    cache: EmbeddingCache | None = None,
    log=_log,
    **options,
) -> dict:
    """Genre (multinomial, class offsets per language) or frames (multi-label, thresholds),
    blended with the linear model of the task (``blend=False``: the encoder alone)."""
    from ..analyzers.article_ridge import GLOBAL
    from ..features.article_ngrams import ArticleNgramSettings
    from . import frames as linear_frames
    from . import genre as linear_genre
    from .cv import article_folds
    from .genre import class_balanced_weights
    from .ridge import corpus_features, dual_scores, fit_temperature, per_language_scores
    from .techniques import tune_thresholds

    opts = {**DEFAULTS, **options}
    l2 = opts["l2"][task] if isinstance(opts["l2"], dict) else opts["l2"]
    inner_folds = max(opts["inner"], 4)  # articles are few: more, smaller inner folds
    started = time.time()
    corpus = _cap(load_labelled(data_dir, task, languages), max_articles)
    vectors = article_vectors(corpus, cache)
    X = _article_features(corpus, vectors)
    ids = [a.id for a in corpus.articles]
    langs = np.array([a.language for a in corpus.articles])
    multiclass = task == "genre"
    labels = GENRE_LABELS if multiclass else FRAME_LABELS
    linear = linear_genre if multiclass else linear_frames
    if multiclass:
        gold = np.array([GENRE_LABELS.index(corpus.gold[i]) for i in ids])
        Y = np.eye(3, dtype=np.int8)[gold]
        weights = class_balanced_weights(gold, langs)
        strata = [f"{lang}/{g}" for lang, g in zip(langs, gold, strict=True)]
    else:
        Y = np.array([[f in corpus.gold[i] for f in FRAME_LABELS] for i in ids], dtype=np.int8)
        weights = None
        strata = list(langs)
    # the linear model's features and kernel, as its own trainer builds them
    _, K = corpus_features(corpus.articles, ArticleNgramSettings())
    log(f"{len(ids)} articles ({time.time() - started:.0f}s)")

    def encoder_scores(fit_rows, apply_rows):
        if not multiclass:
            return head_scores(fit_ridge(X[fit_rows], Y[fit_rows], l2), X[apply_rows])
        head = fit_logistic(
            X[fit_rows],
            Y[fit_rows],
            l2,
            multiclass=True,
            sample_weight=weights[fit_rows],
            maxiter=opts["maxiter"],
        )
        return head_scores(head, X[apply_rows])

    def linear_scores(fit_rows, apply_rows):
        fit_weights = None if weights is None else weights[fit_rows]
        targets = 2.0 * Y[fit_rows] - 1
        scores = dual_scores(K, fit_rows, apply_rows, targets, linear.LAMBDA, fit_weights)
        return scores.astype(np.float32)

    def held_out_scores(scores_of, rows, k_folds, fold_seed):
        inner = article_folds([ids[i] for i in rows], [strata[i] for i in rows], k_folds, fold_seed)
        out = np.zeros((len(rows), len(labels)), np.float32)
        for k in range(k_folds):
            if (inner == k).any() and (inner != k).any():
                out[inner == k] = scores_of(rows[inner != k], rows[inner == k])
        return out

    # Each family's raw scores go onto one scale before the blend: log-probabilities (genre,
    # a temperature) or calibrated probabilities (frames, Platt scaling per frame).
    def fit_scale(raw, rows):
        if multiclass:
            return np.array([fit_temperature(raw, gold[rows], multiclass=True)], np.float32)
        return fit_platt(sigmoid(raw), Y[rows])

    def to_scale(raw, scale):
        if multiclass:
            return log_probabilities(raw, float(scale[0]))
        return calibrate(sigmoid(raw), *scale)

    def decide(Z, rows):
        """Decision values from held-out values ``Z`` of ``rows`` (logits or log-probabilities
        for genre, probabilities for frames)."""
        if multiclass:
            return _genre_decision(Z, gold[rows], langs[rows])
        a, b = fit_platt(Z, Y[rows])
        return (a, b), tune_thresholds(Y[rows], calibrate(Z, a, b), opts["grid"])

    def apply(Z, rows, decision):
        if multiclass:
            adjusted = _apply_genre(Z, langs[rows], *decision[:2])
            probabilities = softmax(adjusted / decision[2])  # what the analyzer shows
            return probabilities, np.eye(3, dtype=np.int8)[adjusted.argmax(1)]
        (a, b), thresholds = decision
        probabilities = calibrate(Z, a, b)
        return probabilities, (probabilities >= thresholds).astype(np.int8)

    def natural(raw):
        """The encoder's own scale when it stands alone, as in the first encoder models."""
        return raw if multiclass else sigmoid(raw)

    def choose_weight(Z_enc, Z_lin, rows):
        if not opts["blend"]:
            return 1.0
        if multiclass:
            return _choose_genre_blend(gold[rows], langs[rows], Z_enc, Z_lin, opts["blend_grid"])
        return _choose_blend(Y[rows], Z_enc, Z_lin, opts["blend_grid"])

    def linear_alone(train_rows, test_rows, test_scores):
        """The linear model's own decision (per-language offsets or cuts, tuned by its own
        trainer on inner folds of ``train_rows``)."""
        test_langs = langs[test_rows]
        if multiclass:
            offsets = linear_genre._offsets(K, train_rows, gold, langs, ids, weights, seed + 1)
            shifted = test_scores + np.array([offsets.get(g, offsets[GLOBAL]) for g in test_langs])
            return np.eye(3, dtype=np.int8)[shifted.argmax(1)]
        cuts = linear_frames._cuts(K, train_rows, Y.astype(np.int64), langs, ids, seed + 1)
        cut = np.array([cuts.get(g, cuts[GLOBAL]) for g in test_langs])[:, None]
        return (test_scores >= cut).astype(np.int8)

    metrics: dict = {}
    raw = {name: np.zeros(Y.shape, np.float32) for name in ("encoder", "linear")}
    oof_probabilities = np.zeros(Y.shape, np.float32)
    predicted = {name: np.zeros(Y.shape, np.int8) for name in ("encoder", "linear", "blend")}
    blends: list[float] = []
    if folds and folds > 1:
        fold = article_folds(ids, strata, folds, seed)
        for k in range(folds):
            fold_started = time.time()
            train_rows, test_rows = np.where(fold != k)[0], np.where(fold == k)[0]
            inner_enc = held_out_scores(encoder_scores, train_rows, inner_folds, seed + 1)
            inner_lin = held_out_scores(linear_scores, train_rows, inner_folds, seed + 1)
            test_enc = raw["encoder"][test_rows] = encoder_scores(train_rows, test_rows)
            test_lin = raw["linear"][test_rows] = linear_scores(train_rows, test_rows)
            # the two families alone, each with its own decision
            decision = decide(natural(inner_enc), train_rows)
            _, predicted["encoder"][test_rows] = apply(natural(test_enc), test_rows, decision)
            predicted["linear"][test_rows] = linear_alone(train_rows, test_rows, test_lin)
            # the blend: weight and decision tuned on the inner folds
            enc_scale = fit_scale(inner_enc, train_rows)
            lin_scale = fit_scale(inner_lin, train_rows)
            Z_enc, Z_lin = to_scale(inner_enc, enc_scale), to_scale(inner_lin, lin_scale)
            w = choose_weight(Z_enc, Z_lin, train_rows)
            blends.append(w)
            decision = decide(w * Z_enc + (1 - w) * Z_lin, train_rows)
            Z_test = w * to_scale(test_enc, enc_scale) + (1 - w) * to_scale(test_lin, lin_scale)
            oof_probabilities[test_rows], predicted["blend"][test_rows] = apply(
                Z_test, test_rows, decision
            )
            log(f"fold {k + 1}/{folds}: blend weight {w:.1f}, {time.time() - fold_started:.0f}s")

        def names(row):
            return [labels[j] for j in np.nonzero(row)[0]]

        if multiclass:
            gold_map = {i: GENRE_LABELS[g] for i, g in zip(ids, gold, strict=True)}
            top = oof_probabilities.max(axis=1)
            hit = (oof_probabilities.argmax(axis=1) == gold).astype(np.int8)
            calibration = _calibration_table(top, hit, langs)
        else:
            gold_map = {i: names(y) for i, y in zip(ids, Y, strict=True)}
            calibration = _calibration_table(oof_probabilities, Y, langs)

        def official(pred):
            if multiclass:
                pred_map = {i: names(p)[0] for i, p in zip(ids, pred, strict=True)}
            else:
                pred_map = {i: names(p) for i, p in zip(ids, pred, strict=True)}
            scores = per_language_scores(task, ids, langs.tolist(), gold_map, pred_map)
            for language, value in scores.items():
                if language != "all":
                    value.pop("per_label", None)
            return scores

        tables = {name: official(pred) for name, pred in predicted.items()}
        keys = ("macro_f1", "accuracy") if multiclass else ("micro_f1", "micro_precision")
        metrics = {
            **tables["blend"],
            "calibration": calibration,
            "same_folds": {
                "encoder_alone": _summary(tables["encoder"], keys),
                "linear_alone": _summary(tables["linear"], keys),
                "shipped": _summary(tables["blend"], keys),
            },
            "blend_weight_per_fold": blends,
        }
        measure = keys[0]
        for name, table in metrics["same_folds"].items():
            log(
                f"CV {measure} {name}: "
                + " ".join(f"{lang}:{v[measure]:.3f}" for lang, v in table.items())
            )
    final_started = time.time()
    rows = np.arange(len(ids))
    if not (folds and folds > 1):  # no outer folds: two-fold held-out scores instead
        raw["encoder"] = held_out_scores(encoder_scores, rows, 2, seed + 1)
        raw["linear"] = held_out_scores(linear_scores, rows, 2, seed + 1)
    # shipped scales and decision: from the outer out-of-fold scores, held out from the final
    # fit as the inner ones were from each fold's
    w = float(np.median(blends)) if blends else 1.0
    enc_scale, lin_scale = fit_scale(raw["encoder"], rows), fit_scale(raw["linear"], rows)
    decision = decide(
        w * to_scale(raw["encoder"], enc_scale) + (1 - w) * to_scale(raw["linear"], lin_scale),
        rows,
    )
    if multiclass:
        mean, scale, W, b = fit_logistic(
            X, Y, l2, multiclass=True, sample_weight=weights, maxiter=opts["maxiter"]
        )
        enc_scale = (enc_scale, np.zeros(1, np.float32))
        lin_scale = (lin_scale, np.zeros(1, np.float32))
    else:
        mean, scale, W, b = fit_ridge(X, Y, l2)
    arrays = {
        "mean": mean,
        "scale": scale,
        "weights": W.astype(np.float16),
        "bias": b,
        "encoder_calibration_a": enc_scale[0],
        "encoder_calibration_b": enc_scale[1],
        "linear_calibration_a": lin_scale[0],
        "linear_calibration_b": lin_scale[1],
    }
    manifest: dict = {
        "labels": list(labels),
        "features": "article_pooling",
        "features_version": FEATURES["article_pooling"],
        "encoder": ENCODER_ID,
        "blend": w,
        "blend_with": {
            "model": f"{task} (the linear model, scores before its own decision)",
            "training_data_fingerprint": corpus.fingerprint,
            "lambda": linear.LAMBDA,
        },
        "blend_scale": "log-probabilities: w * log softmax(encoder score / T_encoder) + (1 - w) *"
        " log softmax(linear score / T_linear), each T fitted on out-of-fold scores"
        if multiclass
        else "probabilities: w * Platt(sigmoid(encoder score)) + (1 - w) *"
        " Platt(sigmoid(linear score)), per frame, fitted on out-of-fold scores",
    }
    if multiclass:
        temperature, offsets, shown_temperature = decision
        arrays["calibration_a"] = np.array([temperature], np.float32)
        arrays["calibration_b"] = np.zeros(1, np.float32)
        manifest["offsets"] = {k: [round(float(x), 5) for x in v] for k, v in offsets.items()}
        manifest["shown_temperature"] = round(float(shown_temperature), 5)
        manifest["decision"] = (
            "argmax(log softmax(blend / T) + offsets[language]);"
            f" offsets['{GLOBAL}'] for other languages; probabilities shown:"
            " softmax((log softmax(blend / T) + offsets) / shown_temperature)"
        )
    else:
        (a, b_), thresholds = decision
        arrays["calibration_a"], arrays["calibration_b"] = a, b_
        arrays["thresholds"] = thresholds.astype(np.float32)
        manifest["thresholds"] = {
            lab: round(float(t), 4) for lab, t in zip(labels, thresholds, strict=True)
        }
        manifest["decision"] = "Platt-calibrated blend >= threshold of the frame"
    manifest.update(
        {
            "model": {
                "type": "multinomial logistic regression (L-BFGS)"
                if multiclass
                else "ridge regression on +-1 targets, all frames at once",
                "l2": l2,
                "sample_weights": "genres weigh the same within each language"
                if multiclass
                else None,
                "calibration": "temperature of each family, then of the blend"
                if multiclass
                else "Platt scaling per frame of each family, then of the blend",
            },
            "trained_languages": sorted(set(langs.tolist())),
            "training_data_fingerprint": corpus.fingerprint,
            "training_articles": len(ids),
            "cv": cv_record(
                folds,
                seed,
                inner_folds,
                strata=None,
                same_folds="encoder alone: its own decision on its inner scores; linear alone:"
                " the linear model's own trainer (per-language offsets or score cuts); shipped:"
                " the blend, weight and decision tuned on the inner folds",
            ),
            "metrics": metrics,
            "train_seconds": train_seconds(started, final_started),
        }
    )
    return save_artifact(Path(out_dir), f"{task}_encoder", arrays, manifest)


def train_genre(data_dir, out_dir, languages=None, folds: int = 5, seed: int = 0, **options):
    return train_article_task("genre", data_dir, out_dir, languages, folds, seed, **options)


def train_frames(data_dir, out_dir, languages=None, folds: int = 5, seed: int = 0, **options):
    return train_article_task("frames", data_dir, out_dir, languages, folds, seed, **options)


def train(data_dir, out_dir, languages=None, folds: int = 5, seed: int = 0, **options):
    return train_techniques(data_dir, out_dir, languages, folds, seed, **options)
