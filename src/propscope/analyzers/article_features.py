"""Article-level text features for the genre and frames models (numpy only at inference).

An article becomes two blocks of hashed n-gram counts, built with nothing but numpy and zlib so
that they are stateless and reproducible from a few settings stored in the model manifest:

* characters: n-grams of ``char_ngram`` lengths taken inside each lower-cased, space-padded
  word (like scikit-learn's ``char_wb``), hashed into ``2**char_bits`` buckets;
* words: ``\\w+`` tokens, lower-cased, unigrams and bigrams, hashed into ``2**word_bits`` buckets.

Each block holds ``log1p(count)`` values, L2-normalised, times the block weight. The title is
counted ``title_repeats`` times. A linear head (:class:`LinearHead`) turns the features into one
score per label: ``score = features @ W * scale + bias`` with int8 weights.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..document import Article
from ..errors import ArtifactError
from .base import Analyzer, untrained_note

_P = np.uint64(1099511628211)  # polynomial base of the rolling character hash
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of multiply-shift bucketing
_SALT = np.uint64(0xD6E8FEB86659FD93)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FeatureSettings:
    char_ngram: tuple[int, int] = (2, 5)
    char_bits: int = 16
    word_bits: int = 16
    char_weight: float = 2.0**0.5
    word_weight: float = 1.0
    title_repeats: int = 2
    version: int = field(default=1)

    @property
    def size(self) -> int:
        return 2**self.char_bits + 2**self.word_bits

    def to_dict(self) -> dict:
        data = asdict(self)
        data["char_ngram"] = list(self.char_ngram)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> FeatureSettings:
        data = dict(data)
        data["char_ngram"] = tuple(data["char_ngram"])
        return cls(**data)


def article_text(article: Article) -> str:
    """Title (repeated by the caller's settings) is kept apart; this is the body text."""
    paragraphs = article.analyzable_paragraphs()
    if (
        paragraphs
        and article.title
        and paragraphs[0].text.strip().lstrip("\ufeff") == article.title
    ):
        paragraphs = paragraphs[1:]
    if not article.paragraphs:
        return article.text
    return "\n".join(p.text for p in paragraphs)


def _bucket(hashes: np.ndarray, bits: int) -> np.ndarray:
    return ((hashes * _MIX) >> np.uint64(64 - bits)).astype(np.int64)


def _char_hashes(text: str, low: int, high: int) -> np.ndarray:
    words = text.lower().split()
    if not words:
        return np.zeros(0, np.uint64)
    # Padded words separated by NUL: an n-gram is kept when it holds no NUL and no inner space.
    sequence = " " + " \x00 ".join(words) + " "
    codes = np.frombuffer(sequence.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    length = len(codes)
    nul = np.concatenate(([0], np.cumsum(codes == 0)))
    space = np.concatenate(([0], np.cumsum(codes == 32)))
    rolling = codes.copy()
    found = []
    with np.errstate(over="ignore"):
        for n in range(2, high + 1):
            count = length - n + 1
            if count <= 0:
                break
            rolling = rolling[:count] * _P + codes[n - 1 : n - 1 + count]
            if n < low:
                continue
            start = np.arange(count)
            keep = (nul[start + n] == nul[start]) & (space[start + n - 1] == space[start + 1])
            found.append(rolling[keep] ^ (np.uint64(n) * _SALT))
    return np.concatenate(found) if found else np.zeros(0, np.uint64)


def _word_hashes(text: str) -> np.ndarray:
    tokens = _WORD.findall(text.lower())
    if not tokens:
        return np.zeros(0, np.uint64)
    ids = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in tokens), np.uint64, len(tokens))
    with np.errstate(over="ignore"):
        bigrams = (ids[:-1] * _P + ids[1:]) ^ _SALT
    return np.concatenate((ids, bigrams))


def _block(buckets: np.ndarray, offset: int, weight: float) -> tuple[np.ndarray, np.ndarray]:
    index, counts = np.unique(buckets, return_counts=True)
    values = np.log1p(counts.astype(np.float32))
    norm = float(np.sqrt(values @ values))
    if norm > 0:
        values *= weight / norm
    return index + offset, values


def featurize(title: str, body: str, settings: FeatureSettings) -> tuple[np.ndarray, np.ndarray]:
    """Sparse features of one article: (column indices, float32 values)."""
    text = "\n".join([title] * settings.title_repeats + [body])
    low, high = settings.char_ngram
    char = _block(
        _bucket(_char_hashes(text, low, high), settings.char_bits), 0, settings.char_weight
    )
    word = _block(
        _bucket(_word_hashes(text), settings.word_bits),
        2**settings.char_bits,
        settings.word_weight,
    )
    return np.concatenate((char[0], word[0])), np.concatenate((char[1], word[1]))


