"""Corpora: JSONL, CSV/TSV, Parquet and WARC/ARC files, read as streams of Articles.

Every reader is a generator that holds one record (or one Parquet batch) at a time, so memory
stays flat however large the file. A bad record becomes an InputError naming the file and the
record and the reading goes on; a bad file (missing column, wrong schema, truncated archive)
becomes one InputError naming the file, after the records that could be read.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..document import Article
from ..errors import InputError
from .options import DEFAULT_COLUMNS, ColumnMap, IngestOptions
from .text import parse_text

Item = Article | InputError

CORPUS_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".csv.gz": "csv",
    ".tsv.gz": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".warc": "warc",
    ".warc.gz": "warc",
    ".arc": "warc",
    ".arc.gz": "warc",
}


def corpus_kind(path: Path) -> str | None:
    """'jsonl', 'csv', 'parquet' or 'warc' from the file name, else None."""
    name = path.name.lower()
    for suffix in sorted(CORPUS_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            return CORPUS_SUFFIXES[suffix]
    return None


def iter_corpus(path: Path, options: IngestOptions | None = None) -> Iterator[Item]:
    options = options or IngestOptions()
    kind = corpus_kind(path)
    readers = {"jsonl": iter_jsonl, "csv": iter_csv, "parquet": iter_parquet, "warc": iter_warc}
    if kind is None:
        yield InputError(str(path), "not a corpus file (.jsonl, .csv, .tsv, .parquet, .warc)")
        return
    try:
        yield from readers[kind](path, options)
    except FileNotFoundError:
        yield InputError(str(path), "no such file or directory")
    except PermissionError:
        yield InputError(str(path), "permission denied")
    except IsADirectoryError:
        yield InputError(str(path), "is a directory")
    except (OSError, EOFError, ValueError) as error:  # e.g. a truncated or corrupt .gz file
        yield InputError(str(path), f"unreadable: {_first_line(error)}")


def record_numbers(path: Path, options: IngestOptions | None = None) -> Iterator[int]:
    """The numbers (as the readers number them) of the records that may hold an article.

    Cheap: nothing is parsed into articles, so a batch run can split a large file into record
    windows (``IngestOptions.records``) without reading its articles. Raises where the file
    cannot be read; the reader then reports why.
    """
    options = options or IngestOptions()
    kind = corpus_kind(path)
    if kind == "jsonl":
        with _open_binary(path) as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield number
    elif kind == "csv":
        csv.field_size_limit(max(options.max_bytes * 2, 131072))
        delimiter = "\t" if ".tsv" in path.name.lower() else ","
        with _open_binary(path) as raw:
            handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            for number, row in enumerate(csv.reader(handle, delimiter=delimiter), start=1):
                if number > 1 and any(cell.strip() for cell in row):
                    yield number
    elif kind == "parquet":
        import pyarrow.parquet as pq

        yield from range(1, pq.ParquetFile(path).metadata.num_rows + 1)
    elif kind == "warc":
        with path.open("rb") as handle:
            for number, record in enumerate(_checked_iterator_class()(handle, arc2warc=True), 1):
                if _html_target(record) is not None:
                    yield number


# -- records -> articles ---------------------------------------------------------------------


def record_article(
    record: dict[str, Any],
    columns: dict[str, str],
    where: str,
    default_id: str,
    options: IngestOptions,
    corpus: str,
) -> Article:
    """One corpus record as an Article; InputError(where, reason) when it has no usable text."""
    text_column = columns["text"]
    text = record.get(text_column)
    if text is None or (isinstance(text, str) and not text.strip()):
        raise InputError(where, f"no text in column {text_column!r}")
    if not isinstance(text, str):
        raise InputError(where, f"column {text_column!r} holds {type(text).__name__}, not text")
    if len(text.encode("utf-8", "surrogatepass")) > options.max_bytes:
        raise InputError(
            where, f"text too large for one article (limit {options.max_bytes / 1e6:.1f} MB)"
        )

    def value(name: str) -> str | None:
        column = columns.get(name)
        raw = record.get(column) if column else None
        if raw is None:
            return None
        if isinstance(raw, dt.datetime | dt.date):
            return raw.isoformat()
        raw = str(raw).strip()
        return raw or None

    article_id = value("id") or default_id
    title = value("title")
    language = value("language")
    article = parse_text(
        text,
        article_id,
        url=value("url"),
        source=value("source"),
        published=value("date"),
        language=language.lower() if language else None,
        path=corpus,
    )
    if title:
        article.title = title
    article.meta["input"] = "corpus"
    article.meta["record"] = where
    return article


def _resolve(available: list[str], mapping: ColumnMap, source: str) -> dict[str, str]:
    columns, missing = mapping.resolve(available)
    shown = ", ".join(available[:20]) or "none"
    if missing:
        raise InputError(source, f"no column {', '.join(map(repr, missing))} (columns: {shown})")
    if "text" not in columns:
        raise InputError(source, f"no text column (columns: {shown}); name one with --text-column")
    return columns


def _open_binary(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


# -- JSONL -----------------------------------------------------------------------------------


def iter_jsonl(path: Path, options: IngestOptions) -> Iterator[Item]:
    source = str(path)
    mapping = options.columns
    with _open_binary(path) as handle:
        number = 0
        first = _first_record_unchecked(path, options)
        if first is None:
            return  # the file's first record lacks a named column: reported by its window
        while True:
            try:
                line = handle.readline(options.max_bytes * 2 + 2)
            except (OSError, EOFError) as error:
                yield InputError(source, f"unreadable after record {number}: {error}")
                return
            if not line:
                return
            number += 1
            if options.past_window(number):
                return
            if not options.in_window(number):
                if not line.endswith(b"\n"):
                    _skip_line(handle)
                continue
            if not line.strip():
                continue
            where = f"{source}:{number}"
            if not line.endswith(b"\n") and len(line) > options.max_bytes * 2:
                yield InputError(where, "record too large for one article")
                _skip_line(handle)
                continue
            try:
                record = json.loads(line)
            except ValueError as error:  # bad JSON, bad UTF-8, an integer too long to read
                yield InputError(where, f"not JSON: {error}")
                continue
            if not isinstance(record, dict):
                yield InputError(where, f"a JSON {type(record).__name__}, not an object")
                continue
            columns, _ = mapping.resolve(list(record))
            if first:
                first = False
                # The first record shows the columns: a named column it lacks is a mistake in
                # the command, reported once for the file.
                try:
                    _resolve(list(record), mapping, source)
                except InputError as error:
                    yield error
                    return
            for name in DEFAULT_COLUMNS:
                explicit = getattr(mapping, name)
                if explicit is not None:
                    columns[name] = explicit  # absent from this record: read as empty
            columns.setdefault("text", DEFAULT_COLUMNS["text"][0])
            try:
                yield record_article(
                    record, columns, where, f"{_stem(path)}-{number}", options, source
                )
            except InputError as error:
                yield error


def _first_record_unchecked(path: Path, options: IngestOptions) -> bool | None:
    """Whether this window holds the first record of the file, whose columns are checked.

    False when an earlier window holds it and it passes; None when it fails: the file ends there.
    """
    if options.in_window(1):
        return True
    with _open_binary(path) as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = json.loads(line) if line.strip() else None
            except ValueError:
                continue
            if isinstance(record, dict) and len(line) <= options.max_bytes * 2:
                if options.in_window(number):
                    return True
                try:
                    _resolve(list(record), options.columns, str(path))
                except InputError:
                    return None
                return False
    return False


def _skip_line(handle) -> None:
    while True:
        chunk = handle.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _stem(path: Path) -> str:
    name = path.name
    kind_suffix = next(
        (s for s in sorted(CORPUS_SUFFIXES, key=len, reverse=True) if name.lower().endswith(s)),
        "",
    )
    return name[: len(name) - len(kind_suffix)] if kind_suffix else path.stem


# -- CSV -------------------------------------------------------------------------------------


class _Lines:
    """The lines of a text handle for ``csv.reader``, remembering those of the current row.

    A quote that is never closed makes the reader swallow every line to the end of the file
    into one field; the remembered lines let those rows be read again.
    """

    def __init__(self, handle):
        self._handle = handle
        self.pending: list[str] = []
        self.replay: list[str] = []
        self.exhausted = False

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.replay:
            line = self.replay.pop(0)
        else:
            line = next(self._handle, None)
            if line is None:
                self.exhausted = True
                raise StopIteration
        self.pending.append(line)
        return line


def _unterminated(lines: list[str], delimiter: str) -> bool:
    """Whether these lines hold a quoted field that is never closed."""
    try:
        for _ in csv.reader(lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def iter_csv(path: Path, options: IngestOptions) -> Iterator[Item]:
    source = str(path)
    csv.field_size_limit(max(options.max_bytes * 2, 131072))
    delimiter = "\t" if ".tsv" in path.name.lower() else ","
    with _open_binary(path) as raw:
        handle = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        lines = _Lines(handle)
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as error:
            yield InputError(source, f"not a readable CSV file: {error}")
            return
        if not header:
            yield InputError(source, "empty CSV file (no header row)")
            return
        header = [h.strip() for h in header]
        try:
            columns = _resolve(header, options.columns, source)
        except InputError as error:
            if options.in_window(1):  # a file-level error: reported once, by the first window
                yield error
            return
        number = 1
        while True:
            lines.pending = []
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as error:
                yield InputError(f"{source} row {number + 1}", f"not UTF-8: {error.reason}")
                return
            except csv.Error as error:
                yield InputError(f"{source} row {number + 1}", f"malformed CSV: {error}")
                return
            number += 1
            if options.past_window(number):
                return
            where = f"{source} row {number}"
            if (
                lines.exhausted
                and len(lines.pending) > 1
                and _unterminated(lines.pending, delimiter)
            ):
                # say so, and read the lines it swallowed again as rows of their own
                if options.in_window(number):
                    yield InputError(where, "unterminated quote: row not read")
                lines.replay = lines.pending[1:]
                lines.exhausted = False
                reader = csv.reader(lines, delimiter=delimiter)
                continue
            if not options.in_window(number) or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield InputError(where, f"{len(row)} fields, the header has {len(header)}")
                continue
            record = dict(zip(header, row, strict=True))
            try:
                yield record_article(
                    record, columns, where, f"{_stem(path)}-{number - 1}", options, source
                )
            except InputError as error:
                yield error


# -- Parquet ---------------------------------------------------------------------------------


def iter_parquet(path: Path, options: IngestOptions) -> Iterator[Item]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = str(path)
    try:
        # No pre-buffering (it keeps every column chunk read so far) and a bounded read buffer:
        # memory stays flat whatever the file size (benchmarks/bench_corpus_stream.py).
        parquet = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
    except (pa.ArrowException, OSError) as error:
        if isinstance(error, FileNotFoundError | PermissionError | IsADirectoryError):
            raise
        yield InputError(source, f"not a readable Parquet file: {_first_line(error)}")
        return
    schema = parquet.schema_arrow
    try:
        columns = _resolve(list(schema.names), options.columns, source)
    except InputError as error:
        if options.in_window(1):  # a file-level error: reported once, by the first window
            yield error
        return
    text_type = schema.field(columns["text"]).type
    if not (pa.types.is_string(text_type) or pa.types.is_large_string(text_type)):
        if not options.in_window(1):
            return
        yield InputError(
            source, f"wrong schema: column {columns['text']!r} is {text_type}, not text"
        )
        return
    wanted = sorted(set(columns.values()))
    groups, number = _row_groups_in_window(parquet.metadata, options)
    try:
        for batch in parquet.iter_batches(batch_size=256, columns=wanted, row_groups=groups):
            if not options.in_window(number + batch.num_rows):
                number += batch.num_rows
                continue
            for record in batch.to_pylist():
                number += 1
                if options.past_window(number):
                    return
                if not options.in_window(number):
                    continue
                where = f"{source} row {number}"
                try:
                    yield record_article(
                        record, columns, where, f"{_stem(path)}-{number}", options, source
                    )
                except InputError as error:
                    yield error
    except (pa.ArrowException, OSError) as error:
        yield InputError(source, f"unreadable after row {number}: {_first_line(error)}")


def _row_groups_in_window(metadata, options: IngestOptions) -> tuple[list[int], int]:
    """The row groups holding the window's rows, and the number of the row before them."""
    groups, skipped, start = [], None, 0
    for index in range(metadata.num_row_groups):
        rows = metadata.row_group(index).num_rows
        if options.in_window(start + rows) and not options.past_window(start + 1):
            groups.append(index)
            skipped = start if skipped is None else skipped
        start += rows
    return groups, skipped or 0


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


