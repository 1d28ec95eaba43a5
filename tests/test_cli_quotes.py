"""`propscope analyze --with quotes,entities` adds the opt-in analyzers to the default ones."""

from __future__ import annotations

import json

from conftest import run_cli


def test_analyze_with_quotes_and_entities(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(
        "Title\n\n“The grain crisis is a fabrication,” said Dmitry Peskov in Moscow.\n",
        encoding="utf-8",
    )
    result = run_cli("analyze", "--with", "quotes,entities", "--format", "json", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    article = data[0] if isinstance(data, list) else data
    assert article["summary"]["speakers"]["Dmitry Peskov"]["direct"] == 1
    assert {"Dmitry Peskov", "Moscow"} <= {e["text"] for e in article["entities"]}
    assert article["language"] == "en"  # the default analyzers ran too


def test_an_unknown_added_analyzer_is_one_clear_line(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Title\n\nText.\n", encoding="utf-8")
    result = run_cli("analyze", "--with", "nothing", str(path))
    assert result.returncode == 2
    assert b"unknown analyzer 'nothing'" in result.stderr
    assert b"Traceback" not in result.stderr
