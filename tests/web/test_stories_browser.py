"""The story view as a reader meets it: a real server over a store holding the story corpus,
Debian's headless chromium, and a screenshot kept under test-artifacts/web."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from selenium.webdriver.common.by import By

from api.conftest import Server
from propscope.store import Store
from story_corpus import analysed_corpus
from web.conftest import save_screenshot

VERSIONS = {"techniques": "test", "frames": "test"}


@pytest.fixture(scope="module")
def story_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stories-web")
    url = f"sqlite:///{folder / 'stories.db'}"
    with Store(url) as store:
        run = store.start_run("import", models=VERSIONS)
        for item in analysed_corpus():
            store.add(item, run, VERSIONS)
    server = Server(url, folder / "data").start()
    try:
        yield server
    finally:
        server.stop()


def test_the_story_view_shows_outlets_side_by_side(story_site, browser):
    browser.get(story_site.url + "/stories")
    rows = browser.find_elements(By.CSS_SELECTOR, "#stories tbody tr")
    assert len(rows) == 2  # the storm (four articles, three languages) and the rate cut
    first = rows[0]
    assert "Gerda" in first.text and "de, en, fr" in first.text
    save_screenshot(browser, "stories")
    first.find_element(By.TAG_NAME, "a").click()
    assert "Gerda" in browser.find_element(By.ID, "story-title").text
    assert "4 articles from 3 outlets" in browser.find_element(By.ID, "story-summary").text
    timeline = browser.find_elements(By.CSS_SELECTOR, "#timeline tbody tr")
    dates = [row.find_elements(By.TAG_NAME, "td")[0].text for row in timeline]
    assert dates == sorted(dates) and dates[-1] == "2025-02-14"
    # techniques side by side: the German outlet loads its language, the others do not
    header = [th.get_attribute("data-outlet") for th in browser.find_elements(
        By.CSS_SELECTOR, "#techniques thead th[data-outlet]")]  # fmt: skip
    assert header == ["Elbe Anzeiger", "Harbour Post", "Le Courrier Maritime"]
    loaded = browser.find_element(By.CSS_SELECTOR, '#techniques tr[data-label="Loaded_Language"]')
    cells = [td.text.replace("\n", " ") for td in loaded.find_elements(By.TAG_NAME, "td")[1:]]
    assert cells == ["100 2", "–", "–"]
    assert "Hafenbehörde (1)" in browser.find_element(By.ID, "speakers").text
    assert browser.find_elements(By.CSS_SELECTOR, "#passages tbody tr")
    save_screenshot(browser, "story")
    problems = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert problems == []
    # the CSV under the page has the same counts
    link = browser.find_element(By.CSS_SELECTOR, "p.download a").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(httpx.get(link, timeout=60).text)))
    assert {"outlet": "Elbe Anzeiger", "label": "Loaded_Language", "count": "2"}.items() <= next(
        r for r in rows if r["outlet"] == "Elbe Anzeiger" and r["label"] == "Loaded_Language"
    ).items()


def test_an_unknown_story_is_a_page_not_a_trace(story_site):
    reply = httpx.get(story_site.url + "/stories/999", timeout=60)
    assert reply.status_code == 404 and "no story with id 999" in reply.text
    assert "Traceback" not in reply.text
