"""The acceptance check of issue 15 on the two real articles in ../shared/examples: every quoted
statement of the spokesperson and of the government is found, with the right speaker.

The expected spans are our annotations in benchmarks/quotes_gold/examples.jsonl (offsets only;
the articles stay in ../shared)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from propscope.analyzers.names import same_name
from propscope.analyzers.quotes import QuotesAnalyzer
from propscope.ingest import read_path

GOLD = Path(__file__).resolve().parents[2] / "benchmarks" / "quotes_gold" / "examples.jsonl"
ROWS = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_every_statement_of_the_examples_is_found_with_its_speaker(row, shared_examples):
    path = shared_examples.parent / row["path"]
    if not path.is_file():
        pytest.skip(f"{path} not found")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"], "example changed"
    article = QuotesAnalyzer()(read_path(path))
    for gold in row["quotes"]:
        overlapping = [
            q for q in article.quotes if min(q.end, gold["end"]) > max(q.start, gold["start"])
        ]
        words = article.text[gold["start"] : gold["end"]][:50]
        assert overlapping, f"not found: {words!r}"
        best = max(overlapping, key=lambda q: min(q.end, gold["end"]) - max(q.start, gold["start"]))
        assert same_name(best.resolved_speaker, gold["speaker"]), (words, best)
        assert best.direct == gold["direct"], words
