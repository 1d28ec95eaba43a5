"""Genre + frames speed: both analyzers over every unlabelled test article of the nine languages,
on one core. Articles are read first; the timing covers loading the models and analysing.

python benchmarks/bench_genre_frames.py [--data ../shared/data/semeval2023] [--repeat 3]
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
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus (best kept)")
    args = parser.parse_args()
    pin_to_one_core()
    articles = []
    for folder_code, folder in unlabelled_article_folders(args.data):
        articles += list(iter_semeval_dir(folder, language=FOLDER_LANGUAGES.get(folder_code)))
    characters = sum(len(a.text) for a in articles)

    wall, cpu = time.perf_counter(), time.process_time()
    from propscope.analyzers.frames import FramesAnalyzer
    from propscope.analyzers.genre import GenreAnalyzer

    genre, frames = GenreAnalyzer.load(), FramesAnalyzer.load()
    print(
        f"load both models: {time.perf_counter() - wall:.2f} s wall,"
        f" {time.process_time() - cpu:.2f} s cpu"
    )
    best_wall = best_cpu = float("inf")
    for _ in range(args.repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        for article in articles:
            frames(genre(article))
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    n = len(articles)
    print(f"{n} articles, {characters / n:.0f} chars on average, 9 languages")
    print(
        f"genre+frames: {n / best_wall:.0f} articles/s wall, {n / best_cpu:.0f} articles/s cpu"
        f" (best of {args.repeat}; wall time counts other load on the machine)"
    )
    print(f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
