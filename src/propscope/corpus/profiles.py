"""Outlet profiles across stories: what an outlet does more or less than the others covering
the same stories.

For each outlet and each technique (per paragraph) or frame (per article), the outlet's rate is
compared with the pooled rate of the other outlets *in the stories the outlet covers*, so that
an outlet covering wars is compared with others covering the same wars, not with the sports
pages. The difference comes with a 95% interval that is the wider of two: Newcombe's interval
for a difference of proportions (from Wilson intervals, counting units as independent) and,
with at least MIN_STORIES shared stories, a bootstrap over stories (paragraphs of one article,
and articles of one story, are not independent, so stories are resampled whole). There is no
overall score: each row is one label, and an interval that excludes zero is the only thing
called "more" or "less".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from ..document import Article

BOOTSTRAP_SAMPLES = 1000
# fewer shared stories: no bootstrap (Newcombe alone) and no claim of "more" or "less", since
# what one or two stories show is about those stories, not about the outlet
MIN_STORIES = 5


@dataclass
class ProfileRow:
    outlet: str
    kind: str  # "technique" (per paragraph) or "frame" (per article)
    label: str
    count: int  # units of the outlet with the label
    units: int  # the outlet's paragraphs (techniques) or articles (frames)
    rate: float
    others_count: int
    others_units: int
    others_rate: float
    difference: float  # rate - others_rate
    low: float  # 95% bootstrap interval of the difference, over stories
    high: float
    stories: int  # shared stories the comparison rests on

    @property
    def direction(self) -> str:
        if self.stories < MIN_STORIES:
            return "too few shared stories"
        if self.low > 0:
            return "more"
        if self.high < 0:
            return "less"
        return "no clear difference"


def _units(article: Article, kind: str) -> tuple[int, list[str]]:
    """(number of units, labels found over them, one entry per unit that has the label)."""
    if kind == "frame":
        frames = article.frames.predicted if article.frames is not None else []
        return (1 if article.frames is not None else 0), list(frames)
    labels, units = [], 0
    for paragraph in article.analyzable_paragraphs():
        if paragraph.techniques is None:
            continue
        units += 1
        labels.extend(set(paragraph.techniques.predicted))
    return units, labels


def outlet_of(article: Article) -> str:
    return article.source or "(unknown outlet)"


def outlet_profiles(
    articles: Sequence[Article],
    story_of: Mapping[str, int],
    kinds: Sequence[str] = ("technique", "frame"),
    min_units: int = 1,
    seed: int = 0,
) -> list[ProfileRow]:
    """One row per outlet and label, for outlets that share at least one story with another."""
    rng = np.random.default_rng(seed)
    rows: list[ProfileRow] = []
    outlets_in_story: dict[int, set[str]] = defaultdict(set)
    for article in articles:
        outlets_in_story[story_of[article.id]].add(outlet_of(article))
    for kind in kinds:
        labels = sorted(
            {label for article in articles for label in _units(article, kind)[1]}
        )
        if not labels:
            continue
        column = {label: i for i, label in enumerate(labels)}
        # per (story, outlet): units and label counts
        units: dict[tuple[int, str], int] = defaultdict(int)
        counts: dict[tuple[int, str], np.ndarray] = defaultdict(
            partial(np.zeros, len(labels))
        )
        for article in articles:
            key = (story_of[article.id], outlet_of(article))
            n, found = _units(article, kind)
            units[key] += n
            for label in found:
                counts[key][column[label]] += 1
        outlets = sorted({outlet for _, outlet in units})
        for outlet in outlets:
            shared = sorted(
                story
                for story, present in outlets_in_story.items()
                if outlet in present and len(present) > 1
            )
            if not shared:
                continue
            own_units = np.array([units[(s, outlet)] for s in shared], dtype=float)
            own_counts = np.array([counts[(s, outlet)] for s in shared])
            other_units = np.array(
                [sum(units[(s, o)] for o in outlets_in_story[s] if o != outlet) for s in shared],
                dtype=float,
            )
            other_counts = np.array(
                [
                    sum((counts[(s, o)] for o in outlets_in_story[s] if o != outlet),
                        np.zeros(len(labels)))
                    for s in shared
                ]
            )  # fmt: skip
            if own_units.sum() < min_units or other_units.sum() < 1:
                continue
            rate = own_counts.sum(0) / own_units.sum()
            others = other_counts.sum(0) / other_units.sum()
            low, high = _newcombe(own_counts.sum(0), own_units.sum(), other_counts.sum(0),
                                  other_units.sum())  # fmt: skip
            if len(shared) >= MIN_STORIES:
                boot_low, boot_high = _bootstrap(
                    own_units, own_counts, other_units, other_counts, rng
                )
                low, high = np.minimum(low, boot_low), np.maximum(high, boot_high)
            for label, i in column.items():
                rows.append(
                    ProfileRow(
                        outlet=outlet, kind=kind, label=label,
                        count=int(own_counts[:, i].sum()), units=int(own_units.sum()),
                        rate=float(rate[i]), others_count=int(other_counts[:, i].sum()),
                        others_units=int(other_units.sum()), others_rate=float(others[i]),
                        difference=float(rate[i] - others[i]), low=float(low[i]),
                        high=float(high[i]), stories=len(shared),
                    )  # fmt: skip
                )
    return rows


def _newcombe(count, units, other_count, other_units):
    """Newcombe's hybrid score interval of p1 - p2, per label (arrays of counts)."""
    low, high = [], []
    for c1, c2 in zip(count.tolist(), other_count.tolist(), strict=True):
        p1, p2 = c1 / units, c2 / other_units
        l1, u1 = wilson_interval(int(c1), int(units))
        l2, u2 = wilson_interval(int(c2), int(other_units))
        low.append(p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
        high.append(p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    return np.array(low), np.array(high)


def _bootstrap(own_units, own_counts, other_units, other_counts, rng):
    """Percentile 95% interval of rate(outlet) - rate(others), resampling shared stories."""
    n = len(own_units)
    weights = rng.multinomial(n, np.full(n, 1 / n), size=BOOTSTRAP_SAMPLES).astype(float)
    own_u, other_u = weights @ own_units, weights @ other_units
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = (weights @ own_counts) / own_u[:, None] - (weights @ other_counts) / other_u[:, None]
    diff = diff[np.isfinite(diff).all(axis=1)]
    if not len(diff):
        width = np.ones(own_counts.shape[1])
        return -width, width
    return np.percentile(diff, 2.5, axis=0), np.percentile(diff, 97.5, axis=0)


def wilson_interval(count: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (for one outlet's rate on its own)."""
    if total <= 0:
        return 0.0, 1.0
    p = count / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)
