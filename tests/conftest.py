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
