"""Charts and outlet profiles from the store's statistics (``Store.stats`` rows).

Techniques are counted per paragraph (how many analysable paragraphs use each), frames and
genres per article; rates are per 100 of those, with Wilson intervals where outlets are compared.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from ..corpus.intervals import wilson
from ..taxonomy import FRAMES, GENRES, TECHNIQUES
from .charts import Series, bar_chart, line_chart

NAMES = {"techniques": TECHNIQUES, "frames": FRAMES, "genre": GENRES}
#: What a rate of each statistic is counted over.
UNITS = {"techniques": "paragraphs", "frames": "articles", "genre": "articles"}


def label_name(what: str, label: str) -> str:
    known = NAMES[what].get(label)
    return known.name if known is not None else label


def rate_key(what: str) -> str:
    return f"per_100_{UNITS[what]}"


def unit(what: str) -> str:
    return f"per 100 {UNITS[what]}"


def group_name(value: Any) -> str:
    return "(unknown)" if value is None or value == "" else str(value)


@dataclass
class Chart:
    """What a template needs to draw one chart and offer its data as CSV."""

    title: str
    kind: str  # "bar" or "line"
    categories: list[str]  # bar rows, or line periods
    series: list[Series]
    unit: str
    csv_url: str
    key: str  # a stable id for the page and its tests
    width: int = 640

    @property
    def svg(self):
        draw = bar_chart if self.kind == "bar" else line_chart
        return draw(self.categories, self.series, self.unit, title=self.title, width=self.width)


def bar_data(
    stats: dict[str, Any], top_labels: int = 10, top_groups: int = 6
) -> tuple[list[str], list[Series]]:
    """Rows: the labels most used overall; series: the groups (outlets, languages) with the
    most articles."""
    what = stats["what"]
    groups = sorted(stats["groups"], key=lambda g: (-g["articles"], group_name(g["group"])))
    chosen = [g["group"] for g in groups[:top_groups]]
    totals: dict[str, int] = {}
    rates: dict[tuple[Any, str], float] = {}
    for row in stats["rows"]:
        if row["group"] in chosen:
            totals[row["label"]] = totals.get(row["label"], 0) + row["count"]
            rates[row["group"], row["label"]] = row[rate_key(what)] or 0.0
    labels = sorted(totals, key=lambda label: (-totals[label], label))[:top_labels]
    series = [
        Series(group_name(g), [rates.get((g, label), 0.0) for label in labels]) for g in chosen
    ]
    return [label_name(what, label) for label in labels], series


def line_data(stats: dict[str, Any], top_labels: int = 5) -> tuple[list[str], list[Series]]:
    """Periods in order (unknown dates left out); one series per most used label."""
    what = stats["what"]
    periods = sorted(g["group"] for g in stats["groups"] if g["group"])
    totals: dict[str, int] = {}
    rates: dict[tuple[Any, str], float] = {}
    for row in stats["rows"]:
        if row["group"]:
            totals[row["label"]] = totals.get(row["label"], 0) + row["count"]
            rates[row["group"], row["label"]] = row[rate_key(what)] or 0.0
    labels = sorted(totals, key=lambda label: (-totals[label], label))[:top_labels]
    series = [
        Series(label_name(what, label), [rates.get((p, label), 0.0) for p in periods])
        for label in labels
    ]
    return [str(p) for p in periods], series


@dataclass
class Cell:
    count: int
    total: int
    rate: float  # per 100
    low: float  # per 100, 95% Wilson interval
    high: float


@dataclass
class ProfileRow:
    label: str
    name: str
    cells: list[Cell]  # one per compared outlet, in order

    @property
    def apart(self) -> bool:
        """Whether the intervals of at least two outlets do not overlap."""
        return max(c.low for c in self.cells) > min(c.high for c in self.cells)


def profile(stats: dict[str, Any], outlets: list[str]) -> list[ProfileRow]:
    """Each label's rate in each outlet with its interval; labels by their highest rate."""
    what = stats["what"]
    totals = {g["group"]: g[UNITS[what]] or 0 for g in stats["groups"]}
    counts = {(r["group"], r["label"]): r["count"] for r in stats["rows"]}
    used = sorted({r["label"] for r in stats["rows"] if r["group"] in outlets})
    rows = []
    for label in used:
        cells = []
        for outlet in outlets:
            count, total = counts.get((outlet, label), 0), totals.get(outlet, 0)
            low, high = wilson(min(count, total), total)
            rate = 100 * count / total if total else 0.0
            cells.append(Cell(count, total, rate, 100 * low, 100 * high))
        rows.append(ProfileRow(label, label_name(what, label), cells))
    rows.sort(key=lambda r: (-max(c.rate for c in r.cells), r.name))
    return rows


def profile_series(rows: list[ProfileRow], outlets: list[str], top: int = 12) -> list[Series]:
    shown = rows[:top]
    return [
        Series(
            outlet,
            [r.cells[i].rate for r in shown],
            [(r.cells[i].low, r.cells[i].high) for r in shown],
        )
        for i, outlet in enumerate(outlets)
    ]


def query_string(filters: dict[str, Any], **extra: Any) -> str:
    """The filters (blank ones left out) and ``extra`` as a URL query string."""
    pairs = [(k, v) for k, v in {**filters, **extra}.items() if v not in (None, "")]
    return urlencode(pairs, doseq=True)


def stats_table(stats: dict[str, Any]) -> str:
    """Statistics as CSV: one row per group and label, with the rate's 95% Wilson interval."""
    what, by = stats["what"], stats["by"]
    totals = {g["group"]: g for g in stats["groups"]}
    over = UNITS[what]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [by, "label", "name", "count", "articles", "paragraphs", f"per_100_{over}",
         "ci95_low", "ci95_high"]
    )  # fmt: skip
    for row in stats["rows"]:
        total = totals.get(row["group"], {}).get(over) or 0
        low, high = wilson(min(row["count"], total), total)
        writer.writerow(
            [
                "" if row["group"] is None else row["group"],
                row["label"],
                label_name(what, row["label"]),
                row["count"],
                row["articles"],
                row["paragraphs"],
                "" if row[rate_key(what)] is None else row[rate_key(what)],
                f"{100 * low:.3f}",
                f"{100 * high:.3f}",
            ]
        )
    return buffer.getvalue()


SPEAKER_COLUMNS = ("source", "speaker", "quotes", "direct", "reported", "articles",
                   "techniques")  # fmt: skip


def speakers_table(found: dict[str, Any]) -> str:
    """``Store.speakers`` as CSV: one row per outlet and speaker; techniques inside the
    speaker's quotes as "label:quotes" pairs joined by ";"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SPEAKER_COLUMNS)
    for outlet in found["outlets"]:
        for row in outlet["rows"]:
            techniques = ";".join(f"{label}:{n}" for label, n in row["techniques"].items())
            writer.writerow(
                ["" if outlet["source"] is None else outlet["source"], row["speaker"],
                 row["quotes"], row["direct"], row["reported"], row["articles"], techniques]
            )  # fmt: skip
    return buffer.getvalue()
