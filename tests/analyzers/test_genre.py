import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from propscope.analyzers.genre import GenreAnalyzer
from propscope.errors import ArtifactError
from propscope.ingest import parse_text
from propscope.taxonomy import GENRE_LABELS
from propscope.training.genre import class_balanced_weights, train

OPINION = (
    "Why this government has failed us all\n\n"
    "Make no mistake: I am tired of being lied to. We deserve better than this shameful"
    " circus, and you know it as well as I do. Enough is enough!\n"
)
REPORT = (
    "Parliament approves budget after long debate\n\n"
    "The parliament approved the 2024 budget on Tuesday by 312 votes to 201, officials said."
    ' "The vote took place as planned," a spokesman told reporters in the capital.\n'
)


@pytest.fixture(scope="module")
def analyzer():
    return GenreAnalyzer.load()


def test_shipped_model_gives_valid_probabilities(analyzer):
    for text in (OPINION, REPORT):
        article = parse_text(text, "x")
        article.language = "en"
        genre = analyzer(article).genre
        assert list(genre.probabilities) == list(GENRE_LABELS)
        assert abs(sum(genre.probabilities.values()) - 1) < 1e-6
        assert all(0 <= p <= 1 for p in genre.probabilities.values())
        assert genre.predicted == [max(genre.probabilities, key=genre.probabilities.get)]
        assert genre.note is None


def test_language_offsets_are_applied(analyzer):
    article = parse_text(OPINION, "x")
    article.language = "en"
    english = analyzer(article).genre.probabilities
    article.language = "it"
    italian = analyzer(article).genre.probabilities
    assert english != italian  # per-language decision offsets differ


def test_untrained_language_gets_a_note(analyzer):
    article = parse_text(OPINION, "x")
    article.language = "es"
    genre = analyzer(article).genre
    assert genre.note == "model not trained on language 'es'"
    assert genre.predicted[0] in GENRE_LABELS


def test_shipped_manifest_reports_cross_validation(analyzer):
    metrics = analyzer.manifest["metrics"]
    for language in ("all", "en", "fr", "de", "it", "pl", "ru"):
        assert 0.3 < metrics[language]["macro_f1"] <= 1
    assert analyzer.manifest["training_data"]


def test_class_balanced_weights_equalise_genres_within_each_language():
    gold = np.array([0, 0, 0, 1, 0, 2, 2])
    languages = np.array(["en", "en", "en", "en", "fr", "fr", "fr"])
    weights = class_balanced_weights(gold, languages)
    assert weights.mean() == pytest.approx(1)
    for language in ("en", "fr"):
        totals = [
            weights[(languages == language) & (gold == g)].sum()
            for g in np.unique(gold[languages == language])
        ]
        assert totals == pytest.approx([totals[0]] * len(totals))
    # en: 3 opinion share the weight of 1 reporting (satire absent there: no weight invented)
    assert weights[3] == pytest.approx(3 * weights[0])


def test_inference_does_not_import_scikit_learn_or_scipy():
    code = (
        "import sys; from propscope.analyzers.genre import GenreAnalyzer; from propscope.ingest"
        " import parse_text; a = parse_text('T\\n\\nSome text here.\\n', 'x');"
        " GenreAnalyzer.load()(a); print('sklearn' in sys.modules, 'scipy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _copy_shipped(tmp_path):
    target = tmp_path / "genre"
    shutil.copytree(GenreAnalyzer.default_path(), target)
    return target


def test_truncated_artifact_is_refused(tmp_path):
    model = _copy_shipped(tmp_path)
    data = (model / "arrays.npz").read_bytes()
    (model / "arrays.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ArtifactError, match="truncated or edited"):
        GenreAnalyzer.load(model)


def test_foreign_and_incomplete_artifacts_are_refused(tmp_path):
    from propscope.analyzers.frames import FramesAnalyzer

    with pytest.raises(ArtifactError, match="expected a 'genre' model"):
        GenreAnalyzer.load(FramesAnalyzer.default_path())
    model = _copy_shipped(tmp_path)
    manifest = json.loads((model / "manifest.json").read_text())
    del manifest["temperature"]
    (model / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match="incomplete"):
        GenreAnalyzer.load(model)
    with pytest.raises(ArtifactError):
        GenreAnalyzer.load(tmp_path / "missing")


def test_training_smoke(shared_data, tmp_path):
    manifest = train(shared_data, tmp_path / "m", languages=["fr", "de"], folds=2, seed=0)
    assert set(manifest["metrics"]) == {"all", "fr", "de"}
    assert manifest["trained_languages"] == ["de", "fr"]
    assert set(manifest["thresholds"]) == {"_global", "fr", "de"}
    model = GenreAnalyzer.load(tmp_path / "m")
    article = parse_text(OPINION, "x")
    article.language = "fr"
    assert model(article).genre.note is None
    article.language = "en"
    assert model(article).genre.note == "model not trained on language 'en'"
    weights = np.load(tmp_path / "m" / "arrays.npz")["weights"]
    assert weights.dtype == np.int8 and weights.shape[1] == 3
