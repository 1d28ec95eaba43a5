"""RSS and Atom feeds: every entry becomes an Article.

An entry that carries the full text (``content:encoded``, Atom ``content``) is read from the
feed; otherwise its link is fetched and read as a web page. Fetching failures are reported per
entry; the other entries are still read.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from ..document import Article
from ..errors import InputError
from .fetch import FEED_TYPES, fetch, is_url
from .html import id_from_url, read_url
from .options import IngestOptions
from .text import parse_text, read_bytes

#: Feed content with at least this much text (after removing markup) is taken as the article.
FULL_TEXT_MIN_CHARS = 600
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre")


def iter_feed(raw: str, options: IngestOptions | None = None) -> Iterator[Article | InputError]:
    options = options or IngestOptions()
    try:
        if is_url(raw):
            response = fetch(
                raw,
                timeout=options.timeout,
                max_bytes=options.max_bytes,
                max_redirects=options.max_redirects,
                accept=", ".join(FEED_TYPES) + ", */*;q=0.5",
            )
            data, base = response.data, response.url
        else:
            data, base = read_bytes(Path(raw), options.max_bytes), None
    except InputError as error:
        yield error
        return
    import feedparser

    headers = {"content-location": base} if base else {}
    parsed = feedparser.parse(data, response_headers=headers)
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            yield InputError(raw, f"not an RSS or Atom feed ({_short(reason)})")
        else:
            yield InputError(raw, "the feed has no entries")
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{raw} entry {number}"
        try:
            yield _entry_article(entry, where, number, outlet, raw, options)
        except InputError as error:
            yield error


def _entry_article(entry, where: str, number: int, outlet, feed: str, options) -> Article:
    link = (entry.get("link") or "").strip() or None
    title = (entry.get("title") or "").strip()
    published = _iso(entry.get("published_parsed") or entry.get("updated_parsed"))
    author = (entry.get("author") or "").strip() or None
    article_id = id_from_url(link) if link else f"{Path(feed).stem}-{number}"
    content = _full_content(entry)
    if content is not None:
        lines = content
        text = (title + "\n\n" if title else "") + "\n".join(lines) + "\n"
        article = parse_text(
            text,
            article_id,
            layout="lines",
            url=link,
            source=outlet,
            published=published,
            author=author,
        )
        if title:
            article.title = title
        article.meta["input"] = "feed"
    else:
        if link is None:
            raise InputError(where, "no full text and no link to the article")
        if not is_url(link):
            raise InputError(where, f"link is not an http(s) URL: {link!r}")
        article = read_url(link, options, source=outlet, published=published, author=author)
        article.meta["input"] = "feed+html"
    article.meta["feed"] = feed
    return article


def _full_content(entry) -> list[str] | None:
    """The entry's own text as paragraphs when it looks like the whole article, else None."""
    values = [c.get("value", "") for c in entry.get("content", []) or []]
    if not values:
        return None
    lines = _html_fragment_lines(max(values, key=len))
    if sum(len(line) for line in lines) < FULL_TEXT_MIN_CHARS:
        return None
    return lines


def _html_fragment_lines(fragment: str) -> list[str]:
    import lxml.html

    if "<" not in fragment:
        return [line.strip() for line in fragment.splitlines() if line.strip()]
    try:
        root = lxml.html.fromstring(f"<div>{fragment}</div>")
    except (ValueError, lxml.etree.ParserError):
        return []
    blocks = [el for el in root.iter(*_BLOCKS) if not any(True for _ in el.iterancestors(*_BLOCKS))]
    texts = (
        [" ".join(el.text_content().split()) for el in blocks]
        if blocks
        else [" ".join(line.split()) for line in root.text_content().splitlines()]
    )
    return [t for t in texts if t]


def _iso(parsed) -> str | None:
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)
    except (TypeError, ValueError):
        return None


def _short(error) -> str:
    text = str(error).strip().splitlines()
    return text[0][:120] if text else "unreadable"
