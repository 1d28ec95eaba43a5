"""Snapshot every shipped model's predictions on the test articles of all nine languages.

Refactors must not change a single prediction. Run before a change with ``--write FILE`` and
after it with ``--compare FILE``: it prints one SHA-256 per language and decision rule, and the
first difference if any (exit code 1).

    .venv/bin/python benchmarks/prediction_snapshot.py --write /tmp/before.jsonl
    .venv/bin/python benchmarks/prediction_snapshot.py --compare /tmp/before.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import propscope

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PROPSCOPE_SHARED", ROOT.parent / "shared"))
LANGUAGES = ("en", "fr", "ge", "it", "po", "ru", "es", "gr", "ka")
DECISIONS = ("micro", "balanced")


def _prediction(prediction) -> dict | None:
    if prediction is None:
        return None
    return {"p": prediction.probabilities, "y": prediction.predicted, "note": prediction.note}


def snapshot_lines() -> list[tuple[str, str]]:
    """(group, line) pairs: one JSON line per article, grouped by language and decision."""
    lines = []
    for folder in LANGUAGES:
        folder_path = SHARED / "data/semeval2023" / folder / "test-articles-subtask-3"
        files = sorted(folder_path.glob("*.txt"))
        for decision in DECISIONS:
            for path in files:
                article = propscope.analyze(propscope.read(str(path)), decision=decision)
                record = {
                    "id": article.id,
                    "language": article.language,
                    "genre": _prediction(article.genre),
                    "frames": _prediction(article.frames),
                    "paragraphs": [
                        {
                            "line": p.line,
                            "techniques": _prediction(p.techniques),
                            "spans": [
                                [s.start, s.end, s.label, s.confidence, s.fallback]
                                for s in p.spans
                            ],
                        }
                        for p in article.paragraphs
                    ],
                }
                lines.append((f"{folder}/{decision}", json.dumps(record, sort_keys=True)))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="FILE")
    group.add_argument("--compare", metavar="FILE")
    args = parser.parse_args()
    lines = snapshot_lines()
    digests: dict[str, hashlib._Hash] = {}
    for group_name, line in lines:
        digests.setdefault(group_name, hashlib.sha256()).update(line.encode("utf-8"))
    for group_name, digest in digests.items():
        print(f"{group_name:14} {digest.hexdigest()[:16]}")
    if args.write:
        Path(args.write).write_text("".join(line + "\n" for _, line in lines), encoding="utf-8")
        print(f"{len(lines)} article predictions written to {args.write}")
        return 0
    before = Path(args.compare).read_text(encoding="utf-8").splitlines()
    after = [line for _, line in lines]
    if before == after:
        print(f"identical: {len(after)} article predictions")
        return 0
    for number, (old, new) in enumerate(zip(before, after, strict=False)):
        if old != new:
            print(f"first difference at record {number}:\n- {old[:400]}\n+ {new[:400]}")
            break
    else:
        print(f"different lengths: {len(before)} before, {len(after)} after")
    return 1


if __name__ == "__main__":
    sys.exit(main())
