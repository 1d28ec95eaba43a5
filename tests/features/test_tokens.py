"""Token features of the evidence model."""

import numpy as np

from propscope.features.tokens import TOKEN_SLOTS, TokenFeaturizer

TEXT = 'The "corrupt elite" lied (again). Why believe them? Nobody should!'


def test_tokens_slice_the_text_and_sentences_split():
    tokens = TokenFeaturizer(bits=12).tokens(TEXT)
    words = [TEXT[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True)]
    assert words[:5] == ["The", '"', "corrupt", "elite", '"']
    assert words[-3:] == ["Nobody", "should", "!"]
    assert len(tokens.sentence_bounds) == 3
    first, last = tokens.sentence_bounds[1]
    assert [TEXT[tokens.starts[i] : tokens.ends[i]] for i in (first, last - 1)] == ["Why", "?"]
    assert tokens.indices.shape == (len(tokens), TOKEN_SLOTS)
    assert tokens.indices.max() < 1 << 12 and tokens.indices.min() >= 0
    assert len(tokens.sentence_offsets) == len(tokens.sentence_bounds) + 1


def test_features_are_deterministic_and_context_dependent():
    one, two = TokenFeaturizer(bits=16), TokenFeaturizer(bits=16)
    a, b = one.tokens(TEXT), two.tokens(TEXT)
    np.testing.assert_array_equal(a.indices, b.indices)  # crc32, not Python's salted hash
    np.testing.assert_array_equal(a.sentence_indices, b.sentence_indices)
    # the same word in another context shares its own features but not its context features
    c = one.tokens("elite lied")
    elite_here, elite_there = a.indices[3], c.indices[0]
    assert elite_here[1] == elite_there[1] == one.word_id("ELITE")  # lowercase form
    assert elite_here[6 + 2] != elite_there[6 + 2]  # left neighbour (distance -1)


def test_quotes_brackets_and_edges_are_marked():
    featurizer = TokenFeaturizer(bits=16)
    tokens = featurizer.tokens(TEXT)
    inside = featurizer._fixed["inq"]
    marked = [
        TEXT[tokens.starts[i] : tokens.ends[i]]
        for i in np.flatnonzero(tokens.indices[:, 15] == inside)
    ]
    assert marked == ["corrupt", "elite"]
    bracketed = np.flatnonzero(tokens.indices[:, 16] == featurizer._fixed["inb"])
    assert [TEXT[tokens.starts[i] : tokens.ends[i]] for i in bracketed] == ["again"]


def test_empty_and_tiny_texts():
    featurizer = TokenFeaturizer(bits=12)
    empty = featurizer.tokens("   ")
    assert len(empty) == 0 and empty.indices.shape == (0, TOKEN_SLOTS)
    one = featurizer.tokens("Non")
    assert len(one) == 1 and one.sentence_bounds == [(0, 1)]
