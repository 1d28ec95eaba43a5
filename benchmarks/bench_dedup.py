"""Duplicate detection: precision and recall on copies with changed headers and footers.

Builds a stream from the SemEval articles (test articles of nine languages and training
articles of six), adds altered copies of a random sample (update stamps, share buttons,
copyright lines, lists of other headlines, a new title, a dropped or edited paragraph,
re-wrapped lines), shuffles it with a fixed seed, and runs the deduplicator over it.

python benchmarks/bench_dedup.py [--data ../shared/data/semeval2023] [--copies 400] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from common import DEFAULT_DATA, peak_memory_mb, pin_to_one_core

from propscope.ingest.clean import mark_boilerplate
from propscope.ingest.dedup import Deduplicator
from propscope.ingest.semeval import iter_semeval_dir
from propscope.ingest.text import parse_text

HEADERS = [
    "Last updated: 12 March 2023, 14:05",
    "Dernière mise à jour le 3 février 2023 à 9h12",
    "Stand: 03.04.2023 16:45 Uhr",
    "Aggiornato il 15/06/2022 alle 12:30",
    "Обновлено 12.10.2022 15:20",
]
FOOTERS = [
    "Follow us on Facebook and Twitter for more news.",
    "Rejoignez-nous sur Telegram et VKontakte !",
    "© 2023 Example Media. All rights reserved.",
    "Sign up for our newsletter and get the news in your inbox every morning.",
    "Подписывайтесь на наш канал в Телеграм",
    "Share this article",
]


def body_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def altered_copy(lines: list[str], rng: random.Random, titles: list[str]) -> tuple[str, str]:
    """An altered copy of an article (given as its lines) and a description of the changes."""
    title, body = lines[0], lines[1:]
    changes = []
    if rng.random() < 0.5:
        title = rng.choice(["UPDATE: ", "Breaking: ", "", "VIDEO - "]) + title.upper()
        changes.append("title")
    if len(body) > 4 and rng.random() < 0.4:
        body = body[:-1]
        changes.append("last paragraph dropped")
    if body and rng.random() < 0.4:
        index = rng.randrange(len(body))
        words = body[index].split()
        if len(words) > 6:
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "allegedly", "indeed"])
            body = body[:index] + [" ".join(words)] + body[index + 1 :]
            changes.append("word edited")
    header = [rng.choice(HEADERS)] if rng.random() < 0.6 else []
    footer = rng.sample(FOOTERS, rng.randint(1, 3)) if rng.random() < 0.8 else []
    if rng.random() < 0.4:
        footer += ["Most read"] + rng.sample(titles, 4)
        changes.append("headline list")
    changes += ["header"] * bool(header) + ["footer"] * bool(footer)
    separator = "\n\n" if rng.random() < 0.5 else "\n"
    text = "\n".join(header + [title, ""]) + separator.join(body) + "\n" + "\n".join(footer)
    return text + "\n", ", ".join(changes) or "exact copy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--copies", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args()
    pin_to_one_core()
    rng = random.Random(args.seed)
    folders = sorted(args.data.glob("*/test-articles-subtask-3")) + sorted(
        args.data.glob("*/train-articles-subtask-3")
    )
    originals = []  # (cluster, text)
    for folder in folders:
        for article in iter_semeval_dir(folder):
            originals.append((f"{folder.parent.name}/{folder.name}/{article.id}", article.text))
    titles = [body_lines(text)[0] for _, text in originals if body_lines(text)]
    stream = [(cluster, text, "original") for cluster, text in originals]
    for cluster, text in rng.sample(originals, args.copies):
        lines = body_lines(text)
        if len(lines) < 2:
            continue
        copy, changes = altered_copy(lines, rng, titles)
        stream.append((cluster, copy, changes))
    rng.shuffle(stream)
    deduplicator = Deduplicator(threshold=args.threshold)
    cluster_of: dict[str, str] = {}
    seen_clusters: set[str] = set()
    flagged = correct = should = 0
    mistakes = []
    start = time.perf_counter()
    for number, (cluster, text, changes) in enumerate(stream):
        article_id = f"s{number}"
        cluster_of[article_id] = cluster
        article = mark_boilerplate(parse_text(text, article_id))
        first = deduplicator.check(article)
        expected = cluster in seen_clusters
        seen_clusters.add(cluster)
        should += expected
        if first is not None:
            flagged += 1
            first = first.split("\x00", 1)[0]
            if cluster_of[first] == cluster:
                correct += 1
            else:
                mistakes.append((cluster, cluster_of[first]))
        elif expected:
            mistakes.append((cluster, f"missed ({changes})"))
    elapsed = time.perf_counter() - start
    precision = correct / flagged if flagged else 1.0
    recall = correct / should if should else 1.0
    print(
        f"{len(stream)} articles ({len(originals)} distinct SemEval articles + "
        f"{len(stream) - len(originals)} altered copies), threshold {args.threshold}"
    )
    print(
        f"flagged {flagged}: precision {precision:.3f}, recall {recall:.3f} "
        f"({correct} of {should} copies found)"
    )
    print(f"{len(stream) / elapsed:.0f} articles/s, peak memory {peak_memory_mb():.0f} MB")
    wrong = [m for m in mistakes if not m[1].startswith("missed")]
    missed = [m for m in mistakes if m[1].startswith("missed")]
    for cluster, other in wrong:
        print(f"  flagged as a copy of another article: {cluster} -> {other}")
    for cluster, why in missed[:10]:
        print(f"  {why}: {cluster}")


if __name__ == "__main__":
    main()
