"""The web app as a reader meets it: Debian's headless chromium against a real server.

Screenshots of every page are kept under test-artifacts/web (the path is printed).
"""

import csv
import io
import json

import httpx
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import EXAMPLES
from propscope.taxonomy import GROUPS, TECHNIQUES
from web.articles import ARTICLES
from web.conftest import save_screenshot


def _wait(driver, seconds: float = 30):
    return WebDriverWait(driver, seconds)


def _no_script_errors(driver) -> None:
    """Nothing the page ran failed, and nothing was refused by the security policy."""
    problems = [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]
    assert problems == []


def test_analyse_an_example_and_read_its_highlights(server, browser):
    browser.get(server.url + "/")
    text = (EXAMPLES / "en_opinion_energy.txt").read_text(encoding="utf-8")
    box = browser.find_element(By.ID, "text")
    # typing a long text key by key is slow; set it as pasting would, then submit the form
    browser.execute_script("arguments[0].value = arguments[1]", box, text)
    # every predicted label: the confident view may show none on a short example
    Select(browser.find_element(By.ID, "view")).select_by_value("all")
    browser.find_element(By.CSS_SELECTOR, "#analyse-form button[type=submit]").click()
    marks = _wait(browser).until(
        ready.presence_of_all_elements_located((By.CSS_SELECTOR, "mark.ev"))
    )
    assert marks
    for mark in marks:
        labels = mark.get_attribute("data-techniques").split()
        assert all(label in TECHNIQUES for label in labels)
        group = TECHNIQUES[labels[0]].group
        assert f"g-{group}" in mark.get_attribute("class").split()
    # the legend: one swatch per group, drawn in the group's colour
    swatches = browser.find_elements(By.CSS_SELECTOR, ".legend .swatch")
    assert [s.text for s in swatches] == [g.name for g in GROUPS.values()]
    for swatch, group in zip(swatches, GROUPS.values(), strict=True):
        colour = swatch.value_of_css_property("background-color")
        expected = tuple(int(group.colour[i : i + 2], 16) for i in (1, 3, 5))
        assert colour.startswith(f"rgba({expected[0]}, {expected[1]}, {expected[2]}") or (
            colour.startswith(f"rgb({expected[0]}, {expected[1]}, {expected[2]}")
        )
    save_screenshot(browser, "analyse")
    # hovering a highlight shows the technique's definition
    mark = marks[0]
    label = mark.get_attribute("data-techniques").split()[0]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    ActionChains(browser).move_to_element(mark).perform()
    tooltip = _wait(browser, 5).until(ready.visibility_of_element_located((By.ID, "tooltip")))
    assert TECHNIQUES[label].name in tooltip.text
    assert TECHNIQUES[label].definition in tooltip.text
    assert mark.get_attribute("aria-describedby") == "tooltip"
    save_screenshot(browser, "analyse-hover", full_page=False)
    _no_script_errors(browser)


