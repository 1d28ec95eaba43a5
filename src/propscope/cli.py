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


def _terminal_safe(message: str) -> str:
    from .report.view import escape_control

    return escape_control(message)


def _report(message: str) -> None:
    print(f"propscope: error: {_terminal_safe(message)}", file=sys.stderr)


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


class _NothingWritten(Exception):
    """No article was analysed: an existing output file must stay as it was."""


def _check_output(output: str | None, inputs: list[str]) -> frozenset[str]:
    """Refuse an output that is a folder or one of the inputs, before anything is analysed;
    return the resolved output path, which folders searched for inputs leave out."""
    from .ingest.fetch import is_url

    if output is None or output == "-":
        return frozenset()
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"-o {output}: is a folder; name a file to write")
    for raw in inputs:
        if raw == "-" or is_url(raw):
            continue
        try:
            same = Path(raw).is_file() and target.exists() and os.path.samefile(raw, target)
        except OSError:
            same = False
        if same or Path(raw).resolve() == target.resolve():
            raise UsageError(f"-o {output} is also an input ({raw}): refusing to overwrite it")
    return frozenset({str(target.resolve())})


def _progress(items, setting: str):
    """Progress on standard error: with ``auto``, on a terminal and for runs that last (shown
    after 3 s); ``always`` shows it at once; otherwise the items as they are."""
    if setting == "never" or (setting == "auto" and not sys.stderr.isatty()):
        return None
    from tqdm import tqdm

    delay = 0 if setting == "always" else 3
    return tqdm(items, unit=" articles", delay=delay, file=sys.stderr, dynamic_ncols=True)


def cmd_analyze(args: argparse.Namespace) -> int:
    from .report.sinks import make_sink

    analyzers = _split(args.analyzers)
    extra = _split(args.add_analyzers)
    if extra:  # opt-in analyzers on top of the named (or default) ones
        from .analyzers.pipeline import default_names

        analyzers = list(dict.fromkeys((analyzers or default_names()) + extra))
    exclude = _check_output(args.output, args.paths)
    ingest = _ingest_options(args)
    ingest.exclude = exclude
    runner = _runner(
        args,
        analyzers,
        language=args.language,
        dedupe=args.dedupe,
        ingest=ingest,
        pattern=args.glob,
        withhold=not args.label_all,
    )
    try:
        with _output(args.output) as out:
            color = args.color == "always" or (args.color == "auto" and out.isatty())
            sink = make_sink(args.format, out, color, args.view, args.show_fallback)
            items = runner.run(args.paths)
            progress = _progress(items, args.progress)
            for item in items if progress is None else progress:
                if isinstance(item, InputError):
                    message = f"propscope: error: {_terminal_safe(str(item))}"
                    if progress is None:
                        print(message, file=sys.stderr)
                    else:
                        progress.write(message, file=sys.stderr)
                else:
                    sink.write(item)
            if progress is not None:
                progress.close()
            if sink.written == 0 and args.output not in (None, "-"):
                raise _NothingWritten
            sink.close()
    except _NothingWritten:
        state = "left as it was" if Path(args.output).exists() else "not written"
        print(f"propscope: no article was analysed: {args.output} {state}", file=sys.stderr)
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
    if args.db is not None:  # a bad URL or an unreachable database: now, not after the run
        from .store import Store

        Store(args.db).close()
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
        if args.db is not None:
            print("propscope: nothing stored in --db until the run is complete", file=sys.stderr)
    elif args.db is not None:
        with Store(args.db) as store:
            if _load_batch(store, args.out):
                return EXIT_FAILED
    return EXIT_OK if summary.complete and not summary.failures else EXIT_FAILED


# -- evaluate --------------------------------------------------------------------------------


