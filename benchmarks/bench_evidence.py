"""Evidence speed and load time on one core.

python benchmarks/bench_evidence.py [--data ../shared/data/semeval2023]

1. load: a fresh interpreter imports propscope and loads the evidence model;
2. with gold paragraph labels standing in for the paragraph model: the evidence analyzer over
   the training articles of the six languages (realistic density of predicted techniques);
3. worst case: every paragraph of the unlabelled test articles of nine languages predicted to
   use all 23 techniques;
4. where the paragraph model is installed: the whole default pipeline over the test articles.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from common import DEFAULT_DATA, peak_memory_mb, pin_to_one_core, unlabelled_article_folders

from propscope.analyzers.evidence import EvidenceAnalyzer
from propscope.document import Prediction
from propscope.ingest.semeval import iter_semeval_dir
from propscope.taxonomy import TECHNIQUE_LABELS
from propscope.training.data import load_labelled

LOAD = (
    "import time; t = time.perf_counter(); "
    "from propscope.analyzers.evidence import EvidenceAnalyzer; EvidenceAnalyzer.load(); "
    "print(time.perf_counter() - t)"
)


def _predict(article, labels_of) -> None:
    for paragraph in article.paragraphs:
        labels = labels_of(article, paragraph)
        paragraph.techniques = Prediction({t: float(t in labels) for t in labels}, list(labels))


def _time(analyzer, articles) -> tuple[float, int, int]:
    start = time.perf_counter()
    for article in articles:
        analyzer(article)
    elapsed = time.perf_counter() - start
    spans = sum(len(p.spans) for a in articles for p in a.paragraphs)
    return elapsed, sum(len(a.paragraphs) for a in articles), spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    pin_to_one_core()
    loads = [
        float(
            subprocess.run(
                [sys.executable, "-c", LOAD], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    print(f"import + load of the evidence model: {min(loads):.2f} s (best of 3, fresh process)")
    analyzer = EvidenceAnalyzer.load()

    corpus = load_labelled(args.data, "techniques")
    for article in corpus.articles:
        _predict(article, lambda a, p: corpus.gold.get((a.id, p.line), []))
    elapsed, paragraphs, spans = _time(analyzer, corpus.articles)
    n = len(corpus.articles)
    print(f"gold paragraph labels, {n} training articles of 6 languages, {spans} spans:")
    print(f"  {n / elapsed:.0f} articles/s, {paragraphs / elapsed:.0f} paragraphs/s")

    articles = [
        a for _, folder in unlabelled_article_folders(args.data) for a in iter_semeval_dir(folder)
    ]
    for article in articles:
        _predict(article, lambda a, p: TECHNIQUE_LABELS)
    elapsed, paragraphs, spans = _time(analyzer, articles)
    print(f"all 23 techniques on every paragraph, {len(articles)} test articles of 9 languages:")
    print(f"  {len(articles) / elapsed:.0f} articles/s, {paragraphs / elapsed:.0f} paragraphs/s")

    try:
        from propscope.analyzers.base import get_analyzer

        whole = get_analyzer("techniques").available()
    except KeyError:
        whole = False
    if whole:
        from propscope.analyzers import Pipeline

        pipeline = Pipeline()
        articles = [
            a
            for _, folder in unlabelled_article_folders(args.data)
            for a in iter_semeval_dir(folder)
        ]
        start = time.perf_counter()
        for article in articles:
            pipeline(article)
        elapsed = time.perf_counter() - start
        print(f"default pipeline {pipeline.names}: {len(articles) / elapsed:.0f} articles/s")
    else:
        print("default pipeline: the paragraph model is not installed, not measured")
    print(f"peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
