"""Shared text featurizer: hashed character and word n-grams with sublinear tf-idf.

Stateless hashing (``zlib.crc32`` of the UTF-8 n-gram, masked to ``bits``) means the feature
space needs no stored vocabulary: only the settings and two idf vectors travel with a model,
as plain arrays (see :meth:`HashedTfidf.to_arrays`). Text is NFKC-normalised, lower-cased and
every digit becomes ``0``.

Features of one text, in one vector of ``2**char_bits + 2**word_bits`` columns:

- ``char``: n-grams of ``char_ngram`` lengths inside each whitespace-separated word padded with
  one space each side (the "char_wb" scheme), so shared stems and affixes link languages;
- ``word``: word tokens (``\\w+`` runs and the marks ``! ? " « » “ ”``) and, for
  ``word_ngram[1] == 2``, adjacent token pairs.

Each block gets sublinear tf (1 + log count) times idf, then L2 normalisation; the word block is
scaled by ``word_weight`` and the whole row L2-normalised again. Only numpy and scipy are imported.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp

from .tokenize import WORDS_AND_MARKS, normalise

__all__ = ["HashedTfidf", "TfidfSettings", "count_matrix", "ngram_ids", "normalise"]


@dataclass(frozen=True)
class TfidfSettings:
    char_ngram: tuple[int, int] = (2, 5)
    word_ngram: tuple[int, int] = (1, 2)
    char_bits: int = 20
    word_bits: int = 20
    word_weight: float = 1.0

    def to_json(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> TfidfSettings:
        fields = dict(data)
        for key in ("char_ngram", "word_ngram"):
            if key in fields:
                fields[key] = tuple(fields[key])
        return cls(**fields)

    @property
    def width(self) -> int:
        return (1 << self.char_bits) + (1 << self.word_bits)


def ngram_ids(text: str, s: TfidfSettings) -> list[int]:
    """Column ids (with repeats) of the n-grams of one text."""
    text = normalise(text)
    crc = zlib.crc32
    cmask = (1 << s.char_bits) - 1
    lo, hi = s.char_ngram
    ids: list[int] = []
    add = ids.append
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(lo, min(hi, length) + 1):
            for i in range(length - n + 1):
                add(crc(padded[i : i + n].encode("utf-8")) & cmask)
    offset = 1 << s.char_bits
    wmask = (1 << s.word_bits) - 1
    tokens = WORDS_AND_MARKS.findall(text)
    if s.word_ngram[0] <= 1:
        ids.extend(offset + (crc(t.encode("utf-8")) & wmask) for t in tokens)
    if s.word_ngram[1] >= 2:
        ids.extend(
            offset + (crc(f"{a} {b}".encode()) & wmask)
            for a, b in zip(tokens, tokens[1:], strict=False)
        )
    return ids


def count_matrix(texts: Sequence[str], s: TfidfSettings) -> sp.csr_matrix:
    """Raw n-gram counts, one row per text."""
    columns = [np.asarray(ngram_ids(t, s), dtype=np.int64) for t in texts]
    lengths = np.array([len(c) for c in columns], dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate(columns) if columns else np.zeros(0, np.int64)
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sp.csr_matrix((data, indices, indptr), shape=(len(texts), s.width))
    matrix.sum_duplicates()
    return matrix


def l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    matrix = matrix.tocsr(copy=True)
    counts = np.diff(matrix.indptr)
    squares = np.zeros(matrix.shape[0], dtype=np.float64)
    nonempty = counts > 0
    if matrix.nnz:
        sums = np.add.reduceat(matrix.data.astype(np.float64) ** 2, matrix.indptr[:-1][nonempty])
        squares[nonempty] = sums
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, counts).astype(matrix.data.dtype)
    return matrix


class HashedTfidf:
    """Hashed n-gram tf-idf; ``fit`` only learns the idf vector (document frequencies)."""

    name = "paragraph_tfidf"
    version = 1

    def __init__(self, settings: TfidfSettings | None = None, idf: np.ndarray | None = None):
        self.settings = settings or TfidfSettings()
        self.idf = idf

    def counts(self, texts: Sequence[str]) -> sp.csr_matrix:
        return count_matrix(texts, self.settings)

    def fit(self, counts: sp.csr_matrix) -> HashedTfidf:
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        n = counts.shape[0]
        self.idf = (np.log((1.0 + n) / (1.0 + document_frequency)) + 1.0).astype(np.float32)
        return self

    def transform_counts(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        if self.idf is None:
            raise RuntimeError("HashedTfidf is not fitted")
        s = self.settings
        split = 1 << s.char_bits
        matrix = counts.astype(np.float32, copy=True).tocsr()
        matrix.data = (1.0 + np.log(matrix.data)) * self.idf[matrix.indices]
        char = l2_rows(matrix[:, :split])
        word = l2_rows(matrix[:, split:])
        word.data *= s.word_weight
        return l2_rows(sp.hstack([char, word], format="csr"))

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return self.transform_counts(self.counts(texts))

    def settings_dict(self) -> dict:
        return self.settings.to_json()

    @classmethod
    def from_settings(cls, settings: dict, idf: np.ndarray | None = None) -> HashedTfidf:
        return cls(TfidfSettings.from_json(settings), idf)

    # -- arrays for artifacts (no pickle) ---------------------------------------------------
    def to_arrays(self, prefix: str = "features_") -> tuple[dict[str, np.ndarray], dict]:
        """``(arrays, settings_json)``: the idf as float16 plus JSON-able settings."""
        return {f"{prefix}idf": self.idf.astype(np.float16)}, self.settings.to_json()

    @classmethod
    def from_arrays(
        cls, arrays: dict[str, np.ndarray], settings: dict, prefix: str = "features_"
    ) -> HashedTfidf:
        s = TfidfSettings.from_json(settings)
        idf = np.asarray(arrays[f"{prefix}idf"], dtype=np.float32)
        if idf.shape != (s.width,):
            raise ValueError(f"idf has shape {idf.shape}, settings need ({s.width},)")
        return cls(s, idf)
