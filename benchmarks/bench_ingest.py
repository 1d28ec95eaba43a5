"""Reading speed: parse every unlabelled test article of the nine languages on one core.

python benchmarks/bench_ingest.py [--data ../shared/data/semeval2023]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import DEFAULT_DATA, peak_memory_mb, pin_to_one_core, unlabelled_article_folders

from propscope.ingest.semeval import iter_semeval_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    pin_to_one_core()
    articles = paragraphs = characters = 0
    start = time.perf_counter()
    for _, folder in unlabelled_article_folders(args.data):
        for article in iter_semeval_dir(folder):
            articles += 1
            paragraphs += len(article.paragraphs)
            characters += len(article.text)
    elapsed = time.perf_counter() - start
    print(f"read {articles} articles, {paragraphs} paragraphs, {characters / 1e6:.1f} M chars")
    print(f"{articles / elapsed:.0f} articles/s, {paragraphs / elapsed:.0f} paragraphs/s")
    print(f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
