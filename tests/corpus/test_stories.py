"""Story clustering on a small corpus written for these tests (real e5 embeddings, ~1 s)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from propscope.corpus.stories import (
    StoryIndex,
    StorySettings,
    cluster,
    day_number,
    key_overlap,
    name_keys,
)
from propscope.document import Entity
from story_corpus import CORPUS, article


@pytest.fixture(scope="module")
def corpus():
    return [article(*row) for row in CORPUS]


@pytest.fixture(scope="module")
def clustered(corpus):
    return cluster(corpus)


def test_same_event_in_three_languages_is_one_story(clustered):
    story = clustered.story_of_article
    assert story("en-storm") == story("de-storm") == story("fr-storm")


def test_an_unrelated_event_the_same_day_is_another_story(clustered):
    story = clustered.story_of_article
    assert story("en-cnb") == story("pl-cnb")
    assert story("en-cnb") != story("en-storm")


def test_a_follow_up_days_later_joins_the_story(clustered):
    assert clustered.story_of_article("en-reopen") == clustered.story_of_article("en-storm")


def test_a_like_event_months_later_is_a_new_story(clustered):
    assert clustered.story_of_article("en-storm-may") != clustered.story_of_article("en-storm")
    assert len(clustered.stories) == 3


def test_without_dates_nothing_keeps_like_events_apart(corpus):
    undated = [article(a, lang, None, outlet, text) for a, lang, _, outlet, text in CORPUS]
    index = cluster(undated)
    # no time window: the May storm now joins the February one (the window was what split them)
    assert index.story_of_article("en-storm-may") == index.story_of_article("en-storm")


def test_batches_give_the_same_stories_as_one_pass(corpus, clustered):
    index = StoryIndex()
    index.add(corpus[:4])
    index.add(corpus[4:])
    assert index.groups() == clustered.groups()
    # an article already placed keeps its story when it comes again
    assert index.add(corpus[:1]) == [clustered.story_of_article("en-storm")]
    assert len(index) == len(corpus)


def test_saved_state_loads_and_continues(tmp_path, corpus):
    index = StoryIndex()
    index.add(corpus[:5])
    index.save(tmp_path)
    assert json.loads((tmp_path / "stories.json").read_text())["version"] == 1
    loaded = StoryIndex.load(tmp_path)
    assert loaded.groups() == index.groups()
    loaded.add(corpus[5:6])
    assert loaded.story_of_article("en-reopen") == loaded.story_of_article("de-storm")


def test_a_foreign_or_corrupt_state_fails_clearly(tmp_path, corpus):
    index = StoryIndex()
    index.add(corpus[:2])
    index.save(tmp_path)
    (tmp_path / "stories.npz").write_bytes(b"not an npz file")
    with pytest.raises(ValueError, match="not a readable story index"):
        StoryIndex.load(tmp_path)
    (tmp_path / "stories.json").write_text('{"kind": "something else", "version": 1}')
    with pytest.raises(ValueError):
        StoryIndex.load(tmp_path)


def test_new_ids_must_be_unique():
    index = StoryIndex()
    vectors = np.eye(2, 384, dtype=np.float32)
    with pytest.raises(ValueError, match="unique"):
        index.add_vectors(["a", "a"], vectors, [math.nan, math.nan], [set(), set()])


@pytest.mark.parametrize("backend", ["usearch", "hnswlib"])
def test_both_index_backends_find_the_same_stories(backend):
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((20, 384))
    vectors = np.repeat(centres, 3, axis=0) + 0.1 * rng.standard_normal((60, 384))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    index = StoryIndex(StorySettings(backend=backend))
    ids = [str(i) for i in range(60)]
    for start in range(0, 60, 7):  # odd batches: links inside and across batches
        stop = start + 7
        index.add_vectors(ids[start:stop], vectors[start:stop], [math.nan] * len(ids[start:stop]),
                          [set()] * len(ids[start:stop]))  # fmt: skip
    assert sorted(map(sorted, index.groups())) == sorted(
        sorted(ids[i : i + 3]) for i in range(0, 60, 3)
    )


def test_names_match_across_scripts_and_inflections():
    ru = article("ru", "ru", None, "x", "Путин встретился с Эрдоганом\nВ Анкаре Путин и Эрдоган говорили 40 минут.")  # noqa: E501
    en = article("en", "en", None, "x", "Putin meets Erdogan\nIn Ankara, Putin and Erdogan spoke for 40 minutes.")  # noqa: E501
    assert {"putin", "erdog", "#40"} <= name_keys(en)
    assert key_overlap(name_keys(ru), name_keys(en)) >= 0.75


def test_entities_replace_capitalised_words_when_present():
    item = article("e", "en", None, "x", "Talks in Geneva\nThe Swiss hosted talks on Monday.")
    item.entities = [Entity(start=9, end=15, label="LOC", text="Geneva")]
    assert name_keys(item) == {"genev"}


def test_dates_are_read_leniently():
    assert day_number("2025-02-11T08:00:00Z") == day_number("2025-02-11")
    assert math.isnan(day_number("yesterday")) and math.isnan(day_number(None))
