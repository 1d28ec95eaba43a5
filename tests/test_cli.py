"""The real ``propscope`` command, run in a subprocess, on good and bad inputs."""

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES, run_cli

NOBODY = "65534"


def _errors(result) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if line]


def test_version_and_help():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.decode().startswith("propscope ")
    for command in ("analyze", "evaluate", "predict", "train"):
        result = run_cli(command, "--help")
        assert result.returncode == 0, command
        assert "usage: propscope " + command in result.stdout.decode()


def test_usage_errors_exit_2():
    assert run_cli().returncode == 2
    assert run_cli("analyze").returncode == 2
    result = run_cli("evaluate", "genre", "--gold", "x")
    assert result.returncode == 2 and "--pred" in result.stderr.decode()
    # the techniques encoder's head is chosen for that model only, before any data is read
    result = run_cli("train", "genre", "--model", "encoder", "--head", "ridge", "--data", "x",
                     "--out", "y")
    assert result.returncode == 2
    assert _errors(result)[-1] == "propscope: error: --head applies to techniques --model encoder"


def test_analyze_examples_as_json_slices_exactly(shared_examples):
    paths = sorted(str(p) for p in shared_examples.glob("*.txt"))
    result = run_cli("analyze", *paths, "--format", "json")
    assert result.returncode == 0, result.stderr
    articles = json.loads(result.stdout)
    assert len(articles) == len(paths)
    for article in articles:
        assert article["paragraphs"]
        for paragraph in article["paragraphs"]:
            assert article["text"][paragraph["start"] : paragraph["end"]] == paragraph["text"]


