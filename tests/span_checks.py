"""Checks shared by the tests of both evidence analyzers."""

from propscope.document import Prediction
from propscope.taxonomy import TECHNIQUE_LABELS


def set_techniques(article, labels_by_paragraph):
    """Stand in for the paragraph model: set paragraph.techniques by hand."""
    for index, labels in labels_by_paragraph.items():
        probabilities = {t: (0.9 if t in labels else 0.1) for t in TECHNIQUE_LABELS}
        article.paragraphs[index].techniques = Prediction(
            probabilities, list(labels), {t: 0.5 for t in TECHNIQUE_LABELS}
        )
    return article


def inside_a_word(text: str, i: int) -> bool:
    """Whether offset i falls inside a word: between letters, or at a hyphen between letters."""
    if not 0 < i < len(text):
        return False
    if text[i - 1].isalnum() and text[i].isalnum():
        return True
    hyphen_before = text[i - 1] == "-" and i >= 2 and text[i - 2].isalnum() and text[i].isalnum()
    hyphen_after = (
        text[i] == "-" and text[i - 1].isalnum() and i + 1 < len(text) and text[i + 1].isalnum()
    )
    return hyphen_before or hyphen_after


def assert_consistent(article):
    """Spans slice their paragraph along word edges, carry predicted labels only, and cover
    every prediction."""
    for paragraph in article.paragraphs:
        predicted = set(paragraph.techniques.predicted) if paragraph.techniques else set()
        for span in paragraph.spans:
            assert paragraph.start <= span.start < span.end <= paragraph.end, span
            piece = article.text[span.start : span.end]
            assert piece == piece.strip() and piece in paragraph.text
            assert not inside_a_word(article.text, span.start), piece
            assert not inside_a_word(article.text, span.end), piece
            assert span.label in predicted
            assert span.confidence is None or 0.0 <= span.confidence <= 1.0
        assert predicted <= {s.label for s in paragraph.spans}, paragraph.line
