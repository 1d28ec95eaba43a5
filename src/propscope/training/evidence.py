"""Training and article-held-out cross-validation of the evidence (span) model.

1. Token features and labels (a token is inside a technique's span when it shares a character
   with one) for every paragraph of the training articles of all languages.
2. Per technique, a logistic model (scikit-learn ``SGDClassifier``, log loss, L2) over the
   hashed features. Out-of-fold token probabilities come from ``folds`` article-held-out folds.
3. Decoding (``token`` runs or whole ``sentence``s) and its threshold are chosen per technique
   on the out-of-fold probabilities, cross-fitted: the figures of fold k use the choice made on
   the other folds, so no reported figure was tuned on its own articles. Two choices are made:
   *gated* (what the analyzer does: spans only in paragraphs known to use the technique, with a
   fallback when none is found; evaluated with the gold paragraph labels standing in for the
   paragraph model) and *free* (the span model alone, over every paragraph; this gives the
   paragraph-level micro-F1 from spans alone).
4. The shipped model is fitted on all articles with the gated choices made on all folds.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from ..analyzers.evidence_decode import decode, fallback, sentence_table, snap_to_words
from ..evaluation.metrics import techniques_scores
from ..evaluation.spans import _shares, grouped_span_scores, span_scores
from ..features.tokens import TokenFeaturizer
from ..models.artifact import save_artifact
from ..models.linear import quantize_int8, sigmoid
from ..taxonomy import TECHNIQUE_LABELS
from .cv import article_folds
from .evidence_data import TokenData, build_token_data, load_span_corpus

THRESHOLDS = (
    0.02,
    0.04,
    0.06,
    0.08,
    0.1,
    0.13,
    0.16,
    0.2,
    0.25,
    0.3,
    0.35,
    0.4,
    0.5,
    0.6,
    0.7,
    0.8,
)
FREE_THRESHOLDS = tuple(t for t in THRESHOLDS if t >= 0.06)
# Evidence is meant to point at words: the whole-paragraph decoding is not offered to the
# tuner (under the partial-credit metric it trades precision for a recall of 1); it is
# reported as a baseline instead.
SPAN_MODES = ("token", "phrase", "sentence", "block")
DEFAULTS = {
    "bits": 18,
    "alpha": 3e-5,
    "epochs": 5,
    "sentence_bag": True,
    "quantize": True,
    "max_articles": None,  # per language, for quick runs and smoke tests
    "oof_cache": None,  # an .npy file keeping out-of-fold probabilities between runs
}


def fit_weights(X, Y: np.ndarray, alpha: float, epochs: int, seed: int = 0):
    """One logistic model per column of Y: (weights features x labels, bias labels)."""
    from sklearn.linear_model import SGDClassifier

    weights = np.zeros((X.shape[1], Y.shape[1]), dtype=np.float32)
    bias = np.zeros(Y.shape[1], dtype=np.float32)
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.min() == y.max():  # no positive (or no negative) token: a constant score
            bias[j] = 10.0 if y.max() else -10.0
            continue
        model = SGDClassifier(
            loss="log_loss", alpha=alpha, max_iter=epochs, tol=None, random_state=seed
        )
        model.fit(X, y)
        weights[:, j] = model.coef_[0]
        bias[j] = model.intercept_[0]
    return weights, bias


def probabilities(X, weights: np.ndarray, bias: np.ndarray) -> np.ndarray:
    return sigmoid(X @ weights + bias)


class _Tuner:
    """Per-fold span sums of every (mode, threshold) for one technique, gated and free."""

    def __init__(
        self, data: TokenData, ids: list[str], fold_of_article: np.ndarray, texts: list[str]
    ):
        self.data = data
        self.ids = ids
        self.texts = texts  # article texts, for snapping spans to whole words
        self.fold_of = {doc: int(f) for doc, f in zip(ids, fold_of_article, strict=True)}
        self.folds = int(fold_of_article.max()) + 1
        self.sentences = sentence_table(data.table)
        # paragraph-level gold labels per global paragraph
        self.paragraph_gold = [set() for _ in data.paragraphs]
        self.gold = defaultdict(list)  # technique -> [(doc, technique, s, e)]
        for span in data.gold:
            self.gold[span[1]].append(span)

    def set_paragraph_gold(self, corpus):
        for g, (a, p) in enumerate(self.data.paragraphs):
            article = corpus.articles[a]
            key = (article.id, article.paragraphs[p].line)
            self.paragraph_gold[g] = set(corpus.paragraph_labels.get(key, []))

    def spans(self, prob, technique, mode, threshold, gated, fallbacks=None):
        """Predicted (doc, technique, start, end, confidence, fallback) of one technique."""
        table = self.data.table
        if gated:
            mask = np.array([technique in g for g in self.paragraph_gold], dtype=bool)
            prob = np.where(mask[table.paragraph], prob, -1.0)
        first, last, conf = decode(table, prob, mode, threshold, self.sentences)
        out = [
            (self.ids[self.data.token_article[a]], technique, *self._offsets(a, b), float(c), False)
            for a, b, c in zip(first, last, conf, strict=True)
        ]
        if gated:
            covered = np.zeros(len(self.data.paragraphs), dtype=bool)
            covered[table.paragraph[first]] = True
            if fallbacks is None:
                fallbacks = self.fallbacks(prob, technique, mode, mask)
            out += [f for f in fallbacks if not covered[f[-1]]]
            out = [s[:6] for s in out]
        return out

    def fallbacks(self, prob, technique, mode, mask):
        table = self.data.table
        first, last, conf = fallback(table, prob, mode, mask, self.sentences)
        return [
            (
                self.ids[self.data.token_article[a]],
                technique,
                *self._offsets(a, b),
                float(c),
                True,
                int(table.paragraph[a]),
            )
            for a, b, c in zip(first, last, conf, strict=True)
        ]

    def _offsets(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets of tokens first..last-1, grown to whole words."""
        table = self.data.table
        text = self.texts[self.data.token_article[first]]
        return snap_to_words(text, int(table.starts[first]), int(table.ends[last - 1]))

    def fold_sums(self, technique, predicted):
        """[fold] -> (precision sum, n predicted, recall sum, n gold) for one technique."""
        gold = self.gold.get(technique, [])
        pred = [s[:4] for s in predicted]
        sums = np.zeros((self.folds, 4))
        for spans, other, column in ((pred, gold, 0), (gold, pred, 2)):
            for span, (_, share) in zip(spans, _shares(spans, other), strict=True):
                fold = self.fold_of[span[0]]
                sums[fold, column] += share
                sums[fold, column + 1] += 1
        return sums


