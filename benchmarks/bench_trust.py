"""How often propscope calls a page satire that is not, and how well it tells news from the rest.

python benchmarks/bench_trust.py [--data ../shared/data/semeval2023]

1. benchmarks/data/pages (65 pages; the not-news cues were written with them in view) and
   benchmarks/data/heldout (12 pages written after the cues were frozen): short real-looking
   pages written for this purpose (none of them satire): news and press releases, recipes,
   tutorials, product pages and forum threads in six languages. For each kind: how many are
   flagged "not news" (labels withheld), how many show the genre satire to a reader (the
   default pipeline and report rules), and how many the
   genre model alone would call satire (its top label, before the guards).
2. Longer news: per language, the news pages of that language joined into one article (the
   genre model was trained on articles of 140 words and more).
3. Real news: the unlabelled SemEval test articles of nine languages; every "not news" or
   "too little text" flag there is a false alarm.
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from common import DEFAULT_DATA, ROOT, unlabelled_article_folders

from propscope.analyzers import Pipeline
from propscope.ingest import parse_text, read_path
from propscope.ingest.semeval import iter_semeval_dir
from propscope.report.view import shown_genre

PAGES = ROOT / "benchmarks" / "data" / "pages"
HELDOUT = ROOT / "benchmarks" / "data" / "heldout"
NEWS_KINDS = ("news", "press")


def measure(folder: Path, pipeline, raw) -> None:
    """The table of one folder of pages (one sub-folder per kind of page)."""
    rows: dict[str, Counter] = {}
    for path in sorted(folder.rglob("*.txt")):
        kind = path.parent.name
        article = pipeline(read_path(path))
        counts = rows.setdefault(kind, Counter())
        counts["pages"] += 1
        counts["flagged"] += bool(article.withheld and article.withheld.startswith("not news"))
        counts["shown satire"] += shown_genre(article) == "satire"
        counts["uncertain"] += shown_genre(article) == "uncertain"
        counts["model satire"] += raw(read_path(path)).genre.predicted[0] == "satire"
    print("kind       pages  flagged not news  genre shown satire  uncertain  model alone: satire")
    total = Counter()
    for kind, c in rows.items():
        total.update(c)
        print(
            f"{kind:<10} {c['pages']:5d}  {c['flagged']:16d}  {c['shown satire']:18d}"
            f"  {c['uncertain']:9d}  {c['model satire']:20d}"
        )
    news = sum(rows[k]["pages"] for k in NEWS_KINDS if k in rows)
    other = total["pages"] - news
    flagged_other = total["flagged"] - sum(rows[k]["flagged"] for k in NEWS_KINDS if k in rows)
    flagged_news = total["flagged"] - flagged_other
    precision = flagged_other / max(total["flagged"], 1)
    print(
        f"\nsatire shown on non-satire pages: {total['shown satire']}/{total['pages']}"
        f" ({total['shown satire'] / total['pages']:.3f}); genre model alone:"
        f" {total['model satire']}/{total['pages']} ({total['model satire'] / total['pages']:.3f})"
    )
    print(
        f"not news: precision {precision:.3f} ({flagged_other}/{total['flagged']}),"
        f" recall {flagged_other / max(other, 1):.3f} ({flagged_other}/{other});"
        f" news and press releases flagged {flagged_news}/{news}"
    )



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    pipeline = Pipeline()
    raw = Pipeline(["genre"], options={"guard": {"withhold": False}})

    print(f"pages written with the detector's cues in view ({PAGES.relative_to(ROOT)}):")
    measure(PAGES, pipeline, raw)
    print(f"\nheld-out pages, written after the cues were frozen ({HELDOUT.relative_to(ROOT)}):")
    measure(HELDOUT, pipeline, raw)

    print("\nlonger news (the pages of one language joined):")
    shown = Counter()
    for language in sorted({p.name[:2] for p in (PAGES / "news").glob("*.txt")}):
        files = sorted((PAGES / "news").glob(f"{language}_*.txt"))
        title = files[0].read_text(encoding="utf-8").split("\n", 1)[0]
        bodies = [f.read_text(encoding="utf-8").split("\n", 1)[1] for f in files]
        article = pipeline(parse_text(title + "\n" + "\n".join(bodies), f"news-{language}"))
        genre = shown_genre(article)
        shown[genre] += 1
        top = ", ".join(f"{k} {v:.2f}" for k, v in article.genre.probabilities.items())
        print(f"  {language}: {len(article.text.split()):4d} words, shown {genre} ({top})")
    print(f"  satire shown: {shown['satire']}/{sum(shown.values())}")

    if not (args.data / "README.md").is_file():
        print(f"\n(SemEval data not found at {args.data}: real-news false alarms not measured)")
        return
    flags, articles = Counter(), 0
    for _, folder in unlabelled_article_folders(args.data):
        for article in iter_semeval_dir(folder):
            articles += 1
            article = pipeline(article)
            if article.withheld:
                flags[article.withheld.split(":")[0]] += 1
    print(
        f"\nreal news (SemEval test articles, 9 languages): {articles} articles;"
        f" withheld as not news {flags['not news']}, as too short"
        f" {flags['too little text to analyse']}"
    )


if __name__ == "__main__":
    main()
