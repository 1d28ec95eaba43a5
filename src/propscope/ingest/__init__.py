"""Turn inputs into Articles, one failure never stopping the rest.

Inputs are text files, SemEval files, folders, standard input, web pages (files or http(s)
URLs), RSS/Atom feeds (with ``feed=True``) and corpora (JSONL, CSV/TSV, Parquet, WARC/ARC).
:func:`iter_inputs` yields an :class:`~propscope.document.Article` for every readable article and
an :class:`~propscope.errors.InputError` for every unreadable input or record, in input order.
Every Article has its boilerplate lines marked (never removed), whatever its origin.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..document import Article
from ..errors import InputError
from .clean import mark_boilerplate
from .corpora import corpus_kind, iter_corpus
from .fetch import is_url
from .options import ColumnMap, IngestOptions
from .semeval import language_of_folder, read_semeval_article, semeval_id
from .text import DEFAULT_MAX_BYTES, article_from_bytes, parse_text, read_bytes

__all__ = [
    "ColumnMap",
    "DEFAULT_MAX_BYTES",
    "IngestOptions",
    "expand_paths",
    "iter_inputs",
    "parse_text",
    "read_path",
]

log = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")

STDIN = "-"


def expand_paths(
    paths: Iterable[str], pattern: str = "*.txt", exclude: frozenset[str] = frozenset()
) -> Iterator[Path | InputError]:
    """Files as given; folders searched recursively for ``pattern``, in sorted order, leaving
    out the files in ``exclude`` (resolved paths, e.g. the run's own output file)."""
    for raw in paths:
        path = Path(raw)
        if raw == STDIN:
            yield path
        elif _is_dir(path):
            try:
                matches = sorted(path.rglob(pattern))
            except PermissionError:
                yield InputError(raw, "permission denied")
                continue
            found = 0
            for match in matches:
                if exclude and str(match.resolve()) in exclude:
                    continue
                problem = not_a_regular_file(match)
                if problem is not None and problem.startswith("a FIFO"):
                    problem = "a FIFO (named pipe) inside a folder, not read"
                if problem is None:
                    found += 1
                    yield match
                elif problem != "a folder":  # a folder named like the pattern is no input
                    yield InputError(str(match), f"skipped: {problem}")
            if not found:
                yield InputError(raw, f"folder holds no files matching {pattern!r}")
        else:
            yield path


def not_a_regular_file(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file one can read (a FIFO would block)."""
    import errno
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            return "a broken symbolic link (its target does not exist)"
        return "no such file or directory"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a symbolic link loop"
        return error.strerror or str(error)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe), not read: pipe it to standard input with '-' instead"
    if stat.S_ISSOCK(mode):
        return "a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    return "not a regular file"


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # e.g. a parent folder we may not enter: reading the path will say why
        return False


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one file (or standard input for ``-``) into an Article, boilerplate marked."""
    return mark_boilerplate(_read_file(path, max_bytes))


def _read_file(path: Path, max_bytes: int) -> Article:
    from .html import article_from_html, looks_like_html

    if str(path) == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(
                "<stdin>", f"too large for one article (limit {max_bytes / 1e6:.1f} MB)"
            )
        if looks_like_html(data):
            return article_from_html(data, "<stdin>", "stdin")
        return article_from_bytes(data, "<stdin>", "stdin")
    if semeval_id(path) is not None:
        return read_semeval_article(path, language=language_of_folder(path), max_bytes=max_bytes)
    data = read_bytes(path, max_bytes)
    if path.suffix.lower() in HTML_SUFFIXES or looks_like_html(data):
        return article_from_html(data, str(path), path.stem, path=str(path))
    return article_from_bytes(data, str(path), path.stem, path=str(path))


def iter_inputs(
    paths: Iterable[str],
    pattern: str = "*.txt",
    max_bytes: int = DEFAULT_MAX_BYTES,
    options: IngestOptions | None = None,
) -> Iterator[Article | InputError]:
    """Every article of every input (file, folder, URL, feed, corpus), in input order."""
    if options is None:
        options = IngestOptions(max_bytes=max_bytes)
    for item in _iter_raw(paths, pattern, options):
        yield item if isinstance(item, InputError) else mark_boilerplate(item)


def _iter_raw(
    paths: Iterable[str], pattern: str, options: IngestOptions
) -> Iterator[Article | InputError]:
    for raw in paths:
        if options.feed or is_url(raw):
            yield from _guarded(raw, _iter_one(raw, options))
            continue
        for item in expand_paths([raw], pattern, options.exclude):
            if isinstance(item, InputError):
                yield item
            else:
                yield from _guarded(str(item), _iter_file(item, options))


def _iter_one(raw: str, options: IngestOptions) -> Iterator[Article | InputError]:
    from .feeds import iter_feed
    from .html import read_url

    if options.feed:
        yield from iter_feed(raw, options)
    else:
        yield read_url(raw, options)


def _iter_file(path: Path, options: IngestOptions) -> Iterator[Article | InputError]:
    if str(path) != STDIN and corpus_kind(path) is not None:
        # a corpus may be a named pipe on purpose: its records are read as they are written
        yield from iter_corpus(path, options)
    else:
        yield _read_file(path, options.max_bytes)


def _guarded(source: str, items: Iterator[Article | InputError]) -> Iterator[Article | InputError]:
    """The items of one input; a failure ends that input with one InputError, never the run."""
    try:
        yield from items
    except InputError as error:
        yield error
    except Exception as error:  # a library failing on odd input must not stop the other inputs
        log.debug("reading %s failed", source, exc_info=True)
        yield InputError(source, f"unreadable: {type(error).__name__}: {error}")
