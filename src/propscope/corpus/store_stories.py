"""Stories over a store filled by ``propscope import`` (or the API), kept up to date.

``refresh()`` places the articles stored since the last call (embedding only those), so the
stories grow incrementally with the corpus; articles are known by their database id (as a
string), which is what the API and the web pages link to. A state folder, when given, keeps
the index between runs so a restart does not embed the corpus again.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from ..document import Article
from .profiles import ProfileRow, outlet_profiles
from .stories import StoryIndex, StorySettings
from .view import story_view

BATCH = 256


class StoreStories:
    def __init__(self, store, settings: StorySettings | None = None, state: Path | None = None):
        self.store = store
        self.state = Path(state) if state else None
        if self.state is not None and (self.state / "stories.json").exists():
            self.index = StoryIndex.load(self.state)
        else:
            self.index = StoryIndex(settings)
        # what the story lists show, per placed article (loaded once)
        self._facts: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def refresh(self) -> int:
        """Place every stored article not placed yet; returns how many were added."""
        from sqlalchemy import select

        from ..store.schema import articles, sources

        with self._lock:
            newest = max((f["id"] for f in self._facts.values()), default=0)
            with self.store.reading() as conn:
                rows = conn.execute(
                    select(articles.c.id, articles.c.title, articles.c.language,
                           articles.c.published, sources.c.name.label("outlet"))
                    .outerjoin(sources, sources.c.id == articles.c.source_id)
                    .where(articles.c.id > newest)
                    .order_by(articles.c.id)
                ).all()  # fmt: skip
            for row in rows:
                self._facts[str(row.id)] = {
                    "id": row.id, "title": row.title, "outlet": row.outlet,
                    "language": row.language, "published": row.published,
                }  # fmt: skip
            fresh = [row.id for row in rows if str(row.id) not in self.index._position]
            for start in range(0, len(fresh), BATCH):
                batch = self._load(fresh[start : start + BATCH])
                self.index.add(
                    sorted(batch, key=lambda a: (a.published is None, a.published or ""))
                )
            if fresh and self.state is not None:
                self.index.save(self.state)
            return len(fresh)

    def _load(self, ids: list[int]) -> list[Article]:
        found = []
        for article_id in ids:
            article = self.store.get(article_id)
            if article is None:
                continue
            article.meta = {**article.meta, "key": article.id}
            article.id = str(article_id)
            found.append(article)
        return found

    # -- reading -----------------------------------------------------------------------------

    def summaries(self, min_size: int = 2) -> list[dict[str, Any]]:
        """Stories of at least ``min_size`` articles, largest (then earliest) first."""
        self.refresh()
        out = []
        for story in self.index.stories:
            if len(story.members) < min_size:
                continue
            facts = [self._facts[self.index.article_ids[p]] for p in story.members]
            dates = sorted(f["published"][:10] for f in facts if f["published"])
            facts.sort(key=lambda f: (f["published"] or "9999", f["id"]))
            out.append(
                {
                    "id": story.id,
                    "title": facts[0]["title"],
                    "articles": len(facts),
                    "outlets": sorted({f["outlet"] or "(unknown outlet)" for f in facts}),
                    "languages": sorted({f["language"] or "?" for f in facts}),
                    "first": dates[0] if dates else None,
                    "last": dates[-1] if dates else None,
                    "article_ids": [f["id"] for f in facts],
                }
            )
        out.sort(key=lambda s: (-s["articles"], s["first"] or "9999", s["id"]))
        return out

    def members(self, story_id: int) -> list[Article] | None:
        self.refresh()
        if not 0 <= story_id < len(self.index.stories):
            return None
        positions = self.index.stories[story_id].members
        return self._load([int(self.index.article_ids[p]) for p in positions])

    def view(self, story_id: int, passages: int = 5) -> dict[str, Any] | None:
        """The story view of one story (article ids are database ids), or None."""
        articles = self.members(story_id)
        if articles is None:
            return None
        return story_view(story_id, articles, passages)

    def all_articles(self) -> list[Article]:
        self.refresh()
        return self._load([int(i) for i in self.index.article_ids])

    def story_of(self) -> dict[str, int]:
        return {article_id: self.index.story_of[i] for i, article_id in
                enumerate(self.index.article_ids)}  # fmt: skip

    def profiles(self) -> list[ProfileRow]:
        return outlet_profiles(self.all_articles(), self.story_of())