# -- WARC / ARC ------------------------------------------------------------------------------


def iter_warc(path: Path, options: IngestOptions) -> Iterator[Item]:
    """HTML responses of a WARC (or ARC) crawl, each through the HTML path."""
    from warcio.exceptions import ArchiveLoadFailed

    from .html import article_from_html

    source = str(path)
    records_read = pages = 0

    def truncated(detail: str) -> InputError:
        return InputError(
            source,
            f"truncated or corrupt archive ({detail}; the {records_read} records before it "
            "were read)",
        )

    with path.open("rb") as handle:
        archive = _checked_iterator_class()(handle, arc2warc=True)
        records = iter(archive)
        while True:
            try:
                record = next(records)
                records_read += 1
                if options.past_window(records_read):
                    return
                if not options.in_window(records_read):
                    continue
                page = _html_payload(record, options.max_bytes)
                if page is None:
                    continue
                uri, content_type, data = page
                if len(data) <= options.max_bytes and record.raw_stream.limit > 0:
                    records_read -= 1
                    yield truncated(f"record {records_read + 1} is cut short")
                    return
            except StopIteration:
                if not archive.ended_cleanly:
                    yield truncated("the compressed data ends early")
                return
            except (ArchiveLoadFailed, EOFError, OSError, ValueError) as error:
                yield truncated(_first_line(error))
                return
            pages += 1
            where = f"{source} record {records_read} ({uri})" if uri else f"{source} record {pages}"
            if len(data) > options.max_bytes:
                yield InputError(where, "page too large for one article")
                continue
            try:
                yield article_from_html(
                    data,
                    where,
                    f"{_stem(path)}-{records_read}",
                    url=uri or None,
                    charset=_charset_of(content_type),
                    path=source,
                )
            except InputError as error:
                yield error


