"""The whole default pipeline, end to end, on one core: what `propscope analyze` costs.

python benchmarks/bench_pipeline.py [--data ../shared/data/semeval2023] [--with entities]
    [--without quotes]

Reads every unlabelled test article of the nine languages from disk, detects its language and runs
every default analyzer (plus the opt-in ones named with --with, less those named with
--without) through the run layer, in its batches. Prints the start-up time (imports, model
loading and the first article), articles/s and paragraphs/s (wall and CPU time) of the
analysis, then of a whole run as `propscope analyze` does it (duplicate flagging included), and
peak memory.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import DEFAULT_DATA, peak_memory_mb, pin_to_one_core, unlabelled_article_folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--with", dest="extra", default="", help="opt-in analyzers to add")
    parser.add_argument("--without", default="", help="default analyzers to leave out")
    args = parser.parse_args()
    pin_to_one_core()
    paths = [
        str(path)
        for _, folder in unlabelled_article_folders(args.data)
        for path in sorted(folder.glob("article*.txt"))
    ]
    start = time.perf_counter()
    from propscope.analyzers.pipeline import default_names
    from propscope.ingest import read_path
    from propscope.runner import Runner

    extra = [name for name in args.extra.split(",") if name]
    left_out = {name for name in args.without.split(",") if name}
    names = [name for name in default_names() + extra if name not in left_out]
    runner = Runner(names if extra or left_out else None)

    def articles():
        for path in paths:
            article = read_path(Path(path))
            article.language = None  # detect it, as for any text
            yield article

    runner.analyze(next(articles()))
    print(
        f"start-up (imports, loading {', '.join(runner.pipeline.names)}, first article):"
        f" {time.perf_counter() - start:.2f} s"
    )
    for label, analysed in (
        ("analysis", lambda: runner.pipeline.pipe(articles(), runner.batch_size)),
        ("whole run (duplicates flagged)", lambda: runner.analyze_stream(articles())),
    ):
        count = paragraphs = 0
        wall, cpu = time.perf_counter(), time.process_time()
        for article in analysed():
            count += 1
            paragraphs += len(article.paragraphs)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{label}: {count} articles, {paragraphs} paragraphs, 9 languages")
        print(
            f"  {count / wall:.1f} articles/s, {paragraphs / wall:.0f} paragraphs/s (wall);"
            f" {count / cpu:.1f} articles/s (CPU time)"
        )
    print(f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
