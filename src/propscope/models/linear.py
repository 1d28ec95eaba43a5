"""The arithmetic every linear model shares at inference: links, int8 weights, heads."""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    # Clipped so that extreme scores never overflow exp; the result differs below 1e-13.
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(-1, keepdims=True)


def quantize_int8(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 weights and a per-column scale: ``weights ~= int8 * scale``."""
    peak = np.abs(weights).max(axis=0)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    return np.round(weights / scale).astype(np.int8), scale


def dequantize(weights: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return weights.astype(np.float32) * scale.astype(np.float32)


class LinearHead:
    """``score = x @ (W_int8 * scale) + bias`` over the sparse features of one article."""

    def __init__(self, weights: np.ndarray, scale: np.ndarray, bias: np.ndarray):
        if weights.ndim != 2 or scale.shape != (weights.shape[1],) or bias.shape != scale.shape:
            raise ValueError("linear head arrays have inconsistent shapes")
        self.weights = dequantize(weights, scale)
        self.bias = bias.astype(np.float32)

    def scores(self, features: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        index, values = features
        return values @ self.weights[index] + self.bias


def sparse_weights(index: np.ndarray, values: np.ndarray, rows: int, labels: int):
    """A (rows x labels) scipy CSR matrix from flat ``row * labels + label`` indices (pruned
    weights). scipy is imported here: the article-level models never need it."""
    import scipy.sparse as sp

    index = index.astype(np.int64)
    return sp.csr_matrix(
        (values.astype(np.float32), (index // labels, index % labels)), shape=(rows, labels)
    )
