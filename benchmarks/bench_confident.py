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
3. the precision of the ``confident`` view, honestly: the articles are split in two halves;
   the labels admitted on one half (precision >= 0.6 there) are scored on the other half,
   and the two figures are pooled. The in-sample figure is printed beside it.

The out-of-fold probabilities are cached in /tmp (keyed by the data fingerprint) so that a
second run takes seconds. Takes several minutes on one core the first time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np
from common import DEFAULT_DATA, ROOT, pin_to_one_core

CONFIDENT_PRECISION = 0.6


def out_of_fold(data_dir: Path, folds: int = 5, seed: int = 0):
    """(langs, groups, Y, decisions by rule) from nested article-held-out CV."""
    from propscope.features.paragraph_tfidf import HashedTfidf, TfidfSettings
    from propscope.training.data import load_labelled
    from propscope.training.techniques import (
        DEFAULTS,
        _folds,
        fit_linear,
        paragraph_table,
        predict,
        prune,
        tune_balanced_thresholds,
        tune_thresholds,
    )

    corpus = load_labelled(data_dir, "techniques")
    groups, langs, texts, Y = paragraph_table(corpus)
    key = hashlib.sha256(f"{corpus.fingerprint}-{folds}-{seed}".encode()).hexdigest()[:16]
    cache = Path("/tmp") / f"propscope-techniques-oof-{key}.npz"
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as data:
            return langs, groups, Y, {name: data[name] for name in data.files}
    opts = DEFAULTS
    settings = TfidfSettings()
    X_counts = HashedTfidf(settings).counts(texts)
    micro = np.zeros(Y.shape, dtype=np.int8)
    balanced = np.zeros(Y.shape, dtype=np.int8)
    for k, (train_rows, test_rows) in enumerate(_folds(groups, langs, folds, seed)):
        started = time.time()
        features = HashedTfidf(settings).fit(X_counts[train_rows])
        X = features.transform_counts(X_counts)
        inner = np.zeros((len(train_rows), Y.shape[1]), dtype=np.float32)
        for fit_rows, held_rows in _folds(
            groups[train_rows], langs[train_rows], opts["inner"], seed + 1
        ):
            W, b = fit_linear(
                X[train_rows[fit_rows]], Y[train_rows[fit_rows]], opts["C"], opts["tol"]
            )
            inner[held_rows] = predict(X[train_rows[held_rows]], prune(W, opts["topk"]), b)
        W, b = fit_linear(X[train_rows], Y[train_rows], opts["C"], opts["tol"])
        probabilities = predict(X[test_rows], prune(W, opts["topk"]), b)
        t_micro = tune_thresholds(Y[train_rows], inner, opts["grid"])
        t_balanced = tune_balanced_thresholds(Y[train_rows], inner, opts["grid"])
        t_balanced = np.minimum(t_balanced, t_micro)
        micro[test_rows] = probabilities >= t_micro
        balanced[test_rows] = probabilities >= t_balanced
        print(f"fold {k + 1}/{folds}: {time.time() - started:.0f}s", file=sys.stderr, flush=True)
    decisions = {"micro": micro, "balanced": balanced}
    np.savez(cache, **decisions)
    return langs, groups, Y, decisions


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


def confident_labels(table: dict[str, dict], bar: float = CONFIDENT_PRECISION) -> list[str]:
    """Labels whose estimated precision reaches ``bar`` (and that were predicted at all)."""
    return [label for label, row in table.items() if row["predicted"] and row["precision"] >= bar]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--write", action="store_true", help="store label_precision in the manifest"
    )
    args = parser.parse_args()
    pin_to_one_core()
    from propscope.taxonomy import TECHNIQUE_LABELS

    langs, groups, Y, decisions = out_of_fold(args.data)
    print(f"{len(Y)} paragraphs, {len(set(groups))} articles, out-of-fold decisions\n")
    from propscope.training.scoring import micro_macro

    print("rule       lang  precision  recall  micro-F1  macro-F1  predicted  gold")
    for rule, P in decisions.items():
        for language in sorted(set(langs)) + ["all"]:
            mask = np.ones(len(Y), bool) if language == "all" else langs == language
            p, r, n, g = precision_recall(Y[mask], P[mask])
            micro, macro, _ = micro_macro(Y[mask], P[mask])
            print(
                f"{rule:<10} {language:<5} {p:9.3f}  {r:6.3f}  {micro:8.3f}  {macro:8.3f}"
                f"  {n:9d}  {g:4d}"
            )
    stored = {}
    for rule, P in decisions.items():
        table = per_label(Y, P, TECHNIQUE_LABELS)
        stored[rule] = table
        admitted = confident_labels(table)
        print(f"\n{rule}: labels with out-of-fold precision >= {CONFIDENT_PRECISION}:")
        print("  " + (", ".join(admitted) or "(none)"))
        # honest view precision: choose the labels on one half of the articles, score the other
        half = np.array([int(hashlib.md5(g.encode()).hexdigest(), 16) % 2 for g in groups])
        tp = shown = 0
        for chosen_on in (0, 1):
            chosen = confident_labels(
                per_label(Y[half == chosen_on], P[half == chosen_on], TECHNIQUE_LABELS)
            )
            columns = [TECHNIQUE_LABELS.index(label) for label in chosen]
            rows = half != chosen_on
            tp += int((Y[rows][:, columns].astype(bool) & P[rows][:, columns].astype(bool)).sum())
            shown += int(P[rows][:, columns].sum())
        columns = [TECHNIQUE_LABELS.index(label) for label in admitted]
        p_in, r_in, n_in, _ = precision_recall(Y[:, columns], P[:, columns])
        p_all, r_all, n_all, _ = precision_recall(Y, P)
        print(
            f"  confident view precision {tp / max(shown, 1):.3f} (labels chosen on the other"
            f" half of the articles; in-sample {p_in:.3f}, recall {r_in:.3f}, {n_in} labels"
            f" shown) vs all labels {p_all:.3f} (recall {r_all:.3f}, {n_all} shown)"
        )
    if args.write:
        path = ROOT / "src" / "propscope" / "models" / "techniques" / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["label_precision"] = {
            "how": "nested article-held-out CV out-of-fold decisions"
            " (benchmarks/bench_confident.py); balanced = min(balanced, micro) thresholds",
            **stored,
        }
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"\nlabel_precision written to {path}")


if __name__ == "__main__":
    main()