def _f1(sums: np.ndarray) -> float:
    p = sums[0] / sums[1] if sums[1] else 0.0
    r = sums[2] / sums[3] if sums[3] else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def _choose(grid: dict, exclude: int | None) -> tuple[str, float]:
    """The (mode, threshold) with the best F1 summed over folds other than ``exclude``."""
    best, best_f1 = (SPAN_MODES[1], 0.5), -1.0
    for config, sums in grid.items():
        total = sums.sum(axis=0) if exclude is None else np.delete(sums, exclude, 0).sum(axis=0)
        f1 = _f1(total)
        if f1 > best_f1 + 1e-12:
            best, best_f1 = config, f1
    return best


def _round(value):
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    return value


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def out_of_fold(data: TokenData, token_fold, folds: int, seed: int, options: dict, log=_log):
    oof = np.zeros(data.Y.shape, dtype=np.float32)
    for k in range(folds):
        started = time.time()
        train_rows = np.flatnonzero(token_fold != k)
        test_rows = np.flatnonzero(token_fold == k)
        weights, bias = fit_weights(
            data.X[train_rows], data.Y[train_rows], options["alpha"], options["epochs"], seed
        )
        if options["quantize"]:
            q, scale = quantize_int8(weights)
            weights = q.astype(np.float32) * scale
        oof[test_rows] = probabilities(data.X[test_rows], weights, bias)
        log(f"fold {k + 1}/{folds} fitted in {time.time() - started:.0f} s")
    return oof


