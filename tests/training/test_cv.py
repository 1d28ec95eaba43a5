from collections import Counter

from propscope.training.cv import article_folds


def test_folds_balance_every_stratum_and_are_reproducible():
    ids = [str(i) for i in range(50)]
    strata = ["fr"] * 10 + ["en"] * 40
    folds = article_folds(ids, strata, folds=5, seed=3)
    assert Counter(folds.tolist()) == {k: 10 for k in range(5)}
    assert Counter(folds[:10].tolist()) == {k: 2 for k in range(5)}
    assert (article_folds(ids, strata, folds=5, seed=3) == folds).all()
    assert not (article_folds(ids, strata, folds=5, seed=4) == folds).all()
