import pytest

from propscope.document import Article, Paragraph, Prediction, Span
from propscope.ingest import parse_text


def _analysed_article() -> Article:
    article = parse_text("Titre\n\nUn premier paragraphe.\nUn second, plus long.\n", "a1")
    paragraph = article.paragraphs[1]
    paragraph.techniques = Prediction(
        probabilities={"Doubt": 0.8, "Loaded_Language": 0.1},
        predicted=["Doubt"],
        thresholds={"Doubt": 0.4, "Loaded_Language": 0.5},
    )
    paragraph.spans.append(Span(paragraph.start, paragraph.start + 3, "Doubt", 0.7))
    article.genre = Prediction({"opinion": 0.7, "reporting": 0.2, "satire": 0.1}, ["opinion"])
    article.meta["feed"] = "https://example.org/rss"
    return article


def test_json_round_trip_is_lossless():
    article = _analysed_article()
    again = Article.from_json(article.to_json())
    assert again == article
    assert again.to_dict() == article.to_dict()


def test_from_dict_rejects_unknown_fields_and_versions():
    data = _analysed_article().to_dict()
    data["colour"] = "red"
    with pytest.raises(ValueError, match="colour"):
        Article.from_dict(data)
    data = _analysed_article().to_dict()
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="99"):
        Article.from_dict(data)


def test_technique_counts_and_analyzable_paragraphs():
    article = _analysed_article()
    article.paragraphs[2].boilerplate = True
    assert article.technique_counts() == {"Doubt": 1}
    article.paragraphs[2].techniques = Prediction(
        {}, ["Name_Calling-Labeling", "Doubt", "Loaded_Language"], {}
    )
    assert article.technique_counts() == {
        "Doubt": 2,
        "Name_Calling-Labeling": 1,
        "Loaded_Language": 1,
    }
    # a paragraph counts once per group, however many of the group's techniques it uses
    assert article.group_counts() == {"attack_on_reputation": 2, "manipulative_wording": 1}
    summary = article.to_dict()["summary"]
    assert summary["groups"] == {"attack_on_reputation": 2, "manipulative_wording": 1}
    assert summary["techniques"]["Doubt"] == 2
    assert [p.line for p in article.analyzable_paragraphs()] == [1, 3]
    assert isinstance(article.paragraphs[0], Paragraph)
