"""Acceptance of issue 5: the HTML report of the shared examples shows highlighted evidence.

It needs the whole default pipeline (the paragraph model and the evidence model); where the
paragraph model is not in this checkout it is skipped with that reason.
"""

import re

import pytest
from PIL import Image

from conftest import run_cli, screenshot
from propscope.analyzers.base import get_analyzer
from propscope.taxonomy import GROUPS


def _paragraph_model_available() -> bool:
    try:
        return get_analyzer("techniques").available() and get_analyzer("evidence").available()
    except KeyError:
        return False


def _blend(hex_colour: str, alpha: float) -> tuple[int, int, int]:
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(255 * (1 - alpha) + c * alpha) for c in rgb)


def _count_near(image: Image.Image, colour, tolerance: int = 4) -> int:
    return sum(
        count
        for count, pixel in image.getcolors(maxcolors=1 << 20)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
    )


def test_report_of_the_examples_highlights_evidence(shared_examples, chromium, tmp_path):
    if not _paragraph_model_available():
        pytest.skip("the techniques (paragraph) model is not in this checkout")
    inputs = sorted(str(p) for p in shared_examples.glob("*.txt"))
    assert inputs
    page = tmp_path / "report.html"
    # every label: the confident view (the default) may rightly show none on two articles
    result = run_cli("analyze", *inputs, "--format", "html", "--view", "all", "-o", str(page))
    assert result.returncode == 0, result.stderr.decode()
    html = page.read_text(encoding="utf-8")
    marks = re.findall(r"<mark\b[^>]*>", html)
    assert len(marks) >= len(inputs), "no highlighted evidence in the report"
    image = Image.open(screenshot(chromium, page, tmp_path / "report.png", "1200,3000"))
    image = image.convert("RGB")
    highlighted = sum(
        _count_near(image, _blend(group.colour, 0x40 / 255)) for group in GROUPS.values()
    )
    assert highlighted > 500, f"only {highlighted} highlight-coloured pixels"
