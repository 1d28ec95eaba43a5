import pytest

from propscope.errors import InputError
from propscope.ingest.text import article_from_bytes, decode, describe_binary, parse_text


def _slices_exactly(article):
    return all(article.text[p.start : p.end] == p.text for p in article.paragraphs)


def test_single_newlines_give_one_paragraph_per_line():
    article = parse_text("Title\nFirst line.\nSecond line.", "x")
    assert [p.line for p in article.paragraphs] == [1, 2, 3]
    assert article.title == "Title"
    assert article.paragraphs[2].text == "Second line."
    assert _slices_exactly(article)


def test_blank_lines_keep_official_line_numbers():
    article = parse_text("Title\n\nOne.\n\n\nTwo.\n", "x")
    assert [(p.line, p.text) for p in article.paragraphs] == [
        (1, "Title"),
        (3, "One."),
        (6, "Two."),
    ]


def test_hard_wrapped_blocks_become_one_paragraph():
    text = (
        "A title\n\nThis paragraph was wrapped by an editor\nat a fixed width so that its lines\n"
        "stop in the middle of sentences.\n\nA second block that is also\nwrapped.\n"
    )
    article = parse_text(text, "x")
    assert [p.line for p in article.paragraphs] == [1, 3, 7]
    assert (
        article.paragraphs[1].text.startswith("This paragraph")
        and "\n" in article.paragraphs[1].text
    )
    assert _slices_exactly(article)


def test_windows_line_ends_and_bom_are_normalised():
    article = article_from_bytes(b"\xef\xbb\xbfTitle\r\n\r\nBody text.\r\n", "f.txt", "f")
    assert article.text == "Title\n\nBody text.\n"
    assert [(p.line, p.text) for p in article.paragraphs] == [(1, "Title"), (3, "Body text.")]


def test_latin1_is_detected_with_a_warning_naming_the_file():
    data = "Le ministère a déclaré que la sécurité était menacée.\n".encode("latin-1") * 3
    article = article_from_bytes(data, "old.txt", "old")
    assert "ministère" in article.text
    assert article.warnings and article.warnings[0].startswith("old.txt: not UTF-8")


def test_binary_and_empty_inputs_are_rejected():
    assert describe_binary(b"\x89PNG\r\n\x1a\n....") == "a PNG image"
    assert describe_binary(b"plain text") is None
    with pytest.raises(InputError, match="empty file"):
        article_from_bytes(b"", "e.txt", "e")
    with pytest.raises(InputError, match="only white space"):
        article_from_bytes(b"  \n\n \t\n", "w.txt", "w")
    with pytest.raises(InputError, match="binary data"):
        article_from_bytes(b"abc\x00\x01\x02" * 10, "b.bin", "b")


def test_decode_prefers_utf8():
    assert decode("Привет".encode(), "x") == ("Привет", None)
