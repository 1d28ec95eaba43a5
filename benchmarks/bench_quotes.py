"""Quotes, speakers and entities against our own annotations, and the two analyzers' speed.

python benchmarks/bench_quotes.py [--data ../shared/data/semeval2023] [--backend rules|spacy]

Gold: benchmarks/quotes_gold/gold.jsonl (articles we wrote and annotated, see
quotes_gold/build.py) and examples.jsonl (our annotations of ../shared/examples, by offsets).
Per language it prints:

* quote precision and recall: a found quote counts when it overlaps a gold quote and the other
  way round; recall is also given for direct (quotation-mark) quotes alone;
* speaker accuracy on direct quotes: among gold direct quotes that were found, the share whose
  resolved speaker equals the gold one after normalisation (names.same_name: case, accents,
  titles and case endings ignored); "end to end" counts unfound quotes as wrong;
* entity precision and recall: overlap and the same label (PER, ORG, LOC).

Speed: articles/s of each analyzer on the unlabelled SemEval test articles (457, 9 languages)
on one core.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import defaultdict
from pathlib import Path

from common import DEFAULT_DATA, ROOT, pin_to_one_core, unlabelled_article_folders

from propscope.analyzers.entities import EntitiesAnalyzer
from propscope.analyzers.names import same_name
from propscope.analyzers.quotes import QuotesAnalyzer
from propscope.ingest import parse_text, read_path

SHOW_ERRORS = False
GOLD = ROOT / "benchmarks" / "quotes_gold"


def gold_articles(shared: Path):
    for line in (GOLD / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        yield json.loads(line)
    for line in (GOLD / "examples.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        path = shared / row["path"]
        if not path.is_file():
            print(f"skipping {row['path']}: not found under {shared}")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != row["sha256"]:
            print(f"skipping {row['path']}: its text changed since it was annotated")
            continue
        row["text"] = data.decode("utf-8")
        yield row


def _overlap(a, b) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


class Tally:
    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, key: str, value: int = 1) -> None:
        self.counts[key] += value

    def ratio(self, top: str, bottom: str) -> str:
        if not self.counts[bottom]:
            return "  -  "
        return f"{self.counts[top] / self.counts[bottom]:.2f}"


def score(article, gold, tally: Tally, show: bool = False) -> None:
    until = gold.get("scored_until", len(article.text))  # the examples' related-links lists
    found = [
        {"start": q.start, "end": q.end, "quote": q} for q in article.quotes if q.start < until
    ]
    tally.add("articles")
    tally.add("found", len(found))
    for f in found:
        right = any(_overlap(f, g) > 0 for g in gold["quotes"])
        tally.add("found_ok", int(right))
        if not right and show:
            words = article.text[f["start"] : f["end"]][:60]
            print(f"  {gold['id']}: not a gold quote: {words!r} ({f['quote'].resolved_speaker})")
    for g in gold["quotes"]:
        tally.add("gold")
        matches = [f for f in found if _overlap(f, g) > 0]
        kind = "direct" if g["direct"] else "reported"
        tally.add(f"gold_{kind}")
        if matches:
            tally.add("gold_ok")
            tally.add(f"gold_{kind}_ok")
            best = max(matches, key=lambda f: _overlap(f, g))["quote"]
            right = (
                best.resolved_speaker is None
                if g["speaker"] is None
                else same_name(best.resolved_speaker, g["speaker"])
            )
            tally.add(f"speaker_{kind}_ok", int(right))
            if not right and show:
                print(f"  {gold['id']}: speaker {best.resolved_speaker!r} ({best.speaker!r},"
                      f" {best.speaker_kind}) for {g['speaker']!r}")
        elif show:
            print(f"  {gold['id']}: missed {kind} {article.text[g['start']:g['end']][:60]!r}")
    entities = [
        {"start": e.start, "end": e.end, "label": e.label}
        for e in article.entities
        if e.start < until
    ]
    tally.add("entities_found", len(entities))
    tally.add("entities_gold", len(gold["entities"]))
    tally.add(
        "entities_found_ok",
        sum(
            any(_overlap(e, g) > 0 and e["label"] == g["label"] for g in gold["entities"])
            for e in entities
        ),
    )
    tally.add(
        "entities_gold_ok",
        sum(
            any(_overlap(e, g) > 0 and e["label"] == g["label"] for e in entities)
            for g in gold["entities"]
        ),
    )


def quality(shared: Path, backend: str) -> None:
    quotes, entities = QuotesAnalyzer(), EntitiesAnalyzer(backend)
    tallies: dict[str, Tally] = defaultdict(Tally)
    for gold in gold_articles(shared):
        article = parse_text(gold["text"], gold["id"])
        article.language = gold["language"]
        quotes(entities(article))
        score(article, gold, tallies[gold["language"]], SHOW_ERRORS)
        score(article, gold, tallies["all"])
    print(
        "lang  articles  quotes  P     R     R direct  R reported  speaker direct (end to end)"
        "  speaker reported  entities  P     R"
    )
    for language in sorted(tallies, key=lambda k: (k == "all", k)):
        t = tallies[language]
        c = t.counts
        end_to_end = f"{c['speaker_direct_ok'] / c['gold_direct']:.2f}" if c["gold_direct"] else "-"
        print(
            f"{language:<5} {c['articles']:>8}  {c['gold']:>6}  {t.ratio('found_ok', 'found')}"
            f"  {t.ratio('gold_ok', 'gold')}  {t.ratio('gold_direct_ok', 'gold_direct'):>8}"
            f"  {t.ratio('gold_reported_ok', 'gold_reported'):>10}"
            f"  {t.ratio('speaker_direct_ok', 'gold_direct_ok'):>14} ({end_to_end})"
            f"  {t.ratio('speaker_reported_ok', 'gold_reported_ok'):>16}"
            f"  {c['entities_gold']:>8}  {t.ratio('entities_found_ok', 'entities_found')}"
            f"  {t.ratio('entities_gold_ok', 'entities_gold')}"
        )


def speed(data: Path, backend: str) -> None:
    folders = unlabelled_article_folders(data)
    paths = [p for _, folder in folders for p in sorted(folder.glob("*.txt"))]
    articles = [read_path(p) for p in paths]
    for name, analyzer in (("quotes", QuotesAnalyzer()), ("entities", EntitiesAnalyzer(backend))):
        analyzer(articles[0])
        wall, cpu = time.perf_counter(), time.process_time()
        for article in articles:
            analyzer(article)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{name} ({backend if name == 'entities' else 'rules'}): {len(articles) / cpu:,.0f}"
            f" articles/s, {cpu / len(articles) * 1000:.2f} ms per article (CPU time;"
            f" {len(articles) / wall:,.0f} articles/s wall) on {len(articles)} SemEval test"
            f" articles of 9 languages"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--backend", choices=("rules", "spacy"), default="rules")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--errors", action="store_true", help="print every miss and wrong speaker")
    args = parser.parse_args()
    global SHOW_ERRORS
    SHOW_ERRORS = args.errors
    pin_to_one_core()
    quality(args.data.parent.parent, args.backend)
    if not args.no_speed:
        speed(args.data, args.backend)


if __name__ == "__main__":
    main()
