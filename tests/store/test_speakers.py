"""Who is quoted per outlet: the store's speakers query on SQLite and a real PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from propscope.document import Quote, Span
from propscope.ingest import parse_text
from propscope.quoting import link_quotes
from propscope.store import Filters, Store

VERSIONS = {"genre": "g1", "frames": "f1", "techniques": "t1", "evidence": "e1"}


def quoted(key, lines, said, *, source, language="en", published="2024-01-10", evidence=()):
    """An article whose ``said`` entries (words, speaker, direct) are quotes of its text, and
    whose ``evidence`` entries (words, technique) are spans."""
    article = parse_text(f"Title {key}\n\n" + "\n".join(lines) + "\n", key, source=source,
                         published=published)
    article.language = language
    for words, speaker, direct in said:
        at = article.text.index(words)
        article.quotes.append(Quote(at, at + len(words), speaker, direct=direct,
                                    resolved_speaker=speaker))
    for words, label in evidence:
        at = article.text.index(words)
        paragraph = next(p for p in article.paragraphs if p.start <= at < p.end)
        paragraph.spans.append(Span(at, at + len(words), label, 0.8))
    link_quotes(article)
    return article


@pytest.fixture
def store(store_url):
    with Store(store_url) as opened:
        run = opened.start_run("test", VERSIONS)
        articles = [
            quoted("h1", ["“The council are traitors and liars,” said Tom Baker.",
                          "Tom Baker said that the plan would ruin the harbour for good."],
                   [("The council are traitors and liars", "Tom Baker", True),
                    ("the plan would ruin the harbour for good", "Tom Baker", False)],
                   source="Herald", evidence=[("traitors", "Name_Calling-Labeling"),
                                              ("liars", "Name_Calling-Labeling"),
                                              ("ruin the harbour", "Appeal_to_Fear-Prejudice")]),
            quoted("h2", ["“We will fight this,” said Tom Baker.",
                          "“It is a <b>disgrace</b>,” said Ann O'Neil & co."],
                   [("We will fight this", "Tom Baker", True),
                    ("It is a <b>disgrace</b>", "Ann O'Neil & co", True)],
                   source="Herald", published="2024-03-01",
                   evidence=[("disgrace", "Loaded_Language")]),
            quoted("l1", ["The mayor said that the budget remains unchanged this year.",
                          "Prices rose by two percent in March."],
                   [("the budget remains unchanged this year", "The mayor", False)],
                   source="Ledger", evidence=[("Prices rose", "Doubt")]),
            quoted("l2", ["Nothing was said by anyone in this plain report."], [],
                   source="Ledger", language="fr"),
        ]
        for article in articles:
            opened.add(article, run, VERSIONS)
        yield opened


def test_speakers_per_outlet_count_quotes_articles_and_techniques_inside_quotes(store):
    outlets = {o["source"]: o for o in store.speakers()["outlets"]}
    assert sorted(outlets) == ["Herald", "Ledger"]
    herald, ledger = outlets["Herald"], outlets["Ledger"]
    assert (herald["articles"], herald["articles_with_quotes"], herald["quotes"]) == (2, 2, 4)
    assert (ledger["articles"], ledger["articles_with_quotes"], ledger["quotes"]) == (2, 1, 1)
    assert [r["speaker"] for r in herald["rows"]] == ["Tom Baker", "Ann O'Neil & co"]
    baker = herald["rows"][0]
    assert (baker["quotes"], baker["direct"], baker["reported"], baker["articles"]) == (3, 2, 1, 2)
    # two name-calling spans in one quote count once; the fear appeal is in the reported quote
    assert baker["techniques"] == {"Appeal_to_Fear-Prejudice": 1, "Name_Calling-Labeling": 1}
    assert herald["rows"][1]["techniques"] == {"Loaded_Language": 1}
    # the author's own "Prices rose" is nobody's quote
    assert ledger["rows"] == [{"speaker": "The mayor", "quotes": 1, "direct": 0, "reported": 1,
                               "articles": 1, "techniques": {}}]


def test_speakers_follow_the_filters_and_the_limit(store):
    only = store.speakers(Filters(source="Herald", until=date(2024, 2, 1)))["outlets"]
    assert [(o["source"], o["quotes"]) for o in only] == [("Herald", 2)]
    assert only[0]["rows"][0]["speaker"] == "Tom Baker" and only[0]["rows"][0]["articles"] == 1
    french = store.speakers(Filters(language="fr"))["outlets"]
    assert [(o["source"], o["quotes"], o["rows"]) for o in french] == [("Ledger", 0, [])]
    top = store.speakers(limit=1)["outlets"]
    assert [len(o["rows"]) for o in top] == [1, 1] and top[0]["speakers"] == 2
    assert store.speakers(Filters(source="Nobody"))["outlets"] == []