def featurize_article(article: Article, settings: FeatureSettings):
    return featurize(article.title, article_text(article), settings)


def feature_matrix(rows, settings: FeatureSettings):
    """A scipy CSR matrix of ``featurize`` outputs (training only: imports scipy)."""
    import scipy.sparse as sp

    indptr = np.zeros(len(rows) + 1, np.int64)
    indptr[1:] = np.cumsum([len(index) for index, _ in rows])
    indices = np.concatenate([index for index, _ in rows]) if rows else np.zeros(0, np.int64)
    values = np.concatenate([v for _, v in rows]) if rows else np.zeros(0, np.float32)
    return sp.csr_matrix((values, indices, indptr), shape=(len(rows), settings.size))


class LinearHead:
    """``score = x @ (W_int8 * scale) + bias`` over the sparse features of one article."""

    def __init__(self, weights: np.ndarray, scale: np.ndarray, bias: np.ndarray):
        if weights.ndim != 2 or scale.shape != (weights.shape[1],) or bias.shape != scale.shape:
            raise ValueError("linear head arrays have inconsistent shapes")
        self.weights = weights.astype(np.float32) * scale.astype(np.float32)
        self.bias = bias.astype(np.float32)

    def scores(self, features: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        index, values = features
        return values @ self.weights[index] + self.bias


# (key, features) of the last article, so genre and frames featurize it once. One tuple,
# replaced whole and read once per call: threads sharing a pipeline never mix two articles.
_last: list = [None]


def cached_features(article: Article, settings: FeatureSettings):
    """``featurize_article`` remembering the last article, so genre and frames featurize once."""
    body = article_text(article)
    key = (article.title, body, settings)
    entry = _last[0]
    if entry is None or entry[0] != key:
        entry = (key, featurize(article.title, body, settings))
        _last[0] = entry
    return entry[1]


#: Key of the all-language entry in per-language decision tables.
GLOBAL = "_global"


class ArticleRidgeAnalyzer(Analyzer):
    """An article-level analyzer over a :class:`LinearHead`, with per-language decision values.

    Subclasses set ``official_labels`` and ``decision_key`` (the manifest entry holding the
    per-language decision values) and implement ``__call__``.
    """

    requires = ("language", "guard")
    labelling = True
    official_labels: tuple[str, ...] = ()
    decision_key = "thresholds"

    def __init__(self, head: LinearHead, manifest: dict):
        self.head = head
        self.settings = FeatureSettings.from_dict(manifest["features"])
        self.labels = list(manifest["labels"])
        self.decisions = {
            k: np.asarray(v, np.float32) for k, v in manifest[self.decision_key].items()
        }
        self.temperature = float(manifest["temperature"])
        self.manifest = manifest

    def label_precision(self, language: str | None) -> dict[str, float]:
        """Each label's cross-validated precision in ``language`` (all languages if untrained)."""
        metrics = self.manifest.get("metrics", {})
        table = metrics.get(language or "") or metrics.get("all") or {}
        return {
            label: round(float(row["precision"]), 4)
            for label, row in table.get("per_label", {}).items()
            if row.get("predicted")
        }

    @classmethod
    def load(cls, path: Path | None = None) -> ArticleRidgeAnalyzer:
        from ..training.artifact import load_artifact

        arrays, manifest = load_artifact(path or cls.default_path(), cls.name)
        try:
            if list(manifest["labels"]) != list(cls.official_labels):
                raise ArtifactError(
                    f"{cls.name} model labels {manifest['labels']} are not the official ones"
                )
            head = LinearHead(arrays["weights"], arrays["scale"], arrays["bias"])
            analyzer = cls(head, manifest)
            if head.weights.shape != (analyzer.settings.size, len(cls.official_labels)):
                raise ArtifactError(f"{cls.name} model weights do not match its feature settings")
            if GLOBAL not in analyzer.decisions:
                raise ArtifactError(f"{cls.name} model has no all-language decision values")
        except (KeyError, TypeError, ValueError) as error:
            raise ArtifactError(f"{cls.name} model manifest is incomplete ({error})") from None
        return analyzer

    def scores_and_decision(self, article: Article) -> tuple[np.ndarray, np.ndarray, str | None]:
        """Raw scores, the decision values of the article's language, and a note when untrained."""
        scores = self.head.scores(cached_features(article, self.settings))
        decision = self.decisions.get(article.language or "")
        if decision is not None:
            return scores, decision, None
        return scores, self.decisions[GLOBAL], untrained_note(article.language)
