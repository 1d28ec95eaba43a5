"""Reading spans off token probabilities."""

import numpy as np

from propscope.analyzers.evidence_decode import TokenTable, decode, fallback, snap_to_words

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


def test_runs_of_short_tokens_only_are_not_evidence():
    table = TokenTable(
        starts=np.array([0, 3, 6, 12, 15]),
        ends=np.array([2, 5, 11, 14, 16]),  # lengths 2, 2, 5, 2, 1
        paragraph=np.zeros(5, dtype=np.int64),
        sentence=np.zeros(5, dtype=np.int64),
    )
    prob = np.array([0.9, 0.1, 0.8, 0.1, 0.9])
    first, last, _ = decode(table, prob, "token", 0.5)
    assert list(zip(first, last, strict=True)) == [(2, 3)]  # "la" and "," alone are dropped
    first, last, _ = fallback(table, np.array([0.9, 0.1, 0.3, 0.1, 0.9]), "token", np.ones(1, bool))
    assert list(zip(first, last, strict=True)) == [(2, 3)]  # the best long token wins


def test_phrases_bridge_one_token_gaps_within_a_paragraph():
    prob = np.array([0.9, 0.1, 0.8, 0.1, 0.7, 0.9, 0.1, 0.9])
    first, last, _ = decode(TABLE, prob, "phrase", 0.5)
    # 0, 2 and 4 joined over tokens 1 and 3; 4 and 5 are in different paragraphs
    assert list(zip(first, last, strict=True)) == [(0, 5), (5, 8)]
    first, last, _ = decode(TABLE, prob, "token", 0.5)
    assert len(first) == 5
    prob[2] = 0.2  # two-token gaps stay open
    first, last, _ = decode(TABLE, prob, "phrase", 0.5)
    assert list(zip(first, last, strict=True)) == [(0, 1), (4, 5), (5, 8)]


def test_spans_grow_to_whole_words():
    text = "Le porte-parole de l'ambassade des Etats-Unis a parlé de ‘calomnie’."

    def snapped(piece: str) -> str:
        start = text.index(piece)
        a, b = snap_to_words(text, start, start + len(piece))
        return text[a:b]

    assert snapped("porte") == snapped("parole") == "porte-parole"
    assert snapped("Etats-") == snapped("Unis") == "Etats-Unis"
    assert snapped("ambassade") == "l'ambassade"
    assert snapped("orte-paro") == "porte-parole"
    # whole words, quotes and punctuation stay as they are
    assert snapped("calomnie") == "calomnie"
    assert snapped("de l'ambassade des") == "de l'ambassade des"
    assert snapped("Le") == "Le"
