"""The story view: how each outlet told one story.

For one story: the outlets and languages covering it, a timeline, each outlet's techniques
(per 100 paragraphs, with counts) and frames (share of its articles, with counts) side by side,
the quotes and speakers each outlet chose (when a quotes analyzer filled them), and the passages
that differ most: paragraphs with no close counterpart (by e5 similarity) in any other outlet's
articles of the story.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..document import Article
from .profiles import outlet_of
from .stories import embed_texts

MAX_PASSAGES = 400  # paragraphs compared per story (the longest stories are cut, not slowed)


def story_views(
    articles: Sequence[Article], story_of: dict[str, int], min_size: int = 1, passages: int = 5
) -> list[dict[str, Any]]:
    """Views of every story with at least ``min_size`` articles, largest first."""
    members: dict[int, list[Article]] = defaultdict(list)
    for article in articles:
        members[story_of[article.id]].append(article)
    chosen = [(story, group) for story, group in members.items() if len(group) >= min_size]
    chosen.sort(key=lambda item: (-len(item[1]), _first_date(item[1]), item[0]))
    return [story_view(story, group, passages) for story, group in chosen]


def _first_date(articles: Sequence[Article]) -> str:
    dates = [a.published for a in articles if a.published]
    return min(dates) if dates else "9999"


def story_view(story_id: int, articles: Sequence[Article], passages: int = 5) -> dict[str, Any]:
    timeline = sorted(articles, key=lambda a: (a.published or "9999", outlet_of(a), a.id))
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in timeline:
        by_outlet[outlet_of(article)].append(article)
    dates = [a.published[:10] for a in timeline if a.published]
    return {
        "id": story_id,
        "title": timeline[0].title,
        "articles": len(articles),
        "outlets": sorted(by_outlet),
        "languages": sorted({a.language or "?" for a in articles}),
        "first": min(dates) if dates else None,
        "last": max(dates) if dates else None,
        "timeline": [
            {
                "date": a.published,
                "outlet": outlet_of(a),
                "language": a.language,
                "id": a.id,
                "title": a.title,
                "url": a.url,
            }
            for a in timeline
        ],
        "by_outlet": {outlet: _outlet_summary(group) for outlet, group in by_outlet.items()},
        "differing_passages": differing_passages(timeline, passages),
    }


def _outlet_summary(articles: Sequence[Article]) -> dict[str, Any]:
    paragraphs = techniques = 0
    technique_counts: Counter[str] = Counter()
    frame_counts: Counter[str] = Counter()
    framed = 0
    for article in articles:
        for paragraph in article.analyzable_paragraphs():
            if paragraph.techniques is not None:
                techniques += 1
                technique_counts.update(set(paragraph.techniques.predicted))
            paragraphs += 1
        if article.frames is not None:
            framed += 1
            frame_counts.update(article.frames.predicted)
    quotes = []
    for article in articles:
        for quote in article.quotes:
            # a pronoun or role resolved to a named speaker, when the quotes analyzer did so
            speaker = getattr(quote, "resolved_speaker", None) or quote.speaker
            quotes.append(
                {
                    "article": article.id,
                    "speaker": speaker,
                    "direct": getattr(quote, "direct", True),
                    "text": article.text[quote.start : quote.end],
                }
            )
    speakers = Counter(q["speaker"] or "(unattributed)" for q in quotes)
    return {
        "articles": len(articles),
        "languages": sorted({a.language or "?" for a in articles}),
        "paragraphs": paragraphs,
        "analysed_paragraphs": techniques,
        "techniques": {
            label: {"count": count, "per_100_paragraphs": round(100 * count / techniques, 1)}
            for label, count in technique_counts.most_common()
        },
        "analysed_articles": framed,
        "frames": {
            label: {"count": count, "share_of_articles": round(count / framed, 3)}
            for label, count in frame_counts.most_common()
        },
        "speakers": dict(speakers.most_common()),
        "quotes": quotes,
    }


def differing_passages(articles: Sequence[Article], limit: int = 5) -> list[dict[str, Any]]:
    """Paragraphs least like anything another outlet wrote about the story.

    Each paragraph's score is its highest e5 cosine to a paragraph of a *different* outlet;
    the lowest scores come first (ties: more techniques first). Needs two outlets or more.
    """
    if limit <= 0 or len({outlet_of(a) for a in articles}) < 2:
        return []
    rows = []
    for article in articles:
        for paragraph in article.analyzable_paragraphs():
            text = paragraph.text.strip()
            if len(text) < 40 or text == article.title.strip():
                continue
            rows.append((article, paragraph, text))
    rows = rows[:MAX_PASSAGES]
    if not rows:
        return []
    vectors = embed_texts([text for _, _, text in rows])
    outlets = np.array([outlet_of(article) for article, _, _ in rows])
    similarity = vectors @ vectors.T
    similarity[outlets[:, None] == outlets[None, :]] = -np.inf
    nearest = similarity.argmax(axis=1)
    best = similarity.max(axis=1)
    found = []
    for i, (article, paragraph, text) in enumerate(rows):
        if not np.isfinite(best[i]):
            continue
        techniques = paragraph.techniques.predicted if paragraph.techniques is not None else []
        other_article, _, other_text = rows[int(nearest[i])]
        found.append(
            {
                "outlet": outlet_of(article),
                "article": article.id,
                "line": paragraph.line,
                "text": text,
                "techniques": list(techniques),
                "closest_other_outlet": outlet_of(other_article),
                "closest_other_text": other_text,
                "similarity": round(float(best[i]), 3),
            }
        )
    found.sort(key=lambda row: (row["similarity"], -len(row["techniques"])))
    return found[:limit]
