"""Storing a batch output: loading the Parquet tables vs `propscope import` analysing again.

python benchmarks/bench_batch_store.py [--data ../shared/data/semeval2023] [--workers 2]
                                       [--db sqlite|postgresql+psycopg://...]

The unlabelled test articles of the nine languages go through `run_batch` on a
distributed.LocalCluster; then into a fresh store (a SQLite file unless --db names an empty
database) by `load_batch` (no analysis), the same folder a second time (nothing new), and, for
comparison, the same inputs into a second SQLite store by an import job (reading and analysis
in this process). Prints wall seconds and articles/s of each, and whether every stored
article's analysis (`Store.get(id).to_dict()`) is the same in both stores.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DATA, unlabelled_article_folders


def stored(store) -> dict[str, dict]:
    found, page = {}, 1
    while items := store.search(page=page, page_size=100)["items"]:
        for item in items:
            article = store.get(item["id"]).to_dict()
            found[article["id"]] = article
        page += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", help="an empty store for the load (default: a SQLite file)")
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    from propscope.batch import run_batch
    from propscope.store import Store
    from propscope.store.importer import Analysis, ImportOptions, load_batch, run_job

    inputs = [str(folder) for _, folder in unlabelled_article_folders(args.data)]
    work = Path(tempfile.mkdtemp(prefix="bench-batch-store-"))
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=":0") as c,
        Client(c) as client,
    ):
        started = time.perf_counter()
        summary = run_batch(inputs, work / "out", client=client, progress=False)
        batch_s = time.perf_counter() - started
    print(f"batch: {summary.articles} articles, {args.workers} workers, {batch_s:.1f} s")

    with Store(args.db or f"sqlite:///{work / 'load.db'}") as store:
        for attempt in ("load", "load again"):
            started = time.perf_counter()
            done = load_batch(store, work / "out")
            seconds = time.perf_counter() - started
            print(
                f"{attempt}: {done['stored']} stored, {done['duplicates']} duplicates skipped, "
                f"{done['failed']} failed; {seconds:.1f} s, "
                f"{summary.articles / seconds:.0f} articles/s"
            )
        loaded = stored(store)

    with Store(f"sqlite:///{work / 'import.db'}") as store:
        started = time.perf_counter()
        analysis = Analysis()
        job = run_job(store, store.create_job(inputs, ImportOptions().to_dict()), analysis)
        seconds = time.perf_counter() - started
        print(
            f"import (read and analyse again): {job['stored']} stored; {seconds:.1f} s, "
            f"{summary.articles / seconds:.0f} articles/s"
        )
        imported = stored(store)
    same = sorted(loaded) == sorted(imported) and all(
        loaded[key] == imported[key] for key in loaded
    )
    print(f"same stored analyses for all {len(loaded)} articles: {same}")


if __name__ == "__main__":
    main()