def test_filter_the_corpus_sort_its_table_and_read_a_charts_csv(server, browser):
    browser.get(server.url + "/corpus")
    rows = browser.find_elements(By.CSS_SELECTOR, "#articles tbody tr")
    assert len(rows) == len(ARTICLES)
    Select(browser.find_element(By.ID, "language")).select_by_value("fr")
    browser.find_element(By.CSS_SELECTOR, "#filters button[type=submit]").click()
    _wait(browser).until(ready.url_contains("language=fr"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#articles tbody tr")
    french = [a for a in ARTICLES if a.get("language") == "fr"]
    assert len(rows) == len(french)
    assert {r.get_attribute("data-language") for r in rows} == {"fr"}
    # sort by publication date, both ways
    header = browser.find_element(By.XPATH, "//table[@id='articles']//th[text()='Published']")
    header.click()
    dates = [r.find_elements(By.TAG_NAME, "td")[3].text for r in _rows(browser)]
    assert dates == sorted(dates) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    dates = [r.find_elements(By.TAG_NAME, "td")[3].text for r in _rows(browser)]
    assert dates == sorted(dates, reverse=True)
    # every chart is drawn and has its CSV; this one holds French figures only
    charts = browser.find_elements(By.CSS_SELECTOR, "section.chart")
    assert len(charts) == 6
    _wait(browser).until(
        lambda _: len(browser.find_elements(By.CSS_SELECTOR, ".chart-body[data-drawn=true] svg"))
        == len(charts)
    )
    chart = browser.find_element(By.ID, "chart-techniques-by-language")
    assert chart.find_elements(By.CSS_SELECTOR, "svg rect.value")
    link = chart.find_element(By.LINK_TEXT, "Download CSV")
    reply = httpx.get(link.get_attribute("href"), timeout=30)
    table = list(csv.DictReader(io.StringIO(reply.text)))
    assert table and {row["language"] for row in table} == {"fr"}
    bars = chart.find_elements(By.CSS_SELECTOR, "svg rect.value")
    assert len(bars) == len(table)  # one language, one bar per technique it uses
    save_screenshot(browser, "corpus")
    _no_script_errors(browser)


def _rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#articles tbody tr")


def test_compare_two_outlets(server, browser):
    browser.get(server.url + "/compare")
    Select(browser.find_element(By.ID, "outlet-0")).select_by_value("Harbour Herald")
    Select(browser.find_element(By.ID, "outlet-1")).select_by_value("County Ledger")
    browser.find_element(By.CSS_SELECTOR, "#compare-form button[type=submit]").click()
    profile = _wait(browser).until(
        ready.presence_of_element_located((By.ID, "profile-techniques"))
    )
    headers = [h.text.split("\n")[0] for h in profile.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers[1:] == ["HARBOUR HERALD", "COUNTY LEDGER"]
    assert profile.find_elements(By.CSS_SELECTOR, "svg path.whisker")
    save_screenshot(browser, "compare")
    _no_script_errors(browser)


def test_mark_a_label_wrong_on_the_article_page(server, browser):
    article_id = _article_with_a_technique(server)
    browser.get(f"{server.url}/articles/{article_id}?view=all")  # every label, to correct one
    toggle = browser.find_element(By.ID, "toggle-corrections")
    toggle.click()
    button = _wait(browser).until(
        ready.element_to_be_clickable((By.CSS_SELECTOR, "form.correction button.reject"))
    )
    form = button.find_element(By.XPATH, "./ancestor::form")
    line, label = int(form.get_attribute("data-line")), button.get_attribute("data-label")
    button.click()
    status = form.find_element(By.CSS_SELECTOR, ".status")
    _wait(browser, 10).until(lambda _: "marked wrong" in status.text)
    # a frame the model missed, on the whole article
    frames = browser.find_element(By.CSS_SELECTOR, "form.correction[data-task=frames]")
    Select(frames.find_element(By.NAME, "label")).select_by_value("Public_opinion")
    frames.find_element(By.CSS_SELECTOR, "button.add").click()
    status = frames.find_element(By.CSS_SELECTOR, ".status")
    _wait(browser, 10).until(lambda _: "added" in status.text)
    _, _, body = server.get(f"/api/v1/articles/{article_id}")
    corrections = json.loads(body)["corrections"]
    assert [(c["task"], c["line"], c["label"], c["action"]) for c in corrections] == [
        ("techniques", line, label, "remove"),
        ("frames", None, "Public_opinion", "add"),
    ]
    save_screenshot(browser, "article")
    browser.refresh()
    rows = browser.find_elements(By.CSS_SELECTOR, "#corrections tbody tr")
    assert [r.find_elements(By.TAG_NAME, "td")[3].text for r in rows] == ["marked wrong", "added"]
    _no_script_errors(browser)


def _article_with_a_technique(server) -> int:
    for key, article_id in server.ids.items():
        _, _, body = server.get(f"/api/v1/articles/{article_id}")
        article = json.loads(body)["article"]
        if key != "hostile" and any(
            (p.get("techniques") or {}).get("predicted") for p in article["paragraphs"]
        ):
            return article_id
    raise AssertionError("no stored article has a technique label")


def test_import_a_file_and_follow_its_progress(server, browser, tmp_path):
    upload = tmp_path / "new-article.txt"
    upload.write_text(
        "Harbour ferry timetable changes next month\n\n"
        "The ferry company will add two evening crossings from the first of May, "
        "the harbour office announced on Friday.\n",
        encoding="utf-8",
    )
    browser.get(server.url + "/import")
    browser.find_element(By.ID, "files").send_keys(str(upload))
    browser.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    panel = browser.find_element(By.ID, "import-status")
    _wait(browser, 60).until(
        lambda _: panel.get_attribute("data-status") in ("done", "failed")
    )
    assert panel.get_attribute("data-status") == "done"
    assert panel.find_element(By.CSS_SELECTOR, "[data-field=stored]").text == "1"
    assert "job=" in browser.current_url
    browser.refresh()  # the job's own page, and the job listed with the recent ones
    panel = _wait(browser).until(ready.presence_of_element_located((By.ID, "import-status")))
    _wait(browser, 30).until(lambda _: panel.get_attribute("data-status") == "done")
    recent = browser.find_element(By.CSS_SELECTOR, "#recent-imports tbody tr")
    assert "new-article.txt" in recent.text and "done" in recent.text
    save_screenshot(browser, "import")
    _, _, body = server.get("/api/v1/articles?q=ferry")
    assert json.loads(body)["total"] == 1
    _no_script_errors(browser)
    # the corpus page's filter choices count the new article
    _, _, body = server.get("/api/v1/stats?by=language&what=genre")
    english = next(g for g in json.loads(body)["groups"] if g["group"] == "en")["articles"]
    browser.get(server.url + "/corpus")
    choices = [o.text for o in Select(browser.find_element(By.ID, "language")).options]
    assert f"en ({english})" in choices


def test_hostile_article_runs_nothing_in_the_browser(server, browser):
    browser.get(f"{server.url}/articles/{server.ids['hostile']}")
    title = browser.find_element(By.CSS_SELECTOR, "h1.article-title").text
    assert "<script>window.__pwned = 1</script>" in title
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.find_elements(By.CSS_SELECTOR, "main img") == []
    browser.get(server.url + "/corpus")
    assert browser.execute_script("return window.__pwned === undefined")
    _no_script_errors(browser)
