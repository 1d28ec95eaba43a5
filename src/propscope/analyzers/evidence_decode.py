"""Turning token probabilities into evidence spans (vectorised over many paragraphs).

The token model gives each token a probability per technique. A technique's spans are read
off in one of two ways, chosen per technique by cross-validation:

- ``token``: maximal runs of consecutive tokens whose probability reaches the threshold and
  that hold a token of at least ``MIN_TOKEN_CHARS`` characters (short-span techniques such as
  Loaded Language or Name Calling);
- ``phrase``: the same, a single token between two selected ones joining them into one span;
- ``sentence``: whole sentences whose mean token probability reaches the threshold
  (clause-level techniques such as Doubt or Appeal to Fear);
- ``block``: like ``sentence``, but consecutive selected sentences form one span;
- ``paragraph``: the whole paragraph when its mean token probability reaches the threshold
  (techniques whose annotations cover most of a paragraph, or that the model cannot place).

A run or sentence never leaves its paragraph. The span's confidence is the mean token
probability over it. The fallback (used when a technique is predicted for a paragraph but no
span reaches the threshold) is the best unit of the technique's mode: the best sentence, or
the run around the best token (of at least ``MIN_TOKEN_CHARS`` characters where there is one)
of tokens scoring at least half of its probability, the paragraph.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

MODES = ("token", "phrase", "sentence", "block", "paragraph")
#: A run of tokens is evidence only if one of its tokens has at least this many characters:
#: a lone article, preposition or punctuation mark says nothing to a reader.
MIN_TOKEN_CHARS = 3


@dataclass
class TokenTable:
    """Tokens of many paragraphs, concatenated: absolute offsets and group indices."""

    starts: np.ndarray  # int64, absolute offsets into the article text
    ends: np.ndarray  # int64
    paragraph: np.ndarray  # int64, global paragraph index of each token (non-decreasing)
    sentence: np.ndarray  # int64, global sentence index of each token (non-decreasing)
    # bool, function words and punctuation (features.function_words); None: not known
    weak: np.ndarray | None = None


#: Characters that join two word pieces into one word for a reader (porte-parole, aujourd'hui).
WORD_JOINERS = "-'’"


def _in_word(ch: str) -> bool:
    # combining marks belong to their letter: decomposed (NFD) "é" is e + U+0301
    return ch.isalnum() or ch == "_" or unicodedata.category(ch).startswith("M")


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` grown to whole words: tokens split at hyphens and apostrophes, and a
    highlight should not cut "porte-parole" or "Etats-Unis" in two."""

    def same_word(i: int) -> bool:  # are text[i - 1] and text[i] in one word?
        if not 0 < i < len(text):
            return False
        before, after = text[i - 1], text[i]
        if _in_word(before) and _in_word(after):
            return True
        if before in WORD_JOINERS:
            return _in_word(after) and i >= 2 and _in_word(text[i - 2])
        if after in WORD_JOINERS:
            return _in_word(before) and i + 1 < len(text) and _in_word(text[i + 1])
        return False

    while same_word(start):
        start -= 1
    while same_word(end):
        end += 1
    return start, end


