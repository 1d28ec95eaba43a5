"""A disk cache of encoder vectors for training data, keyed by text and encoder image.

Embedding the ~22k training paragraphs takes about 20 minutes of one core, so vectors are kept
outside the repository (``$PROPSCOPE_CACHE`` or ``~/.cache/propscope``) under the image's
SHA-256 and the number of layers run; each text is keyed by the SHA-1 of its UTF-8 bytes. Work
is saved in shards as it goes, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

from ..atomic import atomic_write
from ..models.encoder import DIM, IMAGE_SHA256, LAYERS, Encoder


def cache_base() -> Path:
    """Where training caches live: ``$PROPSCOPE_CACHE`` or ``~/.cache/propscope``."""
    return Path(os.environ.get("PROPSCOPE_CACHE") or Path.home() / ".cache" / "propscope")


def cache_root() -> Path:
    return cache_base() / "e5" / IMAGE_SHA256[:16] / f"numpy-{LAYERS}-layers"


def text_key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class EmbeddingCache:
    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else cache_root()
        self._vectors: dict[bytes, np.ndarray] = {}
        self._loaded = False

    def _load(self):
        if self._loaded:
            return
        for keys_path in sorted(self.root.glob("shard-*.keys.npy")):
            vectors_path = keys_path.with_name(keys_path.name.replace(".keys.", ".vectors."))
            try:
                keys = np.load(keys_path, allow_pickle=False)
                vectors = np.load(vectors_path, allow_pickle=False)
            except (OSError, ValueError):
                continue  # a shard cut short is recomputed
            if len(keys) != len(vectors) or vectors.shape[1:] != (DIM,):
                continue
            for key, vector in zip(keys, vectors, strict=True):
                # numpy's fixed-width bytes drop trailing NULs: restore the 20-byte digest
                self._vectors[bytes(key).ljust(20, b"\0")] = vector
        self._loaded = True

    def _save_shard(self, keys: list[bytes], vectors: np.ndarray):
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"shard-{time.time_ns()}"
        # vectors first: a shard counts only once its keys file exists
        with atomic_write(self.root / f"{name}.vectors.npy", "wb") as out:
            np.save(out, vectors.astype(np.float32))
        with atomic_write(self.root / f"{name}.keys.npy", "wb") as out:
            np.save(out, np.array(keys, dtype="S20"))

    def embed(
        self, texts, encoder: Encoder | None = None, shard: int = 512, progress: bool = False
    ) -> np.ndarray:
        """Vectors for ``texts`` (n, 384) float32, computing and storing the missing ones."""
        self._load()
        keys = [text_key(t) for t in texts]
        missing: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._vectors:
                missing.setdefault(key, text)
        if missing:
            encoder = encoder or Encoder(threads=1)
            pending = list(missing.items())
            started = time.perf_counter()
            for start in range(0, len(pending), shard):
                chunk = pending[start : start + shard]
                vectors = encoder.embed([text for _, text in chunk])
                self._save_shard([key for key, _ in chunk], vectors)
                for (key, _), vector in zip(chunk, vectors, strict=True):
                    self._vectors[key] = vector
                if progress:
                    done = start + len(chunk)
                    rate = done / (time.perf_counter() - started)
                    print(
                        f"embedded {done}/{len(pending)} texts ({rate:.1f}/s)",
                        file=sys.stderr,
                        flush=True,
                    )
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = self._vectors[key]
        return out


def training_texts(data_dir: Path, tasks=("techniques", "genre", "frames")) -> list[str]:
    """Every paragraph text (stripped) of the training articles of ``tasks``.

    Ordered article by article, round-robin over tasks and languages (the first article of
    each, then the second, ...), so that the cache filled up to any point holds the first
    articles of every language, which is what ``max_articles`` trains on.
    """
    from .data import load_labelled

    queues: list[list] = []
    for task in tasks:
        corpus = load_labelled(Path(data_dir), task)
        for language in corpus.languages():
            queues.append([a for a in corpus.articles if a.language == language])
    texts: list[str] = []
    for position in range(max(len(q) for q in queues)):
        for queue in queues:
            if position < len(queue):
                texts.extend(p.text.strip() for p in queue[position].analyzable_paragraphs())
    return texts


if __name__ == "__main__":
    # python -m propscope.training.embed_cache DATA [PART/PARTS]: fill the cache ahead of
    # training, optionally one share of the texts per process
    texts = training_texts(Path(sys.argv[1]))
    if len(sys.argv) > 2:
        part, parts = (int(v) for v in sys.argv[2].split("/"))
        texts = [t for t in dict.fromkeys(texts) if int(text_key(t)[0]) % parts == part - 1]
    EmbeddingCache().embed(texts, shard=128, progress=True)
