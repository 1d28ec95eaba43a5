"""The encoder family: a small training run, its artifacts, and the analyzers that use them."""

from __future__ import annotations

import numpy as np
import pytest

from artifact_copies import copy_with_manifest
from propscope.analyzers import Pipeline
from propscope.analyzers.encoder import FEATURE_KEY, PIECES_KEY
from propscope.errors import ArtifactError
from propscope.ingest.semeval import read_semeval_article
from propscope.models.encoder import DIM
from propscope.models.encoder_heads import article_pooling, paragraph_context
from propscope.taxonomy import FRAME_LABELS, GENRE_LABELS, TECHNIQUE_LABELS


@pytest.fixture(scope="module")
def trained(shared_data, tmp_path_factory):
    """Techniques, genre and frames models trained on a few French articles (2 folds)."""
    from propscope.training.embed_cache import EmbeddingCache
    from propscope.training.encoder import train_article_task, train_techniques

    root = tmp_path_factory.mktemp("encoder-models")
    cache = EmbeddingCache(root / "cache")
    quiet = {"languages": ["fr"], "folds": 2, "cache": cache, "log": lambda _: None}
    manifests = {
        "techniques_encoder": train_techniques(
            shared_data, root / "techniques_encoder", max_articles=4, blend=False, **quiet
        ),
        "genre_encoder": train_article_task(
            "genre", shared_data, root / "genre_encoder", max_articles=4, **quiet
        ),
        "frames_encoder": train_article_task(
            "frames", shared_data, root / "frames_encoder", max_articles=4, **quiet
        ),
    }
    return root, manifests


def test_features_see_context_and_pool_articles():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(4, DIM)).astype(np.float32)
    context = paragraph_context(vectors)
    assert context.shape == (4, 4 * DIM)
    assert np.allclose(context[2, :DIM], vectors[2])
    assert np.allclose(context[2, DIM : 2 * DIM], vectors[0])  # the title
    assert np.allclose(context[2, 2 * DIM : 3 * DIM], (vectors[1] + vectors[3]) / 2)
    assert np.allclose(context[3, 2 * DIM : 3 * DIM], vectors[2])  # one neighbour at the end
    pooled = article_pooling(vectors)
    assert np.allclose(pooled[DIM : 2 * DIM], vectors[1:].mean(axis=0))
    assert paragraph_context(np.zeros((0, DIM))).shape == (0, 4 * DIM)


def test_training_writes_artifacts_with_cv_figures(trained):
    from propscope.training.encoder import DEFAULTS

    root, manifests = trained
    techniques = manifests["techniques_encoder"]
    assert techniques["encoder"]["sha256"] and techniques["blend"] == 1.0
    for table in ("micro", "balanced"):
        figures = techniques["metrics"][table]
        assert {"all", "fr"} <= set(figures)
        assert 0.0 <= figures["fr"]["micro_f1"] <= 1.0
        assert 0.0 <= figures["fr"]["micro_precision"] <= 1.0
    assert 0.0 <= techniques["metrics"]["calibration"]["fr"]["ece"] <= 1.0
    assert "macro_f1" in manifests["genre_encoder"]["metrics"]["fr"]
    assert "micro_f1" in manifests["frames_encoder"]["metrics"]["fr"]
    # genre and frames blend with the linear models: both families and the blend, same folds
    for name, official in (("genre_encoder", "macro_f1"), ("frames_encoder", "micro_f1")):
        manifest = manifests[name]
        same_folds = manifest["metrics"]["same_folds"]
        assert set(same_folds) == {"encoder_alone", "linear_alone", "shipped"}
        for table in same_folds.values():
            assert set(table) == {"all", "fr"}
            assert 0.0 <= table["fr"][official] <= 1.0
        shipped = manifest["metrics"]["fr"][official]
        assert same_folds["shipped"]["fr"][official] == round(shipped, 4)
        weights = manifest["metrics"]["blend_weight_per_fold"]
        assert len(weights) == 2 and all(0.0 <= w <= 1.0 for w in weights)
        assert manifest["blend"] == float(np.median(weights))
        assert {"linear_calibration_a", "encoder_calibration_a"} <= set(manifest["arrays"])
    for name in manifests:
        with np.load(root / name / "arrays.npz", allow_pickle=False) as arrays:
            assert arrays["weights"].dtype == np.float16
    # techniques: the MLP head by default, its epoch count chosen on the inner folds
    model = techniques["model"]
    assert model["head"] == "mlp" and model["activation"] == "relu"
    epochs = techniques["metrics"]["epochs_per_fold"]
    most = DEFAULTS["mlp"]["max_epochs"]
    assert len(epochs) == 2 and all(1 <= e <= most for e in epochs)
    assert model["epochs"] == int(np.median(epochs))
    with np.load(root / "techniques_encoder" / "arrays.npz", allow_pickle=False) as arrays:
        assert arrays["hidden_weights"].shape == (4 * DIM, model["hidden"])
        assert arrays["hidden_weights"].dtype == np.float16
        assert arrays["weights"].shape == (model["hidden"], len(TECHNIQUE_LABELS))


