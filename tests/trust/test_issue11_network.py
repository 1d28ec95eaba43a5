"""Issue #11, observation 9: real limits on the network, against a real local HTTP server."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import EXAMPLES, run_cli
from propscope.errors import InputError
from propscope.ingest.fetch import fetch

PAGE = (
    b"<html><head><title>Harbour works</title></head><body><article><h1>Harbour works</h1>"
    + b"<p>The harbour authority said repairs to the north quay would start in May. " * 12
    + b"</p></article></body></html>"
)
#: How long the drip lasts in all: long enough that a client without a whole-request deadline
#: finishes only after it (and then has a page), far beyond the deadline the tests set.
DRIP_SECONDS = 12.0


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):
        pass

    def do_GET(self):  # noqa: N802 (the http.server API)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
            if self.path == "/drip":
                # headers at once, then the body a few bytes at a time, each well inside any
                # per-read socket timeout
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                pause = DRIP_SECONDS / (len(PAGE) / 16)
                for i in range(0, len(PAGE), 16):
                    self.wfile.write(PAGE[i : i + 16])
                    self.wfile.flush()
                    time.sleep(pause)
            elif self.path == "/drip-headers":
                # the status line and headers themselves dripped
                head = (
                    "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n"
                    + "".join(f"X-Pad-{i}: {'x' * 20}\r\n" for i in range(30))
                    + f"Content-Length: {len(PAGE)}\r\n\r\n"
                ).encode()
                pause = DRIP_SECONDS / len(head)
                for byte in head:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(pause)
                self.wfile.write(PAGE)
            elif self.path == "/short":
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE) + 5000))
                self.end_headers()
                self.wfile.write(PAGE)
                self.wfile.flush()
                self.close_connection = True
            else:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_issue11_obs9_a_whole_page_arrives(server):
    assert fetch(f"{server}/page", timeout=5).data == PAGE


def test_issue11_obs9_slow_drip_body_hits_the_whole_request_deadline(server):
    with pytest.raises(InputError, match="timed out"):
        fetch(f"{server}/drip", timeout=1.5)


def test_issue11_obs9_slow_drip_headers_hit_the_deadline(server):
    with pytest.raises(InputError, match="timed out"):
        fetch(f"{server}/drip-headers", timeout=1.5)


def test_issue11_obs9_body_shorter_than_content_length_is_an_error(server):
    with pytest.raises(InputError, match="cut short"):
        fetch(f"{server}/short", timeout=5)


def test_issue11_obs9_the_inputs_after_a_slow_server_still_run(server):
    example = str(EXAMPLES / "en_opinion_energy.txt")
    result = run_cli(
        "analyze", f"{server}/drip", example, "--timeout", "1.5", "--format", "jsonl"
    )
    assert result.returncode == 1
    errors = result.stderr.decode().splitlines()
    assert len(errors) == 1 and "/drip" in errors[0] and "timed out" in errors[0]
    articles = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [a["path"] for a in articles] == [example]
