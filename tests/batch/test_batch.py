"""Batch runs on a real distributed.LocalCluster of two worker processes.

The Parquet output must equal what `propscope analyze` writes as JSON, article by article and
label by label; a worker killed mid-run and a client interrupted mid-run must still end with
every article exactly once.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import ROOT, run_cli
from propscope.batch import AnalysisSettings, plan_partitions, read_articles, read_table, run_batch
from propscope.batch.tables import PARTS, SUMMARY, uncovered_fields

FIXTURES = ROOT / "tests" / "fixtures"
LANGUAGES = ("en", "es", "fr", "ge", "gr", "it", "ka", "po", "ru")

pytestmark = pytest.mark.shared


def _shared_articles(data: Path, per_language: int) -> list[Path]:
    return [
        path
        for language in LANGUAGES
        for path in sorted((data / language / "test-articles-subtask-3").glob("article*.txt"))[
            :per_language
        ]
    ]


def _written(parts: Path) -> list[Path]:
    """Summaries of finished partitions; a partition being written sits in a ``.tmp-`` folder
    (with its summary) until it is renamed into place."""
    return [p for p in parts.glob(f"*/{SUMMARY}") if not p.parent.name.startswith(".")]


def _body(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


@pytest.fixture(scope="module")
def corpus(shared_data, tmp_path_factory) -> list[str]:
    """Every input kind: SemEval files, a copied article, JSONL, CSV, Parquet, WARC, bad input."""
    folder = tmp_path_factory.mktemp("corpus")
    files = _shared_articles(shared_data, 2)
    (folder / "copy.txt").write_text(_body(files[0]), encoding="utf-8")  # exact copy
    records = [{"id": f"j{i}", "text": _body(path)} for i, path in enumerate(files[2:8])]
    # a near copy: one word changed in an article of another partition
    near = _body(files[9]).replace(" the ", " a ", 1)
    lines = [json.dumps(r) for r in records[:3]] + ["", "{not json", json.dumps({"id": "empty"})]
    lines += [json.dumps(r) for r in records[3:]] + [json.dumps({"id": "near", "text": near})]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = pa.table(
        {"id": [f"p{i}" for i in range(4)], "body": [_body(p) for p in files[10:14]]}
    )
    pq.write_table(table, folder / "archive.parquet", row_group_size=2)
    with (folder / "crawl.warc.gz").open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, kind, body in [
            ("https://h.example/bridge", "text/html", (FIXTURES / "web/harbour_bridge.html")),
            ("https://h.example/logo.png", "image/png", None),
            ("https://v.example/ecoles", "text/html", (FIXTURES / "web/vallee_ecoles.html")),
        ]:
            payload = body.read_bytes() if body else b"\x89PNG...."
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(payload), http_headers=headers
            )
            writer.write_record(record)
    return [
        *map(str, files[:9]),
        str(folder / "wire.jsonl"),
        str(FIXTURES / "corpora" / "articles.csv"),
        str(folder / "copy.txt"),
        *map(str, files[9:]),
        str(folder / "archive.parquet"),
        str(folder / "missing.txt"),
        str(folder / "crawl.warc.gz"),
    ]


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client

    from propscope.batch import local_cluster

    with local_cluster(2, dashboard_address=":0") as local, Client(local) as client:
        yield client


def _worker_profiling(dask_worker) -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


def test_workers_propscope_starts_keep_no_profile_history(cluster):
    # Dask's profiler keeps a call tree per second for an hour: worker memory grew with time
    profiling = cluster.run(_worker_profiling)
    assert profiling and not any(profiling.values())


def _analyze_json(inputs: list[str], *options: str) -> tuple[list[dict], list[str]]:
    result = run_cli("analyze", *inputs, "--format", "json", *options)
    errors = result.stderr.decode().splitlines()
    return json.loads(result.stdout), errors


def _as_json(articles) -> list[dict]:
    return [json.loads(article.to_json()) for article in articles]


def test_tables_equal_single_process_analyze(corpus, cluster, tmp_path):
    out = tmp_path / "out"
    summary = run_batch(corpus, out, client=cluster, partition_size=3, progress=False)
    expected, expected_errors = _analyze_json(corpus)

    assert summary.complete and summary.written == summary.partitions > 8
    batch = _as_json(read_articles(out))
    assert [a["id"] for a in batch] == [a["id"] for a in expected]
    for mine, theirs in zip(batch, expected, strict=True):
        assert mine == theirs, mine["id"]  # text, paragraphs, every label score, spans, flags
    # duplicates across partitions: the copy and the near copy, as in one stream
    assert summary.duplicates == sum(a["duplicate_of"] is not None for a in expected) >= 2
    flags = {a["id"]: a["duplicate_of"] for a in expected}
    first, near_copied = (Path(corpus[i]).stem.removeprefix("article") for i in (0, 12))
    assert flags["copy"] == first and flags[near_copied] == "near"

    errors = read_table(out, "errors").to_pylist()
    assert summary.failures == len(errors) == len(expected_errors) >= 4
    assert [f"propscope: error: {e['source']}: {e['reason']}" for e in errors] == expected_errors

    # the labels table, label by label, against the JSON
    labels = read_table(out, "labels").to_pylist()
    keys = read_table(out, "articles").column("key").to_pylist()
    by_key = dict(zip(keys, expected, strict=True))
    predicted = {
        (by_key[r["key"]]["id"], r["line"], r["task"], r["label"])
        for r in labels
        if r["predicted_rank"] is not None
    }
    from_json = {(a["id"], None, task, label) for a in expected for task in ("genre", "frames")
                 for label in (a[task] or {"predicted": []})["predicted"]}
    from_json |= {
        (a["id"], p["line"], "techniques", label)
        for a in expected
        for p in a["paragraphs"]
        for label in (p["techniques"] or {"predicted": []})["predicted"]
    }
    assert predicted == from_json and len(predicted) > 50
    spans = read_table(out, "spans")
    assert spans.num_rows == sum(len(p["spans"]) for a in expected for p in a["paragraphs"]) > 0


def test_partitions_are_file_lists_and_record_windows(corpus):
    partitions = plan_partitions(corpus, 3)
    again = plan_partitions(corpus, 3)
    assert [p.id for p in partitions] == [p.id for p in again]  # deterministic
    assert len({p.id for p in partitions}) == len(partitions)
    jsonl = [p.pieces[0].records for p in partitions if p.pieces[0].source.endswith(".jsonl")]
    assert jsonl[0][0] == 1 and jsonl[-1][1] is None and len(jsonl) >= 3
    assert all(len(p.pieces) <= 3 for p in partitions)


def test_a_worker_killed_mid_run_every_article_once(corpus, cluster, shared_data, tmp_path):
    inputs = [str(p) for p in _shared_articles(shared_data, 2)]
    out = tmp_path / "out"
    result: dict = {}
    runner = threading.Thread(
        target=lambda: result.update(
            summary=run_batch(inputs, out, client=cluster, partition_size=1, progress=False)
        )
    )
    runner.start()
    parts = out / PARTS
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_written(parts)) < 2:
        time.sleep(0.01)
    pids = cluster.run(os.getpid)
    busy = [address for address, keys in cluster.processing().items() if keys]
    written_before = len(_written(parts))
    os.kill(pids[busy[0]], signal.SIGKILL)
    runner.join(timeout=120)

    assert written_before < len(inputs)  # the kill came mid-run
    summary = result["summary"]
    assert summary.complete and summary.partitions == len(inputs)
    assert pids[busy[0]] not in cluster.run(os.getpid).values()  # a fresh worker took over
    ids = [a.id for a in read_articles(out)]
    assert ids == [Path(p).stem.removeprefix("article") for p in inputs]  # each once, in order
    assert not list(parts.glob(".tmp-*"))


def test_an_interrupted_run_resumes_writing_only_missing_partitions(
    shared_data, cluster, tmp_path
):
    """Ctrl-C on the client (a CLI connected to the cluster), then the same command again."""
    inputs = [str(p) for p in _shared_articles(shared_data, 2)]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "propscope", "batch", *inputs, "--out", str(out)]
    command += ["--scheduler", cluster.scheduler.address, "--partition-size", "1"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    parts = out / PARTS
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and len(_written(parts)) < 3:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert "run the same command again to finish" in stderr.decode()
    first = {p.parent.name: p.stat().st_ino for p in _written(parts)}
    assert 3 <= len(first) < len(inputs)

    rerun = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()
    counts = re.search(r"(\d+) written, (\d+) already there", rerun.stderr.decode())
    written, skipped = map(int, counts.groups())
    assert written + skipped == len(inputs) and written >= 1
    assert skipped >= len(first)  # (tasks the interrupted client had started may finish later)
    assert {name: (parts / name / SUMMARY).stat().st_ino for name in first} == first  # untouched
    ids = [a.id for a in read_articles(out)]
    assert ids == [Path(p).stem.removeprefix("article") for p in inputs]


def test_other_inputs_into_the_same_folder_are_refused(corpus, tmp_path):
    out = tmp_path / "out"
    (out / PARTS / "x").mkdir(parents=True)
    with pytest.raises(Exception, match="new --out folder"):
        run_batch(corpus[:2], out, AnalysisSettings(), progress=False)


def test_the_tables_keep_every_field_of_the_document_model():
    assert uncovered_fields() == set()


def test_usage_errors_are_one_line_and_exit_2(tmp_path):
    out = str(tmp_path / "out")
    for arguments, message in [
        (["-"], "not standard input"),
        ([str(tmp_path), "--model", "nope"], "unknown model family 'nope'"),
        ([str(tmp_path), "--analyzers", "nope"], "unknown analyzer 'nope'"),
    ]:
        result = run_cli("batch", *arguments, "--out", out)
        assert result.returncode == 2 and message in result.stderr.decode()
    assert not (tmp_path / "out").exists()
