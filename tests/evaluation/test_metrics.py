"""The official scores against values computed by hand."""

import pytest

from propscope.errors import FormatError
from propscope.evaluation.metrics import frames_scores, genre_scores, techniques_scores


def test_genre_macro_f1_over_classes_in_gold_or_prediction():
    gold = {"1": "opinion", "2": "opinion", "3": "reporting", "4": "satire"}
    pred = {"1": "opinion", "2": "reporting", "3": "reporting", "4": "opinion"}
    scores = genre_scores(gold, pred)
    # opinion: tp1 fp1 fn1 -> P .5 R .5 F .5; reporting: tp1 fp1 fn0 -> P .5 R 1 F 2/3;
    # satire: tp0 fn1 -> F 0.  macro = (0.5 + 2/3 + 0) / 3
    assert scores["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 3)
    assert scores["accuracy"] == pytest.approx(0.5)
    assert scores["per_label"]["reporting"]["recall"] == 1.0


def test_genre_class_absent_from_both_sides_is_not_averaged():
    scores = genre_scores({"1": "opinion", "2": "reporting"}, {"1": "opinion", "2": "reporting"})
    assert scores["macro_f1"] == 1.0
    assert set(scores["per_label"]) == {"opinion", "reporting"}


def test_frames_micro_f1_with_empty_lists():
    gold = {"1": ["Economic", "Political"], "2": [], "3": ["Morality"]}
    pred = {"1": ["Economic"], "2": ["Political"], "3": []}
    # tp 1 (Economic), fp 1 (Political on 2), fn 2 (Political on 1, Morality on 3)
    scores = frames_scores(gold, pred)
    assert scores["micro_precision"] == pytest.approx(0.5)
    assert scores["micro_recall"] == pytest.approx(1 / 3)
    assert scores["micro_f1"] == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))


def test_techniques_micro_and_macro():
    gold = {("1", 1): [], ("1", 3): ["Doubt", "Loaded_Language"], ("2", 1): ["Doubt"]}
    pred = {("1", 1): [], ("1", 3): ["Doubt"], ("2", 1): ["Doubt", "Slogans"]}
    scores = techniques_scores(gold, pred)
    # tp 2, fp 1 (Slogans), fn 1 (Loaded_Language) -> P = R = F = 2/3
    assert scores["micro_f1"] == pytest.approx(2 / 3)
    # Doubt F1 = 1, the 22 others 0 -> macro = 1/23
    assert scores["macro_f1"] == pytest.approx(1 / 23)
    assert scores["per_label"]["Slogans"]["predicted"] == 1


def test_all_empty_scores_zero_not_an_error():
    scores = techniques_scores({("1", 1): []}, {("1", 1): []})
    assert scores["micro_f1"] == 0.0


def test_ids_must_match():
    with pytest.raises(FormatError, match="1 gold entries have no prediction"):
        frames_scores({"1": [], "2": []}, {"1": []})
    with pytest.raises(FormatError, match="not in gold"):
        genre_scores({"1": "opinion"}, {"1": "opinion", "9": "satire"})
