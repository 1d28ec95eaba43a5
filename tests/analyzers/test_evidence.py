"""The evidence analyzer: spans consistent with the paragraph labels, and its artifact."""

import json
import shutil

import numpy as np
import pytest

from propscope.analyzers import Pipeline
from propscope.analyzers.base import get_analyzer
from propscope.analyzers.evidence import EvidenceAnalyzer, EvidenceModel
from propscope.analyzers.pipeline import default_names
from propscope.document import Prediction, Span
from propscope.errors import ArtifactError
from propscope.features.tokens import TokenFeaturizer
from propscope.ingest import parse_text
from propscope.models.artifact import load_artifact, save_artifact
from propscope.taxonomy import TECHNIQUE_LABELS
from span_checks import assert_consistent, set_techniques

TEXT = (
    "A bridge too far\n\n"
    "The corrupt elite lied to you again, as always. Why should anyone believe them now?\n\n"
    "Officials said the bridge would reopen on Monday.\n\n"
    "If we do nothing, our children will pay the price for this catastrophe!\n"
)


@pytest.fixture(scope="module")
def toy_model():
    """Hand-set weights: 'corrupt' is name calling; a question is doubt."""
    featurizer = TokenFeaturizer(bits=12)
    weights = np.zeros((1 << 12, len(TECHNIQUE_LABELS)), dtype=np.float32)
    index = {t: i for i, t in enumerate(TECHNIQUE_LABELS)}
    weights[featurizer.word_id("Corrupt"), index["Name_Calling-Labeling"]] = 12.0
    weights[featurizer._fixed["sq?"], index["Doubt"]] = 12.0
    bias = np.full(len(TECHNIQUE_LABELS), -6.0, dtype=np.float32)
    modes = {t: "sentence" for t in TECHNIQUE_LABELS}
    modes["Name_Calling-Labeling"] = "token"
    thresholds = {t: 0.5 for t in TECHNIQUE_LABELS}
    return EvidenceModel(weights, bias, modes, thresholds, featurizer)


def test_spans_from_a_known_model(toy_model):
    article = set_techniques(
        parse_text(TEXT, "toy"),
        {1: ["Name_Calling-Labeling", "Doubt", "Appeal_to_Fear-Prejudice"], 2: []},
    )
    EvidenceAnalyzer(toy_model)(article)
    assert_consistent(article)
    spans = {s.label: s for s in article.paragraphs[1].spans}
    text = article.text
    assert text[spans["Name_Calling-Labeling"].start : spans["Name_Calling-Labeling"].end] == (
        "corrupt"
    )
    assert not spans["Name_Calling-Labeling"].fallback
    doubt = spans["Doubt"]
    assert text[doubt.start : doubt.end] == "Why should anyone believe them now?"
    assert not doubt.fallback
    # nothing scores for fear: the best sentence stands in, marked as a fallback
    fear = spans["Appeal_to_Fear-Prejudice"]
    assert fear.fallback and text[fear.start : fear.end] in article.paragraphs[1].text
    assert article.paragraphs[2].spans == [] and article.paragraphs[3].spans == []


def test_spans_only_for_predicted_techniques_and_stale_spans_cleared(toy_model):
    article = set_techniques(parse_text(TEXT, "toy"), {1: ["Doubt"], 3: []})
    article.paragraphs[3].spans = [Span(0, 1, "Doubt")]  # stale: no technique predicted now
    EvidenceAnalyzer(toy_model)(article)
    assert {s.label for s in article.paragraphs[1].spans} == {"Doubt"}  # 'corrupt' not shown
    assert article.paragraphs[3].spans == []
    assert_consistent(article)


def test_unknown_label_still_gets_evidence(toy_model):
    article = set_techniques(parse_text(TEXT, "toy"), {2: ["Some_New_Technique"]})
    EvidenceAnalyzer(toy_model)(article)
    (span,) = article.paragraphs[2].spans
    assert span.fallback and article.text[span.start : span.end] == article.paragraphs[2].text


# -- the shipped model --------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return EvidenceAnalyzer.load()


def test_shipped_model_gives_evidence_for_every_prediction(shipped):
    article = parse_text(TEXT, "shipped")
    set_techniques(
        article,
        {1: list(TECHNIQUE_LABELS), 2: ["Loaded_Language"], 3: ["Appeal_to_Fear-Prejudice"]},
    )
    shipped(article)
    assert_consistent(article)
    assert len({s.label for s in article.paragraphs[1].spans}) == len(TECHNIQUE_LABELS)


def test_shipped_artifact_is_small_and_loads_quickly(shipped):
    folder = EvidenceAnalyzer.default_path()
    size = sum(p.stat().st_size for p in folder.iterdir())
    assert size <= 5 * 1024 * 1024, f"evidence artifact is {size} bytes"
    EvidenceAnalyzer.load()
    manifest = shipped.manifest
    assert set(manifest["modes"]) == set(TECHNIQUE_LABELS)
    assert manifest["metrics"]["gated"]["overall"]["f1"] > 0.2


def test_evidence_joins_the_default_pipeline_only_with_the_paragraph_model():
    try:
        techniques = get_analyzer("techniques").available()
    except KeyError:
        techniques = False
    assert ("evidence" in default_names()) == techniques
    if techniques:
        assert Pipeline(["evidence"]).names[-2:] == ["techniques", "evidence"]


