"""Analysed articles as Parquet tables, one folder per partition, and back again.

A partition's tables are written into a temporary folder beside the others and renamed into
place, so a partition is either there whole or not at all. The tables hold everything an
Article holds: :func:`read_articles` gives back Articles whose JSON equals that of
``propscope analyze``. The schema is documented in docs/batch.md.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..document import Article, Paragraph, Prediction, Span
from ..errors import InputError
from . import MANIFEST

TABLES = ("articles", "paragraphs", "labels", "spans", "errors", "signatures")
PARTS = "parts"
SUMMARY = "summary.json"
DUPLICATES = "duplicates.parquet"

_KEY = [("partition", pa.string()), ("key", pa.string())]

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("partition", pa.string()),
            ("position", pa.int32()),  # place in the partition's input order
            ("key", pa.string()),  # partition-position: unique in the run, unlike ids
            ("id", pa.string()),
            ("title", pa.string()),
            ("text", pa.string()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("path", pa.string()),
            ("language", pa.string()),
            ("language_confidence", pa.float64()),
            ("published", pa.string()),
            ("author", pa.string()),
            ("paragraphs", pa.int32()),
            ("warnings", pa.list_(pa.string())),
            ("quotes", pa.string()),  # JSON
            ("entities", pa.string()),  # JSON
            ("meta", pa.string()),  # JSON
            ("withheld", pa.string()),  # why no labels were given (too short, not news)
        ]
    ),
    "paragraphs": pa.schema(
        _KEY
        + [
            ("index", pa.int32()),
            ("line", pa.int32()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("boilerplate", pa.bool_()),
            ("language", pa.string()),
            ("text", pa.string()),
            ("quotes", pa.list_(pa.int32())),  # indexes into the article's quotes
        ]
    ),
    "labels": pa.schema(
        _KEY
        + [
            ("line", pa.int32()),  # null: an article-level task (genre, frames)
            ("task", pa.string()),
            ("model", pa.string()),
            ("selected", pa.bool_()),  # the prediction reports show
            ("label", pa.string()),  # null: a prediction with no scores
            ("probability", pa.float64()),
            ("threshold", pa.float64()),
            ("predicted_rank", pa.int16()),  # place among the predicted labels; null: not
            ("precision", pa.float64()),  # the label's estimated precision, where known
            ("note", pa.string()),
            ("uncertain", pa.string()),
        ]
    ),
    "spans": pa.schema(
        _KEY
        + [
            ("line", pa.int32()),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("label", pa.string()),
            ("confidence", pa.float64()),
            ("fallback", pa.bool_()),
            ("text", pa.string()),
            ("quote", pa.int32()),  # the quote it lies in, if any
        ]
    ),
    "errors": pa.schema(
        [
            ("partition", pa.string()),
            ("position", pa.int32()),
            ("source", pa.string()),
            ("reason", pa.string()),
        ]
    ),
    # MinHash signatures for the run-wide duplicate pass (propscope.ingest.dedup)
    "signatures": pa.schema(
        _KEY + [("id", pa.string()), ("digest", pa.binary()), ("minhash", pa.binary())]
    ),
}

#: Article fields and where they go; a new field must be placed here (a test checks).
ARTICLE_COLUMNS = ("id", "title", "text", "source", "url", "path", "language")
ARTICLE_COLUMNS += ("language_confidence", "published", "author", "warnings", "withheld")
ARTICLE_JSON_COLUMNS = ("quotes", "entities", "meta")
ARTICLE_ELSEWHERE = ("paragraphs", "predictions", "selected", "duplicate_of")
SPAN_COLUMNS = ("start", "end", "label", "confidence", "fallback", "text", "quote")
NOT_KEPT = ("features",)  # the analyzers' work area, never serialised
PARAGRAPH_COLUMNS = ("line", "start", "end", "text", "boilerplate", "language", "quotes")


def _predictions(owner) -> Iterator[tuple[str, str, bool, Prediction]]:
    """(task, model, selected, prediction) of every model's prediction of an Article or
    Paragraph, the selected one of each task being what reports show."""
    shown = set(owner.selected.values())
    for key, prediction in sorted(owner.predictions.items()):
        yield key.split(":", 1)[0], prediction.model, key in shown, prediction


def _attach(owner, task: str, selected: bool, prediction: Prediction) -> None:
    owner.set_prediction(task, prediction, select=selected)


class PartitionTables:
    """Rows of one partition's tables, filled article by article."""

    def __init__(self, partition: str):
        self.partition = partition
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.articles = self.failures = 0

    def add_error(self, position: int, error: InputError) -> None:
        self.failures += 1
        self.rows["errors"].append(
            {
                "partition": self.partition,
                "position": position,
                "source": error.source,
                "reason": error.reason,
            }
        )

    def add_article(self, position: int, article: Article, signature=None) -> None:
        self.articles += 1
        key = f"{self.partition}-{position}"
        base = {"partition": self.partition, "key": key}
        row = {"partition": self.partition, "position": position, "key": key}
        row.update({name: getattr(article, name) for name in ARTICLE_COLUMNS})
        row["paragraphs"] = len(article.paragraphs)
        for name in ARTICLE_JSON_COLUMNS:
            value = _plain(getattr(article, name))
            row[name] = json.dumps(value, ensure_ascii=False, default=str)  # as Article.to_dict
        self.rows["articles"].append(row)
        self._labels(base, None, article)
        for index, paragraph in enumerate(article.paragraphs):
            self.rows["paragraphs"].append(
                base
                | {
                    "index": index,
                    "line": paragraph.line,
                    "start": paragraph.start,
                    "end": paragraph.end,
                    "boilerplate": paragraph.boilerplate,
                    "language": paragraph.language,
                    "text": paragraph.text,
                    "quotes": paragraph.quotes,
                }
            )
            self._labels(base, paragraph.line, paragraph)
            for span in paragraph.spans:
                self.rows["spans"].append(
                    base
                    | {
                        "line": paragraph.line,
                        "start": span.start,
                        "end": span.end,
                        "label": span.label,
                        "confidence": span.confidence,
                        "fallback": span.fallback,
                        "text": span.text,
                        "quote": span.quote,
                    }
                )
        digest, minhash = signature if signature is not None else (None, None)
        self.rows["signatures"].append(
            base
            | {
                "id": article.id,
                "digest": digest,
                "minhash": None if minhash is None else minhash.tobytes(),
            }
        )

    def _labels(self, base: dict, line: int | None, owner) -> None:
        for task, model, selected, prediction in _predictions(owner):
            shared = base | {"line": line, "task": task, "model": model, "selected": selected}
            shared["note"], shared["uncertain"] = prediction.note, prediction.uncertain
            rank = {label: i for i, label in enumerate(prediction.predicted)}
            labels = list(prediction.probabilities)
            labels += [label for label in prediction.predicted if label not in labels]
            if not labels:
                self.rows["labels"].append(shared | {"label": None})
            for label in labels:
                self.rows["labels"].append(
                    shared
                    | {
                        "label": label,
                        "probability": prediction.probabilities.get(label),
                        "threshold": prediction.thresholds.get(label),
                        "predicted_rank": rank.get(label),
                        "precision": prediction.precision.get(label),
                    }
                )

    def write(self, out: Path, summary: dict) -> bool:
        """Write the tables whole into ``out/parts/<partition>``; False if already there."""
        parts = out / PARTS
        final = parts / self.partition
        temporary = parts / f".tmp-{self.partition}-{uuid.uuid4().hex[:8]}"
        temporary.mkdir(parents=True)
        try:
            for name in TABLES:
                table = pa.Table.from_pylist(self.rows[name], schema=SCHEMAS[name])
                pq.write_table(table, temporary / f"{name}.parquet", compression="zstd")
            (temporary / SUMMARY).write_text(json.dumps(summary), encoding="utf-8")
            for name in os.listdir(temporary):
                _fsync(temporary / name)
            _fsync(temporary)
            try:
                os.rename(temporary, final)
            except OSError:
                if (final / SUMMARY).is_file():  # another attempt at this partition won
                    shutil.rmtree(temporary, ignore_errors=True)
                    return False
                raise
            _fsync(parts)
            return True
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _plain(value):
    """Dataclasses (quotes, entities) as dicts, for JSON."""
    from dataclasses import asdict, is_dataclass

    if isinstance(value, list):
        return [_plain(v) for v in value]
    return asdict(value) if is_dataclass(value) else value


