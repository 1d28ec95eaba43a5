import pytest

from artifact_copies import copy_with_manifest
from propscope.analyzers.frames import FramesAnalyzer
from propscope.errors import ArtifactError
from propscope.ingest import parse_text
from propscope.taxonomy import FRAME_LABELS
from propscope.training.frames import train

TEXT = (
    "Army boosts border security as refugees arrive\n\n"
    "The defence ministry sent troops and tanks to the border. Soldiers will guard the"
    " crossing, the military said, while hospitals prepare for the wounded.\n"
)


@pytest.fixture(scope="module")
def analyzer():
    return FramesAnalyzer.load()


def test_shipped_model_applies_its_thresholds(analyzer):
    article = parse_text(TEXT, "x")
    article.language = "en"
    frames = analyzer(article).frames
    assert list(frames.probabilities) == list(FRAME_LABELS)
    assert set(frames.thresholds) == set(FRAME_LABELS)
    assert all(0 <= p <= 1 for p in frames.probabilities.values())
    assert frames.predicted == [
        f for f in FRAME_LABELS if frames.probabilities[f] >= frames.thresholds[f]
    ]
    assert "Security_and_defense" in frames.predicted
    assert frames.note is None


def test_language_thresholds_differ(analyzer):
    cuts = analyzer.decisions
    assert {"_global", "en", "fr", "de", "it", "pl", "ru"} <= set(cuts)
    assert len({round(float(v), 4) for v in cuts.values()}) > 1


def test_untrained_language_gets_a_note(analyzer):
    article = parse_text(TEXT, "x")
    article.language = "ka"
    assert analyzer(article).frames.note == "model not trained on language 'ka'"


def test_shipped_manifest_reports_cross_validation(analyzer):
    metrics = analyzer.manifest["metrics"]
    for language in ("all", "en", "fr", "de", "it", "pl", "ru"):
        assert 0.3 < metrics[language]["micro_f1"] <= 1
    assert set(metrics["all"]["per_label"]) == set(FRAME_LABELS)


def test_edited_and_foreign_artifacts_are_refused(tmp_path):
    from propscope.analyzers.genre import GenreAnalyzer

    with pytest.raises(ArtifactError, match="expected a 'frames' model"):
        FramesAnalyzer.load(GenreAnalyzer.default_path())
    model = copy_with_manifest(
        FramesAnalyzer.default_path(), tmp_path / "frames", lambda m: m["labels"].reverse()
    )
    with pytest.raises(ArtifactError, match="not the official ones"):
        FramesAnalyzer.load(model)


def test_training_smoke(shared_data, tmp_path):
    manifest = train(shared_data, tmp_path / "m", languages=["it", "ru"], folds=2, seed=0)
    assert set(manifest["metrics"]) == {"all", "it", "ru"}
    assert set(manifest["score_thresholds"]) == {"_global", "it", "ru"}
    model = FramesAnalyzer.load(tmp_path / "m")
    article = parse_text(TEXT, "x")
    article.language = "ru"
    frames = model(article).frames
    assert frames.note is None and set(frames.probabilities) == set(FRAME_LABELS)
