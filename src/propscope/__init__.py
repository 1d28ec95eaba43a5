"""propscope: see how a news article tries to persuade its reader.

The library in five functions, all over the same run layer as the command line
(:mod:`propscope.runner`):

- :func:`read` one file or URL into an :class:`Article`; :func:`read_many` every article of many
  inputs (folders, corpora, feeds);
- :func:`analyze` one article or text; :func:`analyze_many` a stream of them;
- :func:`load_runner` a :class:`~propscope.runner.Runner` of your own (options fixed once).
"""

__version__ = "0.2.0"

import logging  # noqa: E402
from collections.abc import Iterable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

from .document import Article, Entity, Paragraph, Prediction, Quote, Span  # noqa: E402
from .errors import InputError, PropscopeError  # noqa: E402

log = logging.getLogger(__name__)

#: Inputs that hold many articles: read them with read_many().
_CORPUS_HINT = "holds many articles: use propscope.read_many()"


def read(source: str | Path) -> Article:
    """Read one file (plain text, SemEval, HTML) or one http(s) URL into an Article.

    Raises :class:`InputError` for an unreadable input and ``ValueError`` for a corpus or feed
    (JSONL, CSV, Parquet, WARC): those hold many articles and are read by :func:`read_many`.
    """
    from .ingest import read_path
    from .ingest.corpora import corpus_kind
    from .ingest.fetch import is_url

    if not isinstance(source, str | Path):
        raise TypeError(f"read() takes a path or a URL, got {type(source).__name__}")
    raw = str(source)
    if is_url(raw):
        from .ingest import IngestOptions
        from .ingest.clean import mark_boilerplate
        from .ingest.html import read_url

        return mark_boilerplate(read_url(raw, IngestOptions()))
    path = Path(source)
    if raw != "-" and corpus_kind(path) is not None:
        raise ValueError(f"{raw}: {_CORPUS_HINT}")
    if path.is_dir():
        raise ValueError(f"{raw}: is a folder: use propscope.read_many()")
    return read_path(path)


def read_many(
    inputs: str | Path | Iterable[str | Path], errors: str = "warn", **options
) -> Iterator[Article]:
    """Every article of every input (files, folders, URLs, feeds, corpora), in input order.

    ``errors``: ``"warn"`` (default) logs a warning for an unreadable input and goes on,
    ``"raise"`` raises its :class:`InputError`. ``options`` are :class:`~propscope.runner.Runner`
    options such as ``pattern`` or ``ingest``.
    """
    from .runner import Runner

    if isinstance(inputs, str | Path):
        inputs = [inputs]
    for item in Runner(**options).read(inputs):
        if isinstance(item, InputError):
            _failed(item, errors)
        else:
            yield item


def analyze(
    article: Article | str,
    analyzers: list[str] | None = None,
    decision: str = "micro",
    model: str = "linear",
) -> Article:
    """Analyze an Article, or a plain text, with the default (or named) analyzers.

    Text is read exactly as the command line reads a text file (paragraphs, boilerplate
    marked). ``decision`` picks the techniques thresholds: ``"micro"`` (best official micro-F1)
    or ``"balanced"`` (each technique's own best F1: rare techniques show up more often).
    ``model`` is the model family (``"linear"``, ``"encoder"``, or ``"linear,encoder"`` for
    both side by side). Models are loaded on the first call and kept for the next ones.
    """
    if isinstance(article, Path):
        raise TypeError(f"analyze() takes an Article or a text; read {article} with read() first")
    if isinstance(article, str) and _looks_like_path(article):
        raise ValueError(
            f"{article!r} is the name of a file, not a text: use"
            " propscope.analyze(propscope.read(path))"
        )
    return load_runner(analyzers, decision=decision, model=model).analyze(article)


def analyze_many(
    items: Iterable[Article | str | Path],
    analyzers: list[str] | None = None,
    decision: str = "micro",
    model: str = "linear",
    errors: str = "warn",
    **options,
) -> Iterator[Article]:
    """Analyze a stream of Articles, texts or paths (``pathlib.Path``: files, folders, corpora),
    yielding each analysed article as soon as it is done, in input order.

    Duplicates are flagged (``dedupe=True`` skips them); an input or article that fails is
    logged (``errors="warn"``) or raised (``errors="raise"``) and the others go on.
    """
    from .runner import Runner, as_article

    runner = Runner(analyzers, decision=decision, model=model, **options)

    def articles():
        for item in items:
            if isinstance(item, Path):
                yield from runner.read([item])
            elif isinstance(item, str) and _looks_like_path(item):
                raise ValueError(f"{item!r} is a file name: pass pathlib.Path({item!r})")
            else:
                yield as_article(item)

    for result in runner.analyze_stream(articles()):
        if isinstance(result, InputError):
            _failed(result, errors)
        else:
            yield result


def load_runner(analyzers: list[str] | None = None, **options):
    """The shared :class:`~propscope.runner.Runner` for these options (models loaded once)."""
    from .runner import shared_runners

    return shared_runners.get(analyzers, **options)


def to_records(articles: Article | Iterable[Article]) -> list[dict]:
    """Flat rows, one per label (article genre and frames, paragraph techniques)."""
    if isinstance(articles, Article):
        articles = [articles]
    return [row for article in articles for row in article.to_records()]


def to_dataframe(articles: Article | Iterable[Article]):
    """:func:`to_records` as a pandas DataFrame (pandas is needed for this one only)."""
    try:
        import pandas
    except ImportError:  # pragma: no cover - pandas ships with the default install
        raise ImportError("to_dataframe() needs pandas: pip install pandas") from None
    return pandas.DataFrame.from_records(to_records(articles))


def _looks_like_path(text: str) -> bool:
    """A one-line string naming an existing file: almost surely not meant as article text."""
    if "\n" in text or len(text) > 4096 or not text.strip():
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _failed(error: InputError, errors: str) -> None:
    if errors == "raise":
        raise error
    log.warning("%s", error)


__all__ = [
    "Article",
    "Entity",
    "InputError",
    "Paragraph",
    "Prediction",
    "PropscopeError",
    "Quote",
    "Span",
    "__version__",
    "analyze",
    "analyze_many",
    "load_runner",
    "read",
    "read_many",
    "to_dataframe",
    "to_records",
]
