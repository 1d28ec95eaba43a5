"""Write examples.jsonl: our annotations of the two articles in ../shared/examples, as offsets.

python benchmarks/quotes_gold/examples_offsets.py [--shared ../shared]

The articles are not ours and stay in ../shared; each annotation names its text by the words it
starts and ends with, and this script turns them into offsets, with the file's SHA-256 so that
a changed file is noticed. ``scored_until`` ends the article before the site's boilerplate
(sharing links, related headlines), which is not scored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

HUA = "Hua Chunying"
EMBASSY = "porte-parole de l'ambassade de Chine au Royaume-Uni"

# path, where scoring stops, quotes (first words, last words, direct, speaker), entities
# (words, label, offset of the name inside the words, length of the name or None for all)
EXAMPLES = [
    (
        "examples/000_c9c05234e123b85a.txt",
        ("Rejoignez", 0),
        [
            ("La Chine s’oppose", "extrêmement irresponsable", False, HUA),
            ("Nous avons prêté", "fortement opposé", True, HUA),
            ("la cybersécurité est un défi", "le dialogue et la coopération", False, HUA),
            ("La politisation", "du cyberespace", True, HUA),
            ("le Royaume-Uni a développé", "la véritable menace pour le cyberespace", False, HUA),
            ("Nous exhortons", "et non l’inverse", True, HUA),
        ],
        [
            ("Chine", "LOC", 0, None),
            ("Royaume-Uni", "LOC", 0, None),
            ("Pékin", "LOC", 0, None),
            ("ministère chinois des Affaires étrangères", "ORG", 0, None),
            ("Hua Chunying", "PER", 0, None),
            ("Dominic Raab", "PER", 0, None),
            ("Fédération de Russie", "LOC", 0, None),
            ("Raab,", "PER", 0, 4),
            ("la Russie", "LOC", 3, None),
            ("Iran", "LOC", 0, None),
            ("Corée du Nord", "LOC", 0, None),
        ],
    ),
    (
        "examples/004_48e08f0d0b571247.txt",
        ("a-t-il conclu.", len("a-t-il conclu.")),
        [
            ("pure fabrication", "pure fabrication", True, EMBASSY),
            ("calomnie", "calomnie", True, EMBASSY),
            ("Nous appelons", "contre la Chine", True, EMBASSY),
            ("les Etats-Unis se livraient", "européens", False, EMBASSY),
            ("En la matière", 'Au voleur!"', False, EMBASSY),
            ("la cybersécurité est une question globale", "intérêts de tous", False, EMBASSY),
            ("La Chine s'est toujours montrée", "communauté partagée de cybersécurité", False,
             EMBASSY),
        ],
        [
            ("ambassade de Chine au Royaume-Uni", "ORG", 0, None),
            ("Foreign Office", "ORG", 0, None),
            ("Microsoft", "ORG", 0, None),
            ("Etats-Unis", "LOC", 0, None),
            ("WikiLeaks", "ORG", 0, None),
            ("Edward Snowden", "PER", 0, None),
            ("Crypto AG", "ORG", 0, None),
            ("le Royaume-Uni et", "LOC", 3, len("Royaume-Uni")),
            ("La Chine", "LOC", 3, None),
            ("contre la Chine", "LOC", 10, None),
            ("de Chine.", "LOC", 3, len("Chine")),
        ],
    ),
]


def annotate(text: str, until: tuple[str, int], quotes, entities) -> dict:
    scored_until = text.index(until[0]) + until[1]
    found_quotes = []
    for first, last, direct, speaker in quotes:
        start = text.index(first)
        end = text.index(last, start) + len(last)
        found_quotes.append({"start": start, "end": end, "direct": direct, "speaker": speaker})
    spans = []
    for words, label, skip, length in entities:
        for match in re.finditer(re.escape(words), text[:scored_until]):
            start = match.start() + skip
            end = start + length if length is not None else match.end()
            spans.append({"start": start, "end": end, "label": label})
    kept: list[dict] = []  # overlapping matches ("Raab" in "Dominic Raab"): the longest wins
    for span in sorted(spans, key=lambda s: s["start"] - s["end"]):
        if not any(min(span["end"], k["end"]) > max(span["start"], k["start"]) for k in kept):
            kept.append(span)
    return {
        "scored_until": scored_until,
        "quotes": found_quotes,
        "entities": sorted(kept, key=lambda s: s["start"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=HERE.parents[2] / "shared")
    args = parser.parse_args()
    with open(HERE / "examples.jsonl", "w", encoding="utf-8") as out:
        for path, until, quotes, entities in EXAMPLES:
            data = (args.shared / path).read_bytes()
            row = {
                "id": Path(path).stem,
                "language": "fr",
                "path": path,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            row.update(annotate(data.decode("utf-8"), until, quotes, entities))
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(EXAMPLES)} examples annotated")


if __name__ == "__main__":
    main()
