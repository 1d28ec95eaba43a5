"""Reading spans off token probabilities."""

import numpy as np

from propscope.analyzers.evidence_decode import TokenTable, decode, fallback

# two paragraphs: tokens 0-4 (sentences 0, 1) and tokens 5-7 (sentence 2)
TABLE = TokenTable(
    starts=np.array([0, 4, 8, 12, 16, 100, 104, 108]),
    ends=np.array([3, 7, 11, 15, 19, 103, 107, 111]),
    paragraph=np.array([0, 0, 0, 0, 0, 1, 1, 1]),
    sentence=np.array([0, 0, 0, 1, 1, 2, 2, 2]),
)


def test_token_runs_stop_at_paragraph_ends():
    prob = np.array([0.1, 0.9, 0.8, 0.2, 0.7, 0.9, 0.9, 0.1])
    first, last, conf = decode(TABLE, prob, "token", 0.5)
    assert list(zip(first, last, strict=True)) == [(1, 3), (4, 5), (5, 7)]
    np.testing.assert_allclose(conf, [0.85, 0.7, 0.9])
    # a run over the paragraph boundary (tokens 4 and 5) is cut in two
    first, last, _ = decode(TABLE, np.ones(8), "token", 0.5)
    assert list(zip(first, last, strict=True)) == [(0, 5), (5, 8)]


def test_sentences_by_mean_probability():
    prob = np.array([0.1, 0.9, 0.8, 0.2, 0.3, 0.6, 0.6, 0.6])
    first, last, conf = decode(TABLE, prob, "sentence", 0.5)
    assert list(zip(first, last, strict=True)) == [(0, 3), (5, 8)]
    np.testing.assert_allclose(conf, [0.6, 0.6])


def test_fallback_gives_one_unit_per_wanted_paragraph():
    prob = np.array([0.1, 0.3, 0.25, 0.05, 0.2, 0.01, 0.02, 0.03])
    wanted = np.array([True, False])
    first, last, _ = fallback(TABLE, prob, "sentence", wanted)
    assert list(zip(first, last, strict=True)) == [(0, 3)]
    # token mode: the best token grown over neighbours scoring at least half as much
    first, last, _ = fallback(TABLE, prob, "token", np.array([True, True]))
    assert list(zip(first, last, strict=True)) == [(1, 3), (6, 8)]
