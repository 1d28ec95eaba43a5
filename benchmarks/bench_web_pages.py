"""How fast the web pages answer on a 10,000-article store.

Analyses the unlabelled SemEval test articles (nine languages) once, stores copies of them
under 12 outlets and 24 months until the store holds --articles articles (each copy gets one
extra paragraph, so none is a duplicate), starts ``propscope serve`` on it and times each page,
one request at a time: p50 and p95 latency per page. The corpus page's six charts are drawn by
requests of their own (``/corpus/chart.svg``) that the browser makes once the page is shown.

    .venv/bin/python benchmarks/bench_web_pages.py [--articles 10000] [--requests 30]
"""

from __future__ import annotations

import argparse
import copy
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import DEFAULT_DATA, unlabelled_article_folders

OUTLETS = [f"Outlet {name}" for name in "ABCDEFGHIJKL"]


def analysed_articles(data_dir: Path, analysis):
    from propscope.ingest.semeval import iter_semeval_dir

    articles = []
    for _, folder in unlabelled_article_folders(data_dir):
        articles.extend(analysis(a) for a in iter_semeval_dir(folder))
    return articles


def copies(articles, count: int):
    from propscope.document import Paragraph

    for k in range(count):
        article = copy.deepcopy(articles[k % len(articles)])
        article.id = f"{article.id}-{k}"
        extra = f"Edition {k}."
        text = article.text if article.text.endswith("\n") else article.text + "\n"
        start = len(text) + 1
        article.text = text + "\n" + extra + "\n"
        line = text.count("\n") + 2
        article.paragraphs.append(Paragraph(line, start, start + len(extra), extra))
        article.source = OUTLETS[k % len(OUTLETS)]
        article.published = f"{2023 + (k // 12) % 2}-{k % 12 + 1:02d}-{k % 28 + 1:02d}"
        yield article


def fill(url: str, articles, count: int, versions: dict[str, str]) -> None:
    from propscope.store import Store

    store = Store(url)
    run = store.start_run("benchmark", versions)
    batch = []
    for article in copies(articles, count):
        batch.append(article)
        if len(batch) == 500:
            store.add_many(batch, run, versions)
            batch = []
    if batch:
        store.add_many(batch, run, versions)
    store.finish_run(run)
    print(f"store: {store.count():,} articles", flush=True)
    store.close()


def _count(url: str) -> int:
    from propscope.store import Store

    with Store(url) as store:
        return store.count()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db", help="a store URL to fill (or reuse if it is filled already)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = args.db or f"sqlite:///{folder}/corpus.db"
        if _count(db) < args.articles:
            from propscope.store.importer import Analysis

            started = time.perf_counter()
            analysis = Analysis()
            fill(db, analysed_articles(args.data, analysis), args.articles, analysis.versions)
            print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
        server = subprocess.Popen(
            [sys.executable, "-m", "propscope", "serve", "--db", db, "--port", str(port)],
            env=env,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    httpx.get(base + "/api/v1/health", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            pages = {
                "analyse form": "/",
                "corpus (all)": "/corpus",
                "corpus (search + language)": "/corpus?q=government&language=en",
                "corpus (technique + dates)": "/corpus?technique=Doubt&since=2023-03-01"
                "&until=2023-09-30",
                "compare 4 outlets": "/compare?outlet=Outlet+A&outlet=Outlet+B"
                "&outlet=Outlet+C&outlet=Outlet+D",
                "article": "/articles/1234",
                "chart: techniques by outlet": "/corpus/chart.svg?chart=techniques-by-source",
                "chart: frames by month": "/corpus/chart.svg?chart=frames-by-month",
                "chart CSV": "/corpus/stats.csv?by=month&what=techniques",
                "who is quoted (all)": "/speakers",
                "who is quoted (outlet + lang)": "/speakers?source=Outlet+A&language=fr",
                "who is quoted CSV": "/speakers.csv",
            }
            print(f"{'page':30} {'p50 ms':>8} {'p95 ms':>8}  ({args.requests} requests each)")
            with httpx.Client(timeout=60) as client:
                for name, path in pages.items():
                    assert client.get(base + path).status_code == 200, path  # warm
                    times = []
                    for _ in range(args.requests):
                        start = time.perf_counter()
                        reply = client.get(base + path)
                        times.append(1000 * (time.perf_counter() - start))
                        assert reply.status_code == 200, path
                    p95 = statistics.quantiles(times, n=20)[-1]
                    print(f"{name:30} {statistics.median(times):8.1f} {p95:8.1f}")
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(30)


if __name__ == "__main__":
    main()
