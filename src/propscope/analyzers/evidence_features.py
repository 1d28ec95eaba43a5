"""Token features for the evidence (span) model: hashed, numpy only, no training library.

A paragraph is cut into tokens (runs of word characters, or single other non-space
characters) with character offsets, and into sentences. Each token gets a few dozen hashed
feature ids (``zlib.crc32`` of a feature string, masked to ``bits`` bits):

- the token itself: bias, lowercase form, first three and last three/four characters, shape
  (upper/lower/digit/punctuation pattern);
- its context: the lowercase forms of the tokens at -3..+3 (by relative position), and the
  bigrams with its left and right neighbours (hashes combined arithmetically);
- where it is: first, last or inner token of its sentence, inside quotation marks (a quote
  character toggles) or parentheses, relative position in the paragraph (quarters);
- its sentence: ends with a question mark, contains an exclamation mark, length bin, and the
  lowercase words of the sentence (a bag of words, so that a token knows what its sentence is
  about: this carries the long, clause-level techniques such as Doubt or Appeal to Fear).

Every token has the same number of token features (``TOKEN_SLOTS``), so scoring is one
gather and one sum. The sentence features are stored once per sentence and added to each of
its tokens' scores. The same function serves training and inference, so features can never
drift apart.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np

TOKEN = re.compile(r"\w+|[^\w\s]")
# A sentence ends after . ! ? … (and closing quotes or brackets) followed by a space.
SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)")
QUOTES_OPEN = set('"«“„')
QUOTES_CLOSE = set('"»”')
CONTEXT = (-3, -2, -1, 1, 2, 3)

FEATURE_SETTINGS_VERSION = 2
TOKEN_SLOTS = 18
_PRIME = 1_000_003


@dataclass
class Tokens:
    """The tokens of one text: offsets (relative to the text), sentence ids, feature ids."""

    starts: np.ndarray  # int32, token start offsets
    ends: np.ndarray  # int32, token end offsets (exclusive)
    sentence: np.ndarray  # int32, sentence index of each token
    sentence_bounds: list[tuple[int, int]]  # (first token, last token + 1) per sentence
    indices: np.ndarray  # int64, tokens x TOKEN_SLOTS feature ids
    # Features shared by every token of a sentence, stored once per sentence:
    # sentence k owns sentence_indices[sentence_offsets[k]:sentence_offsets[k+1]].
    sentence_indices: np.ndarray
    sentence_offsets: np.ndarray

    def __len__(self) -> int:
        return len(self.starts)


def _shape(word: str) -> str:
    if word.isalpha():
        if word.isupper():
            return "X" if len(word) > 1 else "X1"
        if word[0].isupper():
            return "Xx"
        return "x"
    if word.isdigit():
        return "d"
    if len(word) == 1 and not word.isalnum():
        return "p" + word
    return "m"


class Featurizer:
    """Hashed token features; ``bits`` sets the size of the weight table (2**bits rows)."""

    def __init__(self, bits: int = 18, sentence_bag: bool = True):
        self.bits = bits
        self.sentence_bag = sentence_bag
        self.mask = (1 << bits) - 1
        self._word: dict[str, tuple] = {}
        self._fixed = {
            name: self._id(name)
            for name in (
                "first",
                "last",
                "inner",
                "single",
                "inq",
                "qclose",
                "outq",
                "inb",
                "outb",
                "pq:0",
                "pq:1",
                "pq:2",
                "pq:3",
                "sq?",
                "s!",
            )
        }
        self._pad = np.array([self._id(f"c{d}:<>") for d in CONTEXT], dtype=np.int64)
        self._edge = (self._id("<s>"), self._id("</s>"))

    def settings(self) -> dict:
        return {
            "version": FEATURE_SETTINGS_VERSION,
            "bits": self.bits,
            "sentence_bag": self.sentence_bag,
            "hash": "zlib.crc32(utf-8 feature string) & (2**bits - 1)",
            "token_pattern": TOKEN.pattern,
            "context": list(CONTEXT),
        }

    def _id(self, feature: str) -> int:
        return zlib.crc32(feature.encode("utf-8")) & self.mask

    def _word_features(self, word: str) -> tuple:
        """(own ids (5), context ids (6), sentence-bag id, raw hash) of a token, cached."""
        cached = self._word.get(word)
        if cached is not None:
            return cached
        lower = word.lower()
        _id = self._id
        own = (
            _id("w:" + lower),
            _id("sh:" + _shape(word)),
            _id("p3:" + lower[:3]) if len(lower) > 3 else _id("p3:-"),
            _id("s3:" + lower[-3:]) if len(lower) > 3 else _id("s3:-"),
            _id("s4:" + lower[-4:]) if len(lower) > 4 else _id("s4:-"),
        )
        context = tuple(_id(f"c{d}:" + lower) for d in CONTEXT)
        result = (
            own,
            context,
            _id("sw:" + lower),
            zlib.crc32(lower.encode("utf-8")),
            word in QUOTES_OPEN or word in QUOTES_CLOSE,
        )
        if len(self._word) < 300_000:
            self._word[word] = result
        return result

    def tokens(self, text: str) -> Tokens:
        matches = list(TOKEN.finditer(text))
        n = len(matches)
        starts = np.fromiter((m.start() for m in matches), dtype=np.int32, count=n)
        ends = np.fromiter((m.end() for m in matches), dtype=np.int32, count=n)
        words = [m.group() for m in matches]
        # Sentences: cut after sentence-ending punctuation followed by a space.
        cuts = [m.end() for m in SENTENCE_END.finditer(text)]
        sentence = np.searchsorted(np.asarray(cuts, dtype=np.int64), starts, side="right")
        bounds: list[tuple[int, int]] = []
        if not n:
            empty = np.zeros(0, dtype=np.int64)
            return Tokens(
                starts,
                ends,
                sentence.astype(np.int32),
                bounds,
                np.zeros((0, TOKEN_SLOTS), dtype=np.int64),
                empty,
                np.zeros(1, dtype=np.int64),
            )
        change = np.flatnonzero(np.diff(sentence)) + 1
        edges = np.concatenate([[0], change, [n]])
        bounds = list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))
        # renumber sentences 0..k-1 (some cut points may hold no token)
        sentence = np.repeat(np.arange(len(bounds), dtype=np.int32), np.diff(edges))
        base = [self._word_features(w) for w in words]
        own = np.array([b[0] for b in base], dtype=np.int64)  # n x 5
        context = np.array([b[1] for b in base], dtype=np.int64)  # n x 6
        raw = np.array([b[3] for b in base], dtype=np.int64)
        quote = np.array([b[4] for b in base], dtype=bool)
        ids = np.empty((n, TOKEN_SLOTS), dtype=np.int64)
        ids[:, 0] = 0  # the bias, shared by every token
        ids[:, 1:6] = own
        for k, d in enumerate(CONTEXT):  # the neighbour at distance d, in its role
            column = np.full(n, self._pad[k], dtype=np.int64)
            if abs(d) >= n:
                pass
            elif d < 0:
                column[-d:] = context[: n + d, k]
            else:
                column[: n - d] = context[d:, k]
            ids[:, 6 + k] = column
        left = np.concatenate([[self._edge[0]], raw[:-1]])
        right = np.concatenate([raw[1:], [self._edge[1]]])
        ids[:, 12] = ((left * _PRIME + raw) * 3 + 1) & self.mask
        ids[:, 13] = ((raw * _PRIME + right) * 3 + 2) & self.mask
        fixed = self._fixed
        first_of = edges[:-1][sentence]
        last_of = edges[1:][sentence] - 1
        position = np.arange(n)
        ids[:, 14] = np.where(
            first_of == last_of,
            fixed["single"],
            np.where(
                position == first_of,
                fixed["first"],
                np.where(position == last_of, fixed["last"], fixed["inner"]),
            ),
        )
        before = np.cumsum(quote) - quote  # quote characters before each token
        ids[:, 15] = np.where(
            quote & (before % 2 == 1),
            fixed["qclose"],
            np.where(~quote & (before % 2 == 1), fixed["inq"], fixed["outq"]),
        )
        opens = np.array([w == "(" for w in words])
        closes = np.array([w == ")" for w in words])
        depth = np.cumsum(opens) - np.cumsum(closes) - opens
        ids[:, 16] = np.where((depth > 0) & ~closes, fixed["inb"], fixed["outb"])
        quarter = np.array([fixed[f"pq:{q}"] for q in range(4)], dtype=np.int64)
        ids[:, 17] = quarter[4 * position // n]
        sentence_features: list[list[int]] = []
        for first, last in bounds:
            sentence_words = words[first:last]
            sentence_ids = [self._id(f"sl:{min(last - first, 60).bit_length()}")]
            if "?" in sentence_words:
                sentence_ids.append(fixed["sq?"])
            if "!" in sentence_words:
                sentence_ids.append(fixed["s!"])
            if self.sentence_bag:
                sentence_ids += sorted({base[i][2] for i in range(first, last)})
            sentence_features.append(sentence_ids)
        sentence_indices, sentence_offsets = _flatten(sentence_features)
        return Tokens(starts, ends, sentence, bounds, ids, sentence_indices, sentence_offsets)


def _flatten(lists) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.fromiter((len(f) for f in lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter((x for f in lists for x in f), dtype=np.int64, count=int(offsets[-1]))
    return flat, offsets