def _warn_if_seen_in_training(task: str, gold: dict, gold_path: str) -> None:
    """Scores on articles the shipped model was trained on say nothing about unseen ones."""
    from .analyzers.base import MODELS_DIR
    from .errors import ArtifactError
    from .models.artifact import read_manifest

    try:
        trained = set(read_manifest(MODELS_DIR / task, task).get("training_article_ids", []))
    except ArtifactError:
        return
    ids = {key[0] if isinstance(key, tuple) else key for key in gold}
    seen = ids & trained
    if seen:
        print(
            f"propscope: warning: {len(seen)} of the {len(ids)} articles in {gold_path} were in"
            f" the training data of the shipped {task} model: if the predictions come from it,"
            " these scores overstate its quality on unseen articles (docs/model-card.md gives"
            " cross-validated figures)",
            file=sys.stderr,
        )


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluation import format_scores, read_labels, score

    gold = read_labels(Path(args.gold), args.task)
    pred = read_labels(Path(args.pred), args.task)
    scores = score(args.task, gold, pred)
    _warn_if_seen_in_training(args.task, gold, args.gold)
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
    model_paths = None
    if args.model_dir:  # the trained model of the selected family's analyzer for this task
        from .runner import FAMILIES, families_of

        try:
            family = families_of(args.model)[0]
        except ValueError as error:
            raise UsageError(error.args[0]) from None
        model_paths = {FAMILIES[family][args.task]: Path(args.model_dir)}
    # Official prediction files need every paragraph: no boilerplate marking here.
    # An official prediction file labels every article: nothing is withheld either.
    runner = _runner(args, [args.task], model_paths=model_paths, withhold=False)
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

    name = args.model if args.family == "linear" else f"{args.model}_{args.family}"
    try:
        trainer = get_trainer(name)
    except KeyError as error:
        raise UsageError(error.args[0]) from None
    extra = {"max_articles": args.max_articles} if args.max_articles else {}
    if extra and args.family != "encoder":
        raise UsageError("--max-articles applies to the encoder family")
    if args.head:
        if name != "techniques_encoder":
            raise UsageError("--head applies to techniques --model encoder")
        extra["head"] = args.head
    manifest = trainer(
        data_dir=Path(args.data),
        out_dir=Path(args.out),
        languages=_split(args.languages),
        folds=args.folds,
        seed=args.seed,
        **extra,
    )
    print(json.dumps(manifest.get("metrics", {}), indent=2))
    print(f"model written to {args.out}", file=sys.stderr)
    return EXIT_OK


# -- workbench: import, serve, export-annotations ---------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from .store import Store
    from .store.importer import Analysis, ImportOptions, run_job

    ingest = _ingest_options(args)
    options = ImportOptions(
        feed=args.feed,
        glob=args.glob,
        language=args.language,
        max_bytes=ingest.max_bytes,
        timeout=ingest.timeout,
        columns={k: v for k, v in ingest.columns.__dict__.items() if v is not None},
    )
    from .batch import is_output

    # batch output folders are stored as they are (already analysed); the rest is analysed
    batches = [path for path in args.paths if is_output(path)]
    inputs = [path for path in args.paths if path not in batches]
    failed = 0
    with Store(args.db) as store:
        for out in batches:
            failed += _load_batch(store, out)
        if not inputs:
            return EXIT_FAILED if failed else EXIT_OK
        try:
            analysis = Analysis(_split(args.analyzers), decision=args.decision, model=args.model)
        except (KeyError, ValueError) as error:
            raise UsageError(error.args[0]) from None
        job_id = store.create_job(inputs, options.to_dict())
        job = run_job(store, job_id, analysis, on_error=_report)
    if job["status"] == "failed":
        raise PropscopeError(f"import job {job_id} failed: {job['message']}")
    print(
        f"propscope: import job {job_id} {job['status']}: {job['stored']} stored, "
        f"{job['duplicates']} duplicate(s) skipped, {job['failed']} failed ({store})",
        file=sys.stderr,
    )
    return EXIT_FAILED if job["failed"] or failed else EXIT_OK


def _load_batch(store, out: str) -> int:
    """A batch output folder into the store, with its summary line; how many failed."""
    from .store.importer import load_batch

    done = load_batch(store, out, on_error=_report)
    print(
        f"propscope: import of batch output {out} (run {done['run_id']}): {done['stored']} "
        f"stored, {done['duplicates']} duplicate(s) skipped, {done['failed']} failed ({store})",
        file=sys.stderr,
    )
    return done["failed"]


def cmd_serve(args: argparse.Namespace) -> int:
    from .api.server import serve

    return serve(args.db, host=args.host, port=args.port, max_body=int(args.max_body * 1e6))


def cmd_export_annotations(args: argparse.Namespace) -> int:
    from .store import Store
    from .store.export import write_annotations

    with Store(args.db) as store:
        counts = write_annotations(store, Path(args.output))
    print(
        f"propscope: {counts['articles']} corrected article(s) written to {args.output} "
        "(genre.txt, frames.txt, techniques.txt, articles/)",
        file=sys.stderr,
    )
    return EXIT_OK


# -- stories ---------------------------------------------------------------------------------


