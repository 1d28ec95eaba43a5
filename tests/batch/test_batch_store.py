"""A batch output folder into the store (`import DIR --db`, `batch --db`), SQLite and PostgreSQL.

What the store holds after loading a batch output must equal what `propscope import` of the same
inputs stores, article by article and label by label, without analysing anything again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES
from propscope.batch import read_articles, run_batch
from propscope.batch.tables import DUPLICATES, PARTS
from propscope.cli import main
from propscope.store import Store


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster; its worker runs in this process (no second model load per test)."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as local,
        Client(local) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """The bundled examples, an exact copy of one of them and an empty file."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "copy.txt").write_text(
        (EXAMPLES / "en_opinion_energy.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    return [str(EXAMPLES), str(folder / "copy.txt"), str(folder / "empty.txt")]


@pytest.fixture(scope="module")
def batch_output(inputs, cluster, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "out"
    summary = run_batch(inputs, out, client=cluster, partition_size=2, progress=False)
    assert summary.complete and summary.partitions >= 2
    assert summary.duplicates == 1 and summary.failures == 1
    return out


def _stored(url: str) -> dict[str, dict]:
    """Every stored article's current analysis, by article id."""
    with Store(url) as store:
        found = {}
        for item in store.search(page_size=100)["items"]:
            article = store.get(item["id"]).to_dict()
            found[article["id"]] = article
        return found


def _runs(url: str) -> list[dict]:
    with Store(url) as store:
        return [run for i in range(1, 10) if (run := store.run(i)) is not None]


def test_an_imported_batch_output_equals_importing_its_inputs(
    store_url, inputs, batch_output, tmp_path, capsys
):
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    assert main(["import", *inputs, "--db", reference]) == 1  # the empty file
    expected_errors = capsys.readouterr().err.splitlines()

    assert main(["import", str(batch_output), "--db", store_url]) == 1
    errors = capsys.readouterr().err.splitlines()
    assert errors[:-1] == expected_errors[:-1]  # the empty file, in the same words
    assert sum("empty.txt" in line for line in errors) == 1
    expected = _stored(reference)
    articles = len(expected)
    assert articles >= 4
    assert f"{articles} stored, 1 duplicate(s) skipped, 1 failed" in errors[-1]
    assert f"{articles} stored, 1 duplicate(s) skipped, 1 failed" in expected_errors[-1]

    stored = _stored(store_url)
    assert sorted(stored) == sorted(expected)
    for article_id, article in stored.items():
        assert article == expected[article_id], article_id  # text, every label score, spans
    labels = [
        label
        for article in stored.values()
        for owner in [article, *article["paragraphs"]]
        for task in ("genre", "frames", "techniques")
        for label in (owner.get(task) or {"predicted": []})["predicted"]
    ]
    assert len(labels) > 10
    # the batch run, with the versions of the models `import` analyses with
    (batch_run,) = _runs(store_url)
    (import_run,) = _runs(reference)
    assert batch_run["kind"] == "batch" and batch_run["models"] == import_run["models"]
    assert batch_run["settings"]["analyzers"] == import_run["settings"]["analyzers"]

    # again: nothing new
    assert main(["import", str(batch_output), "--db", store_url]) == 1
    assert f"0 stored, {articles + 1} duplicate(s) skipped, 1 failed" in capsys.readouterr().err
    assert _stored(store_url) == stored


def test_batch_with_db_stores_the_finished_output(store_url, cluster, tmp_path, capsys):
    out = tmp_path / "out"
    command = ["batch", str(EXAMPLES), "--out", str(out), "--db", store_url, "--no-progress",
               "--scheduler", cluster.scheduler.address]
    assert main(command) == 0
    lines = capsys.readouterr().err.splitlines()
    written = [json.loads(a.to_json()) for a in read_articles(out)]
    assert len(written) >= 4 and all(a["duplicate_of"] is None for a in written)
    assert f"import of batch output {out}" in lines[-1]
    assert f"{len(written)} stored, 0 duplicate(s) skipped, 0 failed" in lines[-1]
    stored = _stored(store_url)
    assert stored == {a["id"]: a for a in written}  # as the tables hold them, not re-analysed

    assert main(command) == 0  # the finished run again: nothing new written, nothing stored
    assert f"0 stored, {len(written)} duplicate(s) skipped" in capsys.readouterr().err
    assert _stored(store_url) == stored


def test_an_unfinished_batch_output_is_one_clear_line(batch_output, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(batch_output, out)
    (partition,) = sorted((out / PARTS).iterdir())[:1]
    shutil.rmtree(partition)
    (out / DUPLICATES).unlink()
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["import", str(out), "--db", url]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "batch run not finished" in line and str(out) in line
    with Store(url) as store:
        assert store.count() == 0


def test_a_bad_db_stops_batch_before_any_analysis(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["batch", str(EXAMPLES), "--out", str(out), "--db", "mysql://x/y"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "unsupported database" in line
    assert not out.exists()


def test_import_takes_batch_folders_and_other_inputs_together(batch_output, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    extra = tmp_path / "extra.txt"
    extra.write_text("A new article\n\nNothing in the batch reads like this sentence.\n")
    again = EXAMPLES / "en_opinion_energy.txt"  # in the batch output too
    assert main(["import", str(batch_output), str(again), str(extra), "--db", url]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert "import of batch output" in lines[-2] and ", 1 failed" in lines[-2]
    assert "import job 1 done: 1 stored, 1 duplicate(s) skipped, 0 failed" in lines[-1]
    with Store(url) as store:
        assert store.count() == len(_stored(url)) and "extra" in _stored(url)
