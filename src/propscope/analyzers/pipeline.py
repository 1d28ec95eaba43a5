"""Build analyzers by name, in dependency order, and run them over articles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ..document import Article
from .base import BUILTIN_MODULES, Analyzer, get_analyzer


def default_names() -> list[str]:
    """Every built-in analyzer whose model is available, in default order."""
    return [name for name in BUILTIN_MODULES if get_analyzer(name).available()]


def resolve_order(names: Iterable[str]) -> list[str]:
    """``names`` plus everything they require, each after its requirements."""
    ordered: list[str] = []

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in chain:
            raise ValueError(f"analyzers require each other: {' -> '.join(chain + (name,))}")
        for required in get_analyzer(name).requires:
            visit(required, chain + (name,))
        ordered.append(name)

    for name in names:
        visit(name, ())
    return ordered


class Pipeline:
    """The one analysis path used by the CLI, the web app and batch runs."""

    def __init__(
        self,
        names: Iterable[str] | None = None,
        model_paths: Mapping[str, Path] | None = None,
        options: Mapping[str, Mapping] | None = None,
    ):
        """``options[name]`` are keyword arguments of that analyzer's ``load`` (e.g. decision)."""
        model_paths = model_paths or {}
        options = options or {}
        self.names = resolve_order(default_names() if names is None else names)
        self.analyzers: list[Analyzer] = [
            get_analyzer(name).load(model_paths.get(name), **options.get(name, {}))
            for name in self.names
        ]

    def __call__(self, article: Article) -> Article:
        for analyzer in self.analyzers:
            if analyzer.labelling and article.withheld:
                continue
            article = analyzer(article)
        return article

    def pipe(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            yield self(article)
