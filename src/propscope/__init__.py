"""propscope: see how a news article tries to persuade its reader."""

__version__ = "0.1.0"

from functools import lru_cache  # noqa: E402

from .document import Article, Paragraph, Prediction, Span  # noqa: E402


def read(path: str) -> Article:
    """Read one file (plain text or SemEval ``article<ID>.txt``) into an Article."""
    from pathlib import Path

    from .ingest import read_path

    return read_path(Path(path))


def analyze(
    article: Article | str, analyzers: list[str] | None = None, decision: str = "micro"
) -> Article:
    """Analyze an Article, or a plain text, with the default (or named) analyzers.

    ``decision`` picks the techniques thresholds: ``"micro"`` (best official micro-F1) or
    ``"balanced"`` (each technique's own best F1, so rare techniques show up more often).
    Models are loaded on the first call and kept for the next ones.
    """
    from .ingest import parse_text

    if isinstance(article, str):
        article = parse_text(article, "text")
    return _pipeline(None if analyzers is None else tuple(analyzers), decision)(article)


@lru_cache(maxsize=4)
def _pipeline(names: tuple[str, ...] | None, decision: str):
    from .analyzers import Pipeline

    return Pipeline(names, options={"techniques": {"decision": decision}})


__all__ = ["Article", "Paragraph", "Prediction", "Span", "analyze", "read", "__version__"]
