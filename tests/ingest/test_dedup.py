"""Exact and near duplicates across a stream: flagged, linked to the first copy, skipped on ask."""

import json

from conftest import run_cli
from propscope.ingest import parse_text
from propscope.ingest.clean import mark_boilerplate
from propscope.ingest.dedup import Deduplicator, flag_duplicates

BODY = [
    "The regional parliament approved a new law on Thursday that will require every town of more "
    "than ten thousand people to publish its budget online in a form that anyone can read.",
    "Supporters said the law would make it harder to hide spending on consultants and events, "
    "while mayors of small towns complained that they had neither the staff nor the money.",
    "The law takes effect in January, and the first budgets must be online by the end of March.",
    "Opposition members abstained, saying the law did not go far enough because contracts below "
    "a certain value would still not have to be published at all.",
]
OTHER = [
    "Heavy snow closed the mountain pass for the second time this week, stranding dozens of "
    "lorries on both sides of the border while ploughs worked through the night.",
    "The road authority said it would reopen the pass once the avalanche risk had fallen, which "
    "could take until Sunday if the forecast of more snow proves right.",
]


def _article(article_id, title, body, header="", footer=""):
    text = (header + "\n" if header else "") + title + "\n\n" + "\n".join(body) + "\n"
    text += footer + "\n" if footer else ""
    return mark_boilerplate(parse_text(text, article_id, layout="lines"))


def test_exact_and_near_copies_point_to_the_first_and_different_articles_do_not():
    original = _article("a1", "Towns must publish budgets", BODY)
    exact = _article("a2", "Towns must publish budgets", BODY)
    restyled = _article(
        "a3",
        "New law: towns must publish their budgets",
        BODY,
        header="Last updated: 12 May 2023, 10:15",
        footer="Follow us on Facebook and Twitter\n© 2023 Another Outlet. All rights reserved.",
    )
    edited = _article("a4", "Towns must publish budgets", BODY[:-1] + [BODY[-1] + " Really."])
    other = _article("b1", "Snow closes the pass", OTHER)
    same_outlet = _article("b2", "Snow closes the pass again", OTHER[:1] + BODY[2:3])
    articles = list(Deduplicator()([original, exact, restyled, edited, other, same_outlet]))
    assert [a.duplicate_of for a in articles] == [None, "a1", "a1", "a1", None, None]


def test_flag_duplicates_passes_other_items_and_handles_repeated_ids():
    first = _article("same", "Towns must publish budgets", BODY)
    different = _article("same", "Snow closes the pass", OTHER)
    copy = _article("x", "Snow closes the pass", OTHER)
    items = list(flag_duplicates(["not an article", first, different, copy]))
    assert items[0] == "not an article"
    assert [a.duplicate_of for a in items[1:]] == [None, None, "same"]


def test_cli_flags_duplicates_and_dedupe_skips_them(tmp_path):
    corpus = tmp_path / "wire.jsonl"
    records = [
        {"id": "w1", "text": "Towns must publish budgets\n\n" + "\n".join(BODY)},
        {"id": "w2", "text": "Snow closes the pass\n\n" + "\n".join(OTHER)},
        {
            "id": "w3",
            "text": "Updated: 3 May 2023 09:00\nTowns must publish budgets\n\n"
            + "\n".join(BODY)
            + "\nShare this article on Facebook",
        },
    ]
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = run_cli("analyze", str(corpus), "--format", "jsonl", "--analyzers", "language")
    assert result.returncode == 0, result.stderr
    flagged = [json.loads(line)["duplicate_of"] for line in result.stdout.decode().splitlines()]
    assert flagged == [None, None, "w1"]
    result = run_cli("analyze", str(corpus), "--format", "jsonl", "--dedupe")
    assert result.returncode == 0
    kept = [json.loads(line)["id"] for line in result.stdout.decode().splitlines()]
    assert kept == ["w1", "w2"]
    assert "1 duplicate article(s) skipped" in result.stderr.decode()