def test_bundled_examples_analyze_as_jsonl_and_text():
    result = run_cli("analyze", str(EXAMPLES), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert {r["language"] for r in records} == {"en", "fr"}
    text = run_cli("analyze", str(EXAMPLES)).stdout.decode()
    assert text.count("== ") == len(records)


def test_decision_chooses_the_shipped_threshold_set():
    from propscope.analyzers.techniques import TechniquesAnalyzer
    from propscope.taxonomy import TECHNIQUE_LABELS

    arrays = np.load(TechniquesAnalyzer.default_path() / "arrays.npz")
    for decision, name in (("micro", "thresholds"), ("balanced", "thresholds_balanced")):
        result = run_cli(
            "analyze", str(EXAMPLES), "--format", "jsonl", "--analyzers", "techniques",
            "--decision", decision,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        shipped = arrays[name].astype(float)
        if decision == "balanced":  # never stricter than micro: see TechniquesAnalyzer.load
            shipped = np.minimum(shipped, arrays["thresholds"].astype(float))
        shipped = np.round(shipped, 4)
        expected = dict(zip(TECHNIQUE_LABELS, shipped, strict=True))
        used = [
            paragraph["techniques"]["thresholds"]
            for line in result.stdout.decode().splitlines()
            for paragraph in json.loads(line)["paragraphs"]
            if paragraph["techniques"]  # boilerplate paragraphs are not analysed
        ]
        assert used and all(thresholds == pytest.approx(expected) for thresholds in used)
    assert run_cli("analyze", str(EXAMPLES), "--decision", "lenient").returncode == 2


def test_standard_input():
    result = run_cli("analyze", "-", "--format", "jsonl", stdin=b"Titre\n\nUn paragraphe.\n")
    assert result.returncode == 0
    article = json.loads(result.stdout)
    assert article["id"] == "stdin" and article["title"] == "Titre"


@pytest.fixture
def bad_inputs(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("A title\n\nA paragraph of real text.\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "picture.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        line = b"This line repeats to make a file far larger than any article.\n"
        out.write(line * (50 * 1024 * 1024 // len(line) + 1))
    empty_dir = tmp_path / "nothing_here"
    empty_dir.mkdir()
    (empty_dir / "notes.md").write_text("not a .txt file")
    return {
        "good": good,
        "empty": empty,
        "png": png,
        "huge": huge,
        "empty_dir": empty_dir,
        "missing": tmp_path / "missing.txt",
    }


def test_bad_inputs_get_one_line_each_and_the_rest_run(bad_inputs):
    order = ["empty", "png", "good", "huge", "empty_dir", "missing"]
    result = run_cli("analyze", *(str(bad_inputs[k]) for k in order), "--format", "jsonl")
    assert result.returncode == 1
    errors = _errors(result)
    assert len(errors) == 5, errors
    expected = {
        "empty": "empty file",
        "png": "looks like a PNG image",
        "huge": "too large for one article",
        "empty_dir": "folder holds no files matching '*.txt'",
        "missing": "no such file or directory",
    }
    for line, key in zip(errors, [k for k in order if k != "good"], strict=True):
        assert line.startswith(f"propscope: error: {bad_inputs[key]}: "), line
        assert expected[key] in line
    assert "Traceback" not in result.stderr.decode()
    (article,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert article["id"] == "good"


def test_unreadable_file_is_reported():
    with tempfile.TemporaryDirectory() as name:
        _check_unreadable_file(Path(name))


def _check_unreadable_file(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    locked = folder / "locked.txt"
    locked.write_text("Title\n\nSecret text.\n")
    locked.chmod(0)
    readable = folder / "open.txt"
    readable.write_text("Title\n\nOpen text.\n")
    user = None
    if os.geteuid() == 0:  # root reads everything: run the command as an ordinary user
        if shutil.which("setpriv") is None:
            pytest.fail("running as root needs setpriv to test permissions")
        for path in (tmp_path, folder):
            path.chmod(0o755)
        readable.chmod(0o644)
        user = NOBODY
    result = run_cli("analyze", str(locked), str(readable), "--format", "jsonl", user=user)
    assert result.returncode == 1, result.stderr
    assert _errors(result) == [f"propscope: error: {locked}: permission denied"]
    assert json.loads(result.stdout)["id"] == "open"


def test_output_file_is_never_half_written(tmp_path, bad_inputs):
    target = tmp_path / "out.jsonl"
    target.write_text("previous results\n")
    result = run_cli("analyze", str(bad_inputs["good"]), "--format", "jsonl", "-o", str(target))
    assert result.returncode == 0
    assert json.loads(target.read_text())["id"] == "good"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.jsonl")]


def test_evaluate_prints_official_score(tmp_path):
    gold = tmp_path / "gold.txt"
    pred = tmp_path / "pred.txt"
    gold.write_text("1\topinion\n2\treporting\n")
    pred.write_text("1\topinion\n2\topinion\n")
    result = run_cli("evaluate", "genre", "--gold", str(gold), "--pred", str(pred))
    assert result.returncode == 0, result.stderr
    # opinion P .5 R 1 F 2/3; reporting F 0 -> macro 1/3
    assert "genre: macro_f1 = 0.3333" in result.stdout.decode()
    result = run_cli("evaluate", "genre", "--gold", str(gold), "--pred", str(pred), "--json")
    assert json.loads(result.stdout)["accuracy"] == 0.5


def test_evaluate_rejects_unknown_labels_and_mismatched_ids(tmp_path):
    gold = tmp_path / "gold.txt"
    gold.write_text("1\t1\tDoubt\n1\t3\t\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("1\t1\tLying\n1\t3\t\n")
    short = tmp_path / "short.txt"
    short.write_text("1\t1\tDoubt\n")
    result = run_cli("evaluate", "techniques", "--gold", str(gold), "--pred", str(bad))
    assert result.returncode == 1
    assert _errors(result) == [f"propscope: error: {bad}:1: unknown techniques label 'Lying'"]
    result = run_cli("evaluate", "techniques", "--gold", str(gold), "--pred", str(short))
    assert result.returncode == 1 and "1 gold entries have no prediction" in result.stderr.decode()


def test_non_utf8_file_is_read_with_a_warning(tmp_path):
    old = tmp_path / "ancien.txt"
    old.write_bytes(
        "Titre\n\nLe ministère a déclaré que la sécurité était menacée.\n".encode("cp1252")
    )
    result = run_cli("analyze", str(old), "--format", "jsonl")
    assert result.returncode == 0
    assert _errors(result) == [f"propscope: {old}: not UTF-8, read as cp1252"]
    assert "ministère" in json.loads(result.stdout)["text"]
