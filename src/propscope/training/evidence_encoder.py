"""Training of the encoder evidence model: span probabilities from e5 token states.

The linear evidence model scores a token from hashed features of its neighbourhood, for every
paragraph. This one is conditional: given that a paragraph uses a technique (the paragraph
model's prediction, which is all the analyzer ever decodes), which of its words carry it?

1. Every paragraph of the span corpus that has paragraph labels goes through the encoder once
   (``passage:`` prefix, as the encoder analyzer embeds it), keeping its piece states. Each
   token of the evidence tokenizer gets the mean state of the pieces it overlaps; its features
   are that state and the mean of its sentence's (768 numbers).
2. Per technique, a logistic model over the tokens of the paragraphs labelled with it
   (scikit-learn ``LogisticRegression``, standardised features). Out-of-fold probabilities come
   from the same article-held-out folds as the linear model's.
3. Decoding and thresholds are tuned, cross-fitted, exactly as for the linear model
   (:func:`propscope.training.evidence.tune_decoding`), in the gated setting only: the model
   has no meaning outside a labelled paragraph.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from ..analyzers.evidence_encoder import states_over, token_features
from ..atomic import atomic_write
from ..models.encoder import DIM, ENCODER_ID, IMAGE_SHA256, LAYERS, Forward
from ..models.linear import sigmoid
from ..taxonomy import TECHNIQUE_LABELS
from .cv import article_folds, cv_record, train_seconds
from .embed_cache import cache_base
from .evidence_data import TokenData

C = 0.1  # inverse L2 strength of the logistic models
STATES_VERSION = 1  # of how token states are computed: part of their cache key


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def paragraph_gold(corpus, data: TokenData) -> list[set[str]]:
    """The paragraph labels of each paragraph of ``data.paragraphs``."""
    out = []
    for a, p in data.paragraphs:
        article = corpus.articles[a]
        out.append(set(corpus.paragraph_labels.get((article.id, article.paragraphs[p].line), ())))
    return out


def labelled_paragraphs(corpus, data: TokenData) -> np.ndarray:
    """Global paragraph indices (``data.paragraphs``) that carry paragraph labels."""
    return np.asarray([g for g, gold in enumerate(paragraph_gold(corpus, data)) if gold], np.int64)


def _paragraph_states(forward: Forward, items: list[tuple[str, int, np.ndarray, np.ndarray]]):
    """Token states of paragraphs: items hold (text, article offset of the text, token starts,
    token ends in the article); returns one (tokens, 384) array per paragraph."""
    _, pieces = forward.embed_with_pieces([text.strip() for text, _, _, _ in items])
    return [
        states_over(text, piece, starts - base, ends - base)
        for (text, base, starts, ends), piece in zip(items, pieces, strict=True)
    ]


def _work(items):
    return _paragraph_states(Forward(threads=1), items)


def token_states(corpus, data: TokenData, paragraphs: np.ndarray, workers: int = 1, log=_log):
    """(tokens, 384) float16 token states, zero outside ``paragraphs``; cached on disk."""
    key = hashlib.sha256(
        json.dumps(
            [STATES_VERSION, IMAGE_SHA256, LAYERS, corpus.fingerprint, len(data.table.starts)]
            + paragraphs.tolist()
        ).encode()
    ).hexdigest()[:24]
    cache = cache_base() / "evidence-states" / f"{key}.npy"
    if cache.is_file():
        log(f"token states read from {cache}")
        return np.load(cache, allow_pickle=False)
    table = data.table
    bounds = np.searchsorted(table.paragraph, np.arange(len(data.paragraphs) + 1))
    items = []
    for g in paragraphs.tolist():
        a, p = data.paragraphs[g]
        paragraph = corpus.articles[a].paragraphs[p]
        lo, hi = bounds[g], bounds[g + 1]
        items.append((paragraph.text, paragraph.start, table.starts[lo:hi], table.ends[lo:hi]))
    started = time.time()
    chunks = [items[i : i + 64] for i in range(0, len(items), 64)]
    results = []
    with ExitStack() as stack:
        if workers > 1:
            from multiprocessing import get_context

            pool = stack.enter_context(get_context("spawn").Pool(workers))
            parts = pool.imap(_work, chunks)
        else:
            forward = Forward(threads=1)
            parts = (_paragraph_states(forward, chunk) for chunk in chunks)
        for done, part in enumerate(parts, 1):
            results.extend(part)
            if done % 20 == 0:
                log(
                    f"states: {len(results)}/{len(items)} paragraphs, {time.time() - started:.0f} s"
                )
    states = np.zeros((len(table.starts), DIM), dtype=np.float16)
    for g, values in zip(paragraphs.tolist(), results, strict=True):
        states[bounds[g] : bounds[g + 1]] = values
    with atomic_write(cache, "wb") as out:
        np.save(out, states)
    log(f"token states of {len(items)} paragraphs in {time.time() - started:.0f} s")
    return states


class Standardised:
    """A logistic model on standardised features, folded into one weight vector."""

    def __init__(self, c: float = C, max_iter: int = 300):
        self.c, self.max_iter = c, max_iter

    def fit(self, X: np.ndarray, y: np.ndarray):
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        mean = X.mean(axis=0)
        scale = X.std(axis=0) + 1e-6
        model = LogisticRegression(C=self.c, max_iter=self.max_iter)
        # one BLAS thread: several threads on a shared machine ran many times slower
        with threadpool_limits(limits=1, user_api="blas"):
            model.fit((X - mean) / scale, y)
        w = model.coef_[0] / scale
        self.weights = w.astype(np.float32)
        self.bias = float(model.intercept_[0] - mean @ w)
        return self


def fit_column(X: np.ndarray, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """Weights and bias of one technique; a constant score where there is nothing to learn
    (no token, or tokens of one class only)."""
    if not len(y) or y.min() == y.max():
        return np.zeros(X.shape[1], np.float32), (10.0 if len(y) and y.max() else -10.0)
    model = Standardised(c).fit(X, y)
    return model.weights, model.bias


def gated_rows(corpus, data: TokenData) -> list[np.ndarray]:
    """Per technique, the tokens of the paragraphs labelled with it."""
    gold = paragraph_gold(corpus, data)
    rows = []
    for technique in TECHNIQUE_LABELS:
        mask = np.array([technique in g for g in gold], dtype=bool)
        rows.append(np.flatnonzero(mask[data.table.paragraph]))
    return rows


def out_of_fold(corpus, data, X, rows, folds, seed, c, log=_log):
    ids = [a.id for a in corpus.articles]
    fold_of_article = article_folds(ids, [a.language or "?" for a in corpus.articles], folds, seed)
    token_fold = fold_of_article[data.token_article]
    oof = np.zeros(data.Y.shape, dtype=np.float32)
    for j, technique in enumerate(TECHNIQUE_LABELS):
        started = time.time()
        r = rows[j]
        y = data.Y[r, j]
        for k in range(folds):
            train, test = r[token_fold[r] != k], r[token_fold[r] == k]
            if len(test):
                weights, bias = fit_column(X[train], data.Y[train, j], c)
                oof[test, j] = sigmoid(X[test] @ weights + bias)
        share = float(y.mean()) if len(y) else 0.0
        log(f"{technique}: {len(r)} tokens, {share:.2f} positive, {time.time() - started:.0f} s")
    return oof, fold_of_article


def highlighted_share(corpus, spans: list) -> dict:
    """How much of a labelled paragraph the gated spans highlight: characters of the spans of a
    technique over the characters of the paragraphs labelled with it (1.0 is the whole
    paragraph), overall and per language."""
    lengths, language_of = {}, {}
    for article in corpus.articles:
        language_of[article.id] = article.language
        for paragraph in article.paragraphs:
            labels = corpus.paragraph_labels.get((article.id, paragraph.line), ())
            for technique in labels:
                lengths[(article.id, paragraph.start, technique)] = len(paragraph.text.strip())
    starts = {a.id: np.array([p.start for p in a.paragraphs]) for a in corpus.articles}
    covered: dict = {}
    for doc, technique, start, end, *_ in spans:
        article_starts = starts[doc]
        paragraph_start = int(article_starts[np.searchsorted(article_starts, start, "right") - 1])
        key = (doc, paragraph_start, technique)
        covered[key] = covered.get(key, 0) + (end - start)
    totals: dict = {}
    for key, length in lengths.items():
        for group in ("all", language_of[key[0]]):
            seen, whole = totals.get(group, (0, 0))
            totals[group] = (seen + covered.get(key, 0), whole + length)
    return {group: round(seen / whole, 4) for group, (seen, whole) in sorted(totals.items())}


def train(
    data_dir,
    out_dir,
    languages=None,
    folds: int = 5,
    seed: int = 0,
    max_articles: int | None = None,
    c: float = C,
    workers: int = 1,
    log=_log,
) -> dict:
    """The ``propscope train evidence --model encoder`` entry point: token states (cached),
    cross-validation with cross-fitted decoding choices, the final fit on all articles."""
    from ..features.tokens import TokenFeaturizer
    from ..models.artifact import save_artifact
    from .encoder import _cap
    from .evidence import report, tune_decoding
    from .evidence_data import build_token_data, load_span_corpus

    started = time.time()
    corpus = _cap(load_span_corpus(Path(data_dir), languages), max_articles)
    featurizer = TokenFeaturizer()  # its tokens and sentences; the hashed features go unused
    data = build_token_data(corpus, featurizer)
    paragraphs = labelled_paragraphs(corpus, data)
    X = token_features(token_states(corpus, data, paragraphs, workers, log), data.table.sentence)
    rows = gated_rows(corpus, data)
    oof, fold_of_article = out_of_fold(corpus, data, X, rows, folds, seed, c, log)
    chosen, predicted = tune_decoding(corpus, data, oof, fold_of_article, ("gated",), log)
    metrics = report(corpus, data, predicted)
    metrics["gated"]["highlighted_share"] = highlighted_share(corpus, predicted["gated"])
    final_started = time.time()
    weights = np.zeros((X.shape[1], len(TECHNIQUE_LABELS)), dtype=np.float32)
    bias = np.zeros(len(TECHNIQUE_LABELS), dtype=np.float32)
    for j in range(len(TECHNIQUE_LABELS)):
        weights[:, j], bias[j] = fit_column(X[rows[j]], data.Y[rows[j], j], c)
    manifest = {
        "labels": list(TECHNIQUE_LABELS),
        "modes": {t: chosen["gated"][t][0] for t in TECHNIQUE_LABELS},
        "thresholds": {t: chosen["gated"][t][1] for t in TECHNIQUE_LABELS},
        "tokens": featurizer.settings_dict(),
        "features": "token state and sentence mean state (768)",
        "encoder": ENCODER_ID,
        "trained_languages": sorted({a.language for a in corpus.articles}),
        "training_data_fingerprint": corpus.fingerprint,
        "training": {
            "articles": len(corpus.articles),
            "labelled_paragraphs": len(paragraphs),
            "tokens": int(sum(len(r) for r in rows)),
            "gold_spans": len(data.gold),
            "learner": "sklearn LogisticRegression per technique, standardised features",
            "C": c,
            "max_articles": max_articles,
        },
        "cv": cv_record(folds, seed),
        "metrics": metrics,
        "train_seconds": train_seconds(started, final_started),
    }
    arrays = {"weights": weights, "bias": bias}
    return save_artifact(Path(out_dir), "evidence_encoder", arrays, manifest)