def test_the_ridge_head_stays_one_option_away(trained, shared_data, tmp_path, embedded):
    import copy

    from propscope.analyzers.encoder import TechniquesEncoderAnalyzer
    from propscope.training.embed_cache import EmbeddingCache
    from propscope.training.encoder import train_techniques

    root, _ = trained
    manifest = train_techniques(
        shared_data, tmp_path / "ridge", languages=["fr"], folds=2, max_articles=4, blend=False,
        head="ridge", cache=EmbeddingCache(root / "cache"), log=lambda _: None,
    )
    assert manifest["model"]["head"] == "linear" and "epochs_per_fold" not in manifest["metrics"]
    assert "hidden_weights" not in manifest["arrays"]
    article = TechniquesEncoderAnalyzer.load(tmp_path / "ridge")(copy.deepcopy(embedded[0]))
    for paragraph in article.analyzable_paragraphs():
        prediction = paragraph.predictions["techniques:encoder"]
        assert set(prediction.probabilities) == set(TECHNIQUE_LABELS)


@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_mlp_head_forward_matches_the_trainer(embedded, tmp_path, activation):
    """The analyzer's numpy forward pass, from the float16 arrays of an artifact, gives the
    probabilities the trainer computed for the same rows; a seed gives the same network."""
    from propscope.models.artifact import save_artifact
    from propscope.models.encoder import ENCODER_ID
    from propscope.models.encoder_heads import FEATURES, EncoderHead
    from propscope.models.linear import sigmoid
    from propscope.training.encoder import DEFAULTS, fit_mlp, head_arrays

    X = np.vstack([paragraph_context(a.features[FEATURE_KEY]) for a in embedded])
    # labels the network can learn from these rows: signs of some feature directions
    Y = (X[:, : len(TECHNIQUE_LABELS)] > np.median(X[:, : len(TECHNIQUE_LABELS)], 0))
    settings = {**DEFAULTS["mlp"], "hidden": 32, "activation": activation}
    head, history = fit_mlp(X, Y.astype(np.int8), 3, settings, seed=5, watch=[X[:6]])
    again, _ = fit_mlp(X, Y.astype(np.int8), 3, settings, seed=5)
    assert all(np.array_equal(a, b) for a, b in zip(head[:6], again[:6], strict=True))
    ones = np.ones(len(TECHNIQUE_LABELS), np.float32)
    manifest = {
        "labels": list(TECHNIQUE_LABELS),
        "features": "paragraph_context",
        "features_version": FEATURES["paragraph_context"],
        "encoder": ENCODER_ID,
        "model": {"head": "mlp", "activation": activation},
    }
    arrays = {**head_arrays(head), "calibration_a": ones, "calibration_b": 0 * ones}
    save_artifact(tmp_path / "mlp", "techniques_encoder", arrays, manifest)
    loaded = EncoderHead.load(tmp_path / "mlp", "techniques_encoder")
    trainer_p = history[0][-1]  # after the last epoch
    assert np.abs(sigmoid(loaded.scores(X[:6])) - trainer_p).max() < 2e-3
    # identity calibration, no blend: what the analyzer shows is the same
    assert np.abs(loaded.multilabel(X[:6]) - trainer_p).max() < 2e-3
    # a head the analyzer does not know fails clearly
    foreign = {**manifest, "model": {"head": "transformer"}}
    save_artifact(tmp_path / "foreign", "techniques_encoder", arrays, foreign)
    with pytest.raises(ArtifactError, match="unknown head"):
        EncoderHead.load(tmp_path / "foreign", "techniques_encoder")


