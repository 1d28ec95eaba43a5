"""``propscope batch``: the command line of batch runs (Dask is imported only when one runs)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_batch_parser(commands, add_input_arguments) -> None:
    batch = commands.add_parser(
        "batch",
        help="analyze a large corpus on a Dask cluster into Parquet tables (resumable)",
        description="Reads the inputs of `analyze` (folders, corpora, WARC, URLs, feeds), splits "
        "them into partitions, analyses them on Dask workers and writes Parquet tables (articles, "
        "paragraphs, labels, spans, errors) under --out, one folder per partition. Rerun the "
        "same command to finish an interrupted run: written partitions are skipped. See "
        "docs/batch.md.",
    )
    batch.add_argument("paths", nargs="+", metavar="INPUT")
    batch.add_argument("--out", required=True, metavar="DIR", help="the output folder")
    where = batch.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="a running Dask scheduler, e.g. tcp://host:8786"
    )
    where.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes of the local cluster (default: one per CPU)",
    )
    batch.add_argument(
        "--partition-size",
        type=int,
        default=200,
        metavar="N",
        help="files or corpus records per partition (200)",
    )
    batch.add_argument(
        "--no-progress", action="store_true", help="no progress bar, even on a terminal"
    )
    add_input_arguments(batch)
    batch.set_defaults(handler=cmd_batch)


def cmd_batch(args: argparse.Namespace) -> int:
    from ..cli import EXIT_FAILED, EXIT_OK, UsageError, _ingest_options, _runner, _split
    from .run import run_batch
    from .worker import AnalysisSettings

    if "-" in args.paths:
        raise UsageError("batch reads files, folders, URLs and feeds, not standard input")
    if args.partition_size < 1:
        raise UsageError("--partition-size must be at least 1")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    analyzers = _split(args.analyzers)
    _runner(args, analyzers)  # unknown analyzers, model families or decisions: a usage error
    settings = AnalysisSettings(
        analyzers=tuple(analyzers) if analyzers is not None else None,
        decision=args.decision,
        model=args.model,
        language=args.language,
        ingest=_ingest_options(args),
    )
    inputs = [p if _is_remote(p) else str(Path(p).absolute()) for p in args.paths]
    try:
        summary = run_batch(
            inputs,
            Path(args.out),
            settings,
            partition_size=args.partition_size,
            pattern=args.glob,
            scheduler=args.scheduler,
            workers=args.workers,
            progress=False if args.no_progress else None,
        )
    except KeyboardInterrupt:
        print(
            f"propscope: interrupted; partitions written so far are kept in {args.out}: "
            "run the same command again to finish",
            file=sys.stderr,
        )
        raise
    print(f"propscope: {summary.line()}", file=sys.stderr)
    if not summary.complete:
        print("propscope: some partitions failed: run the same command again", file=sys.stderr)
    return EXIT_OK if summary.complete and not summary.failures else EXIT_FAILED


def _is_remote(path: str) -> bool:
    from ..ingest.fetch import is_url

    return is_url(path)
