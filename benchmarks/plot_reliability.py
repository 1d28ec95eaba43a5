"""Reliability plot of the encoder models' calibrated probabilities (docs/encoder-reliability.png).

python benchmarks/plot_reliability.py [--out docs/encoder-reliability.png]

Reads the out-of-fold calibration bins stored in the shipped manifests (techniques and frames:
every (item, label) cell; genre: the shown genre's probability against being right) and draws
observed frequency against mean predicted probability per bin, with the diagonal of perfect
calibration and each model's expected calibration error. Drawn with pillow.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "src" / "propscope" / "models"
COLOURS = {
    "techniques_encoder": (31, 119, 180),
    "genre_encoder": (214, 39, 40),
    "frames_encoder": (44, 160, 44),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "encoder-reliability.png")
    args = parser.parse_args()
    size, margin = 520, 60
    image = Image.new("RGB", (size + 2 * margin + 200, size + 2 * margin), "white")
    draw = ImageDraw.Draw(image)

    def point(p: float, y: float) -> tuple[float, float]:
        return margin + p * size, margin + (1 - y) * size

    draw.rectangle([point(0, 1), point(1, 0)], outline=(0, 0, 0))
    draw.line([point(0, 0), point(1, 1)], fill=(150, 150, 150), width=1)
    for tick in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0):
        x, y = point(tick, 0)
        draw.text((x - 8, y + 6), f"{tick:.1f}", fill=(0, 0, 0))
        x, y = point(0, tick)
        draw.text((x - 30, y - 6), f"{tick:.1f}", fill=(0, 0, 0))
    draw.text((margin + size // 2 - 70, margin + size + 28), "mean predicted probability", fill=0)
    draw.text((8, margin - 30), "observed frequency (out-of-fold, article-held-out)", fill=0)
    legend_y = margin
    for name, colour in COLOURS.items():
        manifest_path = MODELS / name / "manifest.json"
        if not manifest_path.is_file():
            continue
        calibration = json.loads(manifest_path.read_text())["metrics"]["calibration"]["all"]
        bins = calibration["bins"]
        points = [point(p, y) for p, y, _ in bins]
        if len(points) > 1:
            draw.line(points, fill=colour, width=2)
        for (x, y), (_, _, count) in zip(points, bins, strict=True):
            radius = 3 if count < 100 else 5
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
        x0 = margin + size + 20
        draw.rectangle([x0, legend_y + 3, x0 + 12, legend_y + 15], fill=colour)
        label = name.removesuffix("_encoder")
        draw.text((x0 + 18, legend_y + 2), f"{label}  ECE {calibration['ece']:.3f}", fill=0)
        legend_y += 24
    args.out.parent.mkdir(parents=True, exist_ok=True)
    image.save(args.out)
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
