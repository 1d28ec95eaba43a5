"""Exact and near-duplicate articles across a stream (MinHash LSH, datasketch).

:class:`Deduplicator` is a streaming stage: it sees each article once, in input order, and sets
``article.duplicate_of`` to the id of the first article it copies. The fingerprint is built from
the article's non-boilerplate text, so copies that differ only in headers and footers (update
stamps, share buttons, lists of other headlines, a copyright line) are found. Memory grows with
the number of distinct articles (about 6 KB each), not with their size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import numpy as np

from ..document import Article
from ..features.tokenize import WORDS as _TOKEN


def article_tokens(article: Article) -> list[str]:
    """Lower-case words of the analyzable (non-boilerplate) paragraphs."""
    return _TOKEN.findall(" ".join(p.text for p in article.analyzable_paragraphs()).lower())


def shingles(tokens: list[str], size: int) -> set[bytes]:
    if len(tokens) <= size:
        return {" ".join(tokens).encode("utf-8")} if tokens else set()
    return {" ".join(tokens[i : i + size]).encode("utf-8") for i in range(len(tokens) - size + 1)}


class Deduplicator:
    """Flags each article that copies (exactly or nearly) an earlier one.

    ``threshold`` is the estimated Jaccard similarity of word ``shingle``-grams above which two
    articles are the same article.
    """

    def __init__(self, threshold: float = 0.7, num_perm: int = 128, shingle: int = 5, seed=1):
        from datasketch import MinHash, MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self._template = MinHash(num_perm=num_perm, seed=seed)
        self.dtype = self._template.hashvalues.dtype  # of the values signature() returns
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._exact: dict[bytes, str] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._count = 0

    def check(self, article: Article) -> str | None:
        """The id of the first copy of ``article`` seen so far (None if it is new); remembers it."""
        signature = self.signature(article)
        return None if signature is None else self.check_signature(article.id, *signature)

    def signature(self, article: Article) -> tuple[bytes, np.ndarray] | None:
        """(exact digest, MinHash values) of the article's words; None when it has none.

        Computing signatures needs no index, so it can run anywhere (e.g. on batch workers);
        :meth:`check_signature` then sees them in input order.
        """
        tokens = article_tokens(article)
        if not tokens:
            return None
        digest = hashlib.blake2b(" ".join(tokens).encode("utf-8"), digest_size=16).digest()
        minhash = self._template.copy()
        minhash.update_batch(list(shingles(tokens, self.shingle)))
        return digest, minhash.hashvalues

    def check_signature(self, article_id: str, digest: bytes, hashvalues: np.ndarray) -> str | None:
        """:meth:`check` for a signature computed earlier by :meth:`signature`."""
        first = self._exact.get(digest)
        if first is not None:
            return first
        minhash = self._template.copy()
        minhash.hashvalues = np.asarray(hashvalues, dtype=self.dtype)
        best, best_similarity = None, 0.0
        for candidate in self._lsh.query(minhash):
            similarity = float(np.mean(self._signatures[candidate] == minhash.hashvalues))
            if similarity >= self.threshold and similarity > best_similarity:
                best, best_similarity = candidate, similarity
        if best is not None:
            return best
        key = self._unique_key(article_id)
        self._exact[digest] = key
        self._signatures[key] = np.array(hashvalues, copy=True)
        self._lsh.insert(key, minhash)
        return None

    def _unique_key(self, article_id: str) -> str:
        # Two different articles may share an id (e.g. two feeds): the LSH needs unique keys, the
        # user needs the id, so a repeated id gets an invisible suffix only inside the index.
        self._count += 1
        return (
            article_id if article_id not in self._signatures else f"{article_id}\x00{self._count}"
        )

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            first = self.check(article)
            if first is not None:
                article.duplicate_of = first.split("\x00", 1)[0]
            yield article


def flag_duplicates(items: Iterable, **settings) -> Iterator:
    """Pass a stream of Articles (and anything else, e.g. InputErrors) through, flagging copies.

    The MinHash index is built only once a second article arrives: one article alone cannot be
    a duplicate, and a single-article run does not pay for loading datasketch.
    """
    deduplicator: Deduplicator | None = None
    pending: Article | None = None
    for item in items:
        if not isinstance(item, Article):
            yield item
            continue
        if deduplicator is None:
            if pending is None:
                pending = item
                yield item
                continue
            deduplicator = Deduplicator(**settings)
            deduplicator.check(pending)
        first = deduplicator.check(item)
        if first is not None:
            item.duplicate_of = first.split("\x00", 1)[0]
        yield item
