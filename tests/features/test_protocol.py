"""The three featurizers follow one protocol: name, version, settings as a dict, transform."""

import numpy as np
import pytest

from propscope.features import Featurizer
from propscope.features.article_ngrams import ArticleNgrams
from propscope.features.paragraph_tfidf import HashedTfidf, TfidfSettings
from propscope.features.tokens import TokenFeaturizer
from propscope.ingest import parse_text

TEXTS = ["The corrupt elite lied to us again!", "Les élites corrompues nous ont menti."]


def _featurizers():
    tfidf = HashedTfidf(TfidfSettings(char_bits=12, word_bits=12))
    tfidf.fit(tfidf.counts(TEXTS))
    return [tfidf, ArticleNgrams(), TokenFeaturizer(bits=12)]


@pytest.mark.parametrize("featurizer", _featurizers(), ids=lambda f: f.name)
def test_settings_round_trip_and_same_features(featurizer):
    assert isinstance(featurizer, Featurizer)
    assert isinstance(featurizer.name, str) and isinstance(featurizer.version, int)
    settings = featurizer.settings_dict()
    if isinstance(featurizer, HashedTfidf):
        rebuilt = HashedTfidf.from_settings(settings, featurizer.idf)
        first, again = featurizer.transform(TEXTS), rebuilt.transform(TEXTS)
        assert (first != again).nnz == 0 and first.shape[0] == 2
    elif isinstance(featurizer, ArticleNgrams):
        rebuilt = ArticleNgrams.from_settings(settings)
        articles = [parse_text(f"Title\n\n{t}\n", "x") for t in TEXTS]
        for (i1, v1), (i2, v2) in zip(
            featurizer.transform(articles), rebuilt.transform(articles), strict=True
        ):
            assert np.array_equal(i1, i2) and np.array_equal(v1, v2) and len(i1)
    else:
        rebuilt = TokenFeaturizer.from_settings(settings)
        first, again = featurizer.transform(TEXTS), rebuilt.transform(TEXTS)
        assert np.array_equal(first.indices, again.indices) and len(first) > 10
    assert rebuilt.settings_dict() == settings


def test_token_features_of_another_version_are_refused():
    settings = TokenFeaturizer(bits=12).settings_dict()
    with pytest.raises(ValueError, match="version"):
        TokenFeaturizer.from_settings({**settings, "version": 999})


def test_article_features_are_kept_in_the_articles_work_area():
    article = parse_text("Title\n\nThe corrupt elite lied to us again.\n", "x")
    featurizer = ArticleNgrams()
    first = featurizer.features_of(article)
    assert featurizer.features_of(article) is first  # computed once per article
    article.paragraphs[-1].text = "A different paragraph now."
    assert featurizer.features_of(article) is not first  # the text changed: features anew
    assert "article_ngrams" not in article.to_json()
