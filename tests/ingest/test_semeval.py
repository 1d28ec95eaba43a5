"""The SemEval reader reproduces the official templates byte for byte."""

import io

import pytest

from propscope.ingest.semeval import (
    FOLDER_LANGUAGES,
    TRAINING_FOLDERS,
    iter_semeval_dir,
    language_of_folder,
    write_template,
)


@pytest.mark.parametrize("folder", TRAINING_FOLDERS)
def test_train_templates_are_reproduced(shared_data, folder):
    _check_template(shared_data / folder, "train")


@pytest.mark.parametrize("folder", sorted(FOLDER_LANGUAGES))
def test_test_templates_are_reproduced(shared_data, folder):
    _check_template(shared_data / folder, "test")


def _check_template(root, kind):
    articles = list(iter_semeval_dir(root / f"{kind}-articles-subtask-3"))
    assert articles, f"no articles in {root}"
    out = io.StringIO(newline="")
    write_template(articles, out)
    expected = (root / f"{kind}-labels-subtask-3.template").read_bytes()
    assert out.getvalue().encode("utf-8") == expected
    for article in articles:
        assert all(article.text[p.start : p.end] == p.text for p in article.paragraphs)


def test_language_comes_from_the_folder(shared_data):
    article_dir = shared_data / "ge" / "test-articles-subtask-3"
    first = next(iter(sorted(article_dir.iterdir())))
    assert language_of_folder(first) == "de"


def test_reader_keeps_text_verbatim(tmp_path):
    path = tmp_path / "article42.txt"
    path.write_bytes("\ufeffTitle\r\n\r\nBody one.\r\n \r\nBody two.".encode())
    (article,) = iter_semeval_dir(tmp_path)
    assert article.id == "42"
    assert article.title == "Title"
    assert article.text.startswith("\ufeffTitle\r\n")
    assert [(p.line, p.text) for p in article.paragraphs] == [
        (1, "\ufeffTitle"),
        (3, "Body one."),
        (5, "Body two."),
    ]
    out = io.StringIO(newline="")
    write_template([article], out)
    assert out.getvalue() == "42\t1\t\ufeffTitle\r\n42\t3\tBody one.\r\n42\t5\tBody two."