# -- artifact errors ----------------------------------------------------------------------


@pytest.fixture
def copied(tmp_path):
    folder = tmp_path / "evidence"
    shutil.copytree(EvidenceAnalyzer.default_path(), folder)
    return folder


def _rewrite(folder, arrays=None, **manifest_changes):
    old_arrays, manifest = load_artifact(folder, "evidence")
    for key in (
        "format",
        "format_version",
        "kind",
        "propscope_version",
        "created",
        "arrays",
        "arrays_sha256",
    ):
        manifest.pop(key)
    manifest.update(manifest_changes)
    save_artifact(folder, "evidence", arrays if arrays is not None else old_arrays, manifest)


def test_copied_artifact_round_trips(copied, shipped):
    again = EvidenceAnalyzer.load(copied)
    article = set_techniques(parse_text(TEXT, "x"), {1: ["Doubt", "Loaded_Language"]})
    other = set_techniques(parse_text(TEXT, "x"), {1: ["Doubt", "Loaded_Language"]})
    assert again(article).paragraphs[1].spans == shipped(other).paragraphs[1].spans


def test_truncated_arrays(copied):
    path = copied / "arrays.npz"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(ArtifactError, match="truncated or edited"):
        EvidenceAnalyzer.load(copied)


def test_corrupt_manifest(copied):
    (copied / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ArtifactError, match="corrupt manifest"):
        EvidenceAnalyzer.load(copied)


def test_foreign_artifact(copied, tmp_path):
    manifest = json.loads((copied / "manifest.json").read_text(encoding="utf-8"))
    manifest["kind"] = "techniques"
    (copied / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ArtifactError, match="expected a 'evidence' model"):
        EvidenceAnalyzer.load(copied)
    with pytest.raises(ArtifactError, match="no manifest.json"):
        EvidenceAnalyzer.load(tmp_path / "nowhere")


def test_inconsistent_weights_and_settings(copied):
    arrays, manifest = load_artifact(copied, "evidence")
    _rewrite(copied, {**arrays, "weights": arrays["weights"][:100]})
    with pytest.raises(ArtifactError, match="do not match the manifest"):
        EvidenceAnalyzer.load(copied)
    _rewrite(copied, {**arrays, "scale": arrays["scale"][:5]})
    with pytest.raises(ArtifactError, match="do not match the manifest"):
        EvidenceAnalyzer.load(copied)
    _rewrite(copied, arrays, modes={t: "chapter" for t in TECHNIQUE_LABELS})
    with pytest.raises(ArtifactError, match="unknown decoding mode"):
        EvidenceAnalyzer.load(copied)
    _rewrite(copied, arrays, modes=manifest["modes"], features={"version": 0})
    with pytest.raises(ArtifactError, match="features version"):
        EvidenceAnalyzer.load(copied)
    _rewrite(copied, arrays, features=manifest["features"], thresholds={})
    with pytest.raises(ArtifactError, match="malformed evidence manifest"):
        EvidenceAnalyzer.load(copied)


def test_pickled_arrays_are_refused(copied):
    """An arrays file holding a Python object (it would need pickle) never loads."""
    import hashlib

    path = copied / "arrays.npz"
    np.savez(path, weights=np.array([{"x": 1}], dtype=object), bias=np.zeros(3))
    manifest = json.loads((copied / "manifest.json").read_text(encoding="utf-8"))
    manifest["arrays_sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest["arrays"] = ["bias", "weights"]
    (copied / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ArtifactError, match="unreadable arrays"):
        EvidenceAnalyzer.load(copied)


# -- on the SemEval training articles -----------------------------------------------------


def test_every_span_slices_its_paragraph_on_all_french_articles(shared_data, shipped):
    """Gold paragraph labels stand in for the paragraph model on all French training articles."""
    from propscope.training.data import load_labelled

    corpus = load_labelled(shared_data, "techniques", ["fr"])
    assert len(corpus.articles) > 100
    spans = fallbacks = cells = 0
    for article in corpus.articles:
        for paragraph in article.paragraphs:
            labels = corpus.gold.get((article.id, paragraph.line), [])
            paragraph.techniques = Prediction(
                {t: float(t in labels) for t in TECHNIQUE_LABELS}, list(labels)
            )
            cells += len(labels)
        shipped(article)
        assert_consistent(article)
        spans += sum(len(p.spans) for p in article.paragraphs)
        fallbacks += sum(s.fallback for p in article.paragraphs for s in p.spans)
    assert cells > 1000 and spans >= cells
    assert fallbacks < 0.6 * spans  # most evidence is found, not stood in


def test_whole_pipeline_gives_evidence_for_every_predicted_technique():
    """With the real paragraph model: every technique it predicts carries a span."""
    from conftest import EXAMPLES
    from propscope import read

    try:
        techniques = get_analyzer("techniques").available()
    except KeyError:
        techniques = False
    if not techniques:
        pytest.skip("the techniques (paragraph) model is not in this checkout")
    pipeline = Pipeline()
    assert pipeline.names.index("evidence") == pipeline.names.index("techniques") + 1
    predicted = 0
    for path in sorted(EXAMPLES.glob("*.txt")):
        article = pipeline(read(path))
        assert_consistent(article)
        predicted += sum(len(p.techniques.predicted) for p in article.paragraphs if p.techniques)
    assert predicted > 0
