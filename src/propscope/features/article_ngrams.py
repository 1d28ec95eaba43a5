"""Article-level text features for the genre and frames models (numpy only at inference).

An article becomes two blocks of hashed n-gram counts, built with nothing but numpy and zlib so
that they are stateless and reproducible from a few settings stored in the model manifest:

* characters: n-grams of ``char_ngram`` lengths taken inside each lower-cased, space-padded
  word (like scikit-learn's ``char_wb``), hashed into ``2**char_bits`` buckets;
* words: ``\\w+`` tokens, lower-cased, unigrams and bigrams, hashed into ``2**word_bits`` buckets.

Each block holds ``log1p(count)`` values, L2-normalised, times the block weight. The title is
counted ``title_repeats`` times. A linear head (:class:`propscope.models.linear.LinearHead`)
turns the features into one score per label.
"""

from __future__ import annotations

import zlib
from dataclasses import asdict, dataclass, field

import numpy as np

from ..document import Article
from .tokenize import WORDS

_P = np.uint64(1099511628211)  # polynomial base of the rolling character hash
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of multiply-shift bucketing
_SALT = np.uint64(0xD6E8FEB86659FD93)


@dataclass(frozen=True)
class ArticleNgramSettings:
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
    def from_dict(cls, data: dict) -> ArticleNgramSettings:
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
    tokens = WORDS.findall(text.lower())
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


def featurize(
    title: str, body: str, settings: ArticleNgramSettings
) -> tuple[np.ndarray, np.ndarray]:
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


def featurize_article(article: Article, settings: ArticleNgramSettings):
    return featurize(article.title, article_text(article), settings)


class ArticleNgrams:
    """The article featurizer of the genre and frames models."""

    name = "article_ngrams"
    version = 1

    def __init__(self, settings: ArticleNgramSettings | None = None):
        self.settings = settings or ArticleNgramSettings()

    def settings_dict(self) -> dict:
        return self.settings.to_dict()

    @classmethod
    def from_settings(cls, settings: dict) -> ArticleNgrams:
        return cls(ArticleNgramSettings.from_dict(settings))

    def transform(self, articles: list[Article]) -> list[tuple[np.ndarray, np.ndarray]]:
        return [self.features_of(article) for article in articles]

    def features_of(self, article: Article) -> tuple[np.ndarray, np.ndarray]:
        """Features of one article, kept in its work area so genre and frames compute them once.

        The key holds the title and body, so an article edited in between is featurized anew.
        """
        body = article_text(article)
        key = (self.name, self.settings, article.title, body)
        cached = article.features.get(self.name)
        if cached is None or cached[0] != key:
            cached = (key, featurize(article.title, body, self.settings))
            article.features[self.name] = cached
        return cached[1]
