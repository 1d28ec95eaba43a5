"""RSS feeds from a file and from a URL: full-text entries read from the feed, others fetched."""

import json

from conftest import run_cli
from propscope.errors import InputError
from propscope.ingest import IngestOptions, iter_inputs

from .conftest import WEB


def test_feed_url_entries_fetched_or_read_from_content(web_server, requests_seen):
    items = list(iter_inputs([f"{web_server}/feed.xml"], options=IngestOptions(feed=True)))
    assert len(items) == 3
    fetched, full_text, missing = items
    # Entry 1 has only a summary: its link is fetched and read as a page.
    assert fetched.url == f"{web_server}/news/harbour_bridge.html"
    assert fetched.meta["input"] == "feed+html" and fetched.author == "Jane Doe"
    assert fetched.text.count("The transport ministry") == 1
    # Entry 2 carries the whole article: it is read from the feed, not fetched.
    assert full_text.meta["input"] == "feed"
    assert full_text.title == "Council delays vote on the marina"
    assert full_text.source == "The Harbour Courier"
    assert full_text.published == "2023-03-15T17:00:00Z"
    assert full_text.author == "Tom Baker"
    assert [p.text[:24] for p in full_text.paragraphs[1:3]] == [
        "The city council on Wedn",
        "Supporters of the projec",
    ]
    assert full_text.paragraphs[-1].boilerplate  # "Share this story on Facebook and Twitter"
    assert "/news/marina" not in [path for path, _ in requests_seen]
    # Entry 3 links to a missing page: one error for it, naming the link.
    assert isinstance(missing, InputError)
    assert missing.source == f"{web_server}/missing" and missing.reason == "HTTP 404 Not Found"


def test_feed_file_and_bad_feed_through_the_cli(web_server, tmp_path):
    feed = tmp_path / "courier.rss"
    feed.write_text((WEB / "feed.rss").read_text().replace("{base}", web_server))
    not_a_feed = tmp_path / "notes.txt"
    not_a_feed.write_text("just some words, not a feed\n")
    result = run_cli("analyze", "--feed", str(not_a_feed), str(feed), "--format", "jsonl")
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"propscope: error: {not_a_feed}: ")
    assert errors[1] == f"propscope: error: {web_server}/missing: HTTP 404 Not Found"
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["title"] for r in records] == [
        "Ministers defend the new bridge toll",
        "Council delays vote on the marina",
    ]


def test_atom_file_with_full_content_needs_no_network():
    [article] = list(iter_inputs([str(WEB / "opinion.atom")], options=IngestOptions(feed=True)))
    assert article.meta["input"] == "feed"
    assert (article.title, article.source, article.author) == (
        "Ni vu ni connu",
        "Le Veilleur",
        "Jeanne Morel",
    )
    assert article.url == "https://veilleur.example/ni-vu-ni-connu"
    assert [p.boilerplate for p in article.paragraphs] == [False] * 5 + [True]
