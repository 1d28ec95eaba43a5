"""`propscope stories` end to end, over analysed JSONL written by the test.

One run is a real subprocess (exit code and stderr as a user meets them); the others call the
same command in-process, so the encoder loads once.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pyarrow.parquet as pq

from conftest import run_cli
from propscope.cli import main
from story_corpus import analysed_corpus


def stories(capsys, *args):
    """`propscope stories ARGS` in-process; (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(["stories", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write_jsonl(path, articles):
    path.write_text("".join(a.to_json() + "\n" for a in articles), encoding="utf-8")


def test_stories_json_csv_parquet_and_text(tmp_path, capsys):
    corpus = tmp_path / "analysed.jsonl"
    write_jsonl(corpus, analysed_corpus())
    parquet = tmp_path / "table.parquet"
    code, out, err = stories(capsys, corpus, "--format", "json", "--parquet", parquet)
    assert code == 0, err
    data = json.loads(out)
    assert data["articles"] == 7 and data["stories"] == 3
    storm = next(v for v in data["views"] if "Gerda" in v["title"])
    assert storm["outlets"] == ["Elbe Anzeiger", "Harbour Post", "Le Courrier Maritime"]
    assert storm["languages"] == ["de", "en", "fr"]
    assert [row["date"] for row in storm["timeline"]] == sorted(
        row["date"] for row in storm["timeline"]
    )
    german = storm["by_outlet"]["Elbe Anzeiger"]
    # title and one paragraph, both analysed
    assert german["techniques"]["Loaded_Language"] == {"count": 2, "per_100_paragraphs": 100.0}
    assert german["speakers"] == {"Hafenbehörde": 1}
    assert storm["differing_passages"]
    profile = next(p for p in data["profiles"] if p["outlet"] == "Elbe Anzeiger"
                   and p["label"] == "Loaded_Language")  # fmt: skip
    assert profile["count"] == 2 and profile["others_count"] == 0
    table = pq.read_table(parquet).to_pylist()
    assert {"Elbe Anzeiger", "Harbour Post"} <= {row["outlet"] for row in table}

    code, out, err = stories(capsys, corpus, "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert any(r["outlet"] == "Elbe Anzeiger" and r["label"] == "Loaded_Language"
               and r["count"] == "2" for r in rows)  # fmt: skip

    code, out, err = stories(capsys, corpus)
    assert code == 0, err
    assert "Timeline" in out and "Passages that differ most" in out
    assert "Hafenbehörde (1)" in out


def test_a_bad_input_is_one_line_and_the_others_still_run(tmp_path):
    good = tmp_path / "good.jsonl"
    write_jsonl(good, analysed_corpus()[:3])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"schema_version": 1, "id": "x", "nonsense": true}\n', encoding="utf-8")
    result = run_cli("stories", str(bad), str(good), "--format", "json")
    code, out, err = result.returncode, result.stdout.decode(), result.stderr.decode()
    assert code == 1
    assert err.count("\n") == 1 and "bad.jsonl" in err and "Traceback" not in err
    assert json.loads(out)["articles"] == 3


def test_state_carries_stories_across_runs(tmp_path, capsys):
    articles = analysed_corpus()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_jsonl(first, articles[:5])
    write_jsonl(second, articles[5:6])  # the follow-up, alone in the second run
    state = tmp_path / "state"
    assert stories(capsys, first, "--state", state, "--format", "json")[0] == 0
    code, out, err = stories(
        capsys, second, "--state", state, "--format", "json", "--min-size", "1"
    )
    assert code == 0, err
    data = json.loads(out)
    story = data["story_of"]["en-reopen"]
    first_run = json.loads((state / "stories.json").read_text())
    assert first_run["article_ids"][:5] == [a.id for a in sorted(
        articles[:5], key=lambda a: a.published)]  # fmt: skip
    # the follow-up joined the story the first run made for the storm
    position = first_run["article_ids"].index("en-storm")
    with np.load(state / "stories.npz", allow_pickle=False) as saved:
        assert saved["story_of"][position] == story
