"""Outlet profiles: an outlet against the others covering the same stories, with intervals."""

from __future__ import annotations

import pytest

from propscope.corpus.profiles import outlet_profiles, wilson_interval
from propscope.document import Prediction
from propscope.ingest.text import parse_text


def analysed(article_id, outlet, loaded_paragraphs, paragraphs=4, frames=()):
    """An article whose first ``loaded_paragraphs`` paragraphs use Loaded_Language."""
    text = "Title\n" + "\n".join(f"Paragraph {i} of {article_id}." for i in range(paragraphs))
    article = parse_text(text + "\n", article_id, layout="lines", source=outlet)
    for i, paragraph in enumerate(article.paragraphs[1:]):
        labels = ["Loaded_Language"] if i < loaded_paragraphs else []
        paragraph.techniques = Prediction(probabilities={}, predicted=labels)
    article.paragraphs[0].boilerplate = True  # the title line is not counted
    article.frames = Prediction(probabilities={}, predicted=list(frames))
    return article


def rows_for(rows, outlet, label):
    return next(r for r in rows if r.outlet == outlet and r.label == label)


def test_an_outlet_that_loads_its_language_more_is_told_apart():
    articles, story_of = [], {}
    for story in range(12):
        for outlet, loaded in (("Loud", 3), ("Calm", 0), ("Plain", 1)):
            article = analysed(f"{outlet}-{story}", outlet, loaded, frames=("Security",))
            articles.append(article)
            story_of[article.id] = story
    rows = outlet_profiles(articles, story_of)
    loud = rows_for(rows, "Loud", "Loaded_Language")
    assert (loud.count, loud.units) == (36, 48)
    assert (loud.others_count, loud.others_units) == (12, 96)
    assert loud.difference == pytest.approx(0.75 - 0.125)
    assert loud.direction == "more" and loud.low > 0
    calm = rows_for(rows, "Calm", "Loaded_Language")
    assert calm.direction == "less" and calm.high < 0
    # every outlet uses the frame in every article: no difference to claim
    frame = rows_for(rows, "Loud", "Security")
    assert frame.kind == "frame" and frame.difference == 0 and frame.direction != "more"


def test_outlets_are_compared_only_on_the_stories_they_share():
    articles = [
        analysed("a1", "A", 2), analysed("b1", "B", 2),  # story 0: both
        analysed("b2", "B", 0), analysed("c2", "C", 0),  # story 1: A absent
    ]  # fmt: skip
    story_of = {"a1": 0, "b1": 0, "b2": 1, "c2": 1}
    rows = outlet_profiles(articles, story_of)
    a = rows_for(rows, "A", "Loaded_Language")
    assert (a.others_count, a.others_units, a.stories) == (2, 4, 1)
    assert a.difference == 0 and a.low < 0 < a.high
    assert a.direction == "too few shared stories"


def test_one_story_is_no_profile_of_an_outlet():
    # 2/2 paragraphs against 0/2 in one story: Newcombe's interval excludes zero, but one
    # story says something about that story, not about the outlet
    articles = [analysed("a1", "A", 2, paragraphs=2), analysed("b1", "B", 0, paragraphs=2)]
    rows = outlet_profiles(articles, {"a1": 0, "b1": 0})
    a = rows_for(rows, "A", "Loaded_Language")
    assert a.difference == 1.0 and 0 < a.low < a.high
    assert a.direction == "too few shared stories"


def test_an_outlet_alone_on_its_stories_has_no_profile():
    articles = [analysed("a1", "A", 1), analysed("b1", "B", 1)]
    assert outlet_profiles(articles, {"a1": 0, "b1": 1}) == []


def test_wilson_interval_contains_the_rate_and_stays_in_bounds():
    low, high = wilson_interval(3, 10)
    assert 0 < low < 0.3 < high < 1
    assert wilson_interval(0, 5)[0] == 0 and wilson_interval(5, 5)[1] == 1
