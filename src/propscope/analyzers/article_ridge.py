"""The shared base of the article-level linear analyzers (genre, frames)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..document import Article
from ..errors import ArtifactError
from ..features.article_ngrams import ArticleNgrams
from ..models.artifact import load_artifact
from ..models.linear import LinearHead
from .base import Analyzer, untrained_note

#: Key of the all-language entry in per-language decision tables.
GLOBAL = "_global"


class ArticleRidgeAnalyzer(Analyzer):
    """An article-level analyzer over a :class:`LinearHead`, with per-language decision values.

    Subclasses set ``official_labels`` and ``decision_key`` (the manifest entry holding the
    per-language decision values) and implement ``__call__``.
    """

    requires = ("language", "guard")
    labelling = True
    official_labels: tuple[str, ...] = ()
    decision_key = "thresholds"

    def __init__(self, head: LinearHead, manifest: dict):
        self.head = head
        self.featurizer = ArticleNgrams.from_settings(manifest["features"])
        self.settings = self.featurizer.settings
        self.labels = list(manifest["labels"])
        self.decisions = {
            k: np.asarray(v, np.float32) for k, v in manifest[self.decision_key].items()
        }
        self.temperature = float(manifest["temperature"])
        self.manifest = manifest

    def label_precision(self, language: str | None) -> dict[str, float]:
        """Each label's cross-validated precision in ``language`` (all languages if untrained)."""
        metrics = self.manifest.get("metrics", {})
        table = metrics.get(language or "") or metrics.get("all") or {}
        return {
            label: round(float(row["precision"]), 4)
            for label, row in table.get("per_label", {}).items()
            if row.get("predicted")
        }

    @classmethod
    def load(cls, path: Path | None = None) -> ArticleRidgeAnalyzer:
        arrays, manifest = load_artifact(path or cls.default_path(), cls.name)
        try:
            if list(manifest["labels"]) != list(cls.official_labels):
                raise ArtifactError(
                    f"{cls.name} model labels {manifest['labels']} are not the official ones"
                )
            head = LinearHead(arrays["weights"], arrays["scale"], arrays["bias"])
            analyzer = cls(head, manifest)
            if head.weights.shape != (analyzer.settings.size, len(cls.official_labels)):
                raise ArtifactError(f"{cls.name} model weights do not match its feature settings")
            if GLOBAL not in analyzer.decisions:
                raise ArtifactError(f"{cls.name} model has no all-language decision values")
        except (KeyError, TypeError, ValueError) as error:
            raise ArtifactError(f"{cls.name} model manifest is incomplete ({error})") from None
        return analyzer

    def scores_and_decision(self, article: Article) -> tuple[np.ndarray, np.ndarray, str | None]:
        """Raw scores, the decision values of the article's language, and a note when untrained."""
        scores = self.head.scores(self.featurizer.features_of(article))
        decision = self.decisions.get(article.language or "")
        if decision is not None:
            return scores, decision, None
        return scores, self.decisions[GLOBAL], untrained_note(article.language)
