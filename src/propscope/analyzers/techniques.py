"""Persuasion techniques per paragraph (SemEval-2023 Task 3, subtask 3): 23 labels, multi-label.

Model: hashed char_wb(2-5) + word(1-2) n-gram tf-idf (:mod:`propscope.features.paragraph_tfidf`),
one-vs-rest logistic regression trained on all six SemEval languages jointly, weights pruned to
the ``topk`` largest per technique, and one decision threshold per technique tuned on
out-of-fold predictions. Two decision rules ship: ``micro`` (default; thresholds maximising the
official micro-F1) and ``balanced`` (each technique's own best F1, so rare techniques such as
Whataboutism are shown at all). Inference uses numpy and scipy only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse as sp

from ..document import Article, Prediction
from ..errors import ArtifactError
from ..features.paragraph_tfidf import HashedTfidf
from ..models.artifact import load_artifact
from ..models.linear import sigmoid, sparse_weights
from ..taxonomy import TECHNIQUE_LABELS
from .base import Analyzer, register_analyzer, untrained_note

KIND = "techniques"
#: Decision rules a techniques artifact carries thresholds for (the first is the default).
DECISIONS = {
    "micro": "per-technique thresholds that maximise the official micro-F1 over all techniques",
    "balanced": "each technique's own F1-optimal threshold, or the micro one where that is"
    " lower: rare techniques are shown more often, and never fewer techniques than micro",
}
#: ISO codes of the languages the shipped model was trained on (set from the manifest).
DEFAULT_TRAINED = ("de", "en", "fr", "it", "pl", "ru")


def threshold_array(decision: str) -> str:
    """Name of the artifact array that holds the thresholds of ``decision``."""
    return "thresholds" if decision == "micro" else f"thresholds_{decision}"


@register_analyzer(KIND)
class TechniquesAnalyzer(Analyzer):
    requires = ("language", "guard")
    labelling = True

    def __init__(
        self,
        features: HashedTfidf,
        weights: sp.csr_matrix,
        bias: np.ndarray,
        thresholds: np.ndarray,
        labels: tuple[str, ...] = TECHNIQUE_LABELS,
        trained_languages: tuple[str, ...] = DEFAULT_TRAINED,
        precision: dict[str, float] | None = None,
        confident: dict[str, tuple[float, float]] | None = None,
    ):
        self.features = features
        self.weights = weights
        self.bias = np.asarray(bias, dtype=np.float32)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.labels = tuple(labels)
        self.trained_languages = tuple(trained_languages)
        # each label's cross-validated precision under this decision rule, and, for labels
        # that have one, the threshold above which its calls are right at least 60% of the
        # time with that band's precision (benchmarks/bench_confident.py)
        self.precision = dict(precision or {})
        self.confident = dict(confident or {})

    @classmethod
    def load(cls, path: Path | None = None, decision: str = "micro") -> TechniquesAnalyzer:
        """The model at ``path`` (default: the shipped one), deciding with ``decision``."""
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r} (known: {', '.join(DECISIONS)})")
        path = Path(path) if path else cls.default_path()
        arrays, manifest = load_artifact(path, KIND)
        thresholds = threshold_array(decision)
        if thresholds not in arrays:
            raise ArtifactError(f"{path}: this techniques model has no {decision!r} thresholds")
        labels = tuple(manifest["labels"])
        features = HashedTfidf.from_arrays(arrays, manifest["features"])
        weights = sparse_weights(
            arrays["weight_index"], arrays["weight_value"], features.settings.width, len(labels)
        )
        chosen = arrays[thresholds]
        if decision != "micro":
            # a rule meant to show more techniques never shows fewer than the default: each
            # technique's own best threshold, or the default one where that is lower
            chosen = np.minimum(chosen, arrays[threshold_array("micro")])
        tables = manifest.get("label_precision", {})
        precision = {
            label: float(row["precision"])
            for label, row in tables.get(decision, {}).items()
            if row.get("predicted")
        }
        confident = {
            label: (float(row["threshold"]), float(row["precision"]))
            for label, row in tables.get("confident", {}).items()
        }
        return cls(
            features,
            weights,
            arrays["bias"],
            chosen,
            labels,
            tuple(manifest.get("trained_languages", DEFAULT_TRAINED)),
            precision,
            confident,
        )

    def _call_precision(self, predicted: list[str], row: np.ndarray) -> dict[str, float]:
        """Cross-validated precision of each predicted label at this probability."""
        out = {}
        for label in predicted:
            band = self.confident.get(label)
            probability = float(row[self.labels.index(label)])
            if band is not None and probability >= band[0]:
                out[label] = round(band[1], 4)
            elif label in self.precision:
                out[label] = round(self.precision[label], 4)
        return out

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 23) probabilities."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        matrix = self.features.transform(texts)
        return sigmoid((matrix @ self.weights).toarray() + self.bias)

    def __call__(self, article: Article) -> Article:
        paragraphs = article.analyzable_paragraphs()
        probabilities = self.probabilities([p.text for p in paragraphs])
        note = None
        if article.language not in self.trained_languages:
            note = untrained_note(article.language)
        thresholds = {
            lab: round(float(t), 4) for lab, t in zip(self.labels, self.thresholds, strict=True)
        }
        for paragraph, row in zip(paragraphs, probabilities, strict=True):
            predicted = [
                lab for lab, p, t in zip(self.labels, row, self.thresholds, strict=True) if p >= t
            ]
            paragraph.techniques = Prediction(
                probabilities={
                    label: round(float(p), 4) for label, p in zip(self.labels, row, strict=True)
                },
                predicted=predicted,
                thresholds=dict(thresholds),
                note=note,
                # the estimated precision of each call (the confident view's bar)
                precision=self._call_precision(predicted, row),
            )
        return article
