import sys

import pytest

from propscope.analyzers import Analyzer, Pipeline, register_analyzer
from propscope.analyzers.base import BUILTIN_MODULES, get_analyzer
from propscope.analyzers.pipeline import resolve_order
from propscope.ingest import parse_text


def test_unknown_analyzer_is_named():
    with pytest.raises(KeyError, match="unknown analyzer 'sentiment'"):
        get_analyzer("sentiment")


def test_requirements_run_first_and_cycles_are_refused():
    @register_analyzer("test_counter")
    class Counter(Analyzer):
        requires = ("language",)

        def __call__(self, article):
            article.meta["counted_after_language"] = article.language is not None
            return article

    BUILTIN_MODULES.setdefault("test_counter", __name__)
    try:
        pipeline = Pipeline(["test_counter"])
        assert pipeline.names == ["language", "test_counter"]
        article = pipeline(parse_text("Titre\n\nLe gouvernement a annoncé une réforme.\n", "x"))
        assert article.meta["counted_after_language"] is True

        @register_analyzer("test_loop")
        class Loop(Analyzer):
            requires = ("test_loop",)

        BUILTIN_MODULES.setdefault("test_loop", __name__)
        with pytest.raises(ValueError, match="require each other"):
            resolve_order(["test_loop"])
    finally:
        BUILTIN_MODULES.pop("test_counter", None)
        BUILTIN_MODULES.pop("test_loop", None)


def test_language_is_detected_unless_given():
    pipeline = Pipeline(["language"])
    article = pipeline(parse_text("Title\n\nThe government announced a reform today.\n", "x"))
    assert article.language == "en" and 0 < article.language_confidence <= 1
    given = parse_text("Title\n\nThe government announced a reform today.\n", "y", language="de")
    assert pipeline(given).language == "de"


def test_threads_sharing_a_pipeline_get_their_own_results():
    """Genre and frames share a cache of the last article's features; threads must not mix."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [
        f"Title {i}\n\n"
        + " ".join(["The minister defended the budget in parliament."] * (i + 1))
        + ("\n\nThis scandalous, corrupt government lies to us every day!" * (i % 3))
        for i in range(12)
    ]

    def frames_and_genre(i: int):
        article = pipeline(parse_text(texts[i % len(texts)], f"t{i}"))
        return article.genre.probabilities, article.frames.probabilities

    pipeline = Pipeline(["genre", "frames"], options={"guard": {"withhold": False}})
    expected = [frames_and_genre(i) for i in range(len(texts))]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to expose any mixing
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(frames_and_genre, range(200 * len(texts))))
    finally:
        sys.setswitchinterval(interval)
    for i, result in enumerate(results):
        assert result == expected[i % len(texts)], i
