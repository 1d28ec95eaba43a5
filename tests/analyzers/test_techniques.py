import json

import numpy as np
import pytest

from propscope.analyzers.techniques import TechniquesAnalyzer
from propscope.errors import ArtifactError
from propscope.features.paragraph_tfidf import HashedTfidf, TfidfSettings, ngram_ids, normalise
from propscope.ingest import parse_text
from propscope.models.artifact import save_artifact
from propscope.taxonomy import TECHNIQUE_LABELS
from propscope.training.techniques import (
    prune,
    train_techniques,
    tune_balanced_thresholds,
    tune_thresholds,
)

SMALL = TfidfSettings(char_bits=12, word_bits=12)
TEXTS = [
    "The corrupt elite lied again, as always!",
    "The council met on Tuesday to discuss the budget.",
    "Les élites corrompues mentent encore.",
]
LOADED = TECHNIQUE_LABELS.index("Loaded_Language")
DOUBT = TECHNIQUE_LABELS.index("Doubt")


def toy_artifact(path, thresholds=None, kind="techniques", balanced=None):
    """A tiny hand-made model: 'corrupt' drives Loaded_Language, '?' drives Doubt."""
    features = HashedTfidf(SMALL).fit(HashedTfidf(SMALL).counts(TEXTS))
    labels = len(TECHNIQUE_LABELS)
    weights = np.zeros((SMALL.width, labels), np.float32)
    word = ngram_ids("corrupt", SMALL)[-1]  # the word column (ids already offset)
    weights[word, LOADED] = 40.0
    mark = ngram_ids("?", SMALL)[-1]
    weights[mark, DOUBT] = 40.0
    rows, cols = np.nonzero(weights)
    arrays, settings = features.to_arrays()
    arrays |= {
        "weight_index": (rows * labels + cols).astype(np.int32),
        "weight_value": weights[rows, cols].astype(np.float16),
        "bias": np.full(labels, -4.0, np.float32),
        "thresholds": np.full(labels, 0.5, np.float32) if thresholds is None else thresholds,
    }
    if balanced is not None:
        arrays["thresholds_balanced"] = balanced
    manifest = {
        "labels": list(TECHNIQUE_LABELS),
        "features": settings,
        "trained_languages": ["en", "fr"],
    }
    save_artifact(path, kind, arrays, manifest)
    return path


def test_featurizer_is_deterministic_and_language_neutral():
    assert normalise("Ｔhe 2024 ÉLITE") == "the 0000 élite"
    ids = ngram_ids("ab", SMALL)
    # " ab " gives char n-grams " a","ab","b "," ab","ab "," ab " (6) plus one word
    assert len(ids) == 7
    assert ids == ngram_ids("AB", SMALL)
    a, b = HashedTfidf(SMALL).counts(["Un texte"]), HashedTfidf(SMALL).counts(["Un texte"])
    assert (a != b).nnz == 0


def test_tfidf_rows_are_unit_length_and_survive_arrays():
    features = HashedTfidf(SMALL).fit(HashedTfidf(SMALL).counts(TEXTS))
    X = features.transform(TEXTS + [""])
    norms = np.sqrt(np.asarray(X.multiply(X).sum(1)).ravel())
    np.testing.assert_allclose(norms[:3], 1.0, rtol=1e-5)
    assert norms[3] == 0.0
    arrays, settings = features.to_arrays()
    again = HashedTfidf.from_arrays(arrays, json.loads(json.dumps(settings)))
    assert again.settings == SMALL
    assert abs(again.transform(TEXTS) - X[:3]).max() < 1e-2  # idf stored as float16
    with pytest.raises(ValueError, match="shape"):
        HashedTfidf.from_arrays(arrays, TfidfSettings().to_json())


def test_analyzer_fills_every_analyzable_paragraph_and_applies_thresholds(tmp_path):
    analyzer = TechniquesAnalyzer.load(toy_artifact(tmp_path))
    article = parse_text(
        "A title\n\nThe corrupt elite lied.\n\nIs it true?\n\nCookie notice\n", "t1"
    )
    article.language = "en"
    article.paragraphs[-1].boilerplate = True
    analyzer(article)
    title, loaded, doubt, boiler = article.paragraphs
    assert boiler.techniques is None
    for paragraph in (title, loaded, doubt):
        prediction = paragraph.techniques
        assert set(prediction.probabilities) == set(TECHNIQUE_LABELS)
        assert all(0.0 <= p <= 1.0 for p in prediction.probabilities.values())
        assert prediction.predicted == [
            label
            for label in TECHNIQUE_LABELS
            if prediction.probabilities[label] >= prediction.thresholds[label]
        ]
        assert prediction.note is None
    assert loaded.techniques.predicted == ["Loaded_Language"]
    assert doubt.techniques.predicted == ["Doubt"]
    assert title.techniques.predicted == []


def test_thresholds_decide_and_untrained_language_is_noted(tmp_path):
    low = np.full(len(TECHNIQUE_LABELS), 0.001, np.float32)
    analyzer = TechniquesAnalyzer.load(toy_artifact(tmp_path, thresholds=low))
    article = parse_text("Titulo\n\nLa élite corrupta mintió.\n", "t2")
    article.language = "es"
    analyzer(article)
    prediction = article.paragraphs[1].techniques
    assert prediction.predicted == list(TECHNIQUE_LABELS)
    assert prediction.note == "model not trained on language 'es'"