# -- reading ---------------------------------------------------------------------------------


def partition_folders(out: Path, order: list[str] | None = None) -> list[Path]:
    """The written partitions' folders, in input order when ``order`` (the ids) is given."""
    parts = Path(out) / PARTS
    if order is None:
        order = sorted(p.name for p in parts.iterdir() if not p.name.startswith("."))
    return [parts / pid for pid in order if (parts / pid / SUMMARY).is_file()]


def read_table(out: Path, name: str, order: list[str] | None = None) -> pa.Table:
    """One table over every written partition, in input order (see :func:`run_order`).

    The articles table gets its ``duplicate_of`` column from the run-wide duplicate pass.
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r} (tables: {', '.join(TABLES)})")
    out = Path(out)
    order = order if order is not None else run_order(out)
    tables = [pq.read_table(f / f"{name}.parquet") for f in partition_folders(out, order)]
    table = pa.concat_tables(tables) if tables else SCHEMAS[name].empty_table()
    if name == "articles":
        duplicates = _duplicates(out)
        column = [duplicates.get(key) for key in table.column("key").to_pylist()]
        table = table.append_column("duplicate_of", pa.array(column, pa.string()))
    return table


def run_order(out: Path) -> list[str] | None:
    """The partition ids of the run written to ``out``, in input order (None if unknown)."""
    path = Path(out) / MANIFEST
    if not path.is_file():
        return None
    return [p["id"] for p in json.loads(path.read_text(encoding="utf-8"))["partitions"]]


def _duplicates(out: Path) -> dict[str, str]:
    path = Path(out) / DUPLICATES
    if not path.is_file():
        return {}
    table = pq.read_table(path, columns=["key", "duplicate_of"])
    return dict(zip(*(table.column(c).to_pylist() for c in ("key", "duplicate_of")), strict=True))


def read_articles(out: Path) -> Iterator[Article]:
    """Every written article, rebuilt from the tables, partition by partition, in input order."""
    out = Path(out)
    duplicates = _duplicates(out)
    for folder in partition_folders(out, run_order(out)):
        yield from _partition_articles(folder, duplicates)


def _partition_articles(folder: Path, duplicates: dict[str, str]) -> Iterator[Article]:
    def grouped(name: str) -> dict[str, list[dict]]:
        rows: dict[str, list[dict]] = {}
        for row in pq.read_table(folder / f"{name}.parquet").to_pylist():
            rows.setdefault(row["key"], []).append(row)
        return rows

    paragraphs, labels, spans = grouped("paragraphs"), grouped("labels"), grouped("spans")
    for row in pq.read_table(folder / "articles.parquet").to_pylist():
        key = row["key"]
        article = Article(**{name: row[name] for name in ARTICLE_COLUMNS})
        for name in ARTICLE_JSON_COLUMNS:
            setattr(article, name, json.loads(row[name]))
        article.quotes = [_quote(q) for q in article.quotes]
        article.entities = [_entity(e) for e in article.entities]
        article.duplicate_of = duplicates.get(key)
        by_line: dict[int, Paragraph] = {}
        for p in paragraphs.get(key, []):
            paragraph = Paragraph(**{name: p[name] for name in PARAGRAPH_COLUMNS})
            article.paragraphs.append(paragraph)
            by_line[paragraph.line] = paragraph
        for s in spans.get(key, []):
            by_line[s["line"]].spans.append(
                Span(**{name: s[name] for name in SPAN_COLUMNS})
            )
        for (line, task, selected), prediction in _rebuilt(labels.get(key, [])):
            _attach(article if line is None else by_line[line], task, selected, prediction)
        yield article


def _rebuilt(rows: list[dict]) -> Iterator[tuple[tuple, Prediction]]:
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault((row["line"], row["task"], row["model"], row["selected"]), []).append(row)
    for (line, task, model, selected), members in groups.items():
        scored = [r for r in members if r["label"] is not None]
        predicted = sorted(
            (r for r in scored if r["predicted_rank"] is not None),
            key=lambda r: r["predicted_rank"],
        )
        prediction = Prediction(
            probabilities={
                r["label"]: r["probability"] for r in scored if r["probability"] is not None
            },
            predicted=[r["label"] for r in predicted],
            thresholds={r["label"]: r["threshold"] for r in scored if r["threshold"] is not None},
            note=members[0]["note"],
            model=model,
            precision={r["label"]: r["precision"] for r in scored if r["precision"] is not None},
            uncertain=members[0]["uncertain"],
        )
        yield (line, task, selected), prediction


def _quote(data):
    from ..document import Quote

    return Quote(**data)


def _entity(data):
    from ..document import Entity

    return Entity(**data)


def uncovered_fields() -> set[str]:
    """Fields of the document model that the tables would lose (must be empty; a test checks)."""
    kept = {
        Article: {*ARTICLE_COLUMNS, *ARTICLE_JSON_COLUMNS, *ARTICLE_ELSEWHERE, *NOT_KEPT},
        Paragraph: {*PARAGRAPH_COLUMNS, "spans", "predictions", "selected"},
        Span: set(SPAN_COLUMNS),
        Prediction: {"probabilities", "predicted", "thresholds", "note", "model", "precision"}
        | {"uncertain"},
    }
    return {
        f"{cls.__name__}.{f.name}" for cls, names in kept.items() for f in fields(cls)
    } - {f"{cls.__name__}.{name}" for cls, names in kept.items() for name in names}
