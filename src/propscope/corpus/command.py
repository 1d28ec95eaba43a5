"""``propscope stories``: group articles into stories and show how each outlet told them."""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..document import Article
from ..errors import InputError, PropscopeError
from .profiles import MIN_STORIES, ProfileRow, outlet_profiles
from .stories import StoryIndex, StorySettings
from .view import story_views

TABLE_COLUMNS = (
    "story", "story_title", "outlet", "languages", "articles", "kind", "label", "count",
    "units", "rate",
)  # fmt: skip


def add_parser(commands) -> None:
    from ..cli import _add_decision, _add_model

    parser = commands.add_parser(
        "stories",
        help="group articles about the same event across outlets and languages; compare outlets",
        description="Inputs: what `analyze` reads (texts, folders, HTML, URLs, corpora), analysed "
        "on the fly, or `analyze --format json|jsonl` output, read as it is. Articles are "
        "grouped into stories by their title and lead (multilingual e5), shared names and "
        "publication dates; each story shows its outlets, timeline, each outlet's techniques "
        "and frames side by side, quotes, and the passages that differ most.",
    )
    parser.add_argument("paths", nargs="*", metavar="INPUT")
    parser.add_argument(
        "--db", metavar="URL",
        help="the stories of a store filled by `propscope import` (sqlite:///FILE, a file path "
        "or postgresql+psycopg://...), instead of INPUTs",
    )  # fmt: skip
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument(
        "--parquet", metavar="FILE", help="also write the story x outlet x label table as Parquet"
    )
    parser.add_argument(
        "--min-size", type=int, default=2, metavar="N",
        help="show stories of at least N articles (2); every story is clustered and kept",
    )  # fmt: skip
    parser.add_argument(
        "--state", metavar="DIR",
        help="a story index to continue (created if absent, saved back): new articles join "
        "the stories found in earlier runs",
    )  # fmt: skip
    parser.add_argument("--threshold", type=float, help="similarity to join a story")
    parser.add_argument("--window-days", type=float, help="days a story stays open to new articles")
    parser.add_argument("--passages", type=int, default=5, help="differing passages per story (5)")
    parser.add_argument("--analyzers", help="comma-separated analyzer names (default: all)")
    _add_model(parser)
    _add_decision(parser)
    parser.add_argument("--language", help="ISO 639-1 code: skip language detection")
    parser.add_argument("--glob", default="*.txt", help="file pattern inside folders (*.txt)")


def analysed_articles(path: Path) -> list[Article] | None:
    """The articles of an `analyze --format json|jsonl` file, or None if it is not one."""
    if path.suffix.lower() not in (".json", ".jsonl") or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8") as handle:
            head = handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return None
    if '"schema_version"' not in head and not head.lstrip().startswith("[]"):
        return None
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".json":
            records = json.loads(text)
            records = records if isinstance(records, list) else [records]
        else:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [Article.from_dict(record) for record in records]
    except (ValueError, TypeError) as error:
        raise InputError(str(path), f"not a propscope analysis file: {error}") from None


def _articles(args, report) -> Iterator[Article]:
    """Analysed files as they are; every other input read and analysed by the run layer."""
    from ..cli import _runner, _split
    from ..ingest import IngestOptions

    runner = None
    for raw in args.paths:
        try:
            analysed = analysed_articles(Path(raw))
        except InputError as error:
            report(str(error))
            continue
        if analysed is not None:
            yield from analysed
            continue
        if runner is None:
            runner = _runner(
                args, _split(args.analyzers), language=args.language, pattern=args.glob,
                ingest=IngestOptions(),
            )  # fmt: skip
        for item in runner.run([raw]):
            if isinstance(item, InputError):
                report(str(item))
            else:
                yield item


