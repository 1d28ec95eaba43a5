"""Export the store: label rows as CSV, JSON lines or Parquet (streamed in chunks), and readers'
corrections as SemEval gold files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..atomic import atomic_write
from .query import EXPORT_COLUMNS

EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}


def export_chunks(rows: Iterable[dict[str, Any]], fmt: str, batch: int = 5000) -> Iterator[bytes]:
    """The bytes of an export, a chunk at a time (memory stays flat whatever the size)."""
    if fmt == "csv":
        yield from _csv_chunks(rows, batch)
    elif fmt == "jsonl":
        yield from _jsonl_chunks(rows, batch)
    elif fmt == "parquet":
        yield from _parquet_chunks(rows, batch)
    else:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(EXPORT_FORMATS)})")


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _csv_chunks(rows, size) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for batch in _batches(rows, size):
        writer.writerows(batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _jsonl_chunks(rows, size) -> Iterator[bytes]:
    for batch in _batches(rows, size):
        yield "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch).encode("utf-8")


class _Sink(io.RawIOBase):
    """A write-only file that hands what is written to the reader of the export."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def drain(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _parquet_chunks(rows, size) -> Iterator[bytes]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("article_id", pa.int64()),
            ("article_key", pa.string()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("language", pa.string()),
            ("published", pa.string()),
            ("level", pa.string()),
            ("line", pa.int64()),
            ("task", pa.string()),
            ("label", pa.string()),
            ("probability", pa.float64()),
            ("selected", pa.bool_()),
            ("model", pa.string()),
            ("model_version", pa.string()),
            ("run_id", pa.int64()),
        ]
    )
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema)
    for batch in _batches(rows, size):  # one row group per batch, sent as soon as written
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        yield sink.drain()
    writer.close()
    yield sink.drain()


def write_export(rows: Iterable[dict[str, Any]], fmt: str, path: Path) -> None:
    """An export file, written whole or not at all."""
    with atomic_write(Path(path), "wb") as out:
        for chunk in export_chunks(rows, fmt):
            out.write(chunk)


def write_annotations(store, out_dir: Path) -> dict[str, int]:
    """Readers' corrections as SemEval gold: every corrected article, its labels after the
    corrections, and its text as ``articles/article<ID>.txt`` (ID: the store's article id).

    ``propscope predict TASK OUT/articles`` then ``propscope evaluate TASK --gold
    OUT/TASK.txt`` score a model against them; the folder can be read like a SemEval one.
    """
    from ..evaluation import write_labels

    out_dir = Path(out_dir)
    by_article: dict[int, list[dict[str, Any]]] = {}
    for correction in store.corrections():
        by_article.setdefault(correction["article_id"], []).append(correction)
    gold: dict[str, dict] = {"genre": {}, "frames": {}, "techniques": {}}
    texts: dict[int, str] = {}
    for article_id, changes in sorted(by_article.items()):
        article = store.get(article_id)
        if article is None:
            continue
        key = str(article_id)
        genre = list(article.genre.predicted[:1]) if article.genre else []
        genre = _apply(genre, changes, "genre", None, single=True)
        if genre:
            gold["genre"][key] = genre[0]
        frames = list(article.frames.predicted) if article.frames else []
        gold["frames"][key] = _apply(frames, changes, "frames", None)
        for paragraph in article.paragraphs:
            found = list(paragraph.techniques.predicted) if paragraph.techniques else []
            gold["techniques"][(key, paragraph.line)] = _apply(
                found, changes, "techniques", paragraph.line
            )
        texts[article_id] = _line_text(article)
    for task, labels in gold.items():
        with atomic_write(out_dir / f"{task}.txt") as out:
            write_labels(labels, task, out)
    for article_id, text in texts.items():
        with atomic_write(out_dir / "articles" / f"article{article_id}.txt") as out:
            out.write(text)
    return {"articles": len(texts), **{task: len(labels) for task, labels in gold.items()}}


def _apply(found: list[str], changes, task: str, line: int | None, single=False) -> list[str]:
    """The labels after the corrections of ``task`` (on ``line``), applied in order."""
    labels = list(found)
    for change in changes:
        if change["task"] != task or change["line"] != line:
            continue
        if change["action"] == "remove" and change["label"] in labels:
            labels.remove(change["label"])
        elif change["action"] == "add" and change["label"] not in labels:
            labels = [change["label"]] if single else labels + [change["label"]]
    return labels


def _line_text(article) -> str:
    """The article with each paragraph on its own official line, so that reading the file
    back gives the same line numbers (a multi-line block keeps its first line's number)."""
    last = max((p.line for p in article.paragraphs), default=0)
    lines = [""] * last
    for paragraph in article.paragraphs:
        lines[paragraph.line - 1] = " ".join(paragraph.text.split())
    return "\n".join(lines) + "\n"
