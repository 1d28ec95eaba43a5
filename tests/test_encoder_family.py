"""Selecting the encoder family (shipped models) in the library and on the command line."""

from __future__ import annotations

import json
import shutil

import propscope
from conftest import run_cli

# Our own short article: a title and two paragraphs of loaded political prose in French.
TEXT = (
    "Le gouvernement trahit encore les Français\n\n"
    "Une fois de plus, ces incapables au pouvoir nous mentent en pleine figure et se moquent"
    " du peuple qui travaille dur pour payer leurs privilèges.\n\n"
    "Si nous ne réagissons pas maintenant, le pays sombrera dans le chaos et nos enfants"
    " paieront le prix de notre lâcheté.\n"
)


def test_library_selects_the_encoder_family():
    article = propscope.analyze(TEXT, model="encoder")
    paragraphs = article.analyzable_paragraphs()
    assert paragraphs and all(p.techniques.model == "encoder" for p in paragraphs)
    assert all("techniques:linear" not in p.predictions for p in paragraphs)
    assert article.genre.model == "encoder" and article.frames.model == "encoder"
    assert article.language == "fr"
    # evidence from the encoder's own span model, for the techniques shown
    assert "evidence_encoder" in propscope.load_runner(model="encoder").pipeline.names
    assert any(p.techniques.predicted for p in paragraphs)
    for paragraph in paragraphs:
        assert {s.label for s in paragraph.spans} == set(paragraph.techniques.predicted)


def test_both_families_abstain_on_the_genre_of_a_short_text():
    for family in ("linear", "encoder"):
        genre = propscope.analyze(TEXT, model=family).genre
        assert genre.model == family
        assert genre.uncertain and genre.uncertain.startswith("text too short for genre"), family


def test_both_families_side_by_side_with_the_first_shown():
    article = propscope.analyze(TEXT, model="linear,encoder")
    for paragraph in article.analyzable_paragraphs():
        assert paragraph.techniques.model == "linear"
        assert paragraph.predictions["techniques:encoder"].model == "encoder"
    assert article.genre.model == "linear"
    assert set(article.to_dict()["alternatives"]) >= {"genre:encoder", "frames:encoder"}


def test_cli_analyze_and_predict_with_the_encoder(tmp_path, shared_data):
    text_file = tmp_path / "article.txt"
    text_file.write_text(TEXT, encoding="utf-8")
    result = run_cli("analyze", str(text_file), "--format", "jsonl", "--model", "encoder")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.decode().splitlines()[0])
    assert data["genre"]["model"] == "encoder"
    assert {p["techniques"]["model"] for p in data["paragraphs"] if p["techniques"]} == {"encoder"}

    folder = tmp_path / "es"
    folder.mkdir()
    source = shared_data / "es" / "test-articles-subtask-3"
    chosen = sorted(source.glob("article*.txt"), key=lambda p: p.stat().st_size)[:2]
    for path in chosen:
        shutil.copy(path, folder / path.name)
    out = tmp_path / "techniques.txt"
    result = run_cli(
        "predict", "techniques", str(folder), "--model", "encoder", "--language", "es",
        "-o", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    expected = sum(
        1 for path in chosen for line in path.read_text(encoding="utf-8").splitlines() if line
    )
    assert len(lines) == expected
    assert all(len(line.split("\t")) == 3 for line in lines)
