"""The HTML report as a reader sees it: rendered by headless chromium."""

from PIL import Image

from conftest import sample_evidence_article, screenshot
from propscope.report.html import render_html
from propscope.taxonomy import GROUPS


def _blend(hex_colour: str, alpha: float) -> tuple[int, int, int]:
    """The colour a translucent highlight takes over the white article background."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(round(255 * (1 - alpha) + c * alpha) for c in rgb)


def _count_near(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 4) -> int:
    return sum(
        count
        for count, pixel in image.getcolors(maxcolors=1 << 20)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
    )


def test_highlights_are_drawn_in_their_group_colours(tmp_path, chromium):
    page = tmp_path / "report.html"
    page.write_text(render_html([sample_evidence_article()]), encoding="utf-8")
    image = Image.open(screenshot(chromium, page, tmp_path / "report.png")).convert("RGB")
    wording = _blend(GROUPS["manipulative_wording"].colour, 0x40 / 255)
    attack = _blend(GROUPS["attack_on_reputation"].colour, 0x40 / 255)
    assert _count_near(image, wording) > 1000  # "corrupt elite" and "as always"
    assert _count_near(image, attack) > 500  # "lied again"
    # No justification span: at most a few anti-aliased pixels of its legend chip come close.
    unused = _blend(GROUPS["justification"].colour, 0x40 / 255)
    assert _count_near(image, unused) < 50
