"""Fetch one URL politely: a clear user agent, a deadline, a size cap and few redirects.

``timeout`` bounds the whole request, from connecting to the last byte, whatever the server
does (a server that drips one byte a second is cut off at the deadline: a watchdog shuts the
connection's sockets). A body shorter than its Content-Length is an error, not an article.
Every failure (network, timeout, HTTP error status, a body over the cap or cut short, too many
redirects) becomes one :class:`~propscope.errors.InputError` naming the URL and the reason.
"""

from __future__ import annotations

import contextlib
import functools
import socket
import threading
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


class _Watchdog:
    """Shuts every socket of one request when its deadline passes (a blocked read returns)."""

    def __init__(self, seconds: float):
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


def _handlers(watchdog: _Watchdog) -> list:
    """HTTP and HTTPS handlers whose connections hand their sockets to ``watchdog``."""
    import http.client
    import urllib.request

    class Watched:
        def connect(self):
            super().connect()
            watchdog.watch(self.sock)

    class HTTPConnection(Watched, http.client.HTTPConnection):
        pass

    class HTTPSConnection(Watched, http.client.HTTPSConnection):
        pass

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(HTTPConnection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            options = {"context": self._context}
            if hasattr(self, "_check_hostname"):  # Python 3.11
                options["check_hostname"] = self._check_hostname
            return self.do_open(HTTPSConnection, req, **options)

    return [HTTPHandler(), HTTPSHandler()]


def fetch(
    url: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = 5 * 1024 * 1024,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    accept: str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
) -> Response:
    """GET ``url`` and return its body; raise InputError(url, reason) on any failure."""
    import urllib.request

    if not is_url(url):
        raise InputError(url, "not an http(s) URL")
    too_slow = _timed_out(timeout)
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "identity"}
    )
    with _Watchdog(timeout) as watchdog:
        opener = urllib.request.build_opener(
            _redirect_handler_class()(max_redirects), *_handlers(watchdog)
        )
        try:
            with opener.open(request, timeout=timeout) as reply:
                headers = reply.headers
                length = headers.get("Content-Length")
                length = int(length) if length and length.strip().isdigit() else None
                if length is not None and length > max_bytes:
                    raise InputError(url, _too_large(length, max_bytes))
                data = _read_capped(reply, url, max_bytes)
                if watchdog.expired:
                    raise InputError(url, too_slow)
                if length is not None and len(data) < length:
                    raise InputError(
                        url,
                        f"body cut short: {len(data)} of the {length} bytes its Content-Length"
                        " announced (the connection closed early)",
                    )
                data = _decoded(data, headers.get("Content-Encoding", ""), url, max_bytes)
                final_url = reply.geturl()
        except InputError:
            raise
        except Exception as error:
            if watchdog.expired:
                raise InputError(url, too_slow) from None
            raise _download_error(url, error, timeout, max_redirects) from None
    media_type = headers.get_content_type().lower()
    return Response(final_url, media_type, headers.get_content_charset(), data)


def _timed_out(timeout: float) -> str:
    """One reason for every timeout: the socket's, or the whole-request deadline's."""
    return f"timed out: no complete answer within {timeout:g} s"


def _download_error(url: str, error: Exception, timeout: float, max_redirects: int) -> InputError:
    import http.client
    import urllib.error

    if isinstance(error, urllib.error.HTTPError):
        if error.code in (301, 302, 303, 307, 308):
            return InputError(url, f"too many redirects (limit {max_redirects})")
        return InputError(url, f"HTTP {error.code} {error.reason}")
    if isinstance(error, urllib.error.URLError):
        reason = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return InputError(url, _timed_out(timeout))
        return InputError(url, f"cannot connect: {reason}")
    if isinstance(error, TimeoutError):
        return InputError(url, _timed_out(timeout))
    if isinstance(error, http.client.IncompleteRead):
        return InputError(url, "body cut short: the connection closed early")
    if isinstance(error, OSError | ValueError | http.client.HTTPException):
        return InputError(url, f"download failed: {error}")
    raise error


def _read_capped(reply, url: str, max_bytes: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = reply.read(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, _too_large(None, max_bytes))
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