def cross_validate(corpus, data: TokenData, folds: int, seed: int, options: dict, log=_log):
    ids = [a.id for a in corpus.articles]
    languages = [a.language or "?" for a in corpus.articles]
    fold_of_article = article_folds(ids, languages, folds, seed)
    token_fold = fold_of_article[data.token_article]
    cache = Path(options["oof_cache"]) if options.get("oof_cache") else None
    if cache is not None and cache.is_file():
        oof = np.load(cache, allow_pickle=False)
        log(f"out-of-fold probabilities read from {cache}")
    else:
        oof = out_of_fold(data, token_fold, folds, seed, options, log)
        if cache is not None:
            np.save(cache, oof)
    chosen, predicted = tune_decoding(corpus, data, oof, fold_of_article, ("gated", "free"), log)
    return chosen, predicted, fold_of_article


def tune_decoding(corpus, data: TokenData, oof: np.ndarray, fold_of_article, settings, log=_log):
    """Decoding mode and threshold per technique for each setting (``gated``, ``free``), and
    the cross-fitted spans of each (fold k decoded with the choice made on the others), with
    the whole-paragraph reference line."""
    ids = [a.id for a in corpus.articles]
    folds = int(fold_of_article.max()) + 1
    tuner = _Tuner(data, ids, fold_of_article, [a.text for a in corpus.articles])
    tuner.set_paragraph_gold(corpus)
    fold_of = {doc: int(f) for doc, f in zip(ids, fold_of_article, strict=True)}
    chosen: dict[str, dict] = {setting: {} for setting in settings}
    predicted: dict[str, list] = {setting: [] for setting in (*settings, "whole_paragraph")}
    for j, technique in enumerate(TECHNIQUE_LABELS):
        prob = oof[:, j]
        for setting in settings:
            gated = setting == "gated"
            grid = {}
            cache = {}
            for mode in SPAN_MODES:
                if gated:
                    mask = np.array([technique in g for g in tuner.paragraph_gold], dtype=bool)
                    masked = np.where(mask[data.table.paragraph], prob, -1.0)
                    cache[mode] = tuner.fallbacks(masked, technique, mode, mask)
                for threshold in THRESHOLDS if gated else FREE_THRESHOLDS:
                    spans = tuner.spans(prob, technique, mode, threshold, gated, cache.get(mode))
                    grid[(mode, threshold)] = (tuner.fold_sums(technique, spans), spans)
            sums_only = {c: v[0] for c, v in grid.items()}
            chosen[setting][technique] = _choose(sums_only, None)
            for k in range(folds):  # cross-fitted: fold k decoded with the others' choice
                config = _choose(sums_only, k)
                predicted[setting] += [s for s in grid[config][1] if fold_of[s[0]] == k]
        log(f"tuned {technique}: " + ", ".join(f"{s} {chosen[s][technique]}" for s in settings))
        predicted["whole_paragraph"] += tuner.spans(prob, technique, "paragraph", -0.5, True)
    return chosen, predicted


def _line_finder(corpus):
    """A function (article id, offset) -> line number of the paragraph holding the offset."""
    starts = {
        a.id: (np.array([p.start for p in a.paragraphs]), [p.line for p in a.paragraphs])
        for a in corpus.articles
    }

    def line_at(doc: str, offset: int) -> int:
        begins, lines = starts[doc]
        return lines[int(np.searchsorted(begins, offset, side="right")) - 1]

    return line_at


