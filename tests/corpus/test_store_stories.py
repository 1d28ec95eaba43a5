"""Stories over a store (SQLite, then a real PostgreSQL): incremental refresh, the REST routes
and `propscope stories --db`."""

from __future__ import annotations

import json

import pytest

from propscope.cli import main
from propscope.corpus.store_stories import StoreStories
from propscope.store import Store
from story_corpus import analysed_corpus

VERSIONS = {"techniques": "test", "frames": "test"}


@pytest.fixture
def filled(store_url):
    """A store holding the corpus but its follow-up (en-reopen), which tests add later."""
    articles = analysed_corpus()
    with Store(store_url) as store:
        run = store.start_run("import", models=VERSIONS)
        for item in articles:
            if item.id != "en-reopen":
                store.add(item, run, VERSIONS)
        yield store, run, next(a for a in articles if a.id == "en-reopen")


def test_stories_grow_incrementally_with_the_store(filled):
    store, run, follow_up = filled
    stories = StoreStories(store)
    assert stories.refresh() == 6
    storm = next(s for s in stories.summaries() if "Gerda" in s["title"])
    assert storm["articles"] == 3 and storm["languages"] == ["de", "en", "fr"]
    assert [s["articles"] for s in stories.summaries()] == [3, 2]
    # a new article is placed on the next refresh, and only it
    store.add(follow_up, run, VERSIONS)
    assert stories.refresh() == 1 and stories.refresh() == 0
    grown = next(s for s in stories.summaries() if s["id"] == storm["id"])
    assert grown["articles"] == 4 and grown["last"] == "2025-02-14"
    view = stories.view(storm["id"])
    assert view["by_outlet"]["Elbe Anzeiger"]["speakers"] == {"Hafenbehörde": 1}
    # article ids are the store's, as the API and the pages link to them
    assert {int(row["id"]) for row in view["timeline"]} == set(grown["article_ids"])
    assert stories.view(999) is None


def test_state_folder_spares_a_second_embedding(filled, tmp_path):
    store, _, _ = filled
    StoreStories(store, state=tmp_path / "state").refresh()
    again = StoreStories(store, state=tmp_path / "state")
    assert again.refresh() == 0  # everything was placed already, nothing embedded again
    assert len(again.summaries()) == 2


def test_rest_routes(filled):
    from fastapi.testclient import TestClient

    from propscope.api import create_app

    store, _, _ = filled
    app = create_app(store=store, api_keys=[], run_jobs=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        listed = client.get("/api/v1/stories")
        assert listed.status_code == 200
        body = listed.json()
        assert body["total"] == 2 and body["stories"][0]["articles"] == 3
        story_id = body["stories"][0]["id"]
        one = client.get(f"/api/v1/stories/{story_id}")
        assert one.status_code == 200
        view = one.json()
        assert view["outlets"] == ["Elbe Anzeiger", "Harbour Post", "Le Courrier Maritime"]
        loaded = view["by_outlet"]["Elbe Anzeiger"]["techniques"]["Loaded_Language"]
        assert loaded == {"count": 2, "per_100_paragraphs": 100.0}
        assert client.get("/api/v1/stories?min_size=1").json()["total"] == 3
        missing = client.get("/api/v1/stories/12345")
        assert missing.status_code == 404 and "error" in missing.json()
        assert client.get("/api/v1/stories?minsize=1").status_code == 422
        assert client.get("/api/v1/stories?min_size=0").status_code == 422
        assert "/api/v1/stories/{story_id}" in client.get("/openapi.json").json()["paths"]


def test_cli_over_a_store(filled, capsys):
    store, _, _ = filled
    capsys.readouterr()
    assert main(["stories", "--db", store.url, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["articles"] == 6 and data["stories"] == 3
    assert [v["articles"] for v in data["views"]] == [3, 2]
    with pytest.raises(SystemExit) as usage:
        main(["stories"])
    assert usage.value.code == 2
