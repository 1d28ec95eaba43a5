from conftest import sample_evidence_article
from propscope.document import Prediction
from propscope.ingest import parse_text
from propscope.report.text import highlight, render_article


def test_report_shows_header_paragraphs_and_labels():
    article = parse_text("A title\n\nFirst paragraph.\nSecond paragraph.\n", "x1", language="en")
    article.genre = Prediction({"opinion": 0.7, "reporting": 0.2, "satire": 0.1}, ["opinion"])
    article.paragraphs[1].techniques = Prediction(
        {"Doubt": 0.81, "Slogans": 0.05}, ["Doubt"], {"Doubt": 0.4, "Slogans": 0.5}
    )
    article.paragraphs[2].boilerplate = True
    report = render_article(article)
    assert report.startswith("== A title\n")
    assert "genre: opinion   (opinion 0.70, reporting 0.20, satire 0.10)" in report
    assert "techniques: Casting doubt x1" in report
    assert "-> Casting doubt [Attack on reputation] 0.81" in report
    assert "     4 (boilerplate)  Second paragraph." in report


def test_evidence_in_plain_brackets_and_in_colour():
    paragraph = sample_evidence_article().paragraphs[1]
    assert highlight(paragraph) == (
        "The [[corrupt elite ]{Loaded language}lied again]{Name calling / labeling}, "
        "[as always]{Exaggeration / minimisation (fallback)}."
    )
    coloured = highlight(paragraph, color=True)
    assert "\x1b[1;36mcorrupt elite \x1b[0m" in coloured  # manipulative wording: cyan
    assert "\x1b[1;31mlied again\x1b[0m" in coloured  # attack on reputation: red
    assert "[" not in coloured.replace("\x1b[", "")