def report(corpus, data: TokenData, predicted: dict) -> dict:
    language_of = {a.id: a.language for a in corpus.articles}
    gold = data.gold
    metrics: dict = {}
    for setting in predicted:
        spans = [s[:4] for s in predicted[setting]]
        overall = span_scores(gold, spans)
        per_language = grouped_span_scores(gold, spans, language_of)
        entry = {
            "overall": {k: v for k, v in overall.items() if k != "per_label"},
            "per_language": {
                lang: {k: v for k, v in s.items() if k != "per_label"}
                for lang, s in per_language.items()
            },
            "per_technique": overall["per_label"],
        }
        if setting == "whole_paragraph":
            del entry["per_technique"]
        elif setting == "gated":
            entry["fallback_share"] = sum(1 for s in predicted[setting] if s[5]) / max(
                1, len(predicted[setting])
            )
        else:
            # paragraph labels from spans alone, against the official paragraph labels
            line_at = _line_finder(corpus)
            by_paragraph: dict = defaultdict(set)
            for doc, technique, start, _end in spans:
                by_paragraph[(doc, line_at(doc, start))].add(technique)
            keys = [
                (a.id, p.line)
                for a in corpus.articles
                for p in a.paragraphs
                if (a.id, p.line) in corpus.paragraph_labels
            ]
            gold_p = {k: corpus.paragraph_labels[k] for k in keys}
            pred_p = {k: sorted(by_paragraph.get(k, ())) for k in keys}
            para = techniques_scores(gold_p, pred_p)
            entry["paragraph_from_spans"] = {
                "micro_f1": para["micro_f1"],
                "micro_precision": para["micro_precision"],
                "micro_recall": para["micro_recall"],
                "macro_f1": para["macro_f1"],
                "per_language": {
                    lang: techniques_scores(
                        {k: v for k, v in gold_p.items() if language_of[k[0]] == lang},
                        {k: v for k, v in pred_p.items() if language_of[k[0]] == lang},
                    )["micro_f1"]
                    for lang in sorted(set(language_of.values()))
                },
            }
        metrics[setting] = _round(entry)
    return metrics


def train_evidence(data_dir, out_dir, languages=None, folds=5, seed=0, log=_log, **options):
    options = {**DEFAULTS, **options}
    started = time.time()
    corpus = load_span_corpus(Path(data_dir), languages)
    if options["max_articles"]:
        kept, count = [], defaultdict(int)
        for article in corpus.articles:
            count[article.language] += 1
            if count[article.language] <= options["max_articles"]:
                kept.append(article)
        corpus.articles = kept
    featurizer = TokenFeaturizer(bits=options["bits"], sentence_bag=options["sentence_bag"])
    data = build_token_data(corpus, featurizer)
    log(f"{len(corpus.articles)} articles, {data.X.shape[0]} tokens featurized")
    chosen, predicted, _ = cross_validate(corpus, data, folds, seed, options, log)
    metrics = report(corpus, data, predicted)
    weights, bias = fit_weights(data.X, data.Y, options["alpha"], options["epochs"], seed)
    arrays = {"bias": bias}
    if options["quantize"]:
        arrays["weights"], arrays["scale"] = quantize_int8(weights)
    else:
        arrays["weights"] = weights.astype(np.float16)
    manifest = {
        "labels": list(TECHNIQUE_LABELS),
        "modes": {t: chosen["gated"][t][0] for t in TECHNIQUE_LABELS},
        "thresholds": {t: chosen["gated"][t][1] for t in TECHNIQUE_LABELS},
        "free_decoding": {t: list(chosen["free"][t]) for t in TECHNIQUE_LABELS},
        "features": featurizer.settings_dict(),
        "training": {
            "languages": sorted({a.language for a in corpus.articles}),
            "articles": len(corpus.articles),
            "tokens": int(data.X.shape[0]),
            "gold_spans": len(data.gold),
            "fingerprint": corpus.fingerprint,
            "learner": "sklearn SGDClassifier(log_loss) per technique",
            "alpha": options["alpha"],
            "epochs": options["epochs"],
            "folds": folds,
            "seed": seed,
            "max_articles": options["max_articles"],
            "seconds": round(time.time() - started),
        },
        "metrics": metrics,
    }
    return save_artifact(Path(out_dir), "evidence", arrays, manifest)


def train(data_dir, out_dir, languages=None, folds=5, seed=0, **options) -> dict:
    """The ``propscope train evidence`` entry point: cross-validate, fit on all, save."""
    return train_evidence(data_dir, out_dir, languages, folds, seed, **options)
