"""Shared fixtures. Tests that need ../shared/data skip with a reason when it is absent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PROPSCOPE_SHARED", ROOT.parent / "shared"))
SEMEVAL = SHARED / "data" / "semeval2023"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The SemEval-2023 data folder; the test is skipped where it is not beside the checkout."""
    if not (SEMEVAL / "README.md").is_file():
        pytest.skip(f"SemEval data not found at {SEMEVAL} (set PROPSCOPE_SHARED)")
    return SEMEVAL


@pytest.fixture(scope="session")
def shared_examples() -> Path:
    folder = SHARED / "examples"
    if not folder.is_dir():
        pytest.skip(f"shared examples not found at {folder}")
    return folder


def run_cli(*args: str, stdin: bytes | None = None, user: str | None = None, cwd=None):
    """Run the real ``propscope`` command in a subprocess; returns CompletedProcess (text)."""
    command = [sys.executable, "-m", "propscope", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    return subprocess.run(
        command, input=stdin, capture_output=True, cwd=cwd, timeout=300, check=False
    )


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, for tests that look at pages as a reader would."""
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("chromium is not installed (make test installs it where it can)")
    return path


def screenshot(chromium: str, page: Path, out: Path, size: str = "1000,1400") -> Path:
    """Render ``page`` headless, offline, into the PNG ``out``."""
    profile = out.parent / "chromium-profile"
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={size}",
        f"--screenshot={out}",
        page.resolve().as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert out.is_file(), f"chromium wrote no screenshot of {page}"
    return out


def sample_evidence_article():
    """A short analysed article with overlapping and fallback evidence spans."""
    from propscope.document import Prediction, Span
    from propscope.ingest import parse_text

    article = parse_text("Title <b>\n\nThe corrupt elite lied again, as always.\n", "x&1")
    paragraph = article.paragraphs[1]
    base = paragraph.start
    paragraph.spans = [
        Span(base + 4, base + 18, "Loaded_Language", 0.9),
        Span(base + 4, base + 28, "Name_Calling-Labeling", 0.6),
        Span(base + 30, base + 39, "Exaggeration-Minimisation", None, fallback=True),
    ]
    paragraph.techniques = Prediction(
        {"Loaded_Language": 0.9, "Name_Calling-Labeling": 0.6, "Exaggeration-Minimisation": 0.3},
        ["Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation"],
    )
    article.genre = Prediction({"opinion": 0.8, "reporting": 0.15, "satire": 0.05}, ["opinion"])
    return article


# A throwaway PostgreSQL server (session) and `store_url`: SQLite, then PostgreSQL.
from postgres import postgres_server, store_url  # noqa: E402, F401
