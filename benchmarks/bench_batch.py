"""Batch runs on Dask: articles/s with 1 and 2 worker processes, the scaling ratio, memory.

python benchmarks/bench_batch.py [--data ../shared/data/semeval2023] [--articles 5000]
                                 [--model linear|encoder] [--memory 1000,10000]
                                 [--partition-size 50] [--baseline 1000] [--rss-trace 2500]

The corpus is the unlabelled test articles of the nine languages, repeated (with new ids) into
one JSONL file, the way a crawl arrives; languages are detected. First, as the baseline, the
same articles through one in-process Runner (the path of `propscope analyze`, no Dask). Then
each configuration gets a fresh distributed.LocalCluster (one thread per worker process) and a
fresh output folder, and prints: start-up (cluster and models on every worker), the run
(planning, analysis, Parquet writing, the run-wide duplicate pass), articles/s over the run and
per worker CPU-second (less sensitive than wall time to other processes on the machine), the
rate a core per worker would give (articles / the busiest worker's CPU time), the client's
CPU time, and the peak
resident memory of every worker process; then the 1 -> 2 worker scaling ratio (wall time, and
with a core per worker), and peak memory per worker at the two corpus sizes of --memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from common import DEFAULT_DATA, unlabelled_article_folders
from distributed import WorkerPlugin


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _resident_mb() -> float:
    """This process's resident memory now (MB)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def build_corpus(data: Path, count: int, path: Path) -> Path:
    texts = [
        file.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        for _, folder in unlabelled_article_folders(data)
        for file in sorted(folder.glob("article*.txt"))
    ]
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            record = {"id": f"a{number}", "text": texts[number % len(texts)]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


class MemoryTrace(WorkerPlugin):
    """A worker plugin that notes the worker's resident memory (MB) whenever a task ends."""

    name = "bench-memory-trace"

    def setup(self, worker) -> None:
        self.trace: list[float] = []

    def transition(self, key, start, finish, **kwargs) -> None:
        if start == "executing":
            self.trace.append(_resident_mb())


def _memory_trace(dask_worker) -> list[float]:
    return dask_worker.plugins[MemoryTrace.name].trace


def measure(corpus: Path, workers: int, partition_size: int, work: Path, model: str) -> dict:
    from distributed import Client

    from propscope.batch import AnalysisSettings, local_cluster, run_batch
    from propscope.batch.worker import EnginePlugin

    settings = AnalysisSettings(model=model)
    out = Path(tempfile.mkdtemp(dir=work))
    started = time.perf_counter()
    with (
        local_cluster(workers, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        plugin = EnginePlugin(settings)
        client.register_plugin(plugin, name=plugin.name)
        client.register_plugin(MemoryTrace(), name=MemoryTrace.name)
        startup = time.perf_counter() - started
        cpu_before, client_cpu = client.run(time.process_time), time.process_time()
        summary = run_batch(
            [str(corpus)],
            out,
            settings,
            client=client,
            partition_size=partition_size,
            progress=False,
            report=lambda message: None,
        )
        client_cpu = time.process_time() - client_cpu  # planning, following, duplicate pass
        memory = sorted(client.run(_peak_rss_mb).values())
        traces = list(client.run(_memory_trace).values())
        cpu_after = client.run(time.process_time)
        cpu = {w: cpu_after[w] - cpu_before.get(w, 0.0) for w in cpu_after}
    return {
        "workers": workers,
        "articles": summary.articles,
        "duplicates": summary.duplicates,
        "partitions": summary.partitions,
        "startup": startup,
        "run": summary.seconds,
        "rate": summary.analysed / summary.seconds,
        "memory": memory,
        "traces": traces,
        "cpu": sum(cpu.values()),
        "client_cpu": client_cpu,
        # as if every worker had a core of its own: the busiest worker's CPU time bounds the
        # run (the client's CPU time, shown apart, is mostly its Dask thread, which grows with
        # wall time, not with the work)
        "dedicated": summary.analysed / max(cpu.values()),
    }


def single_process(corpus: Path, model: str) -> dict:
    """The same articles through one in-process Runner (what `propscope analyze` does)."""
    from propscope.runner import Runner

    runner = Runner(model=model)
    runner.pipeline  # noqa: B018  (models loaded before the clock starts)
    wall, cpu = time.perf_counter(), time.process_time()
    articles = sum(1 for _ in runner.run([str(corpus)]))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"articles": articles, "rate": articles / wall, "per_cpu": articles / cpu}


def rss_trace(corpus: Path, partition_size: int, work: Path) -> list[float]:
    """Resident memory (MB) after every 5th partition of a worker's code run in one process."""
    from propscope.batch import AnalysisSettings, plan_partitions
    from propscope.batch.tables import PartitionTables
    from propscope.batch.worker import Engine

    engine = Engine(AnalysisSettings())
    trace = []
    for number, partition in enumerate(plan_partitions([str(corpus)], partition_size)):
        tables = PartitionTables(partition.id)
        for position, item in enumerate(engine.items(partition.pieces[0])):
            tables.add_article(position, item, engine.deduplicator.signature(item))
        tables.write(work, {})
        if number % 5 == 0:
            trace.append(_resident_mb())
    return trace


def show(result: dict) -> None:
    memory = ", ".join(f"{m:.0f}" for m in result["memory"])
    print(
        f"{result['workers']} worker(s): {result['articles']} articles in "
        f"{result['partitions']} partitions ({result['duplicates']} duplicates flagged); "
        f"start-up {result['startup']:.1f} s; run {result['run']:.1f} s = "
        f"{result['rate']:.1f} articles/s ({result['articles'] / result['cpu']:.1f} per worker "
        f"CPU-second; client {result['client_cpu']:.1f} CPU-s; {result['dedicated']:.1f} "
        f"articles/s with a core per worker); "
        f"peak memory per worker {memory} MB",
        flush=True,
    )
    for trace in result["traces"]:
        # resident memory when the worker's first task, the one a tenth of the way, the
        # middle one and its last ended: flat after the first means no growth with the corpus
        if trace:
            marks = [trace[0], trace[len(trace) // 10], trace[len(trace) // 2], trace[-1]]
            shown = " / ".join(f"{m:.0f}" for m in marks)
            print(f"  worker resident memory after task 1 / 10% / 50% / last: {shown} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--memory", default="1000,10000", help="corpus sizes ('' to skip)")
    parser.add_argument("--partition-size", type=int, default=50)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--model", default="linear", help="model family: linear or encoder")
    parser.add_argument(
        "--rss-trace", type=int, default=0, metavar="N", help="trace a worker's memory over N"
    )
    parser.add_argument(
        "--baseline", type=int, default=1000, help="articles through one process, no Dask (0: skip)"
    )
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start;"
        f" {args.model} pipeline",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        corpus = build_corpus(args.data, args.articles, work / "corpus.jsonl")
        if args.baseline:
            base = single_process(
                build_corpus(args.data, args.baseline, work / "base.jsonl"), args.model
            )
            print(
                f"single process, no Dask: {base['articles']} articles, {base['rate']:.1f} "
                f"articles/s ({base['per_cpu']:.1f} per CPU-second)",
                flush=True,
            )
        rates, dedicated = {}, {}
        for workers in (int(w) for w in args.workers.split(",") if w):
            result = measure(corpus, workers, args.partition_size, work, args.model)
            show(result)
            rates[workers], dedicated[workers] = result["rate"], result["dedicated"]
        if 1 in rates and 2 in rates:
            print(
                f"scaling 1 -> 2 workers: {rates[2] / rates[1]:.2f}x wall time, "
                f"{dedicated[2] / dedicated[1]:.2f}x with a core per worker (CPU time)",
                flush=True,
            )
        sizes = [int(s) for s in args.memory.split(",") if s]
        for size in sizes:
            sized = build_corpus(args.data, size, work / f"corpus-{size}.jsonl")
            result = measure(sized, 2, args.partition_size, work, args.model)
            show(result)
        if args.rss_trace:
            traced = build_corpus(args.data, args.rss_trace, work / "trace.jsonl")
            trace = rss_trace(traced, args.partition_size, work / "trace")
            shown = " ".join(f"{m:.0f}" for m in trace)
            print(f"resident memory every 5 partitions, one process: {shown} MB", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end", flush=True)


if __name__ == "__main__":
    main()
