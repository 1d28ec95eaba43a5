"""Turn the marked-up annotation files into gold.jsonl (text, quotes, speakers, entities).

python benchmarks/quotes_gold/build.py

Markup, one file per language (``en.txt`` ...), articles written by us in the style of news and
opinion pieces: ``=== ID`` starts an article, then one paragraph per line (the first is the
title). Inside the text:

* ``⟦words⟧<Speaker Name>``: a direct quote; the marks ⟦ ⟧ stand just inside the quotation
  marks, so the span is the quoted words without their quotation marks.
* ``⟪words⟫<Speaker Name>``: reported speech, the span being what is reported.
* ``<?>`` as the speaker: the article does not say who speaks.
* ``[words|PER]``, ``[words|ORG]``, ``[words|LOC]``: a person, organisation or place.

The speaker is the person's full name, or, for a speaker never named, the words describing
them ("préfecture de police"). ``examples.jsonl`` holds our annotations of the two articles in
``../shared/examples`` as offsets only (their text stays there): each line has ``path``,
``sha256`` of that file, and quotes/entities as in gold.jsonl.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
_TOKEN = re.compile(r"⟦|⟧<([^>]*)>|⟪|⟫<([^>]*)>|\[|\|(PER|ORG|LOC)\]")


def parse(markup: str) -> tuple[str, list[dict], list[dict]]:
    """(plain text, quotes, entities) of one article's markup."""
    text: list[str] = []
    length = 0
    stack: list[tuple[str, int]] = []
    quotes, entities = [], []
    last = 0
    for match in _TOKEN.finditer(markup):
        piece = markup[last : match.start()]
        text.append(piece)
        length += len(piece)
        last = match.end()
        token = match.group()
        if token in ("⟦", "⟪", "["):
            stack.append((token, length))
        elif token.startswith("⟧") or token.startswith("⟫"):
            kind, start = stack.pop()
            if kind != ("⟦" if token.startswith("⟧") else "⟪"):
                near = markup[match.start() - 40 : last]
                raise ValueError(f"unbalanced quote markup near {near!r}")
            speaker = match.group(1) if token.startswith("⟧") else match.group(2)
            quotes.append(
                {
                    "start": start,
                    "end": length,
                    "direct": token.startswith("⟧"),
                    "speaker": None if speaker == "?" else speaker,
                }
            )
        else:
            kind, start = stack.pop()
            if kind != "[":
                near = markup[match.start() - 40 : last]
                raise ValueError(f"unbalanced entity markup near {near!r}")
            entities.append({"start": start, "end": length, "label": match.group(3)})
    text.append(markup[last:])
    if stack:
        raise ValueError(f"unclosed markup {stack}")
    quotes.sort(key=lambda q: q["start"])
    entities.sort(key=lambda e: e["start"])
    return "".join(text), quotes, entities


def articles(path: Path):
    language = path.stem
    for block in path.read_text(encoding="utf-8").split("=== ")[1:]:
        identifier, _, body = block.partition("\n")
        paragraphs = [line.strip() for line in body.strip().split("\n") if line.strip()]
        text, quotes, entities = parse("\n\n".join(paragraphs) + "\n")
        yield {
            "id": identifier.strip(),
            "language": language,
            "text": text,
            "quotes": quotes,
            "entities": entities,
        }


def main() -> None:
    rows = [row for path in sorted(HERE.glob("*.txt")) for row in articles(path)]
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    quotes = sum(len(r["quotes"]) for r in rows)
    entities = sum(len(r["entities"]) for r in rows)
    languages = sorted({r["language"] for r in rows})
    print(f"{len(rows)} articles ({', '.join(languages)}), {quotes} quotes, {entities} entities")


if __name__ == "__main__":
    main()
