"""Featurizers: text (or articles) in, numbers out, with numpy and scipy only.

Every featurizer follows one protocol (:class:`Featurizer`): a ``name`` and a ``version``, its
settings as a plain dict (stored in model manifests) and back, and ``transform``. Training and
inference call the same ``transform``, so features can never drift apart.

- :class:`~.paragraph_tfidf.HashedTfidf`: paragraphs -> hashed character and word n-gram tf-idf
  (the techniques model);
- :class:`~.article_ngrams.ArticleNgrams`: articles -> hashed n-gram counts of title and body
  (the genre and frames models);
- :class:`~.tokens.TokenFeaturizer`: paragraphs -> per-token hashed features (the evidence model).
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable


@runtime_checkable
class Featurizer(Protocol):
    name: ClassVar[str]
    version: ClassVar[int]

    def settings_dict(self) -> dict[str, Any]:
        """JSON-able settings; ``from_settings(settings_dict())`` rebuilds an equal featurizer."""
        ...

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Featurizer: ...

    def transform(self, items: Any) -> Any: ...
