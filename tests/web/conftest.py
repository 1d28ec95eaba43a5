"""A real workbench server (``propscope serve`` on a free loopback port, a fresh SQLite store:
the API tests' Server) filled with the small corpus of ``articles.py``, and a headless chromium
to look at it."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.conftest import Server
from conftest import ROOT
from web.articles import ARTICLES

#: Screenshots of the pages, kept after the run (ignored by git); PROPSCOPE_ARTIFACTS moves it.
ARTIFACTS = Path(os.environ.get("PROPSCOPE_ARTIFACTS", ROOT / "test-artifacts")) / "web"


@dataclass
class Site:
    """The running server, the stored ids of ARTICLES, and plain HTTP access to it."""

    server: Server
    ids: dict[str, int]  # article id in ARTICLES -> stored id

    @property
    def url(self) -> str:
        return self.server.url

    def get(self, path: str) -> tuple[int, httpx.Headers, str]:
        reply = httpx.get(self.url + path, timeout=60)
        return reply.status_code, reply.headers, reply.text

    def post_json(self, path: str, payload) -> tuple[int, dict]:
        reply = httpx.post(self.url + path, json=payload, timeout=120)
        return reply.status_code, reply.json()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Site:
    """``propscope serve`` over a fresh SQLite store holding ARTICLES."""
    folder = tmp_path_factory.mktemp("web")
    running = Server(f"sqlite:///{folder / 'corpus.db'}", folder / "data").start()
    try:
        site = Site(running, {})
        status, body = site.post_json("/api/v1/articles", {"articles": ARTICLES})
        assert status == 201, body
        site.ids = {a["id"]: r["id"] for a, r in zip(ARTICLES, body["results"], strict=True)}
        yield site
    finally:
        running.stop()


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
    """A PNG of the current page under ARTIFACTS: the whole page, or what the window shows."""
    import base64

    path = ARTIFACTS / f"{name}.png"
    if not full_page:
        assert driver.save_screenshot(str(path)), f"no screenshot written to {path}"
        return path
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