def test_decision_picks_the_threshold_set(tmp_path):
    loose = np.full(len(TECHNIQUE_LABELS), 0.0, np.float32)  # below any probability
    path = toy_artifact(tmp_path / "both", balanced=loose)

    def decide(analyzer):
        article = parse_text("Title\n\nThe corrupt elite lied.\n", "t3")
        article.language = "en"
        return analyzer(article).paragraphs[1].techniques

    micro = decide(TechniquesAnalyzer.load(path))
    balanced = decide(TechniquesAnalyzer.load(path, decision="balanced"))
    assert micro.predicted == ["Loaded_Language"]
    assert balanced.predicted == list(TECHNIQUE_LABELS)
    assert set(balanced.thresholds.values()) == {0.0}
    # a balanced threshold above the micro one is never used: balanced shows no fewer labels
    strict = np.full(len(TECHNIQUE_LABELS), 1.01, np.float32)
    clamped = TechniquesAnalyzer.load(
        toy_artifact(tmp_path / "strict", balanced=strict), decision="balanced"
    )
    assert decide(clamped).predicted == micro.predicted
    assert decide(clamped).thresholds == micro.thresholds
    with pytest.raises(ValueError, match="unknown decision 'lenient'"):
        TechniquesAnalyzer.load(path, decision="lenient")
    with pytest.raises(ArtifactError, match="no 'balanced' thresholds"):
        TechniquesAnalyzer.load(toy_artifact(tmp_path / "micro-only"), decision="balanced")


def test_corrupt_foreign_and_truncated_artifacts_are_refused(tmp_path):
    with pytest.raises(ArtifactError, match="expected a 'techniques' model"):
        TechniquesAnalyzer.load(toy_artifact(tmp_path / "foreign", kind="genre"))
    path = toy_artifact(tmp_path / "cut")
    arrays = path / "arrays.npz"
    arrays.write_bytes(arrays.read_bytes()[:-30])
    with pytest.raises(ArtifactError, match="truncated or edited"):
        TechniquesAnalyzer.load(path)
    with pytest.raises(ArtifactError, match="no manifest.json"):
        TechniquesAnalyzer.load(tmp_path / "absent")


def test_threshold_tuning_and_pruning():
    rng = np.random.default_rng(0)
    Y = (rng.random((400, 3)) < 0.3).astype(np.int8)
    P = np.clip(Y * 0.35 + rng.random((400, 3)) * 0.3, 0, 1).astype(np.float32)
    thresholds = tune_thresholds(Y, P)
    assert np.all((thresholds > 0.28) & (thresholds <= 0.36))
    # balanced: each label alone; a label never predicted right keeps the strictest threshold
    Y2 = np.c_[Y[:, 0], np.zeros(400, np.int8)]
    own = tune_balanced_thresholds(Y2, P[:, :2])
    assert 0.28 < own[0] <= 0.36
    assert own[1] == pytest.approx(0.775)
    W = rng.normal(size=(50, 3)).astype(np.float32)
    pruned = prune(W, 5)
    assert (pruned != 0).sum(0).tolist() == [5, 5, 5]
    assert np.all(np.abs(pruned).max(0) == np.abs(W).max(0))


@pytest.mark.shared
def test_training_smoke(shared_data, tmp_path):
    manifest = train_techniques(
        shared_data,
        tmp_path,
        ["fr", "it"],
        folds=2,
        seed=0,
        max_articles=6,
        log=lambda message: None,
        inner=2,
    )
    for decision in ("per_label_thresholds", "balanced_thresholds"):
        metrics = manifest["metrics"][decision]
        assert set(metrics) >= {"fr", "it", "all", "per_label_f1"}
        assert 0.0 < metrics["all"]["micro_f1"] <= 1.0
    assert set(manifest["decisions"]) == {"micro", "balanced"}
    TechniquesAnalyzer.load(tmp_path, decision="balanced")
    assert manifest["trained_languages"] == ["fr", "it"]
    analyzer = TechniquesAnalyzer.load(tmp_path)
    article = parse_text("Titre\n\nUn scandale honteux, une trahison !\n", "s1")
    article.language = "fr"
    analyzer(article)
    assert len(article.paragraphs[1].techniques.probabilities) == 23


def test_shipped_model_if_present():
    if not TechniquesAnalyzer.available():
        pytest.skip("no shipped techniques model in this checkout")
    analyzer = TechniquesAnalyzer.load()
    manifest = json.loads((TechniquesAnalyzer.default_path() / "manifest.json").read_text())
    assert manifest["metrics"]["per_label_thresholds"]["all"]["micro_f1"] > 0.35
    article = parse_text(
        "Traitors!\n\nThese corrupt, treacherous elites are destroying our great nation!\n", "s2"
    )
    article.language = "en"
    analyzer(article)
    assert "Loaded_Language" in article.paragraphs[1].techniques.predicted
