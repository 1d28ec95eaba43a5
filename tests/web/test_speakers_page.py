"""The "who is quoted" page and its CSV, on the web tests' running server and corpus."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from markupsafe import escape

from web.articles import ARTICLES


def _sections(html: str) -> dict[str, str]:
    """Each outlet's section of the page, by its (unescaped) outlet name."""
    found = re.findall(r'<section class="card speakers" data-outlet="([^"]*)">(.*?)</section>',
                       html, re.DOTALL)
    return {unescape(name): body for name, body in found}


def test_speakers_page_lists_each_outlet_and_agrees_with_its_csv(server):
    status, headers, html = server.get("/speakers")
    assert status == 200 and headers["content-type"].startswith("text/html")
    sections = _sections(html)
    # the server is shared by the web tests: others may have stored articles of their own
    assert {a["source"] for a in ARTICLES} <= set(sections)
    link = re.search(r'<a href="(/speakers\.csv[^"]*)" download>Download CSV</a>', html)
    status, headers, text = server.get(unescape(link.group(1)))
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    # the County Ledger reports what the council, the union and officials said
    ledger = [r for r in rows if r["source"] == "County Ledger"]
    assert ledger and all(int(r["quotes"]) == int(r["direct"]) + int(r["reported"]) for r in rows)
    for row in rows:
        body = sections[row["source"]]
        cells = re.search(
            r'<td class="speaker">' + re.escape(str(escape(row["speaker"]))) + r"</td>\s*"
            r'<td class="num" data-value="(\d+)">', body
        )
        assert cells and cells.group(1) == row["quotes"], row


def test_speakers_page_filters_and_reports_a_bad_date_in_one_line(server):
    status, _, html = server.get("/speakers?language=fr")
    assert status == 200 and set(_sections(html)) == {"La Gazette du Port"}
    status, _, html = server.get("/speakers?source=County+Ledger&until=2024-01-31")
    sections = _sections(html)
    assert set(sections) == {"County Ledger"} and "in 1 of 1 article" in sections["County Ledger"]
    status, _, html = server.get("/speakers?since=yesterday")
    assert status == 422 and 'role="alert">since: not a date' in html
    assert server.get("/speakers.csv?since=yesterday")[0] == 422


def test_compare_links_to_who_each_outlet_quotes(server):
    status, _, html = server.get("/compare?outlet=Harbour+Herald&outlet=County+Ledger")
    links = re.findall(r'<a href="(/speakers\?source=[^"]+)">', html)
    assert status == 200 and len(links) == 2
    status, _, page = server.get(unescape(links[1]))
    assert status == 200 and set(_sections(page)) == {"County Ledger"}


def test_speakers_page_in_the_browser_filters_and_sorts_without_script_errors(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from web.conftest import save_screenshot
    from web.test_browser import _no_script_errors

    browser.get(server.url + "/speakers")
    outlets = browser.find_elements(By.CSS_SELECTOR, "section.speakers")
    assert len(outlets) >= len({a["source"] for a in ARTICLES})  # others may add outlets
    Select(browser.find_element(By.ID, "source")).select_by_value("County Ledger")
    browser.find_element(By.CSS_SELECTOR, "#speaker-filters button[type=submit]").click()
    WebDriverWait(browser, 30).until(ready.url_contains("source=County+Ledger"))
    (section,) = browser.find_elements(By.CSS_SELECTOR, "section.speakers")
    assert section.get_attribute("data-outlet") == "County Ledger"
    header = section.find_element(By.XPATH, ".//th[text()='Speaker']")
    def names() -> list[str]:
        return [td.text for td in section.find_elements(By.CSS_SELECTOR, "td.speaker")]

    assert len(names()) >= 2
    header.click()
    assert names() == sorted(names()) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert names() == sorted(names(), reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    save_screenshot(browser, "speakers")
    _no_script_errors(browser)
