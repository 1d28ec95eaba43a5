"""Language identification: accuracy per language on the test articles of the nine languages,
for whole articles and for single paragraphs, with the full py3langid model and with it
restricted to the nine languages; plus load time.

python benchmarks/bench_language.py [--data ../shared/data/semeval2023]
"""

from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

from common import DEFAULT_DATA, pin_to_one_core, unlabelled_article_folders

from propscope.ingest.semeval import FOLDER_LANGUAGES, iter_semeval_dir

NINE = sorted(FOLDER_LANGUAGES.values())
MIN_PARAGRAPH_CHARS = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    pin_to_one_core()
    start = time.perf_counter()
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    load = time.perf_counter() - start
    restricted = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    restricted.set_languages(NINE)
    print(f"py3langid model load {load:.2f} s")
    models = {"full": full, "nine": restricted}
    hits = {name: collections.Counter() for name in models}
    para_hits = {name: collections.Counter() for name in models}
    counts: collections.Counter[str] = collections.Counter()
    para_counts: collections.Counter[str] = collections.Counter()
    confusions = {name: collections.Counter() for name in models}
    seconds = collections.Counter()
    for folder_code, folder in unlabelled_article_folders(args.data):
        gold = FOLDER_LANGUAGES[folder_code]
        for article in iter_semeval_dir(folder):
            text = " ".join(p.text for p in article.paragraphs)[:3000]
            counts[gold] += 1
            for name, model in models.items():
                tick = time.perf_counter()
                predicted, _ = model.classify(text)
                seconds[name] += time.perf_counter() - tick
                hits[name][gold] += predicted == gold
                if predicted != gold:
                    confusions[name][(gold, predicted)] += 1
            for paragraph in article.paragraphs:
                if len(paragraph.text.strip()) < MIN_PARAGRAPH_CHARS:
                    continue
                para_counts[gold] += 1
                for name, model in models.items():
                    para_hits[name][gold] += model.classify(paragraph.text)[0] == gold
    print(
        f"\n{'lang':5} {'articles':>8} {'full':>6} {'nine':>6} | {'paragraphs':>10} "
        f"{'full':>6} {'nine':>6}"
    )
    for language in NINE:
        n, m = counts[language], para_counts[language]
        print(
            f"{language:5} {n:8d} {hits['full'][language] / n:6.3f} "
            f"{hits['nine'][language] / n:6.3f} | {m:10d} "
            f"{para_hits['full'][language] / m:6.3f} {para_hits['nine'][language] / m:6.3f}"
        )
    total, para_total = sum(counts.values()), sum(para_counts.values())
    print(
        f"{'all':5} {total:8d} {sum(hits['full'].values()) / total:6.3f} "
        f"{sum(hits['nine'].values()) / total:6.3f} | {para_total:10d} "
        f"{sum(para_hits['full'].values()) / para_total:6.3f} "
        f"{sum(para_hits['nine'].values()) / para_total:6.3f}"
    )
    for name in models:
        print(
            f"{name}: {seconds[name] / total * 1000:.2f} ms per article; errors "
            + ", ".join(f"{g}->{p} {n}" for (g, p), n in confusions[name].most_common(6))
        )
    print(f"paragraphs of at least {MIN_PARAGRAPH_CHARS} characters")


if __name__ == "__main__":
    main()
