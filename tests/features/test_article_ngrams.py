import numpy as np

from propscope.features.article_ngrams import ArticleNgramSettings, article_text, featurize
from propscope.ingest import parse_text
from propscope.models.linear import LinearHead
from propscope.training.ridge import feature_matrix

SETTINGS = ArticleNgramSettings()


def test_features_are_deterministic_and_normalised_per_block():
    index, values = featurize("Title", "The council sold out our town. The council lied.", SETTINGS)
    again = featurize("Title", "The council sold out our town. The council lied.", SETTINGS)
    assert np.array_equal(index, again[0]) and np.array_equal(values, again[1])
    char = index < 2**SETTINGS.char_bits
    assert char.any() and (~char).any()
    assert np.isclose(np.sum(values[char] ** 2), SETTINGS.char_weight**2, rtol=1e-5)
    assert np.isclose(np.sum(values[~char] ** 2), SETTINGS.word_weight**2, rtol=1e-5)
    assert index.max() < SETTINGS.size and len(np.unique(index)) == len(index)


def test_char_ngrams_stay_inside_words_and_ignore_case_and_spacing():
    a = featurize("", "Ab  cd", SETTINGS)
    b = featurize("", "ab\ncd", SETTINGS)
    joined = featurize("", "abcd", SETTINGS)
    assert np.array_equal(a[0], b[0])
    assert not np.array_equal(a[0], joined[0])
    # " ab ", " cd ": 3 two-grams + 2 three-grams + 1 four-gram per word, none shared
    char = a[0] < 2**SETTINGS.char_bits
    assert char.sum() == 12


def test_empty_text_gives_no_features():
    index, values = featurize("", "   ", SETTINGS)
    assert len(index) == 0 and len(values) == 0


def test_article_text_drops_the_title_line_and_boilerplate():
    article = parse_text("A title\n\nFirst line.\nSubscribe now!\n", "x")
    article.paragraphs[-1].boilerplate = True
    assert article_text(article) == "First line."


def test_linear_head_matches_the_sparse_product():
    rows = [featurize("t", "one two three", SETTINGS), featurize("u", "four five", SETTINGS)]
    X = feature_matrix(rows, SETTINGS)
    rng = np.random.default_rng(0)
    weights = rng.integers(-127, 128, size=(SETTINGS.size, 3)).astype(np.int8)
    scale, bias = np.full(3, 0.01, np.float32), np.array([1, 2, 3], np.float32)
    head = LinearHead(weights, scale, bias)
    expected = X @ (weights.astype(np.float32) * scale) + bias
    for row, want in zip(rows, expected, strict=True):
        assert np.allclose(head.scores(row), want, atol=1e-4)
