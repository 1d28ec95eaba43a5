"""Quotes meet techniques: evidence spans and paragraphs know whose words they are."""

from __future__ import annotations

from propscope.analyzers.quotes import QuotesAnalyzer
from propscope.document import Article, Entity, Prediction, Quote, Span
from propscope.ingest import parse_text

TEXT = (
    "Title\n"
    "“The so-called crisis is a shameful lie of the West,” said Dmitry Peskov.\n"
    "This paragraph is the writer's own view, plainly put in one long sentence of his.\n"
)


def _article() -> Article:
    article = parse_text(TEXT, "t", layout="lines")
    quoted, own = article.paragraphs[1], article.paragraphs[2]
    lie = article.text.index("shameful lie")
    quoted.spans.append(Span(lie, lie + len("shameful lie"), "Loaded_Language", 0.8))
    own.spans.append(Span(own.start, own.start + 10, "Doubt", 0.6))
    quoted.techniques = Prediction({"Loaded_Language": 0.8}, ["Loaded_Language"])
    own.techniques = Prediction({"Doubt": 0.6}, ["Doubt"])
    return QuotesAnalyzer()(article)


def test_spans_and_paragraphs_say_whose_words_they_are():
    article = _article()
    assert [q.resolved_speaker for q in article.quotes] == ["Dmitry Peskov"]
    assert article.paragraphs[1].spans[0].quote == 0
    assert article.paragraphs[2].spans[0].quote is None
    assert [p.quotes for p in article.paragraphs] == [[], [0], []]


def test_the_summary_gives_each_speaker_quotes_and_techniques():
    speakers = _article().to_dict()["summary"]["speakers"]
    assert speakers == {
        "Dmitry Peskov": {
            "quotes": [0],
            "direct": 1,
            "reported": 0,
            "techniques": {"Loaded_Language": 1},
        }
    }


def test_quotes_and_entities_survive_json():
    article = _article()
    article.entities = [Entity(0, 5, "PER", "Title", name="Title")]
    article.quotes.append(
        Quote(10, 20, "he", cue="said", direct=False, confidence=0.4, speaker_kind="pronoun")
    )
    again = Article.from_json(article.to_json())
    assert again == article
    assert again.paragraphs[1].spans[0].quote == 0
