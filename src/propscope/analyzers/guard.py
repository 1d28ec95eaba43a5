"""Abstain rather than guess: articles with too little text, and pages that are not news.

Runs after language identification and before the labelling analyzers. An article it stops
gets ``Article.withheld`` (the reason, also added to its warnings) and the pipeline gives it no
labels. ``withhold=False`` (``--not-news analyze`` on the command line, and official
prediction files, which must label every article) keeps the warning but lets labels through.
"""

from __future__ import annotations

from pathlib import Path

from ..document import Article
from ..guards import not_news, too_little_text
from .base import Analyzer, register_analyzer


@register_analyzer("guard")
class GuardAnalyzer(Analyzer):
    requires = ("language",)

    def __init__(self, withhold: bool = True):
        self.withhold = withhold

    @classmethod
    def available(cls) -> bool:
        return True

    @classmethod
    def load(cls, path: Path | None = None, withhold: bool = True) -> GuardAnalyzer:
        return cls(withhold=withhold)

    def __call__(self, article: Article) -> Article:
        reason = too_little_text(article)
        if reason is None:
            kind = not_news(article)
            if kind is not None:
                reason = f"not news: this page looks like {kind}"
        if reason is None:
            return article
        if self.withhold:
            article.withheld = reason
            article.warnings.append(f"{reason}; labels withheld")
        else:
            article.warnings.append(reason)
        return article