def test_trained_models_analyse_an_article(trained, shared_data):
    root, _ = trained
    names = ["techniques_encoder", "genre_encoder", "frames_encoder"]
    pipeline = Pipeline(names, {name: root / name for name in names})
    path = sorted((shared_data / "fr" / "test-articles-subtask-3").glob("article*.txt"))[0]
    article = read_semeval_article(path, language="fr")
    (article,) = pipeline.run_batch([article])
    paragraphs = article.analyzable_paragraphs()
    assert article.features[FEATURE_KEY].shape == (len(paragraphs), DIM)
    for paragraph in paragraphs:
        prediction = paragraph.predictions["techniques:encoder"]
        assert prediction.model == "encoder" and paragraph.techniques is prediction
        assert set(prediction.probabilities) == set(TECHNIQUE_LABELS)
        assert all(0.0 <= p <= 1.0 for p in prediction.probabilities.values())
        assert prediction.predicted == [
            lab for lab in TECHNIQUE_LABELS
            if prediction.probabilities[lab] >= prediction.thresholds[lab]
        ]
    genre = article.predictions["genre:encoder"]
    assert genre.predicted[0] in GENRE_LABELS
    assert genre.predicted[0] == max(genre.probabilities, key=genre.probabilities.get)
    assert abs(sum(genre.probabilities.values()) - 1.0) < 1e-3
    assert set(article.predictions["frames:encoder"].predicted) <= set(FRAME_LABELS)
    # piece states are kept only for the evidence model, which this pipeline does not run
    assert PIECES_KEY not in article.features
    # the vectors are a work area: never written out
    assert "features" not in article.to_dict()


def test_a_batch_gives_the_same_predictions_as_one_article_at_a_time(trained, shared_data):
    root, _ = trained
    pipeline = Pipeline(["techniques_encoder"], {"techniques_encoder": root / "techniques_encoder"})
    # the two shortest articles: a batch of two is enough to mix their paragraphs
    paths = sorted(
        (shared_data / "fr" / "test-articles-subtask-3").glob("article*.txt"),
        key=lambda p: p.stat().st_size,
    )[:2]
    batch = pipeline.run_batch([read_semeval_article(p, language="fr") for p in paths])
    single = [pipeline(read_semeval_article(p, language="fr")) for p in paths]
    for a, b in zip(batch, single, strict=True):
        for pa, pb in zip(a.paragraphs, b.paragraphs, strict=True):
            assert pa.techniques.predicted == pb.techniques.predicted
            for label in TECHNIQUE_LABELS:
                single_p = pb.techniques.probabilities[label]
                assert abs(pa.techniques.probabilities[label] - single_p) < 2e-3


def test_foreign_or_damaged_artifacts_fail_clearly(trained, tmp_path):
    import shutil

    from propscope.analyzers.encoder import FramesEncoderAnalyzer

    root, _ = trained
    foreign = copy_with_manifest(
        root / "frames_encoder",
        tmp_path / "foreign",
        lambda manifest: manifest["encoder"].update(sha256="0" * 64),
    )
    with pytest.raises(ArtifactError, match="another encoder image"):
        FramesEncoderAnalyzer.load(foreign)
    # a model of the same image read at another depth, or from before depths were recorded
    deeper = copy_with_manifest(
        root / "frames_encoder", tmp_path / "deeper", lambda m: m["encoder"].update(layers=12)
    )
    older = copy_with_manifest(
        root / "frames_encoder", tmp_path / "older", lambda m: m["encoder"].pop("layers")
    )
    for path in (deeper, older):
        with pytest.raises(ArtifactError, match="output of encoder layer 12; this propscope"):
            FramesEncoderAnalyzer.load(path)
    damaged = tmp_path / "damaged"
    shutil.copytree(root / "frames_encoder", damaged)
    with (damaged / "arrays.npz").open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\0" * 16)
    with pytest.raises(ArtifactError):
        FramesEncoderAnalyzer.load(damaged)
    with pytest.raises(ArtifactError, match="expected a 'frames_encoder' model"):
        FramesEncoderAnalyzer.load(root / "genre_encoder")


def _variant(root, name, directory, arrays_change=None, **manifest_change):
    """A copy of a trained artifact with some arrays (None: removed) and manifest entries
    replaced."""
    from propscope.models.artifact import load_artifact, save_artifact

    arrays, manifest = load_artifact(root / name, name)
    arrays = dict(arrays)
    for key, value in (arrays_change or {}).items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value
    manifest = {k: v for k, v in manifest.items() if k not in ("arrays", "arrays_sha256")}
    save_artifact(directory, name, arrays, {**manifest, **manifest_change})
    return directory


@pytest.fixture(scope="module")
def embedded(shared_data):
    """Three French test articles with their encoder vectors."""
    from propscope.analyzers.encoder import EncoderAnalyzer

    paths = sorted((shared_data / "fr" / "test-articles-subtask-3").glob("article*.txt"))[:3]
    articles = [read_semeval_article(p, language="fr") for p in paths]
    return list(EncoderAnalyzer.load().pipe(articles))


