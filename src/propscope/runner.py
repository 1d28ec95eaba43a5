"""The run layer: inputs -> prepare -> pipeline -> results, the one path of every entry point.

The CLI, the library (:func:`propscope.analyze`, :func:`propscope.analyze_many`), the web app
and batch workers all build a :class:`Runner` and call it, so an article is read, prepared and
analysed the same way wherever it comes from:

1. **read**: inputs (files, folders, URLs, feeds, corpora, standard input) become Articles with
   their boilerplate marked, or :class:`~propscope.errors.InputError`\\ s (:mod:`propscope.ingest`);
   plain text given to the library is parsed and marked the same way (:func:`as_article`);
2. **prepare**: duplicates flagged (and skipped with ``dedupe``), a language given by the user set;
3. **analyse**: the pipeline runs over batches of articles; an article whose analysis fails
   becomes one InputError and the others go on;
4. the caller hands each result to a sink (:mod:`propscope.report.sinks`) or keeps it.

A runner loads its models once, on first use, under a lock; it holds no per-article state, so
threads may share one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .document import Article
from .errors import InputError

log = logging.getLogger(__name__)

#: Model families and, per task, the analyzer that implements the task in that family.
#: Genre, frames and techniques keep every family's prediction side by side; evidence (the
#: spans of the shown techniques) comes from the selected family only.
FAMILIES: dict[str, dict[str, str]] = {
    "linear": {
        "genre": "genre",
        "frames": "frames",
        "techniques": "techniques",
        "evidence": "evidence",
    },
    "encoder": {
        "genre": "genre_encoder",
        "frames": "frames_encoder",
        "techniques": "techniques_encoder",
        "evidence": "evidence_encoder",
    },
}
SIDE_BY_SIDE = ("genre", "frames", "techniques")
DEFAULT_FAMILY = "linear"


@dataclass
class RunSummary:
    """What a run did: analysed articles, failures, duplicates flagged and skipped, time."""

    articles: int = 0
    failures: int = 0
    duplicates: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        rate = self.articles / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{self.articles} article(s) analysed, {self.failures} failure(s),"
            f" {self.duplicates} duplicate(s) flagged ({self.skipped} skipped)"
            f" in {self.seconds:.1f} s ({rate:.1f} articles/s)"
        )


def families_of(model: str | Iterable[str]) -> tuple[str, ...]:
    """``"linear"``, ``"encoder"`` or ``"linear,encoder"`` (the first is what reports show)."""
    names = model.split(",") if isinstance(model, str) else list(model)
    families = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    unknown = [f for f in families if f not in FAMILIES]
    if unknown or not families:
        raise ValueError(f"unknown model family {model!r} (known: {', '.join(FAMILIES)})")
    return families


def analyzer_plan(
    analyzers: Iterable[str] | None, families: tuple[str, ...]
) -> tuple[list[str] | None, dict[str, str]]:
    """Analyzer names for these model families, and the substitutes that make requirements
    (evidence needs techniques) follow the selected family (the first one)."""
    selected = FAMILIES[families[0]]
    substitutes = {task: name for task, name in selected.items() if name != task}
    if analyzers is None and families == (DEFAULT_FAMILY,):
        return None, substitutes  # every available analyzer of the default family
    from .analyzers.pipeline import default_names

    names = list(analyzers) if analyzers is not None else default_names()
    planned: list[str] = []
    for name in names:
        if name in SIDE_BY_SIDE:  # every family's analyzer, the selected one last
            others = [FAMILIES[f][name] for f in families[1:]]
            planned.extend(others + [selected[name]])
        else:
            planned.append(selected.get(name, name))
    return planned, substitutes


def as_article(item: Article | str, source: str = "text") -> Article:
    """An Article as given, or plain text parsed into paragraphs with its boilerplate marked."""
    from .ingest import parse_text
    from .ingest.clean import mark_boilerplate

    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return mark_boilerplate(parse_text(item, source))
    raise TypeError(
        f"expected an Article or a text (str), got {type(item).__name__}:"
        " read files with propscope.read(path) or propscope.read_many(paths)"
    )


class Runner:
    """Reads, prepares and analyses articles; the only analysis path of propscope."""

    def __init__(
        self,
        analyzers: Iterable[str] | None = None,
        *,
        model: str | Iterable[str] = DEFAULT_FAMILY,
        decision: str = "micro",
        model_paths: Mapping[str, Path] | None = None,
        language: str | None = None,
        dedupe: bool = False,
        ingest=None,
        pattern: str = "*.txt",
        batch_size: int = 16,
        debug: bool = False,
        withhold: bool = True,
    ):
        """``analyzers``: names (default: every available one); ``model``: model family or
        families; ``decision``: the techniques decision rule; ``language``: an ISO 639-1 code
        that replaces detection; ``dedupe``: skip duplicates; ``ingest``: IngestOptions;
        ``debug``: let analysis failures raise instead of becoming InputErrors;
        ``withhold``: give no labels to articles with too little text or that are not news
        (:mod:`propscope.guards`; they keep a warning either way)."""
        from .analyzers.techniques import DECISIONS

        if decision not in DECISIONS:
            raise ValueError(f"unknown decision {decision!r} (known: {', '.join(DECISIONS)})")
        self.families = families_of(model)
        self.names, self.substitutes = analyzer_plan(
            None if analyzers is None else list(analyzers), self.families
        )
        if self.names is not None:  # unknown names fail here, not in the middle of a run
            from .analyzers.pipeline import resolve_order

            resolve_order(self.names, self.substitutes)
        self.decision = decision
        self.model_paths = dict(model_paths or {})
        self.language = language
        self.dedupe = dedupe
        self.ingest = ingest
        self.pattern = pattern
        self.batch_size = max(1, int(batch_size))
        self.debug = debug
        self.withhold = withhold
        self.summary = RunSummary()
        self._pipeline = None
        self._lock = threading.Lock()

    @property
    def pipeline(self):
        """The analyzers, loaded once on first use (thread-safe)."""
        if self._pipeline is None:
            with self._lock:
                if self._pipeline is None:
                    from .analyzers import Pipeline

                    options = {
                        "techniques": {"decision": self.decision},
                        "guard": {"withhold": self.withhold},
                    }
                    self._pipeline = Pipeline(
                        self.names, self.model_paths, options, self.substitutes
                    )
        return self._pipeline

    # -- reading -------------------------------------------------------------------------------
    def read(self, inputs: Iterable[str | Path]) -> Iterator[Article | InputError]:
        """Every article of every input, boilerplate marked, in input order."""
        from .ingest import IngestOptions, iter_inputs

        options = self.ingest or IngestOptions()
        yield from iter_inputs([str(i) for i in inputs], pattern=self.pattern, options=options)

    # -- preparing and analysing -----------------------------------------------------------------
    def prepare(self, items: Iterable[Article | InputError]) -> Iterator[Article | InputError]:
        """Flag duplicates (skip them with ``dedupe``) and apply the user's language."""
        from .ingest.dedup import flag_duplicates

        for item in flag_duplicates(items):
            if isinstance(item, InputError):
                yield item
                continue
            if item.duplicate_of is not None:
                self.summary.duplicates += 1
                if self.dedupe:
                    self.summary.skipped += 1
                    continue
            if self.language:
                item.language, item.language_confidence = self.language, None
            yield item

    def analyze(self, article: Article | str) -> Article:
        """One article (or text), analysed; failures raise."""
        article = as_article(article)
        if self.language:
            article.language, article.language_confidence = self.language, None
        return self.pipeline.run_batch([article])[0]

    def analyze_stream(
        self, items: Iterable[Article | InputError]
    ) -> Iterator[Article | InputError]:
        """Prepared and analysed articles, and an InputError for each input or article that
        failed, in input order; one failure never stops the others."""
        from .analyzers.pipeline import batches

        started = time.perf_counter()
        try:
            for batch in batches(self.prepare(items), self.batch_size):
                yield from self._analyze_batch(batch)
        finally:
            self.summary.seconds += time.perf_counter() - started

    def run(self, inputs: Iterable[str | Path]) -> Iterator[Article | InputError]:
        """Read ``inputs`` (paths, folders, URLs, '-') and analyse every article."""
        return self.analyze_stream(self.read(inputs))

    def _analyze_batch(self, batch: list[Article | InputError]) -> Iterator[Article | InputError]:
        articles = [item for item in batch if isinstance(item, Article)]
        try:
            done = iter(self.pipeline.run_batch(articles) if articles else [])
        except Exception:
            if self.debug:
                raise
            done = None  # analyse one by one to find the article that fails
        for item in batch:
            if isinstance(item, InputError):
                self.summary.failures += 1
                yield item
            elif done is not None:
                self.summary.articles += 1
                yield next(done)
            else:
                yield self._analyze_one(item)

    def _analyze_one(self, article: Article) -> Article | InputError:
        try:
            result = self.pipeline.run_batch([article])[0]
        except Exception as error:  # one article's failure must not stop the others
            if self.debug:
                raise
            log.debug("analysis of %s failed", article.id, exc_info=True)
            self.summary.failures += 1
            return InputError(article.path or article.id, f"analysis failed: {error}")
        self.summary.articles += 1
        return result


class SharedRunners:
    """Runners kept for the library's one-call functions, one per set of options.

    Loading models takes most of a first call; the library keeps the few most recently used
    runners here so that ``propscope.analyze`` in a loop loads them once. Thread-safe; ``clear``
    drops them (and their models).
    """

    def __init__(self, size: int = 4):
        self.size = size
        self._runners: OrderedDict[tuple, Runner] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, analyzers=None, **options) -> Runner:
        key = (None if analyzers is None else tuple(analyzers), tuple(sorted(options.items())))
        with self._lock:
            runner = self._runners.get(key)
            if runner is None:
                runner = Runner(analyzers, **options)
                self._runners[key] = runner
                while len(self._runners) > self.size:
                    self._runners.popitem(last=False)
            self._runners.move_to_end(key)
            return runner

    def clear(self) -> None:
        with self._lock:
            self._runners.clear()


#: The runners behind :func:`propscope.analyze` and :func:`propscope.analyze_many`.
shared_runners = SharedRunners()
