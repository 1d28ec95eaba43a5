"""Read the hand-annotated raw articles (tests/fixtures/raw/annotated_boilerplate.txt)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANNOTATED = ROOT / "tests" / "fixtures" / "raw" / "annotated_boilerplate.txt"
#: Written after the first version of the rules was frozen; its four misses then guided a second
#: round of changes, so it is no longer held out for the current rules.
HELDOUT = ROOT / "tests" / "fixtures" / "raw" / "heldout_boilerplate.txt"
#: Written before the second round of changes and evaluated once, after it; its misses then
#: guided a third round.
HELDOUT2 = ROOT / "tests" / "fixtures" / "raw" / "heldout2_boilerplate.txt"
#: Written after the third round and evaluated once; its misses then guided a fourth round.
HELDOUT3 = ROOT / "tests" / "fixtures" / "raw" / "heldout3_boilerplate.txt"
#: Written after the fourth round and evaluated once; its misses then guided a fifth round.
HELDOUT4 = ROOT / "tests" / "fixtures" / "raw" / "heldout4_boilerplate.txt"
#: Written after the fifth (last) round and never used to change the rules.
HELDOUT5 = ROOT / "tests" / "fixtures" / "raw" / "heldout5_boilerplate.txt"
#: Every annotated set, in the order they were written.
ANNOTATION_SETS = (ANNOTATED, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5)


@dataclass
class Annotated:
    id: str
    language: str
    text: str
    boilerplate_lines: set[int]  # 1-based line numbers of the boilerplate lines


def read_annotated(path: Path = ANNOTATED) -> list[Annotated]:
    articles: list[Annotated] = []
    lines: list[str] = []
    gold: set[int] = set()
    header: tuple[str, str] | None = None

    def flush() -> None:
        if header is not None:
            while lines and not lines[-1]:
                lines.pop()
            articles.append(Annotated(header[0], header[1], "\n".join(lines) + "\n", set(gold)))

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith("#"):
            continue
        if raw.startswith("=== "):
            flush()
            article_id, language = raw[4:].split()
            header, lines, gold = (article_id, language), [], set()
        elif raw in ("", "."):
            if header is not None and raw == ".":
                lines.append("")
        elif raw.startswith(("B ", ". ")) and header is not None:
            lines.append(raw[2:])
            if raw.startswith("B "):
                gold.add(len(lines))
        else:
            raise ValueError(f"{path}:{number}: expected 'B ', '. ', '.' or '=== '")
    flush()
    return articles


def mark(item: Annotated):
    """The item read and marked by propscope: (article, marked lines, gold lines) as (id, line)."""
    from propscope.ingest.clean import mark_boilerplate
    from propscope.ingest.text import parse_text

    article = mark_boilerplate(parse_text(item.text, item.id, layout="lines"))
    predicted = {(item.id, p.line) for p in article.paragraphs if p.boilerplate}
    gold = {(item.id, n) for n in item.boilerplate_lines}
    return article, predicted, gold


def line_scores(predicted: set[tuple[str, int]], gold: set[tuple[str, int]]) -> dict[str, float]:
    true = len(predicted & gold)
    precision = true / len(predicted) if predicted else 1.0
    recall = true / len(gold) if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_positives": true,
        "predicted": len(predicted),
        "gold": len(gold),
    }
