"""Token features for the evidence (span) model: hashed, numpy only, no training library.

A paragraph is cut into tokens (runs of word characters, or single other non-space
characters) with character offsets, and into sentences. Each token gets a few dozen hashed
feature ids in ``[0, 2**bits)``: ``zlib.crc32`` of a feature string for the character
n-grams, shape and position features; for the word form in each role (itself, neighbour at
distance d, member of the sentence, bigram) a multiplicative hash of the word's crc32 with a
role constant, computed with numpy for all tokens at once:

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

import zlib
from dataclasses import dataclass

import numpy as np

from .tokenize import SENTENCE_END
from .tokenize import WORDS_AND_PUNCTUATION as TOKEN

QUOTES_OPEN = set('"«“„')
QUOTES_CLOSE = set('"»”')
CONTEXT = (-3, -2, -1, 1, 2, 3)

FEATURE_SETTINGS_VERSION = 3
TOKEN_SLOTS = 18
_GOLDEN = 0x9E3779B97F4A7C15
_ROLE = 0xC2B2AE3D27D4EB4F


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
    paragraph: np.ndarray  # int32, which of the featurized texts each token belongs to

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


class TokenFeaturizer:
    """Hashed token features; ``bits`` sets the size of the weight table (2**bits rows)."""

    name = "tokens"
    version = FEATURE_SETTINGS_VERSION

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
        self._edge = (zlib.crc32(b"<s>"), zlib.crc32(b"</s>"))
        self._length_ids = [self._id(f"sl:{k}") for k in range(8)]
        self._shapes: dict[str, int] = {}
        self._none = (self._id("p3:-"), self._id("s3:-"), self._id("s4:-"))

    def settings_dict(self) -> dict:
        return {
            "version": FEATURE_SETTINGS_VERSION,
            "bits": self.bits,
            "sentence_bag": self.sentence_bag,
            "hash": "zlib.crc32 of feature strings; word roles: multiplicative hash of crc32",
            "token_pattern": TOKEN.pattern,
            "context": list(CONTEXT),
        }

    @classmethod
    def from_settings(cls, settings: dict) -> TokenFeaturizer:
        if settings.get("version") != FEATURE_SETTINGS_VERSION:
            raise ValueError(
                f"token features version {settings.get('version')!r},"
                f" this propscope computes version {FEATURE_SETTINGS_VERSION}"
            )
        return cls(bits=int(settings["bits"]), sentence_bag=bool(settings["sentence_bag"]))

    def transform(self, texts: list[str]) -> Tokens:
        return self.tokens_many(texts)

    def _id(self, feature: str) -> int:
        return zlib.crc32(feature.encode("utf-8")) & self.mask

    def _word_features(self, word: str) -> tuple:
        """A token's crc32 of its lowercase form, ids of its own string features (shape,
        first three and last three/four characters), and whether it is a quotation mark, an
        opening or closing bracket, a question or exclamation mark, as one tuple (cached)."""
        cached = self._word.get(word)
        if cached is not None:
            return cached
        lower = word.lower()
        _id = self._id
        result = (
            zlib.crc32(lower.encode("utf-8")),
            self._shape_id(word),
            _id("p3:" + lower[:3]) if len(lower) > 3 else self._none[0],
            _id("s3:" + lower[-3:]) if len(lower) > 3 else self._none[1],
            _id("s4:" + lower[-4:]) if len(lower) > 4 else self._none[2],
            int(word in QUOTES_OPEN or word in QUOTES_CLOSE),
            int(word == "("),
            int(word == ")"),
            int(word == "?"),
            int(word == "!"),
        )
        if len(self._word) < 300_000:
            self._word[word] = result
        return result

    def word_id(self, word: str) -> int:
        """The feature id of a token's lowercase form (slot 1)."""
        raw = np.array([zlib.crc32(word.lower().encode("utf-8"))], dtype=np.int64)
        return int(self._mix(raw, 0)[0])

    def _shape_id(self, word: str) -> int:
        shape = _shape(word)
        value = self._shapes.get(shape)
        if value is None:
            value = self._shapes[shape] = self._id("sh:" + shape)
        return value

    def _mix(self, values: np.ndarray, role: int) -> np.ndarray:
        """Multiplicative hash of 32-bit values for a role, into [0, 2**bits)."""
        salted = values.astype(np.uint64) ^ np.uint64(_ROLE * (role + 1) & 0xFFFFFFFFFFFFFFFF)
        return ((salted * np.uint64(_GOLDEN)) >> np.uint64(64 - self.bits)).astype(np.int64)

    def tokens(self, text: str) -> Tokens:
        """The tokens and features of one text (a paragraph)."""
        return self.tokens_many([text])

    def tokens_many(self, texts: list[str]) -> Tokens:
        """Tokens of several paragraphs at once (``Tokens.paragraph`` tells whose).

        Offsets stay relative to each paragraph's own text; sentences are numbered across the
        batch. Features are exactly those of each paragraph featurized alone.
        """
        words: list[str] = []
        starts_list: list[int] = []
        ends_list: list[int] = []
        counts: list[int] = []
        cut_lists: list[list[int]] = []
        for text in texts:
            before = len(words)
            for m in TOKEN.finditer(text):
                words.append(m.group())
                starts_list.append(m.start())
                ends_list.append(m.end())
            counts.append(len(words) - before)
            cut_lists.append([m.end() for m in SENTENCE_END.finditer(text)])
        n = len(words)
        starts = np.array(starts_list, dtype=np.int32)
        ends = np.array(ends_list, dtype=np.int32)
        paragraph = np.repeat(np.arange(len(texts), dtype=np.int32), counts)
        if not n:
            empty = np.zeros(0, dtype=np.int64)
            return Tokens(
                starts,
                ends,
                np.zeros(0, dtype=np.int32),
                [],
                np.zeros((0, TOKEN_SLOTS), dtype=np.int64),
                empty,
                np.zeros(1, dtype=np.int64),
                paragraph,
            )
        # Sentences: cut after sentence-ending punctuation followed by a space, and between
        # paragraphs. In "global" coordinates each paragraph sits after the previous ones.
        lengths = np.array([len(t) + 1 for t in texts], dtype=np.int64)
        base_offset = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        cuts = np.array(
            [c + int(base_offset[i]) for i, cl in enumerate(cut_lists) for c in cl]
            + base_offset[1:].tolist(),
            dtype=np.int64,
        )
        cuts.sort()
        position_global = starts.astype(np.int64) + base_offset[paragraph]
        raw_sentence = np.searchsorted(cuts, position_global, side="right")
        change = np.flatnonzero(np.diff(raw_sentence)) + 1
        edges = np.concatenate([[0], change, [n]])
        bounds = list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))
        # renumber sentences 0..k-1 (some cut points may hold no token)
        sentence = np.repeat(np.arange(len(bounds), dtype=np.int32), np.diff(edges))
        table = np.array([self._word_features(w) for w in words], dtype=np.int64)
        raw = table[:, 0]
        quote, opens, closes = table[:, 5], table[:, 6], table[:, 7]
        # where each token's paragraph starts and ends (token indices)
        paragraph_edges = np.concatenate([[0], np.cumsum(counts)])
        p_first = paragraph_edges[:-1][paragraph]
        p_last = paragraph_edges[1:][paragraph]  # exclusive
        index = np.arange(n)
        ids = np.empty((n, TOKEN_SLOTS), dtype=np.int64)
        ids[:, 0] = 0  # the bias, shared by every token
        ids[:, 1] = self._mix(raw, 0)  # the lowercase form
        ids[:, 2:6] = table[:, 1:5]  # shape, prefix, suffixes
        for k, d in enumerate(CONTEXT):  # the neighbour at distance d, in its role
            j = index + d
            inside = (j >= p_first) & (j < p_last)
            neighbour = self._mix(raw[np.clip(j, 0, n - 1)], 10 + k)
            ids[:, 6 + k] = np.where(inside, neighbour, self._pad[k])
        left = np.where(index > p_first, raw[np.maximum(index - 1, 0)], self._edge[0])
        right = np.where(index + 1 < p_last, raw[np.minimum(index + 1, n - 1)], self._edge[1])
        ids[:, 12] = self._mix((left << 32) | raw, 2)
        ids[:, 13] = self._mix((raw << 32) | right, 3)
        sentence_word = self._mix(raw, 4)
        fixed = self._fixed
        first_of = edges[:-1][sentence]
        last_of = edges[1:][sentence] - 1
        ids[:, 14] = np.where(
            first_of == last_of,
            fixed["single"],
            np.where(
                index == first_of,
                fixed["first"],
                np.where(index == last_of, fixed["last"], fixed["inner"]),
            ),
        )

        def within(values: np.ndarray) -> np.ndarray:
            """Running count of ``values`` before each token, within its paragraph."""
            total = np.concatenate([[0], np.cumsum(values)])
            return total[index] - total[p_first]

        before = within(quote)  # quote characters before each token
        is_quote = quote == 1
        ids[:, 15] = np.where(
            is_quote & (before % 2 == 1),
            fixed["qclose"],
            np.where(~is_quote & (before % 2 == 1), fixed["inq"], fixed["outq"]),
        )
        depth = within(opens) - within(closes)
        ids[:, 16] = np.where((depth > 0) & (closes == 0), fixed["inb"], fixed["outb"])
        quarter = np.array([fixed[f"pq:{q}"] for q in range(4)], dtype=np.int64)
        ids[:, 17] = quarter[4 * (index - p_first) // (p_last - p_first)]
        questions = table[:, 8].tolist()
        exclamations = table[:, 9].tolist()
        bag = sentence_word.tolist()
        sentence_features: list[list[int]] = []
        for first, last in bounds:
            sentence_ids = [self._length_ids[min(last - first, 60).bit_length()]]
            if any(questions[first:last]):
                sentence_ids.append(fixed["sq?"])
            if any(exclamations[first:last]):
                sentence_ids.append(fixed["s!"])
            if self.sentence_bag:
                sentence_ids += sorted(set(bag[first:last]))
            sentence_features.append(sentence_ids)
        sentence_indices, sentence_offsets = _flatten(sentence_features)
        return Tokens(
            starts, ends, sentence, bounds, ids, sentence_indices, sentence_offsets, paragraph
        )


def _flatten(lists) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.fromiter((len(f) for f in lists), dtype=np.int64, count=len(lists))
    offsets = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter((x for f in lists for x in f), dtype=np.int64, count=int(offsets[-1]))
    return flat, offsets
