"""B-cubed precision and recall against hand-computed cases."""

from __future__ import annotations

import pytest

from propscope.evaluation.clustering import bcubed, bcubed_by_language_pair, bcubed_same_and_cross


def test_perfect_clustering_scores_one():
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y"}, gold) == (1.0, 1.0)


def test_everything_merged_keeps_recall_and_loses_precision():
    gold = {"a": 1, "b": 1, "c": 2, "d": 3}
    precision, recall = bcubed(dict.fromkeys(gold, 0), gold)
    # a and b: 2/4 each, c and d: 1/4 each
    assert precision == pytest.approx((0.5 + 0.5 + 0.25 + 0.25) / 4)
    assert recall == 1.0


def test_all_singletons_keep_precision_and_lose_recall():
    gold = {"a": 1, "b": 1, "c": 1}
    precision, recall = bcubed({k: k for k in gold}, gold)
    assert precision == 1.0
    assert recall == pytest.approx(1 / 3)


def test_items_must_match():
    with pytest.raises(ValueError):
        bcubed({"a": 1}, {"a": 1, "b": 1})


def test_language_pairs_separate_cross_lingual_links():
    gold = {"en1": 1, "fr1": 1, "en2": 1, "fr2": 2}
    language = {"en1": "en", "en2": "en", "fr1": "fr", "fr2": "fr"}
    # the English pair is found; the French article of story 1 is wrongly put with fr2
    predicted = {"en1": "x", "en2": "x", "fr1": "y", "fr2": "y"}
    pairs = bcubed_by_language_pair(predicted, gold, language)
    assert pairs[("en", "en")]["precision"] == 1.0 and pairs[("en", "en")]["recall"] == 1.0
    assert pairs[("en", "fr")]["precision"] is None  # no cross-lingual link was predicted
    assert pairs[("en", "fr")]["recall"] == 0.0  # and the gold ones were missed
    assert pairs[("fr", "fr")]["precision"] == 0.0
    pooled = bcubed_same_and_cross(predicted, gold, language)
    assert pooled["cross-lingual"]["recall"] == 0.0
    assert pooled["same-language"]["precision"] == pytest.approx(0.5)
