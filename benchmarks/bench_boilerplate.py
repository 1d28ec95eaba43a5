"""Boilerplate detection: line-level precision and recall on the hand-annotated raw articles,
and how often it fires on the clean SemEval training articles.

python benchmarks/bench_boilerplate.py [--data ../shared/data/semeval2023] [--errors]
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from annotations import (
    ANNOTATED,
    HELDOUT,
    HELDOUT2,
    HELDOUT3,
    HELDOUT4,
    HELDOUT5,
    line_scores,
    mark,
    read_annotated,
)
from common import DEFAULT_DATA

from propscope.ingest.clean import mark_boilerplate
from propscope.ingest.semeval import FOLDER_LANGUAGES, TRAINING_FOLDERS, iter_semeval_dir


def annotated_figures(path: Path, label: str, show_errors: bool) -> tuple[set, set]:
    articles = read_annotated(path)
    predicted: set[tuple[str, int]] = set()
    gold: set[tuple[str, int]] = set()
    lines = 0
    for item in articles:
        article, found, expected = mark(item)
        lines += len(article.paragraphs)
        predicted |= found
        gold |= expected
        if show_errors:
            for paragraph in article.paragraphs:
                key = (item.id, paragraph.line)
                if (key in found) != (key in expected):
                    what = "false positive" if key in found else "missed"
                    print(f"  {what}: {item.id}:{paragraph.line} {paragraph.text[:90]}")
    scores = line_scores(predicted, gold)
    languages = sorted({a.language for a in articles})
    print(
        f"{label}: {len(articles)} articles ({', '.join(languages)}), "
        f"{lines} non-empty lines, {scores['gold']} boilerplate"
    )
    print(
        f"  line-level precision {scores['precision']:.3f}, recall {scores['recall']:.3f}, "
        f"F1 {scores['f1']:.3f} ({scores['true_positives']} of {scores['predicted']} marked)"
    )
    return predicted, gold


def semeval_figures(data: Path, show_errors: bool) -> None:
    from propscope.evaluation.formats import read_labels

    paragraphs = flagged = labelled = flagged_labelled = 0
    kinds: collections.Counter[str] = collections.Counter()
    for folder in TRAINING_FOLDERS:
        language_dir = data / folder
        gold = read_labels(language_dir / "train-labels-subtask-3.txt", "techniques")
        for article in iter_semeval_dir(language_dir / "train-articles-subtask-3"):
            mark_boilerplate(article)
            for paragraph in article.paragraphs:
                labels = gold.get((article.id, paragraph.line), [])
                paragraphs += 1
                labelled += bool(labels)
                if paragraph.boilerplate:
                    flagged += 1
                    flagged_labelled += bool(labels)
                    kinds[article.meta["boilerplate"][str(paragraph.line)]] += 1
                    if show_errors:
                        lang = FOLDER_LANGUAGES[folder]
                        print(
                            f"  {lang} {article.id}:{paragraph.line} {labels} {paragraph.text[:80]}"
                        )
    print(
        f"SemEval training articles (6 languages): {flagged} of {paragraphs} paragraphs marked "
        f"({flagged / paragraphs:.2%}); {flagged_labelled} of the {labelled} paragraphs with "
        f"gold techniques ({flagged_labelled / labelled:.2%})"
    )
    print("  by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args()
    sets = [
        (ANNOTATED, "development set (rules written against it)"),
        (HELDOUT, "held-out set 1 (scored once; its misses then guided round 2)"),
        (HELDOUT2, "held-out set 2 (scored once; its misses then guided round 3)"),
        (HELDOUT3, "held-out set 3 (scored once; its misses then guided round 4)"),
        (HELDOUT4, "held-out set 4 (scored once; its misses then guided round 5)"),
        (HELDOUT5, "held-out set 5 (never used to change the rules)"),
    ]
    predicted: set = set()
    gold: set = set()
    for path, label in sets:
        more_predicted, more_gold = annotated_figures(path, label, args.errors)
        predicted |= more_predicted
        gold |= more_gold
    scores = line_scores(predicted, gold)
    print(
        f"all sets: precision {scores['precision']:.3f}, recall {scores['recall']:.3f} "
        f"on {scores['gold']} boilerplate lines"
    )
    if (args.data / "en").is_dir():
        semeval_figures(args.data, args.errors)
    else:
        print(f"SemEval data not found at {args.data}: training-article figures skipped")


if __name__ == "__main__":
    main()
