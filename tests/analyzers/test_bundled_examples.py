"""The shipped models on the examples bundled with the project, through the default pipeline."""

import pytest

import propscope
from conftest import EXAMPLES
from propscope.taxonomy import FRAME_LABELS, GENRE_LABELS, TECHNIQUE_LABELS

PATHS = sorted(EXAMPLES.glob("*.txt"))


@pytest.fixture(scope="module", params=PATHS, ids=[p.stem for p in PATHS])
def article(request):
    return propscope.analyze(propscope.read(str(request.param)))


def test_bundled_examples_exist():
    assert {p.stem[:2] for p in PATHS} == {"en", "fr"}


def test_genre_probabilities_sum_to_one(article):
    genre = article.genre
    assert list(genre.probabilities) == list(GENRE_LABELS)
    assert sum(genre.probabilities.values()) == pytest.approx(1.0)
    assert genre.predicted == [max(genre.probabilities, key=genre.probabilities.get)]
    # Both examples are opinion pieces written for the demo.
    assert genre.predicted == ["opinion"]


def test_frames_follow_their_thresholds(article):
    frames = article.frames
    assert set(frames.probabilities) == set(FRAME_LABELS)
    assert frames.predicted == [
        f for f in FRAME_LABELS if frames.probabilities[f] >= frames.thresholds[f]
    ]
    assert frames.predicted, "an opinion piece on policy should get at least one frame"


def test_techniques_and_evidence_on_every_paragraph(article):
    assert article.technique_counts(), "no technique found in an opinionated example"
    for paragraph in article.analyzable_paragraphs():
        techniques = paragraph.techniques
        assert set(techniques.probabilities) == set(TECHNIQUE_LABELS)
        assert techniques.predicted == [
            t
            for t in techniques.probabilities
            if techniques.probabilities[t] >= techniques.thresholds[t]
        ]
        for technique in techniques.predicted:
            spans = [s for s in paragraph.spans if s.label == technique]
            assert spans, f"line {paragraph.line}: {technique} has no evidence"
            for span in spans:
                assert paragraph.start <= span.start < span.end <= paragraph.end
