"""Fetch one URL politely: a clear user agent, a timeout, a size cap and few redirects.

Every failure (network, timeout, HTTP error status, a body over the cap, too many redirects)
becomes one :class:`~propscope.errors.InputError` naming the URL and the reason.
"""

from __future__ import annotations

import functools
import socket
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from .. import __version__
from ..errors import InputError

USER_AGENT = (
    f"propscope/{__version__} (news persuasion analysis; +https://pypi.org/project/propscope/)"
)
DEFAULT_TIMEOUT = 20.0
DEFAULT_MAX_REDIRECTS = 5
_CHUNK = 64 * 1024

HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


@dataclass
class Response:
    url: str  # the final URL, after redirects
    content_type: str  # media type only, lower case, e.g. "text/html"
    charset: str | None
    data: bytes


def is_url(raw: str) -> bool:
    return urlsplit(raw).scheme.lower() in ("http", "https") and "://" in raw


@functools.lru_cache(maxsize=1)
def _redirect_handler_class():
    import urllib.request  # imported on first download: most runs never fetch anything

    class LimitedRedirects(urllib.request.HTTPRedirectHandler):
        def __init__(self, limit: int):
            self.max_redirections = limit
            self.max_repeats = min(self.max_repeats, limit) if limit else 0

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if urlsplit(newurl).scheme.lower() not in ("http", "https"):
                raise InputError(req.full_url, f"redirected to a non-web address {newurl!r}")
            if self.max_redirections == 0:
                raise InputError(req.full_url, f"redirected ({code}) and redirects are not allowed")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return LimitedRedirects


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = 5 * 1024 * 1024,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
) -> Response:
    """GET ``url`` and return its body; raise InputError(url, reason) on any failure."""
    import urllib.error
    import urllib.request

    if not is_url(url):
        raise InputError(url, "not an http(s) URL")
    opener = urllib.request.build_opener(_redirect_handler_class()(max_redirects))
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "identity"}
    )
    try:
        with opener.open(request, timeout=timeout) as reply:
            headers = reply.headers
            length = headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(url, _too_large(int(length), max_bytes))
            # The socket timeout bounds each wait; this bounds the whole body (a slow drip).
            deadline = time.monotonic() + max(3 * timeout, 30.0)
            data = _read_capped(reply, url, max_bytes, deadline)
            data = _decoded(data, headers.get("Content-Encoding", ""), url, max_bytes)
            final_url = reply.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as error:
        if error.code in (301, 302, 303, 307, 308):
            raise InputError(url, f"too many redirects (limit {max_redirects})") from None
        raise InputError(url, f"HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            raise InputError(url, f"timed out after {timeout:g} s") from None
        raise InputError(url, f"cannot connect: {reason}") from None
    except TimeoutError:
        raise InputError(url, f"timed out after {timeout:g} s") from None
    except (OSError, ValueError) as error:
        raise InputError(url, f"download failed: {error}") from None
    media_type = headers.get_content_type().lower()
    return Response(final_url, media_type, headers.get_content_charset(), data)


def _read_capped(reply, url: str, max_bytes: int, deadline: float) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = reply.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, _too_large(None, max_bytes))
        if time.monotonic() > deadline:
            raise InputError(url, "download too slow: stopped after the time limit")
        parts.append(chunk)
    return b"".join(parts)


def _decoded(data: bytes, encoding: str, url: str, max_bytes: int) -> bytes:
    """Undo a gzip or deflate Content-Encoding (sent although we asked for none), capped."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return data
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise InputError(url, f"unsupported Content-Encoding {encoding!r}")
    window = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
    try:
        inflater = zlib.decompressobj(window)
        body = inflater.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise InputError(url, f"corrupt {encoding} body: {error}") from None
    if len(body) > max_bytes:
        raise InputError(url, _too_large(None, max_bytes))
    return body


def _too_large(size: int | None, max_bytes: int) -> str:
    limit = f"{max_bytes / 1e6:.1f} MB"
    if size is None:
        return f"page too large (over the {limit} limit; raise it with --max-size)"
    return f"page too large ({size / 1e6:.1f} MB, limit {limit}; raise it with --max-size)"
