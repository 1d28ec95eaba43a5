"""Heads of the techniques encoder model on the paragraph-context features, measured alike.

    PYTHONPATH=src .venv/bin/python experiments/techniques_mlp.py cache [--data DIR]
    PYTHONPATH=src .venv/bin/python experiments/techniques_mlp.py pooled
    PYTHONPATH=src .venv/bin/python experiments/techniques_mlp.py run VARIANT [--features F]

``cache`` embeds (from the e5 disk cache), builds the paragraph table and fits the linear model
on the folds of ``propscope train techniques --model encoder`` (5 outer, 2 inner, seed 0) once,
keeping its inner and outer out-of-fold probabilities in ``$MLP_CACHE`` (default /tmp/mlp-cache).
``pooled`` (after ``cache``) max- and min-pools every paragraph's piece states, two processes,
for the ``--features maxpool`` and ``minmax`` variants; ``layers --layers N`` makes the features
from the vectors of the encoder's first N layers only, for ``--features layersN``. ``run`` then
scores each head variant exactly as the trainer does: encoder probabilities on the inner folds
(which also choose the MLP's epoch count) and on the test fold, Platt scaling, the blend weight
chosen on the inner folds, thresholds tuned on the inner folds, official micro-F1 per language
on the outer folds. The figures quoted in docs/encoder.md come from the trainer itself; this
script is for quick iterations only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402

from propscope.models.encoder_heads import calibrate  # noqa: E402
from propscope.models.linear import sigmoid  # noqa: E402
from propscope.training import encoder as trainer  # noqa: E402
from propscope.training import techniques as linear_trainer  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "semeval2023"
CACHE = Path(os.environ.get("MLP_CACHE", "/tmp/mlp-cache"))
FOLDS, INNER, SEED = 5, 2, 0


def log(message):
    print(message, file=sys.stderr, flush=True)


def build_cache(data_dir: Path):
    from propscope.features.paragraph_tfidf import HashedTfidf, TfidfSettings
    from propscope.training.data import load_labelled

    corpus = load_labelled(data_dir, "techniques", None)
    vectors = trainer.article_vectors(corpus)
    keys, groups, langs, texts, X, Y = trainer.techniques_table(corpus, vectors)
    # each paragraph's position in its article, for a feature variant
    position = []
    for article in corpus.articles:
        paragraphs = article.analyzable_paragraphs()
        for i, paragraph in enumerate(paragraphs):
            if (article.id, paragraph.line) in corpus.gold:
                position.append([i, len(paragraphs)])
    settings = TfidfSettings()
    counts = HashedTfidf(settings).counts(texts)
    L = linear_trainer.DEFAULTS

    def linear(fit_rows, apply_rows):
        features = HashedTfidf(settings).fit(counts[fit_rows])
        W, b = linear_trainer.fit_linear(
            features.transform_counts(counts[fit_rows]), Y[fit_rows], L["C"], L["tol"]
        )
        return linear_trainer.predict(
            features.transform_counts(counts[apply_rows]), linear_trainer.prune(W, L["topk"]), b
        )

    out = {"X": X, "Y": Y, "langs": langs, "groups": groups, "position": np.array(position)}
    out["keys"] = np.array([f"{a}\t{line}" for a, line in keys])
    for k, (train_rows, test_rows) in enumerate(folds_of(groups, langs)):
        inner = np.zeros((len(train_rows), Y.shape[1]), np.float32)
        for fit, held in folds_of(groups[train_rows], langs[train_rows], INNER, SEED + 1):
            inner[held] = linear(train_rows[fit], train_rows[held])
        out[f"inner_{k}"] = inner
        out[f"test_{k}"] = linear(train_rows, test_rows)
        log(f"linear fold {k + 1}/{FOLDS}")
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(CACHE / "table.npz", **out)


def _pool(texts):
    from propscope.models.encoder import Forward

    # all 12 layers: the pooled rows of docs/encoder.md were measured before the move to 8
    _, pieces = Forward(threads=1, layers=None).embed_with_pieces(texts)
    out = np.zeros((len(texts), 2, 384), np.float32)
    for i, piece in enumerate(pieces):
        if len(piece.states):
            out[i] = piece.states.max(axis=0), piece.states.min(axis=0)
    return out


def build_pooled(data_dir: Path, processes: int = 2):
    """Max- and min-pooled piece states of every paragraph of the cached table, in its order."""
    from multiprocessing import get_context

    from propscope.training.data import load_labelled

    corpus = load_labelled(data_dir, "techniques", None)
    text_of = {
        (article.id, str(p.line)): p.text.strip()
        for article in corpus.articles
        for p in article.analyzable_paragraphs()
    }
    keys = np.load(CACHE / "table.npz", allow_pickle=False)["keys"]
    texts = [text_of[tuple(key.split("\t"))] for key in keys]
    chunks = [texts[i : i + 64] for i in range(0, len(texts), 64)]
    with get_context("spawn").Pool(processes) as pool:
        pooled = np.concatenate(list(pool.imap(_pool, chunks)))
    np.save(CACHE / "pooled_minmax.npy", pooled)


def _embed_truncated(args):
    from propscope.models.encoder import Forward

    texts, layers = args
    return Forward(threads=1, layers=layers).embed(texts)


def build_truncated(data_dir: Path, layers: int, processes: int = 2):
    """The table's features from the vectors of the encoder's first ``layers`` layers."""
    from multiprocessing import get_context

    from propscope.training.data import load_labelled

    corpus = load_labelled(data_dir, "techniques", None)
    texts = list(
        dict.fromkeys(
            p.text.strip() for article in corpus.articles for p in article.analyzable_paragraphs()
        )
    )
    chunks = [(texts[i : i + 64], layers) for i in range(0, len(texts), 64)]
    with get_context("spawn").Pool(processes) as pool:
        vectors = np.concatenate(list(pool.imap(_embed_truncated, chunks)))
    vector_of = dict(zip(texts, vectors, strict=True))
    by_article = {
        article.id: np.array([vector_of[p.text.strip()] for p in article.analyzable_paragraphs()])
        for article in corpus.articles
    }
    keys, _, _, _, X, _ = trainer.techniques_table(corpus, by_article)
    expected = np.load(CACHE / "table.npz", allow_pickle=False)["keys"]
    if [f"{a}\t{line}" for a, line in keys] != expected.tolist():
        raise SystemExit("the corpus changed since `cache`: rebuild it first")
    np.save(CACHE / f"layers{layers}.npy", X.astype(np.float32))


def folds_of(groups, langs, k=FOLDS, seed=SEED):
    return linear_trainer._folds(groups, langs, k, seed)


def load_cache():
    data = np.load(CACHE / "table.npz", allow_pickle=False)
    return {k: data[k] for k in data.files}


# -- heads ----------------------------------------------------------------------------------------


def ridge_head(l2=0.3):
    def fit_apply(X, Y, X_apply_list, **_):
        head = trainer.fit_ridge(X, Y, l2)
        return [sigmoid(trainer.head_scores(head, A)) for A in X_apply_list], None

    return fit_apply


def mlp_head(**changes):
    """The trainer's MLP (its defaults, with ``changes``; the variants below name every setting
    that differs from the first MLP); ``seeds``: an ensemble of that many
    networks (mean probabilities)."""
    seeds = changes.pop("seeds", 1)
    settings = {**trainer.DEFAULTS["mlp"], **changes}
    max_epochs = settings["max_epochs"]

    def fit_apply(X, Y, X_apply_list, epochs=None):
        """With ``epochs`` None: train ``max_epochs`` and return per-epoch probabilities."""
        if epochs is None:
            runs = [
                trainer.fit_mlp(X, Y, max_epochs, settings, seed, X_apply_list)[1]
                for seed in range(seeds)
            ]
            history = [
                [np.mean([run[j][e] for run in runs], axis=0) for e in range(max_epochs)]
                for j in range(len(X_apply_list))
            ]
            return history, "history"
        heads = [trainer.fit_mlp(X, Y, epochs, settings, seed)[0] for seed in range(seeds)]
        return [
            np.mean([sigmoid(trainer.head_scores(h, A)) for h in heads], axis=0)
            for A in X_apply_list
        ], None

    return fit_apply


# -- evaluation as in the trainer ------------------------------------------------------------------


def best_global_f1(Y, P):
    from propscope.training.scoring import micro_f1

    return max(micro_f1(Y, (t <= P).astype(np.int8)) for t in np.arange(*trainer.DEFAULTS["grid"]))


def evaluate(data, head, features, name):
    from propscope.training.techniques import tune_thresholds

    X, Y, langs, groups = features, data["Y"], data["langs"], data["groups"]
    keys = [tuple(k.split("\t")) for k in data["keys"]]
    keys = [(a, int(line)) for a, line in keys]
    pred = {n: np.zeros(Y.shape, np.int8) for n in ("encoder", "blend")}
    chosen_epochs, blends = [], []
    started = time.time()
    for k, (train_rows, test_rows) in enumerate(folds_of(groups, langs)):
        inner_enc = np.zeros((len(train_rows), Y.shape[1]), np.float32)
        inner_splits = [
            (fit, held)
            for fit, held in folds_of(groups[train_rows], langs[train_rows], INNER, SEED + 1)
            if len(fit) and len(held)
        ]
        outs = [
            head(X[train_rows[fit]], Y[train_rows[fit]], [X[train_rows[held]]])
            for fit, held in inner_splits
        ]
        epochs = None
        if outs[0][1] == "history":
            # per epoch: the inner held-out probabilities of all inner folds together
            n_epochs = len(outs[0][0][0])
            scores = []
            for e in range(n_epochs):
                P = np.zeros_like(inner_enc)
                for (_, held), (history, _) in zip(inner_splits, outs, strict=True):
                    P[held] = history[0][e]
                scores.append(best_global_f1(Y[train_rows], P))
            epochs = int(np.argmax(scores)) + 1
            chosen_epochs.append(epochs)
            for (_, held), (history, _) in zip(inner_splits, outs, strict=True):
                inner_enc[held] = history[0][epochs - 1]
            test_enc = head(X[train_rows], Y[train_rows], [X[test_rows]], epochs=epochs)[0][0]
        else:
            for (_, held), (probs, _) in zip(inner_splits, outs, strict=True):
                inner_enc[held] = probs[0]
            test_enc = head(X[train_rows], Y[train_rows], [X[test_rows]])[0][0]
        inner_lin, test_lin = data[f"inner_{k}"], data[f"test_{k}"]
        platt = trainer.fit_platt(inner_enc, Y[train_rows])
        inner_enc, test_enc = calibrate(inner_enc, *platt), calibrate(test_enc, *platt)
        grid, blend_grid = trainer.DEFAULTS["grid"], trainer.DEFAULTS["blend_grid"]
        w = trainer._choose_blend(Y[train_rows], inner_enc, inner_lin, blend_grid)
        blends.append(w)
        for n, (Zi, Zt) in {
            "encoder": (inner_enc, test_enc),
            "blend": (w * inner_enc + (1 - w) * inner_lin, w * test_enc + (1 - w) * test_lin),
        }.items():
            a, b = trainer.fit_platt(Zi, Y[train_rows])
            thresholds = tune_thresholds(Y[train_rows], calibrate(Zi, a, b), grid)
            pred[n][test_rows] = calibrate(Zt, a, b) >= thresholds
        log(f"{name} fold {k + 1}: epochs {epochs} blend {w} ({time.time() - started:.0f}s)")
    result = {"name": name, "epochs": chosen_epochs, "weights": blends}
    for n in pred:
        table = trainer._official(keys, langs, Y, pred[n])
        result[n] = {lang: round(v["micro_f1"], 4) for lang, v in table.items()}
    print(json.dumps(result), flush=True)
    with open(CACHE / "results.jsonl", "a") as out:
        out.write(json.dumps(result) + "\n")
    return result


def feature_variant(data, name):
    X = data["X"]
    if name == "base":
        return X
    d = 384
    if name == "product":  # paragraph * title
        return np.hstack([X, X[:, :d] * X[:, d : 2 * d]])
    if name == "position":
        i, n = data["position"][:, 0], data["position"][:, 1]
        extra = np.stack([i == 0, i == 1, i / np.maximum(n - 1, 1), np.log1p(n)], axis=1)
        return np.hstack([X, extra.astype(np.float32)])
    if name == "layers8+4":  # layer 8's features and layer 4's paragraph vector (one pass)
        own = np.load(CACHE / "layers4.npy", allow_pickle=False)[:, :d]
        return np.hstack([np.load(CACHE / "layers8.npy", allow_pickle=False), own])
    if name.startswith("layers"):  # the same features from a truncated encoder
        return np.load(CACHE / f"{name}.npy", allow_pickle=False)
    if name in ("maxpool", "minmax"):  # the paragraph's piece states pooled by max (and min)
        pooled = np.load(CACHE / "pooled_minmax.npy", allow_pickle=False)
        extra = pooled[:, 0] if name == "maxpool" else pooled.reshape(len(pooled), -1)
        return np.hstack([X, extra.astype(np.float32)])
    raise SystemExit(f"unknown features {name}")


FIRST = {"hidden": 512, "dropout": 0.5, "input_dropout": 0.1, "lr": 1e-3, "max_epochs": 20}
VARIANTS = {
    "ridge": lambda: ridge_head(0.3),
    "ridge-0.1": lambda: ridge_head(0.1),
    "ridge-1": lambda: ridge_head(1.0),
    "ridge-3": lambda: ridge_head(3.0),
    "ridge-10": lambda: ridge_head(10.0),
    # the first MLP: 512 ReLU units, dropout 0.5 (input 0.1), AdamW lr 1e-3, up to 20 epochs
    "mlp512": lambda: mlp_head(**FIRST),
    "mlp512-gelu": lambda: mlp_head(**{**FIRST, "activation": "gelu"}),
    "mlp256": lambda: mlp_head(**{**FIRST, "hidden": 256}),
    "mlp1024": lambda: mlp_head(**{**FIRST, "hidden": 1024}),
    "mlp512-pw2": lambda: mlp_head(**{**FIRST, "pos_weight": 2.0}),
    "mlp512-wd1e-2": lambda: mlp_head(**{**FIRST, "weight_decay": 1e-2}),
    "mlp512-lr3e-4": lambda: mlp_head(**{**FIRST, "lr": 3e-4}),
    "mlp512-drop7": lambda: mlp_head(**{**FIRST, "dropout": 0.7, "input_dropout": 0.2}),
    "mlp512-ens3": lambda: mlp_head(**{**FIRST, "seeds": 3, "max_epochs": 12}),
    # the trainer's default since this experiment
    "mlp512-drop7-lr3e-4": lambda: mlp_head(
        **{**FIRST, "dropout": 0.7, "input_dropout": 0.2, "lr": 3e-4, "max_epochs": 30}
    ),
    "mlp512-drop7-lr3e-4-ens3": lambda: mlp_head(
        **{**FIRST, "dropout": 0.7, "input_dropout": 0.2, "lr": 3e-4, "max_epochs": 30, "seeds": 3}
    ),
    "mlp512-drop7-lr3e-4-e45": lambda: mlp_head(
        **{**FIRST, "dropout": 0.7, "input_dropout": 0.2, "lr": 3e-4, "max_epochs": 45}
    ),
    "mlp512-drop8": lambda: mlp_head(
        **{**FIRST, "dropout": 0.8, "input_dropout": 0.3, "max_epochs": 25}
    ),
    "mlp1024-drop7": lambda: mlp_head(
        **{**FIRST, "hidden": 1024, "dropout": 0.7, "input_dropout": 0.2}
    ),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["cache", "pooled", "layers", "run"])
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("variants", nargs="*")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--features", default="base")
    args = parser.parse_args()
    if args.command == "cache":
        build_cache(args.data)
        return
    if args.command == "pooled":
        build_pooled(args.data)
        return
    if args.command == "layers":
        build_truncated(args.data, args.layers)
        return
    data = load_cache()
    X = feature_variant(data, args.features)
    for variant in args.variants:
        evaluate(data, VARIANTS[variant](), X, f"{variant}/{args.features}")


if __name__ == "__main__":
    main()
