"""Web pages from files and from a real local HTTP server: text, metadata, and every failure."""

import json

from conftest import run_cli
from propscope.errors import InputError
from propscope.ingest import IngestOptions, iter_inputs
from propscope.ingest.fetch import USER_AGENT, fetch
from propscope.ingest.html import read_url

from .conftest import WEB


def _errors(result) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if line]


def test_html_file_main_text_metadata_and_paragraphs():
    [article] = list(iter_inputs([str(WEB / "harbour_bridge.html")]))
    assert article.title == "Ministers defend the new bridge toll"
    assert article.source == "The Harbour Courier"
    assert article.author == "Jane Doe"
    assert article.published == "2023-03-14"
    assert article.url == "https://harbour.example/news/bridge-toll"
    texts = [p.text for p in article.paragraphs]
    assert texts[0] == article.title and article.text.startswith(article.title + "\n\n")
    assert texts[1].startswith("The transport ministry on Tuesday")
    assert len(texts) == 6  # title, four paragraphs, the call to follow the outlet
    assert not any("Home" in t or "Privacy" in t or "Most read" in t for t in texts)
    assert [p.boilerplate for p in article.paragraphs] == [False] * 5 + [True]
    for p in article.paragraphs:
        assert article.text[p.start : p.end] == p.text


def test_html_file_in_a_declared_legacy_charset_and_update_stamp():
    [article] = list(iter_inputs([str(WEB / "vallee_ecoles.html")]))
    assert article.title.startswith("Fermeture d'écoles")
    assert article.source == "L'Écho de la Vallée"
    assert "« On nous explique" in article.text
    assert article.meta["updated"] == "2022-11-03T18:05"


def test_url_records_final_url_outlet_and_sends_user_agent(web_server, requests_seen):
    article = read_url(f"{web_server}/moved")
    assert article.url == f"{web_server}/news/harbour_bridge.html"
    assert article.source == "The Harbour Courier"
    assert article.id == "harbour_bridge"
    assert requests_seen[0] == ("/moved", USER_AGENT)
    assert USER_AGENT.startswith("propscope/")


def test_gzip_encoded_page_is_decoded(web_server):
    article = read_url(f"{web_server}/gzipped")
    assert article.title == "Ministers defend the new bridge toll"


def test_fetch_failures_are_one_clear_reason_each(web_server):
    cases = {
        "/missing": "HTTP 404",
        "/loop": "redirect",
        "/huge": "page too large (over the 5.2 MB limit",
        "/huge-declared": "too large (104.9 MB",
    }
    for path, reason in cases.items():
        try:
            fetch(f"{web_server}{path}", timeout=5, max_bytes=5 * 1024 * 1024)
        except InputError as error:
            assert error.source == f"{web_server}{path}"
            assert reason in error.reason, (path, error.reason)
        else:
            raise AssertionError(f"{path} did not fail")


def test_non_html_response_is_refused(web_server):
    try:
        read_url(f"{web_server}/data.json")
    except InputError as error:
        assert error.reason == "not an HTML page (Content-Type application/json)"
    else:
        raise AssertionError("a JSON response was read as a page")


def test_timeout(web_server):
    options = IngestOptions(timeout=1)
    [error] = list(iter_inputs([f"{web_server}/slow"], options=options))
    assert isinstance(error, InputError)
    assert error.reason == "timed out: no complete answer within 1 s"


def test_cli_bad_urls_one_line_each_and_the_rest_processed(web_server, tmp_path):
    good = f"{web_server}/news/harbour_bridge.html"
    bad = ["/slow", "/missing", "/data.json", "/huge"]
    result = run_cli(
        "analyze",
        f"{web_server}{bad[0]}",
        good,
        *(f"{web_server}{b}" for b in bad[1:]),
        str(WEB / "vallee_ecoles.html"),
        "--format",
        "jsonl",
        "--timeout",
        "1",
    )
    assert result.returncode == 1
    errors = _errors(result)
    assert len(errors) == len(bad), errors
    for path, line in zip(bad, errors, strict=True):
        assert line.startswith(f"propscope: error: {web_server}{path}: "), line
    assert "Traceback" not in result.stderr.decode()
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == ["harbour_bridge", "vallee_ecoles"]
    assert records[0]["url"] == good and records[0]["language"] == "en"


def test_html_on_standard_input():
    html = (WEB / "harbour_bridge.html").read_bytes()
    result = run_cli("analyze", "-", "--format", "jsonl", "--analyzers", "language", stdin=html)
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert article["title"] == "Ministers defend the new bridge toll"
    assert article["source"] == "The Harbour Courier" and article["language"] == "en"
