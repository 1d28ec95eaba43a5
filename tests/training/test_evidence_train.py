"""Training the evidence model: a small smoke run, cross-validated, saved and loaded."""


from propscope.analyzers.evidence import EvidenceAnalyzer
from propscope.document import Prediction
from propscope.ingest import parse_text
from propscope.taxonomy import TECHNIQUE_LABELS
from propscope.training import get_trainer


def test_small_training_run(shared_data, tmp_path):
    train = get_trainer("evidence")
    manifest = train(
        data_dir=shared_data,
        out_dir=tmp_path / "model",
        languages=["fr", "pl"],
        folds=2,
        seed=1,
        max_articles=12,
        epochs=2,
        bits=14,
        log=lambda message: None,
    )
    assert manifest["kind"] == "evidence"
    assert manifest["training"]["articles"] == 24
    assert manifest["training"]["languages"] == ["fr", "pl"]
    assert len(manifest["training"]["fingerprint"]) == 64
    metrics = manifest["metrics"]
    for setting in ("gated", "free"):
        assert set(metrics[setting]["per_language"]) == {"fr", "pl"}
        overall = metrics[setting]["overall"]
        assert 0.0 <= overall["f1"] <= 1.0 and overall["gold"] > 0
    assert 0.0 <= metrics["free"]["paragraph_from_spans"]["micro_f1"] <= 1.0
    assert metrics["gated"]["overall"]["recall"] > 0.1  # every gold paragraph gets evidence

    analyzer = EvidenceAnalyzer.load(tmp_path / "model")
    article = parse_text("Titre\n\nCes menteurs corrompus nous trompent encore.\n", "t")
    article.paragraphs[1].techniques = Prediction(
        {t: 0.5 for t in TECHNIQUE_LABELS}, ["Loaded_Language", "Doubt"]
    )
    analyzer(article)
    assert {s.label for s in article.paragraphs[1].spans} == {"Loaded_Language", "Doubt"}
