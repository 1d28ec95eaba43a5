"""Evidence: the character spans behind each technique a paragraph is predicted to use.

A linear token tagger (one logistic model per technique over hashed features of the token,
its neighbours and its sentence, see :mod:`propscope.features.tokens`) scores every token of a
paragraph; spans are read off per technique as runs of tokens or whole sentences (see
:mod:`.evidence_decode`), with a threshold chosen by article-held-out cross-validation.

Evidence is kept consistent with the paragraph model: spans are given only for the
techniques in ``paragraph.techniques.predicted``, and each of them gets at least one span
(the best-scoring sentence or phrase, marked ``fallback=True``, when none reaches the
threshold). Spans never leave their paragraph and always slice ``Article.text`` exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..document import Article, Span
from ..features.function_words import is_weak
from ..features.tokens import TokenFeaturizer, Tokens
from ..models.artifact import load_artifact
from ..models.linear import sigmoid
from ..taxonomy import TECHNIQUE_LABELS
from .base import Analyzer, get_analyzer, register_analyzer
from .evidence_decode import MODES, TokenTable, decode, fallback, sentence_table, snap_to_words

KIND = "evidence"


class SpanDecoder:
    """Spans from token probabilities: the decoding mode and threshold of each technique,
    whole words and phrases, fallbacks. Both evidence models decode through it; each scores
    the tokens its own way."""

    def __init__(
        self,
        modes: dict[str, str],
        thresholds: dict[str, float],
        featurizer: TokenFeaturizer,
        labels: tuple[str, ...] = TECHNIQUE_LABELS,
    ):
        self.modes = modes
        self.thresholds = thresholds
        self.featurizer = featurizer
        self.labels = tuple(labels)
        self.index = {label: i for i, label in enumerate(self.labels)}
        # grow highlights to whole phrases, never one function word (evidence_decode)
        self.whole_phrases = True

    def spans_of(
        self, paragraphs: list[tuple[str, int, list[str]]], score
    ) -> list[dict[str, list[tuple[int, int, float, bool]]]]:
        """Spans (start, end, confidence, fallback) per technique of each paragraph.

        ``paragraphs`` holds (text, start offset in the article, predicted techniques); the
        returned offsets are absolute. ``score(tokens, columns)`` gives the probabilities
        (tokens x len(columns)) of the techniques' label columns. Every technique gets at
        least one span: found ones, else the best unit of its decoding mode, else (no token at
        all, or a label the model does not know) the whole paragraph, the last two marked as
        fallbacks. All paragraphs of an article are featurized and scored together.
        """
        result = [{t: [] for t in techniques} for _, _, techniques in paragraphs]
        wanted = sorted({t for _, _, ts in paragraphs for t in ts if t in self.index})
        tokens = self.featurizer.tokens_many([text for text, _, _ in paragraphs])
        if wanted and len(tokens):
            probs = score(tokens, [self.index[t] for t in wanted])
            bases = np.array([base for _, base, _ in paragraphs], dtype=np.int64)
            owner = tokens.paragraph.astype(np.int64)
            weak = None
            if self.whole_phrases:
                texts = [text for text, _, _ in paragraphs]
                spans = zip(
                    owner.tolist(), tokens.starts.tolist(), tokens.ends.tolist(), strict=True
                )
                weak = np.array([is_weak(texts[o][a:b]) for o, a, b in spans], dtype=bool)
            table = TokenTable(
                tokens.starts.astype(np.int64) + bases[owner],
                tokens.ends.astype(np.int64) + bases[owner],
                owner,
                tokens.sentence.astype(np.int64),
                weak,
            )
            sentences = sentence_table(table)
            for k, technique in enumerate(wanted):
                mask = np.array([technique in ts for _, _, ts in paragraphs], dtype=bool)
                prob = np.where(mask[owner], probs[:, k], -1.0)
                mode = self.modes.get(technique, "sentence")
                threshold = self.thresholds.get(technique, 0.5)
                first, last, conf = decode(table, prob, mode, threshold, sentences)
                missing = mask.copy()
                missing[owner[first]] = False
                found = [(first, last, conf, False)]
                if missing.any():
                    found.append((*fallback(table, prob, mode, missing, sentences), True))
                for firsts, lasts, confs, is_fallback in found:
                    for a, b, c in zip(
                        firsts.tolist(), lasts.tolist(), confs.tolist(), strict=True
                    ):
                        text, base = paragraphs[owner[a]][:2]
                        start, end = snap_to_words(
                            text, int(table.starts[a]) - base, int(table.ends[b - 1]) - base
                        )
                        result[owner[a]][technique].append(
                            (start + base, end + base, c, is_fallback)
                        )
        for (text, base, _), spans in zip(paragraphs, result, strict=True):
            for found in spans.values():
                stripped = text.strip()
                if not found and stripped:  # no token, or a label the model does not know
                    offset = base + text.index(stripped)
                    found.append((offset, offset + len(stripped), 0.0, True))
        return result


class EvidenceModel(SpanDecoder):
    """The linear span model: hashed token weights, decoded by :class:`SpanDecoder`."""

    def __init__(
        self,
        token_weights: np.ndarray,  # 2**bits x labels (float, or int8 with scale)
        bias: np.ndarray,  # labels
        modes: dict[str, str],
        thresholds: dict[str, float],
        featurizer: TokenFeaturizer,
        scale: np.ndarray | None = None,
        labels: tuple[str, ...] = TECHNIQUE_LABELS,
    ):
        super().__init__(modes, thresholds, featurizer, labels)
        self.weights = token_weights
        self.bias = bias.astype(np.float32)
        self.scale = scale

    def token_probabilities(self, tokens: Tokens, columns: list[int]) -> np.ndarray:
        """Probabilities (tokens x len(columns)) for the given label columns."""
        if not len(tokens):
            return np.zeros((0, len(columns)), dtype=np.float32)
        gathered = self.weights[tokens.indices][:, :, columns].astype(np.float32)
        summed = gathered.sum(axis=1)
        per_sentence = self.weights[tokens.sentence_indices][:, columns].astype(np.float32)
        summed += np.add.reduceat(per_sentence, tokens.sentence_offsets[:-1], axis=0)[
            tokens.sentence
        ]
        if self.scale is not None:
            summed *= self.scale[columns]
        return sigmoid(summed + self.bias[columns])

    def paragraph_spans(
        self, text: str, base: int, techniques: list[str]
    ) -> dict[str, list[tuple[int, int, float, bool]]]:
        """Spans of each technique in one paragraph (see :meth:`spans_of`)."""
        return self.spans_of([(text, base, techniques)])[0]

    def spans_of(
        self, paragraphs: list[tuple[str, int, list[str]]]
    ) -> list[dict[str, list[tuple[int, int, float, bool]]]]:
        """:meth:`SpanDecoder.spans_of`, scored by :meth:`token_probabilities`."""
        return super().spans_of(paragraphs, self.token_probabilities)


@register_analyzer(KIND)
class EvidenceAnalyzer(Analyzer):
    """Fills ``paragraph.spans`` for every technique the paragraph model predicted."""

    requires = ("techniques",)
    labelling = True

    @classmethod
    def available(cls) -> bool:
        """The shipped model is present and so is the paragraph model it depends on."""
        if not super().available():
            return False
        try:
            return get_analyzer("techniques").available()
        except KeyError:
            return False

    def __init__(self, model: EvidenceModel, manifest: dict | None = None):
        self.model = model
        self.manifest = manifest or {}

    @classmethod
    def load(cls, path: Path | None = None) -> EvidenceAnalyzer:
        from ..errors import ArtifactError

        directory = Path(path) if path is not None else cls.default_path()
        arrays, manifest = load_artifact(directory, KIND)
        try:
            settings = manifest["features"]
            featurizer = TokenFeaturizer.from_settings(settings)
            labels = tuple(manifest["labels"])
            weights = arrays["weights"]
            bias = arrays["bias"]
            scale = arrays.get("scale")
            bits = int(settings["bits"])
            if (
                weights.shape != (1 << bits, len(labels))
                or bias.shape != (len(labels),)
                or (scale is not None and scale.shape != (len(labels),))
            ):
                raise ArtifactError(f"{directory}: evidence weights do not match the manifest")
            modes = {t: manifest["modes"][t] for t in labels}
            thresholds = {t: float(manifest["thresholds"][t]) for t in labels}
            if any(m not in MODES for m in modes.values()):
                raise ArtifactError(f"{directory}: unknown decoding mode in the manifest")
        except (KeyError, TypeError, ValueError) as error:
            raise ArtifactError(f"{directory}: malformed evidence manifest ({error})") from None
        model = EvidenceModel(weights, bias, modes, thresholds, featurizer, scale, labels)
        return cls(model, manifest)

    def __call__(self, article: Article) -> Article:
        todo = []
        for paragraph in article.analyzable_paragraphs():
            prediction = paragraph.techniques
            paragraph.spans = []
            if prediction is not None and prediction.predicted:
                todo.append(paragraph)
        if not todo:
            return article
        found = self.model.spans_of([(p.text, p.start, list(p.techniques.predicted)) for p in todo])
        set_spans(article, todo, found)
        return article


def set_spans(article: Article, paragraphs: list, found: list[dict]) -> None:
    """``paragraph.spans`` of each paragraph from what :meth:`EvidenceModel.spans_of` found."""
    for paragraph, spans in zip(paragraphs, found, strict=True):
        paragraph.spans = sorted(
            (
                Span(start, end, technique, round(conf, 4), marked, article.text[start:end])
                for technique, pieces in spans.items()
                for start, end, conf, marked in pieces
            ),
            key=lambda s: (s.start, s.end, s.label),
        )
