"""Variants of the techniques model, measured the same way (model card, "Also tried").

    .venv/bin/python experiments/techniques_variants.py [--data DIR] [--cache DIR] [--sweep]

Second stages (about 15 minutes on one core; ``--cache`` keeps the out-of-fold probabilities
between runs): does the span supervision, a per-language model, paragraph length or the
language help? ``--sweep`` adds feature and regularisation settings of the first stage (about
2.5 minutes each).

Every variant is scored the same way: the 5 article-held-out folds of ``propscope train
techniques`` (seed 0), out-of-fold probabilities from models that never saw the test fold's
articles, second stages (one logistic regression per technique on standardised features)
fitted on the other folds' out-of-fold rows, and per-technique thresholds tuned on the other
folds.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import numpy as np

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

from propscope.features.paragraph_tfidf import HashedTfidf, TfidfSettings  # noqa: E402
from propscope.features.tokens import TokenFeaturizer  # noqa: E402
from propscope.training import evidence as evidence_train  # noqa: E402
from propscope.training import techniques  # noqa: E402
from propscope.training.data import load_labelled  # noqa: E402
from propscope.training.evidence_data import build_token_data, load_span_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "semeval2023"


def cached(cache: Path | None, name: str, compute):
    path = cache / f"{name}.npy" if cache else None
    if path is not None and path.is_file():
        return np.load(path, allow_pickle=False)
    value = compute()
    if path is not None:
        np.save(path, value)
    return value


def first_stage_oof(texts, Y, row_fold, settings=None, C=None, groups=None):
    """Out-of-fold probabilities of the shipped recipe; with ``groups`` (e.g. the language of
    each row) one model per group, trained on that group's rows only."""
    settings = settings or TfidfSettings()
    opts = techniques.DEFAULTS
    counts = HashedTfidf(settings).counts(texts)
    groups = np.zeros(len(Y), dtype=np.int8) if groups is None else groups
    oof = np.zeros(Y.shape, dtype=np.float32)
    for group in np.unique(groups):
        for k in np.unique(row_fold):
            train = np.flatnonzero((row_fold != k) & (groups == group))
            test = np.flatnonzero((row_fold == k) & (groups == group))
            X = HashedTfidf(settings).fit(counts[train]).transform_counts(counts)
            W, b = techniques.fit_linear(X[train], Y[train], C or opts["C"], opts["tol"])
            oof[test] = techniques.predict(X[test], techniques.prune(W, opts["topk"]), b)
    return oof


def token_oof(data_dir, group_fold):
    """Out-of-fold token probabilities of the evidence model, pooled per paragraph row."""
    corpus = load_span_corpus(data_dir)
    data = build_token_data(corpus, TokenFeaturizer(bits=evidence_train.DEFAULTS["bits"]))
    group_of = [f"{a.language}_{a.id}" for a in corpus.articles]
    token_fold = np.array([group_fold[group_of[a]] for a in data.token_article])
    folds = int(token_fold.max()) + 1
    oof = evidence_train.out_of_fold(data, token_fold, folds, 0, evidence_train.DEFAULTS)
    keys = [(group_of[a], corpus.articles[a].paragraphs[p].line) for a, p in data.paragraphs]
    paragraph = data.table.paragraph
    n = len(keys)
    peak = np.zeros((n, oof.shape[1]), dtype=np.float32)
    total = np.zeros((n, oof.shape[1]), dtype=np.float32)
    above = np.zeros((n, oof.shape[1]), dtype=np.float32)
    np.maximum.at(peak, paragraph, oof)
    np.add.at(total, paragraph, oof)
    np.add.at(above, paragraph, (oof >= 0.5).astype(np.float32))
    mean = total / np.maximum(np.bincount(paragraph, minlength=n), 1)[:, None]
    return keys, np.hstack([np.log(peak + 1e-4), np.log(mean + 1e-4), np.log1p(above)])


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def second_stage(X, Y, row_fold):
    from sklearn.linear_model import LogisticRegression

    X = (X - X.mean(0)) / (X.std(0) + 1e-6)
    out = np.zeros(Y.shape, dtype=np.float32)
    for k in np.unique(row_fold):
        train, test = row_fold != k, row_fold == k
        for j in range(Y.shape[1]):
            model = LogisticRegression(C=1.0, max_iter=500).fit(X[train], Y[train, j])
            out[test, j] = model.predict_proba(X[test])[:, 1]
    return out


