import io

import pytest

from propscope.document import Prediction
from propscope.errors import FormatError
from propscope.evaluation.formats import predictions_of, read_labels, write_labels
from propscope.ingest import parse_text


def _write(tmp_path, text, name="labels.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_of_all_three_formats(tmp_path):
    cases = {
        "genre": {"11": "opinion", "12": "satire"},
        "frames": {"11": ["Economic", "Political"], "12": []},
        "techniques": {("11", 1): [], ("11", 3): ["Doubt", "Slogans"]},
    }
    for task, labels in cases.items():
        out = io.StringIO()
        write_labels(labels, task, out)
        path = _write(tmp_path, out.getvalue(), f"{task}.txt")
        assert read_labels(path, task) == labels


def test_frames_line_without_tab_is_an_empty_list(tmp_path):
    assert read_labels(_write(tmp_path, "5\n6\tMorality\n"), "frames") == {
        "5": [],
        "6": ["Morality"],
    }


@pytest.mark.parametrize(
    ("task", "text", "message"),
    [
        ("genre", "1\tpropaganda\n", "unknown genre label 'propaganda'"),
        ("frames", "1\tEconomy\n", "unknown frames label 'Economy'"),
        ("techniques", "1\t3\tDoubt,Lies\n", "unknown techniques label 'Lies'"),
        ("techniques", "1\tx\tDoubt\n", "expected 'ID<TAB>line"),
        ("genre", "1\topinion\n1\tsatire\n", "appears twice"),
        ("genre", "1 opinion\n", "expected 'ID<TAB>genre'"),
    ],
)
def test_malformed_files_name_file_and_line(tmp_path, task, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(FormatError, match=message) as error:
        read_labels(path, task)
    assert str(path) in str(error.value)


def test_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(FormatError, match="no such file"):
        read_labels(tmp_path / "absent.txt", "genre")


def test_predictions_of_lists_every_paragraph():
    article = parse_text("T\n\nA.\nB.\n", "7")
    article.paragraphs[1].techniques = Prediction({"Doubt": 0.9}, ["Doubt"])
    assert predictions_of([article], "techniques") == {
        ("7", 1): [],
        ("7", 3): ["Doubt"],
        ("7", 4): [],
    }
