"""Techniques analyzer speed on one core over the nine languages' unlabelled test articles.

python benchmarks/bench_techniques.py [--data ../shared/data/semeval2023] [--model DIR]

Prints load time, articles/s and paragraphs/s (wall clock and CPU time: on a shared machine the
CPU figure is the one-core capacity), per language and overall, and peak memory.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import DEFAULT_DATA, peak_memory_mb, pin_to_one_core, unlabelled_article_folders

from propscope.ingest.semeval import FOLDER_LANGUAGES, iter_semeval_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    pin_to_one_core()
    start = time.perf_counter()
    from propscope.analyzers.techniques import TechniquesAnalyzer

    analyzer = TechniquesAnalyzer.load(args.model)
    print(f"import + load: {time.perf_counter() - start:.2f} s")
    total_articles = total_paragraphs = 0
    total_wall = total_cpu = 0.0
    for folder_code, folder in unlabelled_article_folders(args.data):
        articles = list(iter_semeval_dir(folder, language=FOLDER_LANGUAGES[folder_code]))
        paragraphs = sum(len(a.analyzable_paragraphs()) for a in articles)
        wall, cpu = time.perf_counter(), time.process_time()
        for article in articles:
            analyzer(article)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        total_articles += len(articles)
        total_paragraphs += paragraphs
        total_wall += wall
        total_cpu += cpu
        print(
            f"{folder_code}: {len(articles):4d} articles {paragraphs:6d} paragraphs"
            f"  {len(articles) / wall:6.1f} art/s wall  {len(articles) / cpu:6.1f} art/s cpu"
        )
    print(
        f"all: {total_articles} articles, {total_paragraphs} paragraphs;"
        f" {total_articles / total_wall:.1f} articles/s, {total_paragraphs / total_wall:.0f}"
        f" paragraphs/s (wall); {total_articles / total_cpu:.1f} articles/s,"
        f" {total_paragraphs / total_cpu:.0f} paragraphs/s (CPU time)"
    )
    print(f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