def test_genre_blend_weight_0_is_the_linear_model_and_1_the_encoder(trained, embedded, tmp_path):
    from propscope.analyzers.encoder import GenreEncoderAnalyzer
    from propscope.analyzers.genre import GenreAnalyzer
    from propscope.models.artifact import load_artifact

    root, _ = trained
    arrays, _ = load_artifact(root / "genre_encoder", "genre_encoder")
    linear = GenreAnalyzer.load()
    # weight 0 with the linear model's own offsets and temperature, rescaled to the blend's
    # scale (log softmax(score / T_linear), then / T): the linear model's genre, exactly
    scale = float(arrays["linear_calibration_a"][0]) * float(arrays["calibration_a"][0])
    as_linear = GenreEncoderAnalyzer.load(
        _variant(
            root,
            "genre_encoder",
            tmp_path / "weight0",
            blend=0.0,
            offsets={k: (v / scale).tolist() for k, v in linear.decisions.items()},
            shown_temperature=linear.temperature / scale,
        )
    )
    assert as_linear.linear is not None
    # weight 1: the encoder alone, the same as a model of the first format (one temperature,
    # T_encoder * T, and no linear model at all)
    alone = GenreEncoderAnalyzer.load(_variant(root, "genre_encoder", tmp_path / "w1", blend=1.0))
    temperature = float(arrays["encoder_calibration_a"][0]) * float(arrays["calibration_a"][0])
    first_format = GenreEncoderAnalyzer.load(
        _variant(
            root,
            "genre_encoder",
            tmp_path / "first",
            {
                "calibration_a": np.array([temperature], np.float32),
                "encoder_calibration_a": None,
                "encoder_calibration_b": None,
                "linear_calibration_a": None,
                "linear_calibration_b": None,
            },
            blend=1.0,
        )
    )
    assert alone.linear is None and first_format.linear is None
    for article in embedded:
        expected = linear(article).genre
        for analyzer, reference in ((as_linear, expected), (alone, None)):
            got = analyzer(article).genre
            assert got.model == "encoder" and article.predictions["genre:linear"] is expected
            if reference is None:
                reference = first_format(article).genre
            assert got.predicted == reference.predicted
            for label in GENRE_LABELS:
                assert abs(got.probabilities[label] - reference.probabilities[label]) < 1e-3


def test_frames_blend_weight_0_is_the_linear_model_and_1_the_encoder(trained, embedded, tmp_path):
    from propscope.analyzers.encoder import FramesEncoderAnalyzer
    from propscope.analyzers.frames import FramesAnalyzer
    from propscope.models.artifact import load_artifact
    from propscope.models.linear import sigmoid

    root, _ = trained
    arrays, _ = load_artifact(root / "frames_encoder", "frames_encoder")
    linear = FramesAnalyzer.load()
    frames = len(FRAME_LABELS)
    ones, zeros = np.ones(frames, np.float32), np.zeros(frames, np.float32)
    # weight 0, no recalibration, thresholds at the linear model's French score cut
    as_linear = FramesEncoderAnalyzer.load(
        _variant(
            root,
            "frames_encoder",
            tmp_path / "weight0",
            {
                "linear_calibration_a": ones,
                "linear_calibration_b": zeros,
                "calibration_a": ones,
                "calibration_b": zeros,
                "thresholds": np.full(frames, sigmoid(float(linear.decisions["fr"])), np.float32),
            },
            blend=0.0,
        )
    )
    # weight 1 against the first format: the two Platt scalings composed into one
    a, b = arrays["calibration_a"], arrays["calibration_b"]
    a_enc, b_enc = arrays["encoder_calibration_a"], arrays["encoder_calibration_b"]
    alone = FramesEncoderAnalyzer.load(_variant(root, "frames_encoder", tmp_path / "w1", blend=1.0))
    first_format = FramesEncoderAnalyzer.load(
        _variant(
            root,
            "frames_encoder",
            tmp_path / "first",
            {
                "calibration_a": a * a_enc,
                "calibration_b": a * b_enc + b,
                "encoder_calibration_a": None,
                "encoder_calibration_b": None,
                "linear_calibration_a": None,
                "linear_calibration_b": None,
            },
            blend=1.0,
        )
    )
    assert as_linear.linear is not None and alone.linear is None
    for article in embedded:
        expected = linear(article).frames.predicted
        assert as_linear(article).frames.predicted == expected
        got = alone(article).frames
        reference = first_format(article).frames
        assert got.model == "encoder" and got.predicted == reference.predicted
        for label in FRAME_LABELS:
            assert abs(got.probabilities[label] - reference.probabilities[label]) < 1e-3