def _runs(mask: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last+1 token index of each maximal run of ``mask`` within one ``group``."""
    if not mask.any():
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    m = mask.astype(np.int8)
    boundary = np.ones(len(mask), dtype=bool)
    boundary[1:] = (group[1:] != group[:-1]) | (m[1:] != m[:-1])
    starts = np.flatnonzero(boundary & mask)
    # a run ends where the next token starts a new run or a new group, or is outside the mask
    ends_mask = np.ones(len(mask), dtype=bool)
    ends_mask[:-1] = boundary[1:]
    ends = np.flatnonzero(ends_mask & mask) + 1
    return starts, ends


def _mean_over(prob: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    cumulative = np.concatenate([[0.0], np.cumsum(prob, dtype=np.float64)])
    return (cumulative[last] - cumulative[first]) / np.maximum(last - first, 1)


def sentence_table(table: TokenTable, by: str = "sentence") -> tuple[np.ndarray, np.ndarray]:
    """(first token, last token + 1) of every sentence (or paragraph) of the table."""
    group = table.sentence if by == "sentence" else table.paragraph
    n = len(group)
    if not n:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    change = np.flatnonzero(group[1:] != group[:-1]) + 1
    first = np.concatenate([[0], change])
    last = np.concatenate([change, [n]])
    return first, last


def decode(
    table: TokenTable,
    prob: np.ndarray,
    mode: str,
    threshold: float,
    sentences: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spans of one technique: (first token, last token + 1, confidence) arrays."""
    if mode in ("token", "phrase"):
        mask = prob >= threshold
        if mode == "phrase" and len(mask) > 2:
            # bridge one-token gaps inside a paragraph ("corrupt [and] lying elite")
            same = table.paragraph[:-2] == table.paragraph[2:]
            mask[1:-1] |= mask[:-2] & mask[2:] & same
        first, last = _runs(mask, table.paragraph)
        if len(first):
            long_tokens = np.concatenate(
                [[0], np.cumsum((table.ends - table.starts) >= MIN_TOKEN_CHARS)]
            )
            keep = long_tokens[last] > long_tokens[first]
            first, last = first[keep], last[keep]
        if table.weak is not None and len(first):
            first, last = whole_phrases(table, prob, first, last, threshold)
    elif mode in ("sentence", "block", "paragraph"):
        if mode == "paragraph":
            first, last = sentence_table(table, "paragraph")
        else:
            first, last = sentences if sentences is not None else sentence_table(table)
        keep = _mean_over(prob, first, last) >= threshold
        if mode == "block" and keep.any():
            selected = np.repeat(keep, last - first)
            first, last = _runs(selected, table.paragraph)
        else:
            first, last = first[keep], last[keep]
    else:
        raise ValueError(f"unknown decoding mode {mode!r}")
    return first, last, _mean_over(prob, first, last)


#: How far (in tokens) a highlight may grow on each side to reach a whole phrase.
GROW_TOKENS = 3


def whole_phrases(
    table: TokenTable, prob: np.ndarray, first: np.ndarray, last: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray]:
    """Runs of tokens made into phrases a reader believes (``table.weak`` must be set).

    A run that stops on function words ("[augmentera sans aucun] doute") runs on to the word
    they lead to; a run of one word grows over neighbours of its sentence scoring at least half
    the threshold; a run still holding one word is kept only when that word scores strongly
    (half-way from the threshold to 1), and a run of function words alone ("aux", "Pour") is
    dropped. Tokens with no space between them are one word ("Jean-Jacques"). Vectorised: the
    trainer decodes with it for every threshold it tries.
    """
    weak = table.weak
    n = len(prob)
    a, b = first.astype(np.int64).copy(), last.astype(np.int64).copy()
    sentence = table.sentence
    own = sentence[a]

    def can_take(index: np.ndarray) -> np.ndarray:  # a token of the run's own sentence
        inside = (index >= 0) & (index < n)
        return inside & (sentence[np.clip(index, 0, n - 1)] == own)

    for _ in range(GROW_TOKENS):  # run on past trailing function words
        step = weak[b - 1] & can_take(b)
        b += step
    _trim_trailing(weak, a, b)
    one_char = (table.ends - table.starts) <= 1
    for _ in range(GROW_TOKENS):  # a leading punctuation mark
        step = (b - a > 1) & weak[a] & one_char[a]
        a += step
    single = _word_count(table, a, b) <= 1
    floor = threshold / 2
    for _ in range(GROW_TOKENS):
        left = single & can_take(a - 1) & (prob[np.clip(a - 1, 0, n - 1)] >= floor)
        a -= left
        right = single & can_take(b) & (prob[np.clip(b, 0, n - 1)] >= floor)
        b += right
    _trim_trailing(weak, a, b)
    words = _word_count(table, a, b)
    content_prob = np.where(weak, -1.0, prob).astype(np.float64)
    best = np.maximum.reduceat(
        np.append(content_prob, -1.0), np.column_stack([a, b]).ravel()
    )[::2]
    keep = (words > 1) | ((words == 1) & (best >= threshold + (1.0 - threshold) / 2))
    return a[keep], b[keep]


def _trim_trailing(weak: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Drop function words and punctuation at the end of each run, in place."""
    while True:
        step = (b - a > 1) & weak[b - 1]
        if not step.any():
            return
        b -= step


def _word_count(table: TokenTable, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How many words holding a content token each run a..b-1 has (tokens with no space
    between them form one word)."""
    n = len(table.starts)
    new_word = np.ones(n, dtype=bool)
    new_word[1:] = table.starts[1:] != table.ends[:-1]
    word = np.cumsum(new_word) - 1
    content = ~table.weak
    # the first content token of each word marks it
    marker = np.zeros(n, dtype=bool)
    order = np.flatnonzero(content)
    if len(order):
        marker[order[np.concatenate([[True], word[order][1:] != word[order][:-1]])]] = True
    counts = np.concatenate([[0], np.cumsum(marker)])
    return counts[b] - counts[a]


def fallback(
    table: TokenTable,
    prob: np.ndarray,
    mode: str,
    paragraphs: np.ndarray,
    sentences: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The best unit of each paragraph in ``paragraphs`` (a boolean mask over paragraphs).

    Paragraphs without tokens get nothing (the caller handles them).
    """
    if not len(prob):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    if mode in ("sentence", "block", "paragraph"):
        if mode == "paragraph":
            first, last = sentence_table(table, "paragraph")
        else:
            first, last = sentences if sentences is not None else sentence_table(table)
        score = _mean_over(prob, first, last)
        owner = table.paragraph[first]
    else:
        first = np.arange(len(prob))
        last = first + 1
        # prefer tokens long enough to say something (probabilities lie in [0, 1])
        short = (table.ends - table.starts) < MIN_TOKEN_CHARS
        score = prob.astype(np.float64) - 2.0 * short
        owner = table.paragraph
    wanted = paragraphs[owner]
    first, last, score, owner = first[wanted], last[wanted], score[wanted], owner[wanted]
    if not len(first):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    # best unit per paragraph: sort by (paragraph, -score) and take the first of each
    order = np.lexsort((-score, owner))
    best = order[np.concatenate([[True], owner[order][1:] != owner[order][:-1]])]
    first, last = first[best], last[best]
    if mode in ("token", "phrase"):
        # grow each best token into the run of neighbours scoring at least half as much
        grown_first, grown_last = first.copy(), last.copy()
        for k in range(len(first)):
            i, floor, group = first[k], prob[first[k]] * 0.5, table.paragraph[first[k]]
            a = i
            while a > 0 and table.paragraph[a - 1] == group and prob[a - 1] >= floor:
                a -= 1
            b = i + 1
            while b < len(prob) and table.paragraph[b] == group and prob[b] >= floor:
                b += 1
            grown_first[k], grown_last[k] = a, b
        first, last = grown_first, grown_last
    return first, last, _mean_over(prob, first, last)
