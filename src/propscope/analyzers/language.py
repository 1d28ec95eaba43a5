"""Language identification: an ISO 639-1 code and a confidence for every article, and a
language for every paragraph (so that a quote or a passage in another language is visible).

py3langid (the full model, 97 languages) was chosen by measurement on the test articles of the
nine SemEval languages: see docs/ingest.md and benchmarks/bench_language.py.
"""

from __future__ import annotations

from pathlib import Path

from ..document import Article
from .base import Analyzer, register_analyzer


@register_analyzer("language")
class LanguageAnalyzer(Analyzer):
    """Sets ``article.language`` unless it is already known (given by the user or the source)."""

    # Enough text to decide; more only costs time.
    sample_chars = 3000
    # A paragraph gets its own language only when it is long enough to tell and the detector is
    # sure; otherwise it has the article's language.
    paragraph_min_chars = 40
    paragraph_min_confidence = 0.95

    def __init__(self):
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self.identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)

    @classmethod
    def available(cls) -> bool:
        return True

    @classmethod
    def load(cls, path: Path | None = None) -> LanguageAnalyzer:
        return cls()

    def detect(self, text: str) -> tuple[str, float]:
        """The most likely language of ``text`` and its probability."""
        language, probability = self.identifier.classify(text)
        return language, float(probability)

    def __call__(self, article: Article) -> Article:
        if article.language is None:
            sample = " ".join(p.text for p in article.analyzable_paragraphs())[: self.sample_chars]
            if sample.strip():
                article.language, article.language_confidence = self.detect(sample)
        for paragraph in article.analyzable_paragraphs():
            paragraph.language = article.language
            text = paragraph.text.strip()
            if len(text) >= self.paragraph_min_chars:
                language, confidence = self.detect(text)
                if language != article.language and confidence >= self.paragraph_min_confidence:
                    paragraph.language = language
        return article
