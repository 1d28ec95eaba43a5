"""The encoder pipeline beside the linear one, on one core, measured in one run.

python benchmarks/bench_encoder.py [--data ../shared/data/semeval2023] [--per-language 20]

Each family runs in its own fresh process (so start-up and peak memory are its own) over the
same unlabelled test articles of the nine languages (the first ``--per-language`` of each;
0 for all): language detection, genre, frames, techniques and evidence through the run layer,
in its batches. Prints start-up time (imports, model loading, first article; wall clock and
CPU time), articles/s and
paragraphs/s by wall clock and by CPU time (on a shared machine the CPU figure is what one free
core would do), and peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from common import DEFAULT_DATA, peak_memory_mb, pin_to_one_core, unlabelled_article_folders


def measure(family: str, paths: list[str]) -> dict:
    """In this process: start-up, then the analysis of ``paths`` with one model family."""
    pin_to_one_core()
    start = time.perf_counter()
    from propscope.ingest import read_path
    from propscope.runner import Runner

    runner = Runner(model=family)

    def articles():
        for path in paths:
            article = read_path(Path(path))
            article.language = None  # detect it, as for any text
            yield article

    runner.analyze(next(articles()))
    startup = time.perf_counter() - start
    startup_cpu = time.process_time()  # this process's CPU time so far: imports, loading
    count = paragraphs = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for article in runner.pipeline.pipe(articles(), runner.batch_size):
        count += 1
        paragraphs += len(article.analyzable_paragraphs())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "family": family,
        "analyzers": runner.pipeline.names,
        "startup_s": round(startup, 2),
        "startup_cpu_s": round(startup_cpu, 2),
        "articles": count,
        "paragraphs": paragraphs,
        "articles_per_s_wall": round(count / wall, 2),
        "articles_per_s_cpu": round(count / cpu, 2),
        "paragraphs_per_s_wall": round(paragraphs / wall, 1),
        "paragraphs_per_s_cpu": round(paragraphs / cpu, 1),
        "peak_memory_mb": round(peak_memory_mb()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--per-language", type=int, default=20)
    parser.add_argument("--family", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    paths = []
    for _, folder in unlabelled_article_folders(args.data):
        files = sorted(folder.glob("article*.txt"))
        paths.extend(str(p) for p in (files[: args.per_language] if args.per_language else files))
    if args.family:
        print(json.dumps(measure(args.family, paths)))
        return
    rows = []
    for family in ("linear", "encoder"):
        command = [sys.executable, __file__, "--data", str(args.data), "--family", family]
        command += ["--per-language", str(args.per_language)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"{family} run failed:\n{done.stderr}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    first = rows[0]
    print(f"{first['articles']} test articles, 9 languages, {first['paragraphs']} paragraphs")
    print(
        f"{'family':8} {'start-up s':>10} {'CPU s':>6} {'art/s wall':>10} {'art/s CPU':>10}"
        f" {'par/s wall':>10} {'par/s CPU':>10} {'peak MB':>8}"
    )
    for row in rows:
        print(
            f"{row['family']:8} {row['startup_s']:>10.2f} {row['startup_cpu_s']:>6.2f}"
            f" {row['articles_per_s_wall']:>10.2f}"
            f" {row['articles_per_s_cpu']:>10.2f} {row['paragraphs_per_s_wall']:>10.1f}"
            f" {row['paragraphs_per_s_cpu']:>10.1f} {row['peak_memory_mb']:>8}"
        )
    for row in rows:
        print(f"{row['family']}: {', '.join(row['analyzers'])}")


if __name__ == "__main__":
    main()
