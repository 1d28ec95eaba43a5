"""SemEval span annotations as token labels."""

import pytest

from propscope.errors import InputError
from propscope.features.tokens import TokenFeaturizer
from propscope.ingest.semeval import read_semeval_article
from propscope.training.evidence_data import (
    LABEL_INDEX,
    SpanCorpus,
    build_token_data,
    clip_to_paragraphs,
    read_span_file,
)


def _article(tmp_path):
    path = tmp_path / "article7.txt"
    path.write_bytes("Titre\r\n\r\nLes élites corrompues mentent.\r\nEncore.\r\n".encode())
    return read_semeval_article(path)


def test_spans_crossing_a_line_end_are_clipped(tmp_path):
    article = _article(tmp_path)
    body = article.paragraphs[1]
    assert article.text[body.start : body.end] == "Les élites corrompues mentent."
    crossing = ("Doubt", body.start + 4, article.paragraphs[2].start + 6)
    pieces = clip_to_paragraphs(article, [crossing])
    assert [(p, t) for p, t, _, _ in pieces] == [(1, "Doubt"), (2, "Doubt")]
    assert [article.text[s:e] for _, _, s, e in pieces] == ["élites corrompues mentent.", "Encore"]


def test_token_labels_follow_the_spans(tmp_path):
    article = _article(tmp_path)
    body = article.paragraphs[1]
    start = body.start + body.text.index("élites")
    spans = {"7": [("Loaded_Language", start, start + len("élites corrompues"))]}
    corpus = SpanCorpus([article], spans, {}, "f")
    data = build_token_data(corpus, TokenFeaturizer(bits=12))
    column = data.Y[:, LABEL_INDEX["Loaded_Language"]]
    tokens = [article.text[s:e] for s, e in zip(data.table.starts, data.table.ends, strict=True)]
    assert [t for t, y in zip(tokens, column, strict=True) if y] == ["élites", "corrompues"]
    assert data.X.shape[0] == len(tokens) == data.Y.shape[0]
    assert data.gold == [("7", "Loaded_Language", start, start + len("élites corrompues"))]


def test_malformed_span_file(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("7\tDoubt\t3\t9\n\n", encoding="utf-8")
    assert read_span_file(good) == [("Doubt", 3, 9)]
    bad = tmp_path / "bad.txt"
    bad.write_text("7\tNot_A_Technique\t3\t9\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        read_span_file(bad)
