"""The ``propscope`` command.

Exit codes: 0 every input processed; 1 some inputs (or the command) failed, each failure
reported on stderr as one line; 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from . import __version__
from .atomic import atomic_write
from .errors import InputError, PropscopeError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
TASKS = ("genre", "frames", "techniques")


class UsageError(Exception):
    """Wrong arguments: reported like argparse's own errors, exit code 2."""


def _report(message: str) -> None:
    print(f"propscope: error: {message}", file=sys.stderr)


@contextmanager
def _output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or a file written in full or not at all (never half-written)."""
    if path is None or path == "-":
        yield sys.stdout
        return
    with atomic_write(Path(path)) as out:
        yield out


def _split(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def _runner(args: argparse.Namespace, analyzers: list[str] | None, **options):
    from .runner import Runner

    try:
        return Runner(
            analyzers,
            model=getattr(args, "model", "linear"),
            decision=args.decision,
            debug=args.debug,
            **options,
        )
    except (KeyError, ValueError) as error:
        raise UsageError(error.args[0]) from None


# -- analyze ---------------------------------------------------------------------------------


def _ingest_options(args: argparse.Namespace):
    from .ingest import ColumnMap, IngestOptions

    columns = ColumnMap(
        **{name: getattr(args, f"{name}_column") for name in ColumnMap.__dataclass_fields__}
    )
    if args.timeout <= 0:
        raise UsageError("--timeout must be positive")
    return IngestOptions(
        max_bytes=int(args.max_size * 1024 * 1024),
        timeout=args.timeout,
        columns=columns,
        feed=args.feed,
    )


def cmd_analyze(args: argparse.Namespace) -> int:
    from .report.sinks import make_sink

    runner = _runner(
        args,
        _split(args.analyzers),
        language=args.language,
        dedupe=args.dedupe,
        ingest=_ingest_options(args),
        pattern=args.glob,
    )
    with _output(args.output) as out:
        color = args.color == "always" or (args.color == "auto" and out.isatty())
        sink = make_sink(args.format, out, color)
        for item in runner.run(args.paths):
            if isinstance(item, InputError):
                _report(str(item))
            else:
                sink.write(item)
        sink.close()
    if runner.summary.skipped:
        print(
            f"propscope: {runner.summary.skipped} duplicate article(s) skipped (--dedupe)",
            file=sys.stderr,
        )
    return EXIT_FAILED if runner.summary.failures else EXIT_OK


# -- batch -----------------------------------------------------------------------------------


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import AnalysisSettings, run_batch
    from .ingest.fetch import is_url

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
    inputs = [p if is_url(p) else str(Path(p).absolute()) for p in args.paths]
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


# -- evaluate --------------------------------------------------------------------------------


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import format_scores, read_labels, score

    gold = read_labels(Path(args.gold), args.task)
    pred = read_labels(Path(args.pred), args.task)
    scores = score(args.task, gold, pred)
    print(json.dumps(scores, indent=2) if args.json else format_scores(scores))
    return EXIT_OK


# -- predict ---------------------------------------------------------------------------------


def cmd_predict(args: argparse.Namespace) -> int:
    from .evaluation import predictions_of, write_labels
    from .ingest.semeval import article_files, language_of_folder, read_semeval_article

    folder = Path(args.articles_dir)
    if not folder.is_dir():
        raise PropscopeError(f"{folder}: not a folder of article<ID>.txt files")
    files = article_files(folder)
    if not files:
        raise PropscopeError(f"{folder}: no article<ID>.txt files")
    language = args.language or language_of_folder(folder / files[0].name)
    model_paths = {args.task: Path(args.model_dir)} if args.model_dir else None
    # Official prediction files need every paragraph: no boilerplate marking here.
    runner = _runner(args, [args.task], model_paths=model_paths)
    analysed = []
    for path in files:
        article = read_semeval_article(path, language=language)
        analysed.append(runner.analyze(article))
    with _output(args.output) as out:
        write_labels(predictions_of(analysed, args.task), args.task, out)
    return EXIT_OK


# -- train -----------------------------------------------------------------------------------


def cmd_train(args: argparse.Namespace) -> int:
    from .training import get_trainer

    try:
        trainer = get_trainer(args.model)
    except KeyError as error:
        raise UsageError(error.args[0]) from None
    manifest = trainer(
        data_dir=Path(args.data),
        out_dir=Path(args.out),
        languages=_split(args.languages),
        folds=args.folds,
        seed=args.seed,
    )
    print(json.dumps(manifest.get("metrics", {}), indent=2))
    print(f"model written to {args.out}", file=sys.stderr)
    return EXIT_OK


# -- parser ----------------------------------------------------------------------------------


def _add_model(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model",
        default="linear",
        metavar="FAMILY",
        help="model family: linear (default) or encoder; 'linear,encoder' runs both side by"
        " side and shows the first",
    )


def _add_decision(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--decision",
        choices=("micro", "balanced"),
        default="micro",
        help="techniques thresholds: micro (default, best official micro-F1) or balanced "
        "(each technique's own best F1: rare techniques such as whataboutism shown more often)",
    )


def _add_input_arguments(parser: argparse.ArgumentParser) -> None:
    """How inputs are read and analysed: shared by analyze and batch."""
    parser.add_argument("--glob", default="*.txt", help="file pattern inside folders (*.txt)")
    parser.add_argument("--language", help="ISO 639-1 code: skip language detection")
    parser.add_argument("--analyzers", help="comma-separated analyzer names (default: all)")
    _add_model(parser)
    _add_decision(parser)
    parser.add_argument(
        "--max-size",
        type=float,
        default=5.0,
        metavar="MB",
        help="largest article: file, downloaded page or corpus record (5 MB)",
    )
    parser.add_argument(
        "--feed", action="store_true", help="the inputs are RSS/Atom feeds (URLs or files)"
    )
    parser.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per download (20)"
    )
    corpus = parser.add_argument_group(
        "corpus columns (JSONL, CSV, Parquet)",
        "default: the first present of the usual names, e.g. text/content/body for the text",
    )
    for name in ("text", "title", "id", "url", "source", "date", "language"):
        corpus.add_argument(f"--{name}-column", metavar="NAME")


def _add_batch_parser(commands) -> None:
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
    _add_input_arguments(batch)
    batch.set_defaults(handler=cmd_batch)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="propscope",
        description="Show how news articles try to persuade: genre, frames, techniques, evidence.",
        epilog="Exit codes: 0 all inputs processed, 1 some inputs failed (one line each on "
        "stderr), 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"propscope {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of failures")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    analyze = commands.add_parser(
        "analyze",
        help="analyze articles: text, SemEval, HTML files, http(s) URLs, feeds, corpora",
        description="Inputs: text and SemEval files, folders, '-' (standard input), web pages "
        "(.html files or http(s) URLs), RSS/Atom feeds (with --feed), corpora (.jsonl, .csv, "
        ".tsv, .parquet, .warc, .arc; .gz allowed for jsonl, csv, warc, arc).",
    )
    analyze.add_argument("paths", nargs="+", metavar="INPUT")
    analyze.add_argument(
        "--format",
        choices=("text", "json", "jsonl", "html"),
        default="text",
        help="text report, JSON array, JSON lines, or one self-contained HTML page",
    )
    analyze.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour evidence in the text report (auto: when writing to a terminal)",
    )
    analyze.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _add_input_arguments(analyze)
    analyze.add_argument(
        "--dedupe", action="store_true", help="skip exact and near-duplicate articles"
    )
    analyze.set_defaults(handler=cmd_analyze)

    _add_batch_parser(commands)

    evaluate = commands.add_parser("evaluate", help="score a prediction file with official metrics")
    evaluate.add_argument("task", choices=TASKS)
    evaluate.add_argument("--gold", required=True, metavar="FILE")
    evaluate.add_argument("--pred", required=True, metavar="FILE")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.set_defaults(handler=cmd_evaluate)

    predict = commands.add_parser("predict", help="write an official prediction file")
    predict.add_argument("task", choices=TASKS)
    predict.add_argument("articles_dir", metavar="ARTICLES_DIR")
    predict.add_argument("-o", "--output", metavar="FILE")
    predict.add_argument("--language", help="ISO 639-1 code (default: from the folder or detected)")
    predict.add_argument(
        "--model-dir", metavar="DIR", help="a trained model instead of the shipped one"
    )
    _add_model(predict)
    _add_decision(predict)
    predict.set_defaults(handler=cmd_predict)

    train = commands.add_parser("train", help="train a model with article-held-out validation")
    train.add_argument("model", metavar="MODEL", help="genre, frames, techniques or evidence")
    train.add_argument("--data", required=True, metavar="DIR", help="the semeval2023 folder")
    train.add_argument("--out", required=True, metavar="DIR")
    train.add_argument("--languages", help="comma-separated languages (default: all six)")
    train.add_argument("--folds", type=int, default=5)
    train.add_argument("--seed", type=int, default=0)
    train.set_defaults(handler=cmd_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING, format="propscope: %(message)s"
    )
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UsageError as error:
        parser.error(str(error))
    except PropscopeError as error:
        if args.debug:
            raise
        _report(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:  # no traceback reaches a user unless asked for
        if args.debug:
            raise
        _report(f"{type(error).__name__}: {error} (run with --debug for details)")
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
