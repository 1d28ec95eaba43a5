"""Language identification: an ISO 639-1 code and a confidence for every article."""

from __future__ import annotations

from functools import lru_cache

from ..document import Article
from .base import Analyzer, register_analyzer


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float]:
    """The most likely language of ``text`` and its probability."""
    language, probability = _identifier().classify(text)
    return language, float(probability)


@register_analyzer("language")
class LanguageAnalyzer(Analyzer):
    """Sets ``article.language`` unless it is already known (given by the user or the source)."""

    # Enough text to decide; more only costs time.
    sample_chars = 3000

    @classmethod
    def available(cls) -> bool:
        return True

    def __call__(self, article: Article) -> Article:
        if article.language is None:
            sample = " ".join(p.text for p in article.analyzable_paragraphs())[: self.sample_chars]
            if sample.strip():
                article.language, article.language_confidence = detect_language(sample)
        return article