def score(Y, P, langs, row_fold) -> str:
    """micro-F1 per language and overall, thresholds tuned on the other folds."""
    predicted = np.zeros_like(Y)
    for k in np.unique(row_fold):
        train, test = row_fold != k, row_fold == k
        predicted[test] = P[test] >= techniques.tune_thresholds(Y[train], P[train])
    cells = []
    for language in [*np.unique(langs), "all"]:
        mask = np.ones(len(Y), bool) if language == "all" else langs == language
        cells.append(f"{techniques.micro_macro(Y[mask], predicted[mask])[0]:.3f}")
    return " | ".join(cells) + f" | {techniques.micro_macro(Y, predicted)[1]:.3f}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--sweep", action="store_true", help="also first-stage settings")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        sys.exit(f"{args.data}: no SemEval data folder")
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)

    corpus = load_labelled(args.data, "techniques")
    groups, langs, texts, Y = techniques.paragraph_table(corpus)
    row_fold = np.zeros(len(Y), dtype=np.int64)
    for k, (_, test) in enumerate(techniques._folds(groups, langs, 5, 0)):
        row_fold[test] = k
    group_fold = dict(zip(groups.tolist(), row_fold.tolist(), strict=True))
    lines = [p.line for a in corpus.articles for p in a.paragraphs if (a.id, p.line) in corpus.gold]
    row_of = {key: i for i, key in enumerate(zip(groups.tolist(), lines, strict=True))}

    P = cached(args.cache, "joint_oof", lambda: first_stage_oof(texts, Y, row_fold))
    Q = cached(
        args.cache, "per_language_oof", lambda: first_stage_oof(texts, Y, row_fold, groups=langs)
    )

    def tokens():
        keys, pooled = token_oof(args.data, group_fold)
        out = np.zeros((len(Y), pooled.shape[1]), dtype=np.float32)
        for key, row in zip(keys, pooled, strict=True):
            if key in row_of:
                out[row_of[key]] = row
        return out

    T = cached(args.cache, "token_pooled", tokens)
    length = np.log1p([len(re.findall(r"\w+", text)) for text in texts])[:, None]
    language = (langs[:, None] == np.unique(langs)[None, :]).astype(np.float32)

    print("| variant | " + " | ".join(np.unique(langs)) + " | all | macro-F1 |")
    print("|---" * (len(np.unique(langs)) + 3) + "|")
    variants = {
        "joint model (shipped recipe)": P,
        "one model per language": Q,
        "mean of joint and per-language models": (P + Q) / 2,
        "2nd stage: joint scores": second_stage(logit(P), Y, row_fold),
        "2nd stage: joint + span-model token scores": second_stage(
            np.hstack([logit(P), T]), Y, row_fold
        ),
        "2nd stage: joint + length + language": second_stage(
            np.hstack([logit(P), length, logit(P) * length, language]), Y, row_fold
        ),
        "2nd stage: joint + per-language + token scores + language": second_stage(
            np.hstack([logit(P), logit(Q), T, language]), Y, row_fold
        ),
    }
    for name, probabilities in variants.items():
        print(f"| {name} | {score(Y, probabilities, langs, row_fold)} |", flush=True)
    if not args.sweep:
        return
    sweep = {
        "word block weight 0.7": (TfidfSettings(word_weight=0.7), None),
        "word block weight 1.4": (TfidfSettings(word_weight=1.4), None),
        "character n-grams 2-6": (TfidfSettings(char_ngram=(2, 6)), None),
        "character n-grams 3-5": (TfidfSettings(char_ngram=(3, 5)), None),
        "C 4": (TfidfSettings(), 4.0),
        "C 16": (TfidfSettings(), 16.0),
    }
    for name, (settings, C) in sweep.items():
        probabilities = first_stage_oof(texts, Y, row_fold, settings, C)
        print(f"| {name} | {score(Y, probabilities, langs, row_fold)} |", flush=True)


if __name__ == "__main__":
    main()