def run(args: argparse.Namespace, report, output) -> int:
    """Returns the number of inputs that failed."""
    failures = 0

    def count(message: str) -> None:
        nonlocal failures
        failures += 1
        report(message)

    if bool(args.paths) == bool(args.db):
        from ..cli import UsageError

        raise UsageError("give INPUTs or --db URL (one of the two)")
    if args.db:
        return _run_store(args, output)
    articles: dict[str, Article] = {}
    for article in _articles(args, count):
        if article.id in articles:  # two inputs may reuse a short id ("text", "1")
            article.id = f"{article.path or article.id}#{len(articles)}"
        articles[article.id] = article
    if not articles:
        raise PropscopeError("no article to group into stories")
    settings = _settings(args)
    state = Path(args.state) if args.state else None
    if state is not None and (state / "stories.json").exists():
        try:
            index = StoryIndex.load(state)
        except ValueError as error:
            raise PropscopeError(str(error)) from None
    else:
        index = StoryIndex(settings)
    ordered = sorted(articles.values(), key=lambda a: (a.published is None, a.published or ""))
    for start in range(0, len(ordered), 256):
        index.add(ordered[start : start + 256])
    if state is not None:
        index.save(state)
    story_of = {article_id: index.story_of_article(article_id) for article_id in articles}
    _write(args, output, index, list(articles.values()), story_of)
    return failures


def _settings(args) -> StorySettings:
    settings = StorySettings()
    if args.threshold is not None:
        settings = replace(settings, threshold=args.threshold)
    if args.window_days is not None:
        settings = replace(settings, window_days=args.window_days)
    return settings


def _run_store(args, output) -> int:
    from ..store import Store
    from .store_stories import StoreStories

    state = Path(args.state) if args.state else None
    with Store(args.db) as store:
        try:
            stories = StoreStories(store, _settings(args), state)
        except ValueError as error:
            raise PropscopeError(str(error)) from None
        articles = stories.all_articles()
        if not articles:
            raise PropscopeError(f"no article stored in {args.db}")
        _write(args, output, stories.index, articles, stories.story_of())
    return 0


def _write(args, output, index: StoryIndex, articles: list[Article], story_of) -> None:
    views = story_views(articles, story_of, args.min_size, args.passages)
    profiles = outlet_profiles(articles, story_of)
    table = story_table(views)
    with output(args.output) as out:
        if args.format == "json":
            json.dump(
                {
                    "settings": asdict(index.settings),
                    "articles": len(articles),
                    "stories": len(set(story_of.values())),
                    "story_of": story_of,
                    "views": views,
                    "profiles": [asdict(row) | {"direction": row.direction} for row in profiles],
                },
                out,
                ensure_ascii=False,
                indent=2,
            )
            out.write("\n")
        elif args.format == "csv":
            out.write(table_csv(table))
        else:
            out.write(render_stories(views, profiles, len(articles), len(set(story_of.values()))))
    if args.parquet:
        write_parquet(table, Path(args.parquet))


