"""Split a batch run's inputs into partitions: lists of files and windows of corpus records.

The client never reads an article: a folder becomes a sorted list of file paths, a corpus file
(JSONL, CSV, Parquet, WARC) becomes windows of record numbers found by a cheap scan
(:func:`~propscope.ingest.corpora.record_numbers`), a URL or a feed becomes one partition of its
own. Partitions come in input order, so reading them one after the other gives the articles in
the order ``propscope analyze`` sees them. A partition's id is a hash of what it reads (paths,
sizes, modification times, record windows), so the same inputs always give the same ids.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import InputError
from ..ingest import expand_paths
from ..ingest.corpora import corpus_kind, record_numbers
from ..ingest.fetch import is_url
from ..ingest.options import IngestOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Piece:
    """One thing a partition reads.

    ``kind`` is "file" (a text, SemEval or HTML file, or a whole corpus file when ``records`` is
    None), "url", "feed", or "error" (an input the planner already knows is bad: ``reason``).
    """

    kind: str
    source: str
    records: tuple[int, int | None] | None = None
    size: int | None = None
    mtime_ns: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Partition:
    id: str
    index: int  # place in input order
    pieces: tuple[Piece, ...]

    def describe(self) -> str:
        first = self.pieces[0]
        window = f" records {first.records[0]}-{first.records[1] or 'end'}" if first.records else ""
        more = f" (+{len(self.pieces) - 1} more)" if len(self.pieces) > 1 else ""
        return f"{first.source}{window}{more}"

    def to_dict(self) -> dict:
        return {"id": self.id, "index": self.index, "pieces": [asdict(p) for p in self.pieces]}


def plan_partitions(
    inputs: Iterable[str],
    size: int,
    pattern: str = "*.txt",
    options: IngestOptions | None = None,
) -> list[Partition]:
    """Every input's partitions, in input order; at most ``size`` files or records each."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    options = options or IngestOptions()
    groups = list(_piece_groups(inputs, size, pattern, options))
    partitions, seen = [], {}
    for index, pieces in enumerate(groups):
        identity = [_identity(p) for p in pieces]
        digest = _digest(identity)
        # The same input given twice is read twice (as analyze does): a repeat gets its own id.
        seen[digest] = seen.get(digest, -1) + 1
        if seen[digest]:
            digest = _digest([identity, seen[digest]])
        partitions.append(Partition(digest, index, tuple(pieces)))
    return partitions


def _identity(piece: Piece) -> list:
    return [piece.kind, piece.source, piece.records, piece.size, piece.mtime_ns, piece.reason]


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value).encode("utf-8")).hexdigest()[:20]


def _piece_groups(
    inputs: Iterable[str], size: int, pattern: str, options: IngestOptions
) -> Iterator[list[Piece]]:
    files: list[Piece] = []  # consecutive plain files share partitions
    for raw in inputs:
        if options.feed or is_url(raw):
            yield from _chunks(files, size)
            files = []
            yield [Piece("feed" if options.feed else "url", raw)]
            continue
        for item in expand_paths([raw], pattern):
            if isinstance(item, InputError):
                files.append(Piece("error", item.source, reason=item.reason))
                continue
            path = item.absolute()
            if corpus_kind(path) is None:
                files.append(_file_piece(path))
                continue
            yield from _chunks(files, size)
            files = []
            for window in _record_windows(path, size, options):
                yield [_file_piece(path, window)]
    yield from _chunks(files, size)


def _chunks(pieces: list[Piece], size: int) -> Iterator[list[Piece]]:
    for start in range(0, len(pieces), size):
        yield pieces[start : start + size]


def _file_piece(path: Path, records: tuple[int, int | None] | None = None) -> Piece:
    try:
        stat = path.stat()
    except OSError:  # the worker's reading of it says why, in the errors table
        return Piece("file", str(path), records)
    return Piece("file", str(path), records, stat.st_size, stat.st_mtime_ns)


def _record_windows(
    path: Path, size: int, options: IngestOptions
) -> list[tuple[int, int | None] | None]:
    """Windows of ``size`` records; the last one open-ended (it also sees a truncated tail)."""
    starts = [1]
    try:
        for count, number in enumerate(record_numbers(path, options)):
            if count and count % size == 0:
                starts.append(number)
    except Exception as error:  # unreadable: one worker reads it whole and reports why
        log.debug("scanning %s failed: %s", path, error)
        return [None]
    if len(starts) == 1:
        return [None]
    return [(a, b) for a, b in zip(starts, starts[1:] + [None], strict=True)]
