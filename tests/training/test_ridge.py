import numpy as np
import pytest

from propscope.training.ridge import dual_scores


def test_article_weight_two_equals_the_article_twice():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 4))
    targets = rng.choice([-1.0, 1.0], size=(6, 2))
    test = np.array([5])
    weighted = dual_scores(
        X @ X.T + 1, np.arange(5), test, targets[:5], 0.5, np.array([2.0, 1, 1, 1, 1])
    )
    twice = np.vstack([X[:5], X[:1], X[5:]])
    duplicated = dual_scores(
        twice @ twice.T + 1, np.arange(6), np.array([6]), np.vstack([targets[:5], targets[:1]]), 0.5
    )
    assert weighted == pytest.approx(duplicated)
