"""Frames of an article (SemEval-2023 subtask 2): multi-label over the 14 official frames.

Model: ridge regression on +-1 targets, one output per frame, over the hashed character and word
n-grams shared with the genre model (:mod:`propscope.features.article_ngrams`), all languages
jointly. A frame is predicted when its score reaches the threshold of the article's language:
half the threshold tuned on that language, half the one tuned on all languages, both maximising
micro-F1 on inner out-of-fold scores of the training articles. Probabilities are
``sigmoid((score - t) / T)`` with T fitted on out-of-fold scores, so every decision threshold on
the probability scale is 0.5.
"""

from __future__ import annotations

from ..document import Article, Prediction
from ..models.linear import sigmoid
from ..taxonomy import FRAME_LABELS
from .article_ridge import ArticleRidgeAnalyzer
from .base import register_analyzer


@register_analyzer("frames")
class FramesAnalyzer(ArticleRidgeAnalyzer):
    official_labels = FRAME_LABELS
    decision_key = "score_thresholds"  # per-language score threshold

    def __call__(self, article: Article) -> Article:
        scores, cut, note = self.scores_and_decision(article)
        probabilities = sigmoid((scores - cut) / self.temperature)
        article.frames = Prediction(
            {label: float(p) for label, p in zip(self.labels, probabilities, strict=True)},
            [label for label, s in zip(self.labels, scores, strict=True) if s >= cut],
            {label: 0.5 for label in self.labels},
            note=note,
            precision=self.label_precision(article.language),
        )
        return article
