"""Record, in each shipped model's manifest, the ids of the articles it was trained on.

python benchmarks/record_training_ids.py [--data ../shared/data/semeval2023]

`propscope evaluate` warns when the gold file holds articles the shipped model was trained on
(its scores would then overstate the quality on unseen articles). The ids are read from the
training data and written only when the data's fingerprint is the one in the manifest, so the
list is exactly the model's training set. Article ids only: no text, no label.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from common import DEFAULT_DATA, ROOT

from propscope.training.data import load_labelled

FINGERPRINT_KEYS = ("training_data", "training_data_fingerprint")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    for task in ("genre", "frames", "techniques"):
        path = ROOT / "src" / "propscope" / "models" / task / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        expected = next(manifest[k] for k in FINGERPRINT_KEYS if k in manifest)
        corpus = load_labelled(args.data, task)
        if corpus.fingerprint != expected:
            print(f"{task}: the data at {args.data} is not the model's training data; skipped")
            continue
        manifest["training_article_ids"] = sorted({a.id for a in corpus.articles})
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
        print(f"{task}: {len(manifest['training_article_ids'])} training article ids recorded")


if __name__ == "__main__":
    main()