def _html_payload(record, max_bytes: int) -> tuple[str, str, bytes] | None:
    """(target URI, content type, body) of a successful HTML response, else None."""
    target = _html_target(record)
    if target is None:
        return None
    return *target, record.content_stream().read(max_bytes + 1)


def _html_target(record) -> tuple[str, str] | None:
    """(target URI, content type) of a successful HTML response, else None; reads no body."""
    if record.rec_type not in ("response", "resource"):
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode() or ""
        content_type = (http.get_header("Content-Type") or "").lower()
    else:
        status = "200"
        content_type = (record.rec_headers.get_header("Content-Type") or "").lower()
    if not status.startswith("2") or "html" not in content_type:
        return None  # images, scripts, redirects: a crawl holds many, none of them articles
    return uri, content_type


@functools.lru_cache(maxsize=1)
def _checked_iterator_class():
    from warcio.archiveiterator import ArchiveIterator

    class CheckedArchiveIterator(ArchiveIterator):
        """Notes whether the last gzip member ended properly (warcio stops silently if not)."""

        ended_cleanly = True

        def close(self):
            decompressor = getattr(self.reader, "decompressor", None)
            if decompressor is not None and not getattr(decompressor, "eof", True):
                self.ended_cleanly = False
            super().close()

    return CheckedArchiveIterator


def _charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip() == "charset" and value:
            return value.strip().strip('"')
    return None
