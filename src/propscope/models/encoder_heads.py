"""Models over encoder vectors: the features they see and the heads that score them.

Inference only (numpy). The trainers in :mod:`propscope.training.encoder` build the same
features through these functions, so training and inference cannot drift apart.

- **Paragraph context** (techniques): a paragraph's vector, the title's (the first analysable
  paragraph), the mean of its two neighbours and the article's mean: 4 x 384 values.
- **Article pooling** (genre, frames): the title's vector, the mean of the body paragraphs and the
  mean of the first three body paragraphs (the lead): 3 x 384 values.

A head standardises the features (training mean and scale), applies one linear layer (``ridge``,
``logistic``) or a small network (``mlp``: one hidden layer, ReLU or GELU; techniques) and
optionally blends its output with the linear family's, ``w * encoder + (1 - w) * linear`` with
``w`` chosen on held-out training articles (1: the encoder alone). Both families are first put on
one scale: Platt-calibrated probabilities for multi-label tasks (techniques, frames),
temperature-scaled log-probabilities for genre. The blend is then calibrated again (Platt scaling
per label; a temperature for genre) before thresholds or class offsets apply.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import ArtifactError
from .artifact import load_artifact
from .encoder import DIM, ENCODER_ID
from .linear import sigmoid, softmax

#: Versions of the feature layouts below; an artifact built on another layout is refused.
FEATURES = {"paragraph_context": 1, "article_pooling": 1}
LEAD = 3
#: Hidden-layer activations an ``mlp`` head may name in its manifest.
ACTIVATIONS = ("relu", "gelu")


def paragraph_context(vectors: np.ndarray) -> np.ndarray:
    """(n, 4 * 384) features for the n paragraphs of one article (their vectors in order)."""
    vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, DIM)
    n = len(vectors)
    if n == 0:
        return np.zeros((0, 4 * DIM), dtype=np.float32)
    padded = np.vstack([np.zeros((1, DIM), np.float32), vectors, np.zeros((1, DIM), np.float32)])
    present = np.ones(n + 2, dtype=np.float32)
    present[[0, -1]] = 0
    neighbours = padded[:-2] + padded[2:]
    count = (present[:-2] + present[2:])[:, None]
    neighbours = neighbours / np.maximum(count, 1)
    title = np.broadcast_to(vectors[0], vectors.shape)
    mean = np.broadcast_to(vectors.mean(axis=0), vectors.shape)
    return np.hstack([vectors, title, neighbours, mean]).astype(np.float32)


def article_pooling(vectors: np.ndarray) -> np.ndarray:
    """(3 * 384,) features of one article from its paragraph vectors (title first)."""
    vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, DIM)
    if len(vectors) == 0:
        return np.zeros(3 * DIM, dtype=np.float32)
    body = vectors[1:] if len(vectors) > 1 else vectors
    return np.concatenate([vectors[0], body.mean(axis=0), body[:LEAD].mean(axis=0)])


def gelu(z: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, in the input's precision."""
    from scipy.special import erf

    return 0.5 * z * (1.0 + erf(z * np.float32(0.7071067811865476)))


def mlp_scores(x: np.ndarray, W1, b1, W2, b2, activation: str = "relu") -> np.ndarray:
    """Logits of a one-hidden-layer network on standardised features ``x``."""
    z = x @ W1 + b1
    h = np.maximum(z, 0) if activation == "relu" else gelu(z)
    return h @ W2 + b2


def check_encoder(manifest: dict, kind: str) -> None:
    """Refuse a model trained on vectors of another encoder image than the pinned one, or of
    another number of its layers."""
    encoder = manifest.get("encoder") or {}
    if not isinstance(encoder, dict) or encoder.get("sha256") != ENCODER_ID["sha256"]:
        sha = encoder.get("sha256") if isinstance(encoder, dict) else None
        raise ArtifactError(
            f"{kind} model was trained on another encoder image"
            f" ({str(sha)[:12]}...), not the pinned"
            f" {ENCODER_ID['file']} of {ENCODER_ID['package']} {ENCODER_ID['version']}"
        )
    # models before the layer count was recorded read all 12 layers
    layers = encoder.get("layers", 12)
    if layers != ENCODER_ID["layers"]:
        raise ArtifactError(
            f"{kind} model was trained on the output of encoder layer {layers}; this propscope"
            f" runs the first {ENCODER_ID['layers']} layers (retrain it with propscope train)"
        )


