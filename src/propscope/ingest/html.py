"""Web pages: the main text, title, author, site name and date, via trafilatura.

The article text is laid out like a SemEval file: the title on line 1, an empty line, then one
paragraph per line, so every later stage (cleaning, analysis, reports) sees the same shape
whatever the input was.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from ..document import Article
from ..errors import InputError
from .fetch import FEED_TYPES, HTML_TYPES, fetch
from .options import IngestOptions
from .text import check_bytes, decode, parse_text

# trafilatura and its helpers log parsing trouble as errors; propscope reports inputs itself.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    head = head.removeprefix(b"\xef\xbb\xbf")
    return head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<") and b"<body" in data[:65536].lower()
    )


def decode_html(data: bytes, source: str, charset: str | None = None) -> tuple[str, str | None]:
    """Decode with the HTTP charset, else the page's own <meta charset>, else detection."""
    declared = charset
    if declared is None:
        match = _CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii") if match else None
    if declared:
        try:
            return data.decode(declared), None
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, source)


def article_from_html(
    data: bytes | str,
    origin: str,
    article_id: str,
    *,
    url: str | None = None,
    charset: str | None = None,
    **metadata,
) -> Article:
    """Extract the main text and metadata of a page; InputError(origin, ...) if it has none."""
    warning = None
    if isinstance(data, bytes):
        check_bytes(data, origin)
        html, warning = decode_html(data, origin, charset)
    else:
        html = data
    if not html.strip():
        raise InputError(origin, "empty page")
    import trafilatura  # imported here: only HTML inputs pay for it

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if not body:
        raise InputError(origin, "no article text found in the page")
    title = (document.title or "").strip()
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if title and lines and lines[0] == title:
        lines = lines[1:]
    text = (title + "\n\n" if title else "") + "\n".join(lines) + "\n"
    page_url = url or document.url
    fields = {
        "url": page_url,
        "source": document.sitename or (urlsplit(page_url).hostname if page_url else None),
        "author": document.author or None,
        "published": document.date or None,
    }
    for key, value in metadata.items():
        if value is not None:
            fields[key] = value
    article = parse_text(text, article_id, layout="lines", **fields)
    if title:
        article.title = title
    article.meta["input"] = "html"
    if warning:
        article.warnings.append(warning)
    return article


def read_url(url: str, options: IngestOptions | None = None, **metadata) -> Article:
    """Fetch a web page and read it as an article; InputError(url, reason) on failure."""
    options = options or IngestOptions()
    response = fetch(
        url,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        max_redirects=options.max_redirects,
    )
    media = response.content_type
    if media not in HTML_TYPES and not (
        media in ("application/octet-stream", "") and looks_like_html(response.data)
    ):
        hint = "; read feeds with --feed" if media in FEED_TYPES else ""
        raise InputError(url, f"not an HTML page (Content-Type {media}){hint}")
    return article_from_html(
        response.data,
        url,
        id_from_url(response.url),
        url=response.url,
        charset=response.charset,
        **metadata,
    )


def id_from_url(url: str) -> str:
    """A readable article id: the last path segment of the URL, else its host."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    name = segments[-1] if segments else parts.hostname or url
    name = re.sub(r"\.(s?html?|php|aspx?)$", "", name)
    return name or url
