"""A real workbench server (``propscope serve`` on a free loopback port, a fresh SQLite store)
filled with the small corpus of ``articles.py``, and a headless chromium to look at it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT
from web.articles import ARTICLES

#: Screenshots of the pages, kept after the run (ignored by git); PROPSCOPE_ARTIFACTS moves it.
ARTIFACTS = Path(os.environ.get("PROPSCOPE_ARTIFACTS", ROOT / "test-artifacts")) / "web"


@dataclass
class Server:
    url: str
    db: Path
    ids: dict[str, int]  # article id in ARTICLES -> stored id
    log: Path

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        """Status, headers (lower-case names) and text of a GET."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=60) as reply:
                headers = {k.lower(): v for k, v in reply.headers.items()}
                return reply.status, headers, reply.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            headers = {k.lower(): v for k, v in error.headers.items()}
            return error.code, headers, error.read().decode("utf-8")

    def post_json(self, path: str, payload) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as reply:
                return reply.status, json.loads(reply.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}): {log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/api/v1/health", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {seconds} s: {log.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    folder = tmp_path_factory.mktemp("workbench")
    db, log = folder / "corpus.db", folder / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PROPSCOPE_API_KEYS": ""}
    command = [sys.executable, "-m", "propscope", "serve", "--db", f"sqlite:///{db}"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        _wait_until_up(url, process, log)
        live = Server(url, db, {}, log)
        status, body = live.post_json("/api/v1/articles", {"articles": ARTICLES})
        assert status == 201, body
        live.ids = {a["id"]: r["id"] for a, r in zip(ARTICLES, body["results"], strict=True)}
        yield live
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless chromium driven by chromedriver (selenium)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.skip("chromium and chromium-driver are not installed (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,900",
        "--lang=en-GB",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the web pages: {ARTIFACTS}")
    try:
        yield driver
    finally:
        driver.quit()


def save_screenshot(driver, name: str, full_page: bool = True) -> Path:
    """A PNG of the current page under ARTIFACTS (the whole page, not just the window)."""
    path = ARTIFACTS / f"{name}.png"
    size = driver.get_window_size()
    if full_page:
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(size["width"], min(max(height, 600), 6000))
    try:
        assert driver.save_screenshot(str(path)), f"no screenshot written to {path}"
    finally:
        driver.set_window_size(size["width"], size["height"])
    return path
