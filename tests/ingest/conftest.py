"""A real HTTP server on 127.0.0.1 serving the web fixtures, for URL and feed tests."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WEB = FIXTURES / "web"
HUGE_BYTES = 100 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    server_version = "fixture-server"
    requests_seen: list[tuple[str, str]] = []

    def log_message(self, format, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)  # the client may have given up (the timeout test)

    def do_GET(self):  # noqa: N802 (the http.server API)
        type(self).requests_seen.append((self.path, self.headers.get("User-Agent", "")))
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path
        if path.startswith("/news/") and path.endswith(".html"):
            page = WEB / path.removeprefix("/news/")
            if page.is_file():
                self._send(200, page.read_bytes(), "text/html; charset=utf-8")
                return
        if path == "/gzipped":
            body = gzip.compress((WEB / "harbour_bridge.html").read_bytes())
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path == "/vallee":
            self._send(200, (WEB / "vallee_ecoles.html").read_bytes(), "text/html")
        elif path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/news/harbour_bridge.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/slow":
            time.sleep(4)
            self._send(200, b"<html><body><p>late</p></body></html>", "text/html")
        elif path == "/data.json":
            self._send(200, b'{"not": "a page"}', "application/json")
        elif path == "/feed.xml":
            feed = (WEB / "feed.rss").read_text(encoding="utf-8").replace("{base}", base)
            self._send(200, feed.encode("utf-8"), "application/rss+xml")
        elif path in ("/huge", "/huge-declared"):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            if path == "/huge-declared":
                self.send_header("Content-Length", str(HUGE_BYTES))
            self.end_headers()
            chunk = b"<p>" + b"word " * 20000 + b"</p>\n"
            sent = 0
            try:
                self.wfile.write(b"<html><body>")
                while sent < HUGE_BYTES:
                    self.wfile.write(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its size cap, as it should
        elif path == "/news/marina":
            body = (
                "<html><head><title>Council delays vote on the marina</title></head><body>"
                "<article><h1>Council delays vote on the marina</h1>"
                "<p>The council postponed its vote on the marina again on Wednesday.</p>"
                "<p>Supporters said the delay cost jobs; residents said it protected the wharf."
                "</p></article></body></html>"
            )
            self._send(200, body.encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._send(404, b"<html><body>not found</body></html>", "text/html")


@pytest.fixture(scope="session")
def web_server():
    """Base URL of a local server (127.0.0.1 only) serving tests/fixtures/web."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def requests_seen():
    _Handler.requests_seen.clear()
    return _Handler.requests_seen