def story_table(views: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per story, outlet and label (techniques per paragraph, frames per article)."""
    rows = []
    for view in views:
        for outlet, summary in view["by_outlet"].items():
            base = {
                "story": view["id"],
                "story_title": view["title"],
                "outlet": outlet,
                "languages": ",".join(summary["languages"]),
                "articles": summary["articles"],
            }
            for label, cell in summary["techniques"].items():
                rows.append(
                    base | {"kind": "technique", "label": label, "count": cell["count"],
                            "units": summary["analysed_paragraphs"],
                            "rate": round(cell["count"] / summary["analysed_paragraphs"], 4)}
                )  # fmt: skip
            for label, cell in summary["frames"].items():
                rows.append(
                    base | {"kind": "frame", "label": label, "count": cell["count"],
                            "units": summary["analysed_articles"],
                            "rate": round(cell["count"] / summary["analysed_articles"], 4)}
                )  # fmt: skip
    return rows


def table_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TABLE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..atomic import atomic_write

    columns = {name: [row[name] for row in rows] for name in TABLE_COLUMNS}
    table = pa.table(columns) if rows else pa.table({name: [] for name in TABLE_COLUMNS})
    with atomic_write(path, "wb") as out:
        pq.write_table(table, out)


# -- text report -------------------------------------------------------------------------------


def render_stories(
    views: list[dict[str, Any]], profiles: list[ProfileRow], articles: int, stories: int
) -> str:
    lines = [f"{articles} articles, {stories} stories; {len(views)} shown (largest first)", ""]
    for view in views:
        span = view["first"]
        if view["first"] != view["last"]:
            span = f"{view['first']} to {view['last']}"
        lines.append(
            f"Story {view['id']}: {view['title']}\n"
            f"  {view['articles']} articles, {len(view['outlets'])} outlets, languages "
            f"{', '.join(view['languages'])}" + (f", {span}" if view["first"] else "")
        )
        lines.append("  Timeline")
        for row in view["timeline"]:
            lines.append(
                f"    {(row['date'] or '')[:10]:<10}  {row['outlet']} ({row['language'] or '?'})"
                f"  {row['title'][:90]}"
            )
        lines.extend(_side_by_side(view))
        speakers = {o: s["speakers"] for o, s in view["by_outlet"].items() if s["speakers"]}
        if speakers:
            lines.append("  Quoted speakers")
            for outlet, names in speakers.items():
                listed = ", ".join(f"{name} ({n})" for name, n in names.items())
                lines.append(f"    {outlet}: {listed}")
        if view["differing_passages"]:
            lines.append("  Passages that differ most (closest passage of another outlet)")
            for row in view["differing_passages"]:
                techniques = f" [{', '.join(row['techniques'])}]" if row["techniques"] else ""
                lines.append(
                    f"    {row['outlet']}, line {row['line']}, similarity {row['similarity']:.2f}"
                    f"{techniques}: {_clip(row['text'])}"
                )
        lines.append("")
    lines.extend(_profile_lines(profiles))
    return "\n".join(lines) + "\n"


def _side_by_side(view: dict[str, Any]) -> list[str]:
    outlets = list(view["by_outlet"])
    width = max(12, *(min(24, len(o)) for o in outlets))
    lines = []
    for kind, unit in (("techniques", "per 100 paragraphs"), ("frames", "share of articles")):
        labels = sorted({label for s in view["by_outlet"].values() for label in s[kind]})
        if not labels:
            continue
        header = "".join(f"{o[:width]:>{width + 2}}" for o in outlets)
        lines.append(f"  {kind.capitalize()}, {unit} (count)".ljust(44) + header)
        for label in labels:
            cells = []
            for outlet in outlets:
                cell = view["by_outlet"][outlet][kind].get(label)
                if cell is None:
                    cells.append(f"{'-':>{width + 2}}")
                    continue
                value = cell["per_100_paragraphs"] if kind == "techniques" else cell[
                    "share_of_articles"]  # fmt: skip
                shown = f"{value:.0f}" if kind == "techniques" else f"{value:.2f}"
                cells.append(f"{shown + ' (' + str(cell['count']) + ')':>{width + 2}}")
            lines.append(f"    {label[:40]:<40}" + "".join(cells))
    units = "  ".join(
        f"{o}: {s['analysed_paragraphs']} paragraphs, {s['articles']} articles"
        for o, s in view["by_outlet"].items()
    )
    lines.append(f"  Analysed: {units}")
    return lines


def _profile_lines(profiles: list[ProfileRow]) -> list[str]:
    if not profiles:
        return ["Outlet profiles: no outlet shares a story with another outlet."]
    lines = [
        "Outlet profiles: each outlet against the other outlets of the same stories",
        "  (difference of rates, 95% bootstrap interval over shared stories; only labels whose",
        "  interval excludes zero are listed; there is no overall score)",
    ]
    by_outlet: dict[str, list[ProfileRow]] = {}
    for row in profiles:
        by_outlet.setdefault(row.outlet, []).append(row)
    for outlet, rows in by_outlet.items():
        clear = [r for r in rows if r.direction in ("more", "less")]
        lines.append(f"  {outlet} ({rows[0].stories} shared stories)")
        if rows[0].direction == "too few shared stories":
            lines.append(f"    too few shared stories to compare (at least {MIN_STORIES})")
        elif not clear:
            lines.append(f"    no clear difference on any of {len(rows)} labels")
        for r in sorted(clear, key=lambda r: r.difference):
            unit = "paragraphs" if r.kind == "technique" else "articles"
            lines.append(
                f"    {r.direction:<5} {r.kind} {r.label}: {r.count}/{r.units} {unit} "
                f"({100 * r.rate:.0f}%) vs {r.others_count}/{r.others_units} "
                f"({100 * r.others_rate:.0f}%), difference {100 * r.difference:+.0f} points "
                f"[{100 * r.low:+.0f}, {100 * r.high:+.0f}]"
            )
    return lines


def _clip(text: str, size: int = 160) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"

