"""Load on a local workbench server, on SQLite and on PostgreSQL.

python benchmarks/bench_server.py [--seconds 60] [--store-size 10000] [--backends sqlite,postgresql]

For each backend: fills a fresh store with ``--store-size`` analysed articles (the SemEval test
articles of nine languages, analysed once, then stored again and again under other outlets and
dates, each with one extra line so that no two are the same article), starts ``propscope
serve`` on a free loopback port and measures:

1. search and stats alone (one client, sequential): p50/p95 latency on the full store;
2. 20 clients posting articles (analysed and stored by the server) and 20 clients searching
   (full-text, filters, statistics), all at once for ``--seconds``: requests/s, p50/p95;

then checks that every article the server accepted is in the store exactly once. It also
prints the CPU time the store's own search and statistics calls take (in-process), which does
not depend on what else the machine is doing. PostgreSQL is
a throwaway server (initdb/pg_ctl, as in the tests); without its binaries it is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DATA, ROOT, unlabelled_article_folders

sys.path.insert(0, str(ROOT / "tests"))
from postgres import PostgresServer, free_port, pg_bin  # noqa: E402

API = "/api/v1"
OUTLETS = [f"Outlet {n}" for n in range(1, 13)]
WORDS = ["government", "inflation", "war", "election", "minister", "police", "climate",
         "réforme", "gobierno", "regierung", "migrants", "economy"]  # fmt: skip
TECHNIQUES = ["Loaded_Language", "Doubt", "Name_Calling-Labeling", "Appeal_to_Fear-Prejudice"]


def source_articles(data: Path, limit: int | None) -> list:
    from propscope.ingest import iter_inputs

    if (data / "README.md").is_file():
        folders = unlabelled_article_folders(data)
        paths = [str(p) for _, folder in folders for p in sorted(folder.glob("*.txt"))]
    else:
        print(f"note: {data} not found; using the bundled examples", file=sys.stderr)
        paths = [str(p) for p in sorted((ROOT / "examples").glob("*.txt"))]
    articles = [a for a in iter_inputs(paths[:limit] if limit else paths) if hasattr(a, "text")]
    return articles


def variant(article, number: int, rng: random.Random):
    """A copy of an analysed article under another outlet and date, with one more line."""
    from dataclasses import replace

    from propscope.document import Paragraph

    extra = f"Reference {number} {rng.choice(WORDS)}"
    text = article.text + ("" if article.text.endswith("\n") else "\n")
    start = len(text)
    line = text.count("\n") + 1
    year, month, day = rng.choice([2022, 2023, 2024]), rng.randint(1, 12), rng.randint(1, 28)
    return replace(  # the analysis objects are shared: the store only reads them
        article,
        id=f"fill-{number}",
        text=text + extra + "\n",
        paragraphs=[*article.paragraphs, Paragraph(line, start, start + len(extra), extra)],
        source=rng.choice(OUTLETS),
        published=f"{year}-{month:02d}-{day:02d}",
    )


def fill(url: str, analysed: list, size: int, versions: dict) -> float:
    from propscope.store import Store

    rng = random.Random(1)
    start = time.perf_counter()
    with Store(url) as store:
        run = store.start_run("bench", versions)
        batch = []
        for number in range(size):
            batch.append(variant(analysed[number % len(analysed)], number, rng))
            if len(batch) == 250:
                store.add_many(batch, run, versions)
                batch = []
        if batch:
            store.add_many(batch, run, versions)
        assert store.count() >= size
    return time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def search_request(rng: random.Random) -> tuple[str, str, dict]:
    kind = rng.random()
    if kind < 0.4:
        return "search", f"{API}/articles", {"q": rng.choice(WORDS)}
    if kind < 0.7:
        return "search", f"{API}/articles", {
            "technique": rng.choice(TECHNIQUES), "source": rng.choice(OUTLETS),
            "since": "2023-01-01"}  # fmt: skip
    return "stats", f"{API}/stats", {
        "by": rng.choice(["source", "language", "month"]),
        "what": rng.choice(["techniques", "frames", "genre"]),
        **({"language": "en"} if rng.random() < 0.3 else {})}  # fmt: skip


def store_cpu(url: str, count: int) -> dict[str, list[float]]:
    """CPU seconds of the same requests made to the store in this process: what a query costs,
    whatever else the machine is doing."""
    from datetime import date

    from propscope.store import Filters, Store

    rng = random.Random(2)
    times: dict[str, list[float]] = {"search": [], "stats": []}
    with Store(url) as store:
        for _ in range(count):
            kind, _, params = search_request(rng)
            params = dict(params)
            if "since" in params:
                params["since"] = date.fromisoformat(params["since"])
            start = time.process_time()
            if kind == "search":
                store.search(Filters(**params))
            else:
                by, what = params.pop("by"), params.pop("what")
                store.stats(Filters(**params), by=by, what=what)
            times[kind].append(time.process_time() - start)
    return times


async def sequential(base: str, count: int) -> dict[str, list[float]]:
    import httpx

    rng = random.Random(2)
    times: dict[str, list[float]] = {"search": [], "stats": []}
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        for _ in range(count):
            kind, path, params = search_request(rng)
            start = time.perf_counter()
            response = await http.get(path, params=params)
            times[kind].append(time.perf_counter() - start)
            response.raise_for_status()
    return times


async def load(base: str, texts: list[str], seconds: float, posters: int, searchers: int):
    import httpx

    deadline = time.monotonic() + seconds
    times: dict[str, list[float]] = {"post": [], "search": [], "stats": []}
    errors: list[str] = []
    accepted: list[str] = []

    async def poster(client_number: int) -> None:
        rng = random.Random(100 + client_number)
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            number = 0
            while time.monotonic() < deadline:
                key = f"load-{client_number}-{number}"
                number += 1
                text = rng.choice(texts).rstrip("\n") + f"\nLoad line {key}\n"
                body = {"id": key, "text": text, "source": rng.choice(OUTLETS)}
                start = time.perf_counter()
                response = await http.post(f"{API}/articles", json=body)
                times["post"].append(time.perf_counter() - start)
                ok = response.status_code == 201
                if ok and response.json()["results"][0]["status"] == "stored":
                    accepted.append(key)
                else:
                    errors.append(f"POST {response.status_code} {response.text[:200]}")

    async def searcher(client_number: int) -> None:
        rng = random.Random(200 + client_number)
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            while time.monotonic() < deadline:
                kind, path, params = search_request(rng)
                start = time.perf_counter()
                response = await http.get(path, params=params)
                times[kind].append(time.perf_counter() - start)
                if response.status_code != 200:
                    errors.append(f"GET {response.status_code} {response.text[:200]}")

    started = time.monotonic()
    await asyncio.gather(*[poster(n) for n in range(posters)],
                         *[searcher(n) for n in range(searchers)])  # fmt: skip
    return times, accepted, errors, time.monotonic() - started


def report(label: str, values: list[float], elapsed: float | None = None) -> None:
    rate = f"{len(values) / elapsed:7.1f} req/s" if elapsed else f"{len(values):5d} requests"
    print(f"  {label:<28} {rate}   p50 {1000 * percentile(values, 50):7.1f} ms"
          f"   p95 {1000 * percentile(values, 95):7.1f} ms")  # fmt: skip


def start_server(url: str, data_home: Path) -> tuple[subprocess.Popen, str]:
    import httpx

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XDG_DATA_HOME": str(data_home),
           "PROPSCOPE_API_KEYS": ""}  # fmt: skip
    log = open(data_home / "server.log", "ab")  # noqa: SIM115 - the server writes to it
    process = subprocess.Popen(
        [sys.executable, "-m", "propscope", "serve", "--db", url, "--port", str(port)],
        env=env, stdout=log, stderr=log)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(1200):
        if process.poll() is not None:
            sys.exit(f"server exited: {(data_home / 'server.log').read_text()}")
        try:
            if httpx.get(f"{base}{API}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    # the first POST loads the models: not part of the measurement
    httpx.post(f"{base}{API}/analyze", json={"text": "Warm up\n\nThe minister spoke.\n"},
               timeout=120).raise_for_status()  # fmt: skip
    return process, base


def bench_backend(name: str, url: str, analysed, texts, versions, args, workdir: Path) -> None:
    from propscope.store import Store

    print(f"\n{name}: {args.store_size:,} articles", flush=True)
    took = fill(url, analysed, args.store_size, versions)
    print(f"  filled in {took:.1f} s ({args.store_size / took:,.0f} articles/s, one transaction "
          "per 250 articles)", flush=True)  # fmt: skip
    cpu = store_cpu(url, args.sequential)
    print("  CPU time of the store's queries (in-process, not counting the machine's load):")
    report("search", cpu["search"])
    report("stats", cpu["stats"])
    process, base = start_server(url, workdir)
    try:
        alone = asyncio.run(sequential(base, args.sequential))
        print("  one client, sequential (the store at rest; load average "
              f"{os.getloadavg()[0]:.1f}):")  # fmt: skip
        report("search", alone["search"])
        report("stats", alone["stats"])
        times, accepted, errors, elapsed = asyncio.run(
            load(base, texts, args.seconds, args.posters, args.searchers)
        )
        print(f"  {args.posters} posting + {args.searchers} searching clients, {elapsed:.0f} s "
              f"(load average {os.getloadavg()[0]:.1f}):")  # fmt: skip
        report("post (analyse + store)", times["post"], elapsed)
        report("search", times["search"], elapsed)
        report("stats", times["stats"], elapsed)
        print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    finally:
        process.terminate()
        process.wait(60)
    with Store(url) as store:
        stored = {key: store.ids_of(key) for key in accepted}
        total = store.count()
    lost = [k for k, ids in stored.items() if not ids]
    twice = [k for k, ids in stored.items() if len(ids) > 1]
    expected = args.store_size + len(accepted)
    print(f"  accepted {len(accepted)} articles: {len(lost)} lost, {len(twice)} stored twice; "
          f"store holds {total:,} (expected {expected:,})")  # fmt: skip
    if lost or twice or total != expected:
        sys.exit("FAILED: the store does not hold every accepted article exactly once")


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop servers on the way out
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load (60)")
    parser.add_argument("--store-size", type=int, default=10_000)
    parser.add_argument("--posters", type=int, default=20)
    parser.add_argument("--searchers", type=int, default=20)
    parser.add_argument("--sequential", type=int, default=300, help="requests at rest (300)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, help="use only this many source articles")
    args = parser.parse_args()

    from propscope.store.importer import Analysis

    start = time.perf_counter()
    analysis = Analysis()
    raw = source_articles(args.data, args.limit)
    texts = [a.text for a in raw]
    analysed = [analysis(a) for a in raw]
    print(f"{len(analysed)} source articles analysed in {time.perf_counter() - start:.1f} s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
    for name in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="propscope-bench-") as folder:
            workdir = Path(folder)
            if name == "sqlite":
                bench_backend(name, f"sqlite:///{workdir / 'bench.db'}", analysed, texts,
                              analysis.versions, args, workdir)  # fmt: skip
            elif name == "postgresql":
                binaries = pg_bin()
                if binaries is None:
                    print("\npostgresql: skipped (initdb and pg_ctl not found)")
                    continue
                server = PostgresServer(binaries)
                server.start()
                try:
                    bench_backend(name, server.new_database(), analysed, texts,
                                  analysis.versions, args, workdir)  # fmt: skip
                finally:
                    server.stop()
            else:
                sys.exit(f"unknown backend {name!r}")


if __name__ == "__main__":
    main()
