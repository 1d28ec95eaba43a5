"""The analyzer contract and the registry that finds analyzers and trainers by name."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import ClassVar

from ..document import Article

#: Where shipped model artifacts live: one folder per analyzer name.
MODELS_DIR = Path(__file__).resolve().parent.parent / "models"

#: Built-in analyzers and the modules that register them, in default running order.
#: Modules are imported on first use so that loading one analyzer never imports the others.
BUILTIN_MODULES: dict[str, str] = {
    "language": "propscope.analyzers.language",
    "guard": "propscope.analyzers.guard",
    "genre": "propscope.analyzers.genre",
    "frames": "propscope.analyzers.frames",
    "techniques": "propscope.analyzers.techniques",
    "evidence": "propscope.analyzers.evidence",
    "entities": "propscope.analyzers.entities",
    "quotes": "propscope.analyzers.quotes",
}

#: Analyzers of other model families (selected with ``model="encoder"``), never in the default
#: pipeline of the linear family.
FAMILY_MODULES: dict[str, str] = {
    "encoder": "propscope.analyzers.encoder",
    "techniques_encoder": "propscope.analyzers.encoder",
    "genre_encoder": "propscope.analyzers.encoder",
    "frames_encoder": "propscope.analyzers.encoder",
    "evidence_encoder": "propscope.analyzers.evidence_encoder",
}

_ANALYZERS: dict[str, type[Analyzer]] = {}


class Analyzer:
    """Adds one kind of analysis to an Article.

    Subclasses set ``name`` (their registry name) and ``requires`` (analyzers that must have
    run first), implement ``__call__`` and, when they have a model, ``load``.
    """

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    # Opt-in analyzers run only when named (too slow for the default pipeline).
    opt_in: ClassVar[bool] = False
    #: True for analyzers that label the article (genre, techniques, ...): they are skipped for
    #: an article whose labels are withheld (see propscope.guards).
    labelling: ClassVar[bool] = False

    def __call__(self, article: Article) -> Article:
        raise NotImplementedError

    def planned(self, names: list[str]) -> None:
        """Told which analyzers run in the same pipeline (after all are loaded), so that work
        only another analyzer reads can be skipped when that one does not run."""

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Analyze a batch; models that vectorise across articles override this."""
        for article in articles:
            yield self(article)

    @classmethod
    def default_path(cls) -> Path:
        return MODELS_DIR / cls.name

    @classmethod
    def available(cls) -> bool:
        """Whether ``load()`` without a path can succeed (its shipped model is present)."""
        return (cls.default_path() / "manifest.json").is_file()

    @classmethod
    def load(cls, path: Path | None = None) -> Analyzer:
        return cls()


def untrained_note(language: str | None) -> str:
    """The note a prediction carries when its model never saw the article's language."""
    return f"model not trained on language '{language or 'unknown'}'"


def register_analyzer(name: str):
    def decorate(cls: type[Analyzer]) -> type[Analyzer]:
        cls.name = name
        _ANALYZERS[name] = cls
        return cls

    return decorate


def _import_builtin(name: str) -> None:
    module = BUILTIN_MODULES.get(name) or FAMILY_MODULES.get(name)
    if module is None:
        raise KeyError(f"unknown analyzer {name!r} (known: {', '.join(BUILTIN_MODULES)})")
    importlib.import_module(module)


def get_analyzer(name: str) -> type[Analyzer]:
    if name not in _ANALYZERS:
        _import_builtin(name)
    return _ANALYZERS[name]