def cmd_stories(args: argparse.Namespace) -> int:
    from .corpus.command import run

    return EXIT_FAILED if run(args, _report, _output) else EXIT_OK


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
        "--timeout",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="the most one download may take, from connecting to its last byte (20)",
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
    batch.add_argument(
        "--db",
        metavar="URL",
        help="also store the finished output in this database (sqlite:///FILE, a file path or "
        "postgresql+psycopg://...), as `propscope import DIR --db URL` does",
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
    analyze.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write here instead of stdout (whole or not at all; never one of the inputs; an"
        " existing file is left as it was when no article is analysed)",
    )
    analyze.add_argument(
        "--view",
        choices=("confident", "all"),
        default="confident",
        help="reports (text, HTML) show only labels whose cross-validated precision is at"
        " least 0.6 (confident, default) or every predicted label (all); JSON keeps all",
    )
    analyze.add_argument(
        "--show-fallback",
        action="store_true",
        help="also show fallback evidence (the best phrase when no span was found), marked",
    )
    analyze.add_argument(
        "--label-all",
        action="store_true",
        help="label every article, even with too little text or when it is not news (a recipe,"
        " a tutorial, a product page, a forum thread); they keep a warning",
    )
    analyze.add_argument(
        "--progress",
        choices=("auto", "always", "never"),
        default="auto",
        help="progress on standard error for runs over a few seconds (auto: when it is a"
        " terminal)",
    )
    _add_input_arguments(analyze)
    analyze.add_argument(
        "--with",
        dest="add_analyzers",
        metavar="NAMES",
        help="add opt-in analyzers to the others, comma-separated (entities)",
    )
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
    train.add_argument(
        "--model",
        dest="family",
        choices=("linear", "encoder"),
        default="linear",
        help="model family (default linear); encoder: techniques, genre and frames on"
        " multilingual-e5 vectors",
    )
    train.add_argument(
        "--max-articles",
        type=int,
        metavar="N",
        help="encoder family: train on the first N articles of each language (less CPU)",
    )
    train.add_argument(
        "--head",
        choices=("mlp", "ridge"),
        help="techniques --model encoder: the head on the encoder features (default mlp)",
    )
    train.set_defaults(handler=cmd_train)

    db_help = "database URL: sqlite:///FILE, a file path, or postgresql+psycopg://... " \
        "(default: $PROPSCOPE_DB, else propscope.db in the user's data directory)"
    importer = commands.add_parser(
        "import",
        help="analyse inputs (every kind analyze reads) and store them; duplicates skipped",
        description="Analyses the inputs and stores them. A `propscope batch` output folder "
        "(--out) is stored as it is, with the batch run's predictions, not analysed again.",
    )
    importer.add_argument("paths", nargs="+", metavar="INPUT")
    importer.add_argument("--db", help=db_help)
    importer.add_argument("--glob", default="*.txt", help="file pattern inside folders (*.txt)")
    importer.add_argument("--language", help="ISO 639-1 code: skip language detection")
    importer.add_argument("--analyzers", help="comma-separated analyzer names (default: all)")
    _add_model(importer)
    _add_decision(importer)
    importer.add_argument("--max-size", type=float, default=5.0, metavar="MB")
    importer.add_argument("--feed", action="store_true", help="the inputs are RSS/Atom feeds")
    importer.add_argument("--timeout", type=float, default=20.0, metavar="SECONDS")
    for name in ("text", "title", "id", "url", "source", "date", "language"):
        importer.add_argument(f"--{name}-column", metavar="NAME", help="corpus column")
    importer.set_defaults(handler=cmd_import)

    serve = commands.add_parser("serve", help="the workbench: web app and REST API over a store")
    serve.add_argument("--db", help=db_help)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (127.0.0.1); any other needs API keys in PROPSCOPE_API_KEYS",
    )
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--max-body", type=float, default=10.0, metavar="MB", help="largest request (10 MB)"
    )
    serve.set_defaults(handler=cmd_serve)

    annotations = commands.add_parser(
        "export-annotations", help="write readers' corrections as SemEval gold files"
    )
    annotations.add_argument("--db", help=db_help)
    annotations.add_argument("-o", "--output", required=True, metavar="DIR")
    annotations.set_defaults(handler=cmd_export_annotations)

    from .corpus.command import add_parser as add_stories

    add_stories(commands)
    commands.choices["stories"].set_defaults(handler=cmd_stories)
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
