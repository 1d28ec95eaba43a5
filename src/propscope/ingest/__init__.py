"""Turn inputs (files, folders, standard input) into Articles, one failure never stopping the rest.

:func:`iter_inputs` yields an :class:`~propscope.document.Article` for every readable input and
an :class:`~propscope.errors.InputError` for every unreadable one, in input order.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..document import Article
from ..errors import InputError
from .semeval import language_of_folder, read_semeval_article, semeval_id
from .text import DEFAULT_MAX_BYTES, article_from_bytes, parse_text, read_bytes

__all__ = ["iter_inputs", "read_path", "parse_text", "expand_paths", "DEFAULT_MAX_BYTES"]

STDIN = "-"


def expand_paths(paths: Iterable[str], pattern: str = "*.txt") -> Iterator[Path | InputError]:
    """Files as given; folders searched recursively for ``pattern``, in sorted order."""
    for raw in paths:
        path = Path(raw)
        if raw == STDIN:
            yield path
        elif _is_dir(path):
            try:
                found = sorted(p for p in path.rglob(pattern) if p.is_file())
            except PermissionError:
                yield InputError(raw, "permission denied")
                continue
            if not found:
                yield InputError(raw, f"folder holds no files matching {pattern!r}")
            yield from found
        else:
            yield path


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # e.g. a parent folder we may not enter: reading the path will say why
        return False


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one file (or standard input for ``-``) into an Article."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(
                "<stdin>", f"too large for one article (limit {max_bytes / 1e6:.1f} MB)"
            )
        return article_from_bytes(data, "<stdin>", "stdin")
    if semeval_id(path) is not None:
        return read_semeval_article(path, language=language_of_folder(path), max_bytes=max_bytes)
    data = read_bytes(path, max_bytes)
    return article_from_bytes(data, str(path), path.stem, path=str(path))


def iter_inputs(
    paths: Iterable[str], pattern: str = "*.txt", max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | InputError]:
    for item in expand_paths(paths, pattern):
        if isinstance(item, InputError):
            yield item
            continue
        try:
            yield read_path(item, max_bytes)
        except InputError as error:
            yield error
