"""Span scores with partial-overlap credit, checked against figures computed by hand."""

import pytest

from propscope.evaluation.spans import grouped_span_scores, span_scores


def test_partial_overlap_credit_by_hand():
    gold = [("a", "L", 0, 10), ("a", "L", 20, 30), ("a", "N", 0, 5)]
    pred = [
        ("a", "L", 5, 15),  # 5 of its 10 characters in gold L: 0.5
        ("a", "L", 20, 30),  # exact: 1
        ("a", "N", 10, 20),  # no N characters: 0
        ("b", "L", 0, 30),  # no gold in document b: 0
    ]
    scores = span_scores(gold, pred)
    # precision (0.5 + 1 + 0 + 0) / 4; recall: gold L [0,10) half covered, [20,30) fully, N none
    assert scores["precision"] == pytest.approx(1.5 / 4)
    assert scores["recall"] == pytest.approx(1.5 / 3)
    assert scores["f1"] == pytest.approx(2 * 0.375 * 0.5 / 0.875)
    assert (scores["gold"], scores["predicted"]) == (3, 4)
    label = scores["per_label"]["L"]
    assert label["precision"] == pytest.approx(1.5 / 3)
    assert label["recall"] == pytest.approx(0.75)
    assert label["f1"] == pytest.approx(0.6)
    assert scores["per_label"]["N"]["f1"] == 0.0


def test_overlapping_spans_are_not_credited_twice():
    gold = [("a", "L", 0, 10), ("a", "L", 5, 15)]
    pred = [("a", "L", 0, 15)]
    scores = span_scores(gold, pred)
    assert scores["precision"] == pytest.approx(1.0)  # 15 of 15 characters, not 20 of 15
    assert scores["recall"] == pytest.approx(1.0)
    long = span_scores([("a", "L", 0, 5), ("a", "L", 10, 15)], [("a", "L", 0, 20)])
    assert long["precision"] == pytest.approx(10 / 20)
    assert long["recall"] == pytest.approx(1.0)


def test_another_technique_earns_nothing():
    scores = span_scores([("a", "L", 0, 10)], [("a", "N", 0, 10)])
    assert scores["precision"] == scores["recall"] == scores["f1"] == 0.0


def test_empty_sides_and_empty_spans():
    assert span_scores([("a", "L", 0, 4)], [])["f1"] == 0.0
    assert span_scores([], [("a", "L", 0, 4)])["precision"] == 0.0
    scores = span_scores([("a", "L", 0, 4), ("a", "L", 7, 7)], [("a", "L", 0, 2), ("a", "L", 3, 3)])
    assert (scores["gold"], scores["predicted"]) == (1, 1)
    assert scores["precision"] == pytest.approx(1.0)
    assert scores["recall"] == pytest.approx(0.5)


def test_grouped_by_language():
    gold = [("a", "L", 0, 10), ("b", "L", 0, 10)]
    pred = [("a", "L", 0, 10), ("b", "L", 0, 5)]
    by = grouped_span_scores(gold, pred, {"a": "fr", "b": "de"})
    assert by["fr"]["f1"] == pytest.approx(1.0)
    assert by["de"]["precision"] == pytest.approx(1.0)
    assert by["de"]["recall"] == pytest.approx(0.5)
