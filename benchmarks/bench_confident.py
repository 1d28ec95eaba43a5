"""Estimated precision of each technique label, and the precision of the ``confident`` view.

python benchmarks/bench_confident.py [--data ../shared/data/semeval2023] [--write]

Reruns the techniques model's nested article-held-out cross-validation (the trainer's recipe:
outer folds by article, thresholds of each outer fold tuned on inner out-of-fold predictions
of its training part only), so every paragraph gets a decision from a model and thresholds
that never saw its article. From these out-of-fold decisions it prints, per decision rule
(micro, balanced = min(balanced, micro) as the analyzer applies it):

1. precision and recall of the rule per language (the model card's table);
2. each technique's precision and recall (``--write`` stores them in the shipped techniques
   manifest as ``label_precision``, which the ``confident`` view reads);
3. the ``confident`` view: per technique, the lowest threshold (not below the micro one) at
   which out-of-fold predictions are right at least 60% of the time (and at least 20 of
   them); its precision is measured honestly, each outer fold decided with thresholds chosen
   on the inner predictions of its training part. ``--write`` stores these figures and the
   thresholds chosen on all out-of-fold predictions in the shipped techniques manifest as
   ``label_precision`` (the analyzer reads them: a call above its label's confident threshold
   carries that band's precision).
The out-of-fold probabilities are cached in /tmp (keyed by the data fingerprint) so that a
second run takes seconds. Takes several minutes on one core the first time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
from common import DEFAULT_DATA, ROOT, pin_to_one_core

CONFIDENT_PRECISION = 0.6
RULES = ("micro", "balanced")


def out_of_fold(data_dir: Path, folds: int = 5, seed: int = 0):
    """(langs, groups, Y, decisions by rule) from nested article-held-out CV."""
    from propscope.features.paragraph_tfidf import HashedTfidf, TfidfSettings
    from propscope.training.data import load_labelled
    from propscope.training.techniques import (
        DEFAULTS,
        nested_out_of_fold,
        paragraph_table,
        tune_balanced_thresholds,
        tune_thresholds,
    )

    corpus = load_labelled(data_dir, "techniques")
    groups, langs, texts, Y = paragraph_table(corpus)
    key = hashlib.sha256(f"{corpus.fingerprint}-{folds}-{seed}-v2".encode()).hexdigest()[:16]
    cache = Path("/tmp") / f"propscope-techniques-oof-{key}.npz"
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as data:
            return langs, groups, Y, {name: data[name] for name in data.files}
    opts = DEFAULTS
    settings = TfidfSettings()
    X_counts = HashedTfidf(settings).counts(texts)
    micro = np.zeros(Y.shape, dtype=np.int8)
    balanced = np.zeros(Y.shape, dtype=np.int8)
    confident = np.zeros(Y.shape, dtype=np.int8)
    oof = np.zeros(Y.shape, dtype=np.float32)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    for train_rows, test_rows, inner, probabilities in nested_out_of_fold(
        X_counts, Y, groups, langs, settings, folds, seed, opts, log
    ):
        t_micro = tune_thresholds(Y[train_rows], inner, opts["grid"])
        t_balanced = tune_balanced_thresholds(Y[train_rows], inner, opts["grid"])
        t_balanced = np.minimum(t_balanced, t_micro)
        micro[test_rows] = probabilities >= t_micro
        balanced[test_rows] = probabilities >= t_balanced
        # the confident band: thresholds chosen on the training part's inner predictions only
        t_confident, _ = confident_thresholds(Y[train_rows], inner, t_micro)
        confident[test_rows] = probabilities >= t_confident
        oof[test_rows] = probabilities
    decisions = {"micro": micro, "balanced": balanced, "confident": confident, "oof": oof}
    np.savez(cache, **decisions)
    return langs, groups, Y, decisions


#: A label's confident band needs this many out-of-fold predictions to estimate its precision.
MIN_SUPPORT = 20
GRID = np.round(np.arange(0.05, 0.96, 0.025), 3)


def confident_thresholds(Y: np.ndarray, P: np.ndarray, floor: np.ndarray):
    """Per label, the lowest threshold (not below ``floor``) at which at least MIN_SUPPORT
    predictions are right at least CONFIDENT_PRECISION of the time, and that precision;
    labels that never get there have threshold 2.0 (never shown in the confident view)."""
    thresholds = np.full(Y.shape[1], 2.0, dtype=np.float32)
    precision = np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        gold = Y[:, j].astype(bool)
        for t in GRID[floor[j] - 1e-6 <= GRID]:
            hit = P[:, j] >= t
            if hit.sum() < MIN_SUPPORT:
                break
            p = (gold & hit).sum() / hit.sum()
            if p >= CONFIDENT_PRECISION:
                thresholds[j], precision[j] = t, p
                break
    return thresholds, precision


def quick_confident(data_dir: Path, seed: int = 0) -> None:
    """A 2-fold version of the confident band, for a quick figure: each half of the articles
    is predicted by a model trained on the other half; thresholds chosen on one half are scored
    on the other."""
    import propscope.analyzers.techniques as techniques
    from propscope.features.paragraph_tfidf import HashedTfidf, TfidfSettings
    from propscope.taxonomy import TECHNIQUE_LABELS
    from propscope.training.data import load_labelled
    from propscope.training.techniques import (
        DEFAULTS,
        _folds,
        fit_linear,
        paragraph_table,
        predict,
        prune,
    )

    corpus = load_labelled(data_dir, "techniques")
    groups, langs, texts, Y = paragraph_table(corpus)
    settings = TfidfSettings()
    X_counts = HashedTfidf(settings).counts(texts)
    halves = _folds(groups, langs, 2, seed)
    oof = np.zeros(Y.shape, dtype=np.float32)
    for train_rows, test_rows in halves:
        features = HashedTfidf(settings).fit(X_counts[train_rows])
        X = features.transform_counts(X_counts)
        W, b = fit_linear(X[train_rows], Y[train_rows], DEFAULTS["C"], DEFAULTS["tol"])
        oof[test_rows] = predict(X[test_rows], prune(W, DEFAULTS["topk"]), b)
        print("half fitted", file=sys.stderr, flush=True)
    with np.load(techniques.TechniquesAnalyzer.default_path() / "arrays.npz") as arrays:
        micro = arrays["thresholds"].astype(np.float32)
    shown = np.zeros(Y.shape, dtype=np.int8)
    for (_, chosen_rows), (_, scored_rows) in zip(halves, halves[::-1], strict=True):
        thresholds, _ = confident_thresholds(Y[chosen_rows], oof[chosen_rows], micro)
        shown[scored_rows] = oof[scored_rows] >= thresholds
    print("\nconfident view, 2-fold (thresholds chosen on the other half):")
    print("lang   precision  recall  shown")
    for language in sorted(set(langs)) + ["all"]:
        mask = np.ones(len(Y), bool) if language == "all" else langs == language
        p, r, n, _ = precision_recall(Y[mask], shown[mask])
        print(f"{language:<5}  {p:9.3f}  {r:6.3f}  {n:5d}")
    thresholds, precision = confident_thresholds(Y, oof, micro)
    table = {
        label: {"threshold": float(t), "precision": round(float(p), 4)}
        for label, t, p in zip(TECHNIQUE_LABELS, thresholds, precision, strict=True)
        if t <= 1.0
    }
    print(json.dumps(table, indent=1))
    np.savez("/tmp/propscope-confident-quick.npz", oof=oof, Y=Y)


def precision_recall(Y: np.ndarray, P: np.ndarray) -> tuple[float, float, int, int]:
    tp = int((Y.astype(bool) & P.astype(bool)).sum())
    predicted, gold = int(P.sum()), int(Y.sum())
    return tp / max(predicted, 1), tp / max(gold, 1), predicted, gold


def per_label(Y: np.ndarray, P: np.ndarray, labels) -> dict[str, dict]:
    out = {}
    for j, label in enumerate(labels):
        precision, recall, predicted, gold = precision_recall(Y[:, j], P[:, j])
        out[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "predicted": predicted,
            "gold": gold,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--write", action="store_true", help="store label_precision in the manifest"
    )
    parser.add_argument("--quick", action="store_true", help="2-fold confident band only")
    args = parser.parse_args()
    pin_to_one_core()
    if args.quick:
        quick_confident(args.data)
        return
    from propscope.taxonomy import TECHNIQUE_LABELS

    langs, groups, Y, decisions = out_of_fold(args.data)
    print(f"{len(Y)} paragraphs, {len(set(groups))} articles, out-of-fold decisions\n")
    from propscope.training.scoring import micro_macro

    print("rule       lang  precision  recall  micro-F1  macro-F1  predicted  gold")
    for rule in RULES:
        P = decisions[rule]
        for language in sorted(set(langs)) + ["all"]:
            mask = np.ones(len(Y), bool) if language == "all" else langs == language
            p, r, n, g = precision_recall(Y[mask], P[mask])
            micro, macro, _ = micro_macro(Y[mask], P[mask])
            print(
                f"{rule:<10} {language:<5} {p:9.3f}  {r:6.3f}  {micro:8.3f}  {macro:8.3f}"
                f"  {n:9d}  {g:4d}"
            )
    stored = {rule: per_label(Y, decisions[rule], TECHNIQUE_LABELS) for rule in RULES}
    C = decisions["confident"]
    print(
        f"\nconfident view (a predicted label shown when its probability reaches the label's"
        f" confident threshold, chosen on inner folds for precision >= {CONFIDENT_PRECISION}):"
    )
    print("lang   precision  recall  shown   | all labels (micro): precision  recall  shown")
    for language in sorted(set(langs)) + ["all"]:
        mask = np.ones(len(Y), bool) if language == "all" else langs == language
        p, r, n, _ = precision_recall(Y[mask], C[mask])
        pm, rm, nm, _ = precision_recall(Y[mask], decisions["micro"][mask])
        print(f"{language:<5}  {p:9.3f}  {r:6.3f}  {n:5d}   |  {pm:28.3f}  {rm:6.3f}  {nm:5d}")
    table = per_label(Y, C, TECHNIQUE_LABELS)
    shown = [label for label, row in table.items() if row["predicted"]]
    print(f"labels ever shown in the confident view: {', '.join(shown) or '(none)'}")

    import propscope.analyzers.techniques as techniques

    with np.load(techniques.TechniquesAnalyzer.default_path() / "arrays.npz") as arrays:
        shipped_micro = arrays["thresholds"].astype(np.float32)
    thresholds, precision = confident_thresholds(Y, decisions["oof"], shipped_micro)
    stored["confident"] = {
        label: {"threshold": float(t), "precision": round(float(p), 4)}
        for label, t, p in zip(TECHNIQUE_LABELS, thresholds, precision, strict=True)
        if t <= 1.0
    }
    print("shipped confident thresholds (all out-of-fold predictions):")
    for label, row in stored["confident"].items():
        print(f"  {label:<36} {row['threshold']:.3f}  precision {row['precision']:.3f}")
    if args.write:
        path = ROOT / "src" / "propscope" / "models" / "techniques" / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["label_precision"] = {
            "how": "nested article-held-out CV out-of-fold decisions"
            " (benchmarks/bench_confident.py); balanced = min(balanced, micro) thresholds;"
            f" confident: the lowest threshold (not below micro) where at least {MIN_SUPPORT}"
            f" out-of-fold predictions are right at least {CONFIDENT_PRECISION} of the time",
            **stored,
        }
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"\nlabel_precision written to {path}")


if __name__ == "__main__":
    main()
