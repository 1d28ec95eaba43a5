"""Evidence of the encoder family: span probabilities read from e5 token states.

The encoder analyzer keeps, beside each paragraph's vector, the final states of its pieces
(``article.features["encoder_pieces"]``, from the same forward pass). Each word-level token of
the evidence tokenizer takes the mean state of the pieces it overlaps, and its features are that
state and the mean of its sentence's. One logistic model per technique, trained only on
paragraphs labelled with the technique, scores it: given that the paragraph uses the technique,
is this word part of it? Decoding (runs, phrases, sentences, blocks; fallbacks; whole words) is
the linear evidence model's (:class:`propscope.analyzers.evidence.SpanDecoder`), with the
modes and thresholds of this model's manifest. The figures: docs/encoder.md.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..document import Article
from ..errors import ArtifactError
from ..features.tokens import TokenFeaturizer, Tokens
from ..models.artifact import load_artifact
from ..models.encoder import DIM, Forward, PieceStates
from ..models.encoder_heads import check_encoder
from ..models.linear import sigmoid
from .base import Analyzer, register_analyzer
from .encoder import PIECES_KEY, EncoderAnalyzer
from .evidence import SpanDecoder, set_spans
from .evidence_decode import MODES

KIND = "evidence_encoder"


def sentence_means(states: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """Per token, the mean state of its sentence (a sentence is a run of equal ids)."""
    if not len(states):
        return np.zeros(states.shape, np.float32)
    first = np.concatenate([[0], np.flatnonzero(np.diff(sentence)) + 1])
    counts = np.diff(np.append(first, len(sentence)))
    means = np.add.reduceat(states.astype(np.float64), first, axis=0) / counts[:, None]
    return means.astype(np.float32)[np.repeat(np.arange(len(first)), counts)]


def token_features(states: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """(tokens, 768): each token's state and its sentence's mean state."""
    states = states.astype(np.float32)
    return np.hstack([states, sentence_means(states, sentence)])


def states_over(text: str, piece: PieceStates, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """(tokens, 384): the mean piece state of each token [start, end), given in ``text``'s
    offsets; ``piece`` holds the PieceStates of ``text.strip()``, which is what the encoder
    embeds (in training and at inference alike)."""
    stripped = text.strip()
    shift = text.index(stripped) if stripped else 0
    return piece.over(starts - shift, ends - shift)


def token_states(tokens: Tokens, texts: list[str], pieces: list) -> np.ndarray:
    """(tokens, 384): each token's mean piece state; ``pieces[k]`` are the PieceStates of
    ``texts[k].strip()``, as the encoder analyzer embeds it."""
    states = np.zeros((len(tokens), DIM), dtype=np.float32)
    owner = tokens.paragraph
    for k, (text, piece) in enumerate(zip(texts, pieces, strict=True)):
        rows = np.flatnonzero(owner == k)
        if not len(rows):
            continue
        starts, ends = tokens.starts[rows].astype(np.int64), tokens.ends[rows].astype(np.int64)
        states[rows] = states_over(text, piece, starts, ends)
    return states


@register_analyzer(KIND)
class EncoderEvidenceAnalyzer(Analyzer):
    """Fills ``paragraph.spans`` for every technique the paragraph model predicted, from the
    encoder's token states."""

    requires = ("techniques", "encoder")
    labelling = True

    def __init__(self, decoder: SpanDecoder, weights: np.ndarray, bias: np.ndarray, manifest):
        self.decoder = decoder
        self.weights = weights.astype(np.float32)  # 768 x labels
        self.bias = bias.astype(np.float32)
        self.manifest = manifest
        self._forward = None

    @classmethod
    def available(cls) -> bool:
        return super().available() and EncoderAnalyzer.available()

    @classmethod
    def load(cls, path: Path | None = None) -> EncoderEvidenceAnalyzer:
        directory = Path(path) if path is not None else cls.default_path()
        arrays, manifest = load_artifact(directory, KIND)
        try:
            labels = tuple(manifest["labels"])
            weights, bias = arrays["weights"], arrays["bias"]
            if weights.shape != (2 * DIM, len(labels)) or bias.shape != (len(labels),):
                raise ArtifactError(f"{directory}: evidence weights do not match the manifest")
            modes = {t: manifest["modes"][t] for t in labels}
            thresholds = {t: float(manifest["thresholds"][t]) for t in labels}
            if any(m not in MODES for m in modes.values()):
                raise ArtifactError(f"{directory}: unknown decoding mode in the manifest")
            featurizer = TokenFeaturizer.from_settings(manifest["tokens"])
            check_encoder(manifest, KIND)
        except (KeyError, TypeError, ValueError) as error:
            raise ArtifactError(f"{directory}: malformed evidence manifest ({error})") from None
        decoder = SpanDecoder(modes, thresholds, featurizer, labels=labels)
        return cls(decoder, weights, bias, manifest)

    def _pieces(self, texts: list[str]) -> list:
        """Piece states computed here, for articles the encoder analyzer left none for."""
        if self._forward is None:
            self._forward = Forward()
        _, pieces = self._forward.embed_with_pieces([t.strip() for t in texts])
        return [p.half() for p in pieces]

    def __call__(self, article: Article) -> Article:
        paragraphs = article.analyzable_paragraphs()
        pieces = article.features.pop(PIECES_KEY, None)  # read once; not kept with the article
        todo = []
        for index, paragraph in enumerate(paragraphs):
            paragraph.spans = []
            if paragraph.techniques is not None and paragraph.techniques.predicted:
                todo.append(index)
        if not todo:
            return article
        texts = [paragraphs[i].text for i in todo]
        if pieces is None or len(pieces) != len(paragraphs):
            chosen = self._pieces(texts)
        else:
            chosen = [pieces[i] for i in todo]

        def score(tokens: Tokens, columns: list[int]) -> np.ndarray:
            features = token_features(token_states(tokens, texts, chosen), tokens.sentence)
            return sigmoid(features @ self.weights[:, columns] + self.bias[columns])

        todo_paragraphs = [paragraphs[i] for i in todo]
        found = self.decoder.spans_of(
            [(p.text, p.start, list(p.techniques.predicted)) for p in todo_paragraphs], score
        )
        set_spans(article, todo_paragraphs, found)
        return article
