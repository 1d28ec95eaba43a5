"""Streaming: read a large generated corpus (1 GB by default) and print memory as it goes.

The corpus is built from the SemEval test articles (nine languages) repeated with new ids and
a changed first line, written to a temporary folder (removed afterwards). Reading goes
through the same path as ``propscope analyze`` (iter_inputs: records, paragraphs, boilerplate
marking); analysis is left out so that the figure is about reading. Peak memory must stay flat.

python benchmarks/bench_corpus_stream.py [--size-mb 1024] [--format jsonl|csv|parquet]
                                         [--dedupe] [--keep FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DATA, peak_memory_mb, pin_to_one_core, unlabelled_article_folders

from propscope.document import Article
from propscope.ingest import iter_inputs
from propscope.ingest.semeval import iter_semeval_dir


def records(data: Path, size: int):
    texts = [
        a.text for _, folder in unlabelled_article_folders(data) for a in iter_semeval_dir(folder)
    ]
    written = number = 0
    while written < size:
        text = texts[number % len(texts)]
        record = {"id": f"r{number}", "text": f"Copy {number}: {text}", "source": "bench"}
        written += len(text.encode("utf-8")) + 40
        number += 1
        yield record


def write_corpus(path: Path, fmt: str, data: Path, size: int) -> int:
    count = 0
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as out:
            for record in records(data, size):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=["id", "text", "source"])
            writer.writeheader()
            for record in records(data, size):
                writer.writerow(record)
                count += 1
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([("id", pa.string()), ("text", pa.string()), ("source", pa.string())])
        with pq.ParquetWriter(path, schema) as writer:
            batch: list[dict] = []
            for record in records(data, size):
                batch.append(record)
                count += 1
                if len(batch) == 2000:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--size-mb", type=float, default=1024)
    parser.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    parser.add_argument("--dedupe", action="store_true", help="also flag duplicates (index grows)")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument("--read", type=Path, help="only read this existing corpus file")
    args = parser.parse_args()
    pin_to_one_core()
    with tempfile.TemporaryDirectory(prefix="propscope-bench-") as folder:
        if args.read:
            path, count = args.read, None
        else:
            path = args.keep or Path(folder) / f"corpus.{args.format}"
            start = time.perf_counter()
            count = write_corpus(path, args.format, args.data, int(args.size_mb * 1e6))
            print(
                f"wrote {count} records, {path.stat().st_size / 1e6:.0f} MB of {args.format} in "
                f"{time.perf_counter() - start:.0f} s; peak memory so far {peak_memory_mb():.0f} MB"
            )
        size = path.stat().st_size
        baseline = peak_memory_mb()
        items = iter_inputs([str(path)])
        if args.dedupe:
            from propscope.ingest.dedup import flag_duplicates

            items = flag_duplicates(items)
        start = time.perf_counter()
        seen = paragraphs = errors = 0
        step = count // 10 if count else 20000
        checkpoints = {step * k for k in range(1, 11)} if count else None
        for item in items:
            if not isinstance(item, Article):
                errors += 1
                continue
            seen += 1
            paragraphs += len(item.paragraphs)
            if (seen in checkpoints) if checkpoints else seen % step == 0:
                print(f"  {seen:>8} articles read: peak memory {peak_memory_mb():.0f} MB")
        elapsed = time.perf_counter() - start
        print(
            f"read {seen} articles ({paragraphs} paragraphs, {errors} errors) in {elapsed:.0f} s: "
            f"{size / 1e6 / elapsed:.1f} MB/s, {seen / elapsed:.0f} articles/s"
        )
        print(f"peak memory {peak_memory_mb():.0f} MB (before reading: {baseline:.0f} MB)")


if __name__ == "__main__":
    main()
