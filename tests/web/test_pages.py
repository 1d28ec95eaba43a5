"""The web pages over HTTP from a real server: content, escaping, headers, errors, CSV."""

import csv
import io
import json
import re
import urllib.parse
import urllib.request
import uuid
from html import unescape

import pytest

from conftest import EXAMPLES, sample_evidence_article
from propscope.api.security import CONTENT_SECURITY_POLICY
from propscope.taxonomy import GROUPS, TECHNIQUES
from propscope.web.routes import _page as analyse_page
from propscope.web.views import analysis_view
from web.articles import ARTICLES, HOSTILE

PAGES = ["/", "/corpus", "/compare", "/speakers", "/import", "/legend", "/legend?language=fr"]


def _post_form(server, fields: dict[str, str], files: dict[str, tuple[str, bytes]] = ()):
    """A multipart POST to /analyse, as the browser's form sends it."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            .encode()
        )
    for name, (filename, data) in dict(files).items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'.encode() + data + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        server.url + "/analyse",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _assert_no_active_markup(html: str) -> None:
    """Scripts only from our own files; no inline handler or style a CSP would have to block."""
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert re.fullmatch(r'<script src="/static/[\w.]+"( defer)?>', tag), tag
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", html, re.IGNORECASE)
    assert not re.search(r"<[a-z][^>]*\sstyle\s*=", html, re.IGNORECASE)
    assert "<img src=x" not in html and "window.__pwned = 1</script>" not in html


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_a_strict_policy_and_no_inline_script(server, path):
    status, headers, html = server.get(path)
    assert status == 200
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert headers["content-type"].startswith("text/html")
    _assert_no_active_markup(html)
    # nothing from another origin: every asset is ours
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http:", "https:", "//")), url


def test_hostile_article_is_shown_as_text_everywhere(server):
    article_id = server.ids["hostile"]
    escaped = "&lt;script&gt;window.__pwned = 1&lt;/script&gt;"
    for path in (
        f"/articles/{article_id}",
        "/corpus",
        "/corpus?q=betrayed",
        "/compare?outlet=" + urllib.parse.quote("Evil <b>Outlet</b>") + "&outlet=County+Ledger",
        "/speakers",
    ):
        status, _, html = server.get(path)
        assert status == 200, path
        _assert_no_active_markup(html)
        assert "Evil <b>" not in html
        assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in html, path
    status, _, html = server.get(f"/articles/{article_id}")
    assert html.count(escaped) >= 3  # title, heading and two paragraphs
    assert "&lt;/p&gt;&lt;/div&gt;" in html


def test_evidence_over_hostile_text_is_escaped_inside_the_highlight():
    article = sample_evidence_article()
    paragraph = article.paragraphs[1]
    hostile = "<script>alert(1)</script>"
    offset = paragraph.start + 4  # "corrupt elite" becomes script
    article.text = article.text[:offset] + hostile + article.text[offset + len(hostile) :]
    paragraph.text = article.text[paragraph.start : paragraph.end]
    article.url = "javascript:window.__pwned = 3"  # the API refuses it; a page never links it
    html = analyse_page(view=analysis_view(article)).body.decode()
    assert "javascript:window.__pwned = 3" in html and 'href="javascript:' not in html
    assert "<script>alert" not in html
    assert re.search(r'<mark class="ev g-manipulative_wording"[^>]*>&lt;script&gt;alert', html)


def test_analyse_page_highlights_an_example_with_english_definitions(server):
    text = (EXAMPLES / "en_opinion_energy.txt").read_text(encoding="utf-8")
    status, html = _post_form(server, {"text": text, "view": "all"})
    assert status == 200
    mark = r'<mark class="ev g-(\w+)[^"]*" data-techniques="([^"]+)" title="([^"]+)"'
    titles = [(g, labels, unescape(title)) for g, labels, title in re.findall(mark, html)]
    assert titles, "no evidence highlighted"
    for group, labels, title in titles:
        first = labels.split()[0]
        assert TECHNIQUES[first].group == group
        assert title.startswith(TECHNIQUES[first].name)
    assert len(re.findall(r'class="legend-group"', html)) == len(GROUPS)


def test_analyse_page_gives_french_definitions_for_a_french_article(server):
    data = (EXAMPLES / "fr_tribune_reforme.txt").read_bytes()
    status, html = _post_form(server, {"text": ""}, {"file": ("tribune.txt", data)})
    assert status == 200
    labels = re.findall(r'data-techniques="([^" ]+)[^"]*" title="([^"]+)"', html)
    assert labels
    for label, title in labels:
        name, definition = TECHNIQUES[label].describe("fr")
        assert unescape(title).startswith(name)
        assert definition in unescape(title)
    assert GROUPS["distraction"].name_fr in html  # the legend too


def test_analyse_page_escapes_pasted_markup_and_shows_caveats(server):
    text = "Titulo " + HOSTILE + "\n\nLos corruptos de siempre nos mienten otra vez.\n"
    status, html = _post_form(server, {"text": text})
    assert status == 200
    _assert_no_active_markup(html)
    assert "&lt;script&gt;window.__pwned" in html
    caveats = re.findall(r"<li>([^<]*)</li>", html.split('class="caveats"')[1].split("</ul>")[0])
    assert len(caveats) == 1 and caveats[0].startswith("no labels given: too little text")
    assert "<mark" not in html  # withheld: nothing highlighted
    body = " ".join(["El gobierno ha mentido otra vez a los ciudadanos sobre el puerto."] * 5)
    status, html = _post_form(server, {"text": "Titulo\n\n" + body + "\n"})
    assert status == 200 and 'class="caveats"' in html and "not trained on language" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "nothing to analyse"),
        ({"text": "Some text", "url": "https://example.org/a"}, "one input at a time"),
        ({"text": "Some text", "decision": "<b>x</b>"}, "unknown decision &#39;&lt;b&gt;x"),
        ({"url": "http://127.0.0.1:9/nothing-listens-here"}, "cannot connect"),
    ],
)
def test_analyse_page_reports_bad_input_in_one_line(server, fields, message):
    status, html = _post_form(server, fields)
    assert status == 422
    errors = re.findall(r'<p class="error" role="alert">([^<]*)</p>', html)
    assert len(errors) == 1 and message in errors[0] and "\n" not in errors[0]
    assert "Traceback" not in html


def test_static_assets_are_served_by_name_only(server):
    status, headers, script = server.get("/static/app.js")
    assert status == 200 and "javascript" in headers["content-type"]
    assert "innerHTML" not in script  # text reaches the page through textContent only
    status, _, css = server.get("/static/groups.css")
    assert status == 200
    for key, group in GROUPS.items():
        assert f".g-{key}" in css and group.colour in css
    for path in ("/static/..%2Fpages.py", "/static/.hidden", "/static/missing.css"):
        assert server.get(path)[0] == 404


def test_corpus_filters_narrow_the_table(server):
    status, _, html = server.get("/corpus?language=fr")
    assert status == 200
    languages = re.findall(r'<tr data-language="([^"]*)"', html)
    expected = sum(1 for a in ARTICLES if a.get("language") == "fr")
    assert languages == ["fr"] * expected
    status, _, html = server.get("/corpus?source=County+Ledger&q=consultation")
    assert re.findall(r'<tr data-language="[^"]*" data-source="([^"]*)"', html) == [
        "County Ledger",
        "County Ledger",
    ]


def test_corpus_reports_a_bad_filter_in_one_line(server):
    status, _, html = server.get("/corpus?since=yesterday")
    assert status == 422
    assert re.findall(r'<p class="error" role="alert">([^<]*)</p>', html) == [
        "since: not a date (YYYY-MM-DD): &#39;yesterday&#39;"
    ]


def _csv_rows(server, path):
    status, headers, text = server.get(path)
    assert status == 200, text
    assert headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(text)))


def test_every_chart_and_table_of_the_corpus_page_offers_its_csv(server):
    status, _, html = server.get("/corpus?language=en")
    links = re.findall(r'<a href="([^"]+)" download>Download CSV</a>', html)
    charts = re.findall(r'data-chart="([^"]+)"', html)
    assert len(charts) == 6 and len(links) == len(charts) + 1  # the table's, then each chart's
    export = _csv_rows(server, links[0].replace("&amp;", "&"))
    assert export and {row["language"] for row in export} == {"en"}
    by_source = next(link for link in links if "by=source" in link and "what=techniques" in link)
    rows = _csv_rows(server, by_source.replace("&amp;", "&"))
    assert rows
    for row in rows:
        assert row["source"] != "La Gazette du Port"  # French only: filtered out
        rate = float(row["per_100_paragraphs"])
        assert rate == pytest.approx(100 * int(row["count"]) / int(row["paragraphs"]), abs=1e-3)
        assert float(row["ci95_low"]) <= rate <= float(row["ci95_high"])


def test_compare_gives_counts_and_intervals_per_outlet(server):
    query = "outlet=Harbour+Herald&outlet=La+Gazette+du+Port"
    status, _, html = server.get("/compare?" + query)
    assert status == 200
    cells = re.findall(
        r'data-value="([\d.]+)">([\d.]+) <span class="ci">\[([\d.]+)–([\d.]+)\]</span>'
        r'<br><span class="ci">(\d+) / (\d+)</span>',
        html,
    )
    assert cells
    for _, rate, low, high, count, total in cells:
        assert float(low) <= float(rate) <= float(high)
        assert float(rate) == pytest.approx(100 * int(count) / int(total), abs=0.06)
    assert len(re.findall(r'data-chart="compare-(\w+)"', html)) == 3
    assert server.get("/compare?outlet=Harbour+Herald")[0] == 422
    assert server.get("/compare?outlet=A&outlet=Nowhere+Gazette")[0] == 422


def test_article_page_names_the_model_version_behind_each_label(server):
    article_id = server.ids["harbour-1"]
    status, _, html = server.get(f"/articles/{article_id}")
    assert status == 200
    _, _, api = server.get(f"/api/v1/articles/{article_id}")
    analyses = [a for a in json.loads(api)["record"]["analyses"] if a["current"]]
    assert {a["task"] for a in analyses} >= {"genre", "frames", "techniques"}
    for analysis in analyses:
        assert f"{analysis['model']} {analysis['model_version']}" in html
    assert f'data-corrections-url="/api/v1/articles/{article_id}/corrections"' in html
    assert server.get("/articles/999999")[0] == 404


def test_corpus_filtered_by_a_technique_shows_only_articles_using_it(server):
    _, _, body = server.get("/api/v1/articles?technique=Loaded_Language&page_size=50")
    expected = {item["id"] for item in json.loads(body)["items"]}
    assert expected  # the corpus has some: the test would prove nothing otherwise
    status, _, html = server.get("/corpus?technique=Loaded_Language&min_confidence=0.05")
    assert status == 200
    shown = {int(i) for i in re.findall(r'<td><a href="/articles/(\d+)">', html)}
    assert shown <= expected and shown
    charts = re.findall(r'data-src="(/corpus/chart\.svg\?[^"]+)"', html)
    assert len(charts) == 6
    for url in charts:
        status, headers, svg = server.get(unescape(url))
        assert status == 200 and headers["content-type"].startswith("image/svg+xml")
        assert "technique=Loaded_Language" in url and svg.startswith("<svg")


def test_charts_are_svg_images_with_escaped_names(server):
    status, headers, svg = server.get("/corpus/chart.svg?chart=techniques-by-source")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in svg and "<b>" not in svg
    assert svg.count('<rect class="value"') >= 3
    status, _, svg = server.get("/corpus/chart.svg?chart=frames-by-month&source=Nowhere")
    assert status == 200 and "Nothing to chart" in svg
    for bad in ("chart=pie", "chart=frames-by-month&until=soon"):
        status, _, text = server.get("/corpus/chart.svg?" + bad)
        assert status == 422 and text.count("\n") == 1


def test_analyse_page_reads_a_web_page_by_its_url(server, tmp_path):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    paragraphs = "".join(
        f"<p>{text}</p>"
        for text in (
            "The harbour council voted on Tuesday to keep two of the five docks open, after a "
            "debate that lasted more than three hours and drew a large crowd.",
            "Critics called the plan a shameful betrayal of the workers who built the town, "
            "and the union said it would study the details before responding.",
            "A public consultation on the plan will run until the end of March, officials said.",
        )
    )
    (tmp_path / "story.html").write_text(
        "<!DOCTYPE html><html><head><title>Docks vote</title></head><body><article>"
        f"<h1>Council keeps two docks open</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    site = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{site.server_address[1]}/story.html"
        status, html = _post_form(server, {"url": url})
    finally:
        site.shutdown()
    assert status == 200
    assert "shameful betrayal of the workers" in html
    assert f'href="{url}"' in html  # the page's address, shown with the article
    assert len(re.findall(r'class="para[ "]', html)) >= 3


def test_article_page_shows_the_confident_view_unless_asked_for_all(server):
    counts = {}
    for view in ("confident", "all"):
        totals = []
        for article_id in server.ids.values():
            status, _, html = server.get(f"/articles/{article_id}?view={view}")
            assert status == 200
            totals.append(len(re.findall(r'<span class="chip g-\w+" data-technique=', html)))
        counts[view] = sum(totals)
    assert counts["confident"] <= counts["all"]
    _, _, body = server.get("/api/v1/export?format=jsonl")
    rows = [json.loads(line) for line in body.splitlines()]
    predicted = sum(1 for r in rows if r["task"] == "techniques" and r["selected"])
    # each predicted paragraph technique is a chip under its paragraph and one in the summary
    assert predicted > 0 and counts["all"] >= predicted
    status, _, html = server.get(f"/articles/{server.ids['harbour-1']}?view=some")
    assert status == 422 and "unknown view" in html


def test_analyse_page_names_who_is_quoted(server):
    text = (
        "Mayor defends the harbour plan\n\n"
        '"We will not close the docks, whatever the critics say," said Mayor Jane Smith on '
        "Tuesday, speaking to reporters outside the town hall after a long council meeting.\n\n"
        "The union's leader, Tom Baker, said the plan was a betrayal of the workers and "
        "promised that his members would fight it in every court of the land.\n"
    )
    status, html = _post_form(server, {"text": text})
    assert status == 200
    panel = html.split('class="panel speakers"')[1].split("</section>")[0]
    assert "Jane Smith" in panel and "1 direct" in panel
    # "... and promised that": the coordinated verb's speaker, not the words before "and"
    assert "Tom Baker" in panel and "workers and" not in panel
