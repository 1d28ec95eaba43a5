"""The library does what it says (#11, observation 13): clear errors for wrong types and
paths, read() for one article, read_many() for corpora, spans with their text, flat views."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

import propscope
from conftest import EXAMPLES

PAGE = b"""<!DOCTYPE html><html><head><title>Minister denies report</title></head><body>
<article><h1>Minister denies report</h1>
<p>The minister on Monday denied a newspaper report that the ministry had hidden the costs of
the new bridge from parliament, calling it a shameless smear campaign by the opposition.</p>
<p>Opposition leaders said the figures spoke for themselves and asked for an inquiry into the
ministry's accounts before the budget vote next month.</p></article></body></html>"""


@pytest.fixture
def page_url():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/news/minister"
    server.shutdown()


def test_issue11_obs13_analyze_refuses_a_path_string_and_wrong_types(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Title\n\nSome article text.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="propscope.read"):
        propscope.analyze(str(path))
    with pytest.raises(TypeError, match="read"):
        propscope.analyze(path)
    for wrong in (None, ["a text"], 42):
        with pytest.raises(TypeError, match="expected an Article or a text"):
            propscope.analyze(wrong)


def test_issue11_obs13_read_takes_one_article_and_sends_corpora_to_read_many(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        '{"id": "1", "title": "One", "text": "First article body."}\n'
        '{"id": "2", "title": "Two", "text": "Second article body."}\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="read_many"):
        propscope.read(corpus)
    with pytest.raises(ValueError, match="read_many"):
        propscope.read(tmp_path)
    articles = list(propscope.read_many(corpus))
    assert [a.title for a in articles] == ["One", "Two"]
    with pytest.raises(propscope.InputError):
        list(propscope.read_many([tmp_path / "missing.txt"], errors="raise"))


def test_issue11_obs13_read_takes_a_url(page_url):
    article = propscope.read(page_url)
    assert article.title == "Minister denies report"
    assert "shameless smear campaign" in article.text


def test_issue11_obs13_spans_have_text_and_flat_views_exist():
    article = propscope.analyze(propscope.read(EXAMPLES / "en_opinion_energy.txt"))
    spans = [s for p in article.paragraphs for s in p.spans]
    assert spans and all(s.text == article.text[s.start : s.end] for s in spans)
    records = propscope.to_records(article)
    techniques = [r for r in records if r["task"] == "techniques"]
    assert {r["task"] for r in records} == {"genre", "frames", "techniques"}
    predicted = {(r["line"], r["label"]) for r in techniques if r["predicted"]}
    shown = [p for p in article.paragraphs if p.techniques]
    expected = {(p.line, label) for p in shown for label in p.techniques.predicted}
    assert predicted == expected
    frame = propscope.to_dataframe([article])
    assert len(frame) == len(records) and {"label", "probability", "model"} <= set(frame.columns)


def test_analyze_many_streams_texts_articles_and_paths_in_order(tmp_path):
    path = tmp_path / "third.txt"
    path.write_text("Third\n\nThe third article of the stream, read from a file.\n")
    items = [
        "First\n\nThe first article of the stream, given as text.\n",
        propscope.read(EXAMPLES / "en_opinion_energy.txt"),
        Path(path),
    ]
    titles = [a.title for a in propscope.analyze_many(items, analyzers=["language"])]
    assert titles[0] == "First" and titles[2] == "Third" and len(titles) == 3
    with pytest.raises(ValueError, match="pathlib.Path"):
        list(propscope.analyze_many([str(path)]))
