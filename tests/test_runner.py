"""The run layer: one path for the CLI, the library and streams, and the layering it rests on."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import propscope
from conftest import ROOT, run_cli
from propscope.document import Article, Prediction
from propscope.errors import InputError
from propscope.runner import Runner, SharedRunners, analyzer_plan, families_of

RAW = """Le gouvernement dément les accusations de cyberattaques

Partagez cet article sur Facebook

Les autorités ont rejeté vendredi les accusations, qualifiées de « mensonges éhontés » par
le porte-parole, qui a dénoncé une campagne de calomnies orchestrée contre le pays.

Selon lui, ces attaques ne reposent sur aucune preuve et servent à détourner l'attention des
véritables problèmes.

© 2024 Tous droits réservés.
"""

ORIGIN = ("id", "path", "source")  # where the text came from: differs between entry points


def _comparable(data: dict) -> dict:
    return {key: value for key, value in data.items() if key not in ORIGIN}


@pytest.fixture(scope="module")
def raw_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("raw") / "dementi.txt"
    path.write_text(RAW, encoding="utf-8")
    return path


def test_library_cli_and_stream_give_identical_json(raw_file):
    result = run_cli("analyze", str(raw_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    (from_cli,) = json.loads(result.stdout)
    from_read = propscope.analyze(propscope.read(raw_file)).to_dict()
    (from_stream,) = [a.to_dict() for a in propscope.analyze_many([raw_file])]
    from_text = propscope.analyze(RAW).to_dict()

    assert from_cli == from_read == from_stream
    # The text itself (no file) is read and prepared the same way: boilerplate lines included.
    assert _comparable(from_text) == _comparable(from_cli)
    marked = [p["text"] for p in from_text["paragraphs"] if p["boilerplate"]]
    assert any("Facebook" in text for text in marked)
    assert any("droits réservés" in text for text in marked)
    for paragraph in from_text["paragraphs"]:
        if paragraph["boilerplate"]:
            assert paragraph["techniques"] is None


def test_library_analysis_loads_no_training_code():
    code = (
        "import sys, propscope\n"
        "a = propscope.analyze('Title\\n\\n' + 'The corrupt elite lied to us again. ' * 8)\n"
        "assert a.genre is not None and a.paragraphs[-1].techniques is not None\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('sklearn', 'propscope.training')))\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _imports_of(path: Path, package: str) -> set[str]:
    """Modules of ``package`` that ``path`` imports (at any depth, lazily or not)."""
    parts = list(path.relative_to(ROOT / "src").with_suffix("").parts)
    here = parts[:-1] if parts[-1] != "__init__" else parts[:-1]  # the containing package
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith(package))
        elif isinstance(node, ast.ImportFrom):
            anchor = here[: len(here) - node.level + 1] if node.level else []
            target = ".".join(anchor + ([node.module] if node.module else []))
            if target.startswith(package):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
    return found


def _module_graph() -> dict[str, set[str]]:
    files = sorted((ROOT / "src" / "propscope").rglob("*.py"))
    names = {}
    for path in files:
        name = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
        names[name.removesuffix(".__init__")] = path
    return {
        name: {m for m in _imports_of(path, "propscope") if m in names and m != name}
        for name, path in names.items()
    }


def test_no_import_circles_between_modules():
    graph = _module_graph()
    # Package __init__ files re-export their children: an edge into a package is an edge into
    # the module that defines the name, so only module-to-module cycles count.
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    package_inits = {n for n in graph if (ROOT / "src" / Path(*n.split("."))).is_dir()}
    real = [c for c in cycles if not set(c) & package_inits]
    assert real == []


def test_inference_never_imports_training():
    graph = _module_graph()
    outside = ("propscope.training", "propscope.cli")
    inference = [n for n in graph if not n.startswith(outside)]
    offenders = {
        name: sorted(t for t in graph[name] if t.startswith("propscope.training"))
        for name in inference
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_a_failing_article_is_isolated_and_counted():
    from propscope.analyzers import Analyzer, register_analyzer

    @register_analyzer("fails_on_broken")
    class FailsOnBroken(Analyzer):
        requires = ("language",)

        def __call__(self, article):
            if article.id == "broken":
                raise RuntimeError("cannot analyse this one")
            return article

    runner = Runner(["fails_on_broken"])
    broken = propscope.runner.as_article("An article that one analyzer cannot handle at all.")
    broken.id = "broken"
    items = [
        propscope.runner.as_article("First article text, long enough to tell its language."),
        broken,
        InputError("missing.txt", "no such file"),
        propscope.runner.as_article("Troisième article, assez long pour dire sa langue."),
    ]
    results = list(runner.analyze_stream(items))
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "InputError", "Article"]
    assert "analysis failed: cannot analyse this one" in str(results[1])
    assert results[3].language == "fr"
    assert (runner.summary.articles, runner.summary.failures) == (2, 2)
    assert "2 article(s) analysed, 2 failure(s)" in runner.summary.line()


def test_duplicates_are_flagged_and_skipped_with_dedupe():
    text = "Title\n\nThe same paragraph of reporting, word for word, appears in two places.\n"
    articles = [propscope.runner.as_article(text) for _ in range(3)]
    for number, article in enumerate(articles):
        article.id = f"a{number}"
    runner = Runner(["language"], dedupe=True)
    kept = list(runner.analyze_stream(articles))
    assert [a.id for a in kept] == ["a0"]
    assert (runner.summary.duplicates, runner.summary.skipped) == (2, 2)


def test_unknown_analyzer_family_or_decision_fails_before_running():
    with pytest.raises(KeyError):
        Runner(["no_such_analyzer"])
    with pytest.raises(ValueError, match="model family"):
        Runner(model="transformer")
    with pytest.raises(ValueError, match="decision"):
        Runner(decision="lenient")


def test_model_families_plan_side_by_side_with_the_first_selected():
    assert families_of("linear,encoder") == ("linear", "encoder")
    names, substitutes = analyzer_plan(["techniques", "evidence"], ("encoder", "linear"))
    # techniques side by side; evidence (spans of the shown techniques) of the selected family
    assert names == ["techniques", "techniques_encoder", "evidence_encoder"]
    assert substitutes["techniques"] == "techniques_encoder"
    names, _ = analyzer_plan(["techniques", "evidence"], ("linear", "encoder"))
    assert names == ["techniques_encoder", "techniques", "evidence"]
    names, substitutes = analyzer_plan(None, ("linear",))
    assert names is None and substitutes == {}


def test_threads_share_one_runner():
    runner = Runner(["language", "genre", "frames"])
    texts = [
        f"Title {k}\n\n" + ("The minister lied to the nation again. " * (k + 1)) + "\n"
        for k in range(8)
    ]
    expected = [runner.analyze(t).to_dict() for t in texts]
    results: dict[int, dict] = {}

    def work(k: int) -> None:
        results[k] = runner.analyze(texts[k]).to_dict()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work, args=(k % 8,)) for k in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert all(results[k] == expected[k] for k in results)


def test_shared_runners_keep_models_once_per_option_set():
    shared = SharedRunners(size=2)
    first = shared.get(["language"])
    assert shared.get(["language"]) is first
    shared.get(["language"], decision="balanced")
    shared.get(["language"], model="linear")
    assert shared.get(["language"]) is not first  # evicted: least recently used
    shared.clear()


def test_predictions_of_two_models_sit_side_by_side_and_survive_json():
    article = propscope.runner.as_article("Title\n\nA paragraph that two models look at.\n")
    paragraph = article.paragraphs[1]
    paragraph.techniques = Prediction({"Doubt": 0.7}, ["Doubt"], model="encoder")
    paragraph.techniques = Prediction({"Doubt": 0.2}, [], model="linear")
    assert paragraph.techniques.model == "linear"
    assert set(paragraph.predictions) == {"techniques:linear", "techniques:encoder"}
    paragraph.select("techniques", "encoder")
    assert paragraph.techniques.predicted == ["Doubt"]
    again = Article.from_json(article.to_json())
    assert again.paragraphs[1].techniques.model == "encoder"
    assert again.paragraphs[1].predictions == paragraph.predictions
    data = json.loads(article.to_json())
    assert list(data["paragraphs"][1]["alternatives"]) == ["techniques:linear"]


def test_schema_version_1_files_are_read():
    version_1 = {
        "id": "old",
        "text": "T\nThe corrupt elite lied.\n",
        "title": "T",
        "paragraphs": [
            {"line": 1, "start": 0, "end": 1, "text": "T", "techniques": None, "spans": []},
            {
                "line": 2,
                "start": 2,
                "end": 25,
                "text": "The corrupt elite lied.",
                "boilerplate": False,
                "language": "en",
                "techniques": {
                    "probabilities": {"Loaded_Language": 0.8},
                    "predicted": ["Loaded_Language"],
                    "thresholds": {"Loaded_Language": 0.3},
                    "note": None,
                },
                "spans": [
                    {"start": 6, "end": 19, "label": "Loaded_Language", "confidence": 0.8,
                     "fallback": False}
                ],
            },
        ],
        "genre": {"probabilities": {"opinion": 0.9}, "predicted": ["opinion"],
                  "thresholds": {}, "note": None},
        "frames": None,
        "summary": {"techniques": {"Loaded_Language": 1}},
        "schema_version": 1,
    }
    article = Article.from_dict(version_1)
    assert article.genre.model == "linear" and article.genre.predicted == ["opinion"]
    assert article.paragraphs[1].techniques.predicted == ["Loaded_Language"]
    assert article.paragraphs[1].spans[0].text == "corrupt elite"
    assert Article.from_json(article.to_json()).to_dict() == article.to_dict()
    with pytest.raises(ValueError, match="schema version"):
        Article.from_dict({**version_1, "schema_version": 99})


def test_pipeline_runs_batches_through_each_analyzer_in_turn():
    from propscope.analyzers import Analyzer, Pipeline, register_analyzer

    calls = []

    @register_analyzer("batch_probe")
    class BatchProbe(Analyzer):
        def pipe(self, articles):
            calls.append(len(list(articles)))
            return articles

    pipeline = Pipeline(["batch_probe"])
    texts = [propscope.runner.as_article(f"Article {k} text.") for k in range(5)]
    assert len(list(pipeline.pipe(texts, batch_size=2))) == 5
    assert calls == [2, 2, 1]