class EncoderHead:
    """Standardise, one linear layer or a one-hidden-layer network, optional blend with the
    linear family, calibration."""

    def __init__(self, arrays: dict[str, np.ndarray], manifest: dict, kind: str):
        try:
            self.labels = tuple(manifest["labels"])
            self.features = manifest["features"]
            self.blend = float(manifest.get("blend", 1.0))
            self.mean = arrays["mean"].astype(np.float32)
            self.scale = arrays["scale"].astype(np.float32)
            self.weights = arrays["weights"].astype(np.float32)
            self.bias = arrays["bias"].astype(np.float32)
            # an ``mlp`` head: a hidden layer before ``weights`` (absent: a linear head)
            self.head = (manifest.get("model") or {}).get("head", "linear")
            self.activation = (manifest.get("model") or {}).get("activation", "relu")
            if self.head == "mlp":
                self.hidden_weights = arrays["hidden_weights"].astype(np.float32)
                self.hidden_bias = arrays["hidden_bias"].astype(np.float32)
            self.calibration = (arrays["calibration_a"], arrays["calibration_b"])
            # a blended model calibrates the encoder's own scores before the blend
            self.encoder_calibration = (
                (arrays["encoder_calibration_a"], arrays["encoder_calibration_b"])
                if "encoder_calibration_a" in arrays
                else None
            )
            # and the linear family's (genre, frames: their raw scores come uncalibrated)
            self.linear_calibration = (
                (arrays["linear_calibration_a"], arrays["linear_calibration_b"])
                if "linear_calibration_a" in arrays
                else None
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ArtifactError(f"{kind} model is incomplete ({error})") from None
        if FEATURES.get(self.features) != manifest.get("features_version"):
            raise ArtifactError(
                f"{kind} model was built on features {self.features!r}"
                f" version {manifest.get('features_version')}, this propscope has"
                f" {FEATURES.get(self.features)}"
            )
        width = {"paragraph_context": 4 * DIM, "article_pooling": 3 * DIM}[self.features]
        inputs = width
        if self.head == "mlp":
            if self.activation not in ACTIVATIONS:
                raise ArtifactError(f"{kind} model has an unknown activation {self.activation!r}")
            hidden = self.hidden_bias.shape[0]
            if self.hidden_weights.shape != (width, hidden):
                raise ArtifactError(f"{kind} model arrays do not match its features")
            inputs = hidden
        elif self.head != "linear":
            raise ArtifactError(f"{kind} model has an unknown head {self.head!r}")
        if self.weights.shape != (inputs, len(self.labels)) or self.mean.shape != (width,):
            raise ArtifactError(f"{kind} model arrays do not match its features")
        check_encoder(manifest, kind)
        self.manifest = manifest

    @classmethod
    def load(cls, path: Path, kind: str) -> EncoderHead:
        arrays, manifest = load_artifact(path, kind)
        return cls(arrays, manifest, kind)

    def scores(self, features: np.ndarray) -> np.ndarray:
        """Raw scores (logits), (n, labels)."""
        x = (np.asarray(features, dtype=np.float32) - self.mean) / self.scale
        if self.head == "mlp":
            return mlp_scores(
                x, self.hidden_weights, self.hidden_bias, self.weights, self.bias, self.activation
            )
        return x @ self.weights + self.bias

    def multilabel(self, features: np.ndarray, linear: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities, blended with the linear family's when the model says so."""
        p = sigmoid(self.scores(features))
        if self.encoder_calibration is not None:
            p = calibrate(p, *self.encoder_calibration)
        if self.blend < 1.0:
            if linear is None:
                raise ValueError("this model blends with the linear model's probabilities")
            if self.linear_calibration is not None:
                linear = calibrate(linear, *self.linear_calibration)
            p = self.blend * p + (1.0 - self.blend) * linear
        return calibrate(p, *self.calibration)

    def multiclass(self, features: np.ndarray, linear: np.ndarray | None = None) -> np.ndarray:
        """Class probabilities: softmax over the calibrated temperature of the encoder's scores,
        or of their blend with the linear family's raw scores ``linear`` as log-probabilities."""
        temperature = float(self.calibration[0][0])
        scores = self.scores(features)
        if self.encoder_calibration is None:  # an encoder-only model of the first format
            return softmax(scores / temperature)
        z = log_probabilities(scores, float(self.encoder_calibration[0][0]))
        if self.blend < 1.0:
            if linear is None or self.linear_calibration is None:
                raise ValueError("this model blends with the linear model's scores")
            linear_z = log_probabilities(linear, float(self.linear_calibration[0][0]))
            z = self.blend * z + (1.0 - self.blend) * linear_z
        return softmax(z / temperature)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def genre_log_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """The log of the blend's genre probabilities, floored at 1e-9, where the per-language
    offsets are added (in training and at inference alike)."""
    return np.log(np.maximum(probabilities, 1e-9))


def log_probabilities(scores: np.ndarray, temperature: float) -> np.ndarray:
    """``log softmax(scores / temperature)``: genre scores of either family on one scale."""
    z = np.asarray(scores, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    return (z - np.log(np.exp(z).sum(axis=-1, keepdims=True))).astype(np.float32)


def calibrate(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Platt scaling per label: ``sigmoid(a * logit(p) + b)``."""
    return sigmoid(a * logit(p) + b).astype(np.float32)
