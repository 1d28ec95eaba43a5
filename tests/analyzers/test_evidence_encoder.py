"""The encoder family's evidence: a small training run, its artifact, and spans from token
states that follow the paragraph labels."""

from __future__ import annotations

import json

import numpy as np
import pytest

from artifact_copies import copy_with_manifest
from propscope.analyzers import Pipeline
from propscope.analyzers.encoder import PIECES_KEY, EncoderAnalyzer
from propscope.analyzers.evidence import EvidenceAnalyzer
from propscope.analyzers.evidence_decode import MODES
from propscope.analyzers.evidence_encoder import (
    EncoderEvidenceAnalyzer,
    sentence_means,
    token_states,
)
from propscope.errors import ArtifactError
from propscope.features.tokens import TokenFeaturizer
from propscope.ingest import parse_text
from propscope.ingest.semeval import read_semeval_article
from propscope.models.encoder import DIM, PieceStates
from propscope.taxonomy import TECHNIQUE_LABELS
from span_checks import assert_consistent, set_techniques

# Our own article: a title and three paragraphs, one with leading spaces.
TEXT = (
    "Les élites corrompues\n\n"
    "Ces traîtres corrompus nous mentent encore. Pourquoi les croire maintenant ?\n\n"
    "   Le pont rouvrira lundi, selon la mairie.\n\n"
    "Si nous ne faisons rien, nos enfants paieront le prix de cette catastrophe !\n"
)


@pytest.fixture(scope="module")
def trained(shared_data, tmp_path_factory):
    """Trained on four French articles (2 folds), token states cached in a temporary folder."""
    from propscope.training.evidence_encoder import train

    root = tmp_path_factory.mktemp("evidence-encoder")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROPSCOPE_CACHE", str(root / "cache"))
        manifest = train(
            shared_data, root / "model", ["fr"], folds=2, max_articles=4, log=lambda _: None
        )
        cached = list((root / "cache" / "evidence-states").glob("*.npy"))
    return root / "model", manifest, cached


def test_training_writes_an_artifact_with_gated_figures(trained):
    directory, manifest, cached = trained
    assert len(cached) == 1  # token states are kept for the next run
    assert manifest["training"]["articles"] == 4
    assert manifest["trained_languages"] == ["fr"]
    metrics = manifest["metrics"]
    assert set(metrics) == {"gated", "whole_paragraph"}
    for setting in ("gated", "whole_paragraph"):
        figures = metrics[setting]["per_language"]["fr"]
        assert 0.0 <= figures["precision"] <= 1.0 and 0.0 <= figures["f1"] <= 1.0
    # the whole paragraph covers every gold character of a labelled paragraph
    assert metrics["whole_paragraph"]["overall"]["recall"] > 0.99
    # spans cover part of a labelled paragraph, not all of it
    assert 0.0 < metrics["gated"]["highlighted_share"]["fr"] < 1.0
    assert set(manifest["modes"]) == set(TECHNIQUE_LABELS)
    assert set(manifest["modes"].values()) <= set(MODES)
    stored = json.loads((directory / "manifest.json").read_text())
    assert stored["encoder"]["sha256"] == manifest["encoder"]["sha256"]


def test_sentence_means_follow_runs_of_sentence_ids():
    states = np.arange(12, dtype=np.float32).reshape(6, 2)
    means = sentence_means(states, np.array([4, 4, 5, 5, 5, 9]))
    assert np.allclose(means[:2], [1.0, 2.0]) and np.allclose(means[2:5], [6.0, 7.0])
    assert np.allclose(means[5], states[5])


def test_tokens_take_the_states_of_the_pieces_under_them():
    # two pieces: "ab" (0-2) and "cd" (3-5) of "  ab cd", stripped to "ab cd"
    piece = PieceStates(
        np.stack([np.full(DIM, 1.0), np.full(DIM, 3.0)]).astype(np.float32),
        np.array([0, 3]),
        np.array([2, 5]),
    )
    tokens = TokenFeaturizer().tokens_many(["  ab cd"])
    states = token_states(tokens, ["  ab cd"], [piece])
    assert np.allclose(states[:, 0], [1.0, 3.0])


def test_spans_follow_the_predicted_techniques(trained):
    directory, _, _ = trained
    encoder = EncoderAnalyzer.load()
    analyzer = EncoderEvidenceAnalyzer.load(directory)
    labels = {1: ["Name_Calling-Labeling", "Doubt"], 2: [], 3: ["Appeal_to_Fear-Prejudice"]}

    article = set_techniques(parse_text(TEXT, "toy"), labels)
    (article,) = encoder.pipe([article])
    assert len(article.features[PIECES_KEY]) == len(article.analyzable_paragraphs())
    analyzer(article)
    assert PIECES_KEY not in article.features  # read once, not kept with the article
    assert_consistent(article)
    assert article.paragraphs[2].spans == []
    assert {s.label for s in article.paragraphs[1].spans} == set(labels[1])

    # without the encoder analyzer's states, the analyzer computes the same ones itself
    alone = set_techniques(parse_text(TEXT, "toy"), labels)
    analyzer(alone)
    assert [p.spans for p in alone.paragraphs] == [p.spans for p in article.paragraphs]


def test_the_encoder_family_gives_evidence_from_its_own_model(trained, shared_data):
    directory, _, _ = trained
    names = ["techniques_encoder", "evidence_encoder"]
    pipeline = Pipeline(names, {"evidence_encoder": directory})
    assert [type(a).__name__ for a in pipeline.analyzers][-1] == "EncoderEvidenceAnalyzer"
    encoder = pipeline.analyzers[pipeline.names.index("encoder")]
    assert isinstance(encoder, EncoderAnalyzer) and encoder.keep_pieces
    path = sorted((shared_data / "fr" / "test-articles-subtask-3").glob("article*.txt"))[0]
    (article,) = pipeline.run_batch([read_semeval_article(path, language="fr")])
    assert_consistent(article)
    assert any(p.spans for p in article.paragraphs)


def test_foreign_or_damaged_artifacts_fail_clearly(trained, tmp_path):
    directory, _, _ = trained
    foreign = copy_with_manifest(
        directory, tmp_path / "foreign", lambda m: m["encoder"].update(sha256="0" * 64)
    )
    with pytest.raises(ArtifactError, match="another encoder image"):
        EncoderEvidenceAnalyzer.load(foreign)
    deeper = copy_with_manifest(
        directory, tmp_path / "deeper", lambda m: m["encoder"].update(layers=4)
    )
    with pytest.raises(ArtifactError, match="output of encoder layer 4"):
        EncoderEvidenceAnalyzer.load(deeper)
    short = copy_with_manifest(directory, tmp_path / "short", lambda m: m["labels"].pop())
    with pytest.raises(ArtifactError, match="do not match"):
        EncoderEvidenceAnalyzer.load(short)
    with pytest.raises(ArtifactError, match="expected a 'evidence_encoder' model"):
        EncoderEvidenceAnalyzer.load(EvidenceAnalyzer.default_path())
