"""Build analyzers by name, in dependency order, and run them over articles in batches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path

from ..document import Article
from .base import BUILTIN_MODULES, Analyzer, get_analyzer


def default_names() -> list[str]:
    """Every built-in analyzer whose model is available and that is not opt-in, in default order."""
    return [
        name
        for name in BUILTIN_MODULES
        if get_analyzer(name).available() and not get_analyzer(name).opt_in
    ]


def resolve_order(
    names: Iterable[str], substitutes: Mapping[str, str] | None = None
) -> list[str]:
    """``names`` plus everything they require, each after its requirements.

    ``substitutes`` maps a required analyzer to the one that stands in for it in this run
    (``{"techniques": "techniques_encoder"}``: evidence then follows the encoder's techniques).
    """
    substitutes = substitutes or {}
    ordered: list[str] = []

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in chain:
            raise ValueError(f"analyzers require each other: {' -> '.join(chain + (name,))}")
        for required in get_analyzer(name).requires:
            visit(substitutes.get(required, required), chain + (name,))
        ordered.append(name)

    for name in names:
        visit(name, ())
    return ordered


def batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Pipeline:
    """Loaded analyzers in running order. The run layer (:mod:`propscope.runner`) owns one and
    is the only caller; a pipeline holds no per-article state, so threads may share it."""

    def __init__(
        self,
        names: Iterable[str] | None = None,
        model_paths: Mapping[str, Path] | None = None,
        options: Mapping[str, Mapping] | None = None,
        substitutes: Mapping[str, str] | None = None,
    ):
        """``options[name]`` are keyword arguments of that analyzer's ``load`` (e.g. decision)."""
        model_paths = model_paths or {}
        options = options or {}
        self.names = resolve_order(default_names() if names is None else names, substitutes)
        self.analyzers: list[Analyzer] = [
            get_analyzer(name).load(model_paths.get(name), **options.get(name, {}))
            for name in self.names
        ]
        for analyzer in self.analyzers:
            analyzer.planned(self.names)

    def __call__(self, article: Article) -> Article:
        for analyzer in self.analyzers:
            if analyzer.labelling and article.withheld:
                continue
            article = analyzer(article)
        return article

    def run_batch(self, articles: list[Article]) -> list[Article]:
        """Each analyzer over the whole batch in turn, so a model can vectorise across articles."""
        for analyzer in self.analyzers:
            if not analyzer.labelling:
                articles = list(analyzer.pipe(articles))
                continue
            # articles whose labels are withheld (propscope.guards) skip the labelling analyzers
            done = iter(list(analyzer.pipe([a for a in articles if not a.withheld])))
            articles = [a if a.withheld else next(done) for a in articles]
        return articles

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Article]:
        for batch in batches(articles, batch_size):
            yield from self.run_batch(batch)
