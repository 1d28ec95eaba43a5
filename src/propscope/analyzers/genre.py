"""Genre of an article (SemEval-2023 subtask 1): opinion, reporting or satire.

Model: ridge regression on one-hot (+-1) targets over hashed character and word n-grams
(:mod:`propscope.features.article_ngrams`), all training languages jointly, each article
weighted so that the three genres weigh the same within its language. The decision is
``argmax(score + bias[language])``: class offsets chosen on inner out-of-fold scores of the
training articles to maximise the mean per-language macro-F1, shrunk half-way towards the
offsets of all languages. Probabilities are ``softmax((score + bias) / T)`` with T fitted on
out-of-fold scores, so the predicted genre is always the most probable one.
"""

from __future__ import annotations

import numpy as np

from ..document import Article, Prediction
from ..guards import genre_uncertainty
from ..models.linear import softmax
from ..taxonomy import GENRE_LABELS
from .article_ridge import ArticleRidgeAnalyzer
from .base import register_analyzer


@register_analyzer("genre")
class GenreAnalyzer(ArticleRidgeAnalyzer):
    official_labels = GENRE_LABELS
    decision_key = "thresholds"  # per-language class offsets added to the scores

    def __call__(self, article: Article) -> Article:
        scores, offsets, note = self.scores_and_decision(article)
        probabilities = softmax((scores + offsets) / self.temperature)
        best = int(np.argmax(probabilities))
        article.genre = Prediction(
            {label: float(p) for label, p in zip(self.labels, probabilities, strict=True)},
            [self.labels[best]],
            note=note,
            precision=self.label_precision(article.language),
        )
        article.genre.uncertain = genre_uncertainty(article, article.genre)
        return article
