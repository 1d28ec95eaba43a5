"""The workbench's FastAPI application: ``create_app(store_url)``.

Routes are versioned under ``/api/v1``; the OpenAPI description is at ``/openapi.json``. The
web pages (``propscope.web``) are added by its ``install(app)``.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Iterable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..document import Article
from ..errors import InputError, PropscopeError
from ..store import SPEAKERS_LIMIT, STATS_BY, STATS_WHAT, Filters, Store, StoreError
from ..store.export import EXPORT_FORMATS, export_chunks
from ..store.importer import Analysis, ImportOptions
from ..web import install as install_pages
from .jobs import JobRunner
from .schemas import AnalyzeIn, ArticleBatch, ArticleIn, CorrectionIn, ImportIn
from .security import DEFAULT_MAX_BODY, Guard, key_matches, keys_from_environment

log = logging.getLogger(__name__)
API = "/api/v1"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class Workbench:
    """What the routes share: the store, the analysis (loaded on first use), the job runner."""

    def __init__(
        self,
        store: Store,
        api_keys: list[str],
        require_keys: bool,
        upload_dir: Path,
        analysis: Analysis | None,
        fetch_timeout: float,
    ):
        self.store = store
        self.api_keys = api_keys
        self.require_keys = require_keys or bool(api_keys)
        self.upload_dir = upload_dir
        self.fetch_timeout = fetch_timeout
        self._analysis = analysis
        self._lock = threading.Lock()
        self.jobs = JobRunner(store, self.analysis)
        self._stories = None

    def stories(self):
        """Stories over the store, built on first use and extended as articles arrive."""
        from ..corpus.store_stories import StoreStories

        with self._lock:
            if self._stories is None:
                self._stories = StoreStories(self.store)
            return self._stories

    def analysis(self) -> Analysis:
        with self._lock:
            if self._analysis is None:
                self._analysis = Analysis()
            return self._analysis

    def prepare(self, body: AnalyzeIn) -> Article:
        """The request's article, read as the run layer reads that input (text as a text
        file, a URL as ``propscope analyze URL``), boilerplate marked."""
        from ..ingest import IngestOptions
        from ..ingest.clean import mark_boilerplate
        from ..ingest.html import article_from_html
        from ..runner import as_article

        if body.text is not None:
            article = as_article(body.text, body.id or "text")
            article.url = body.url
        elif body.html is not None:
            article = article_from_html(body.html, "html", body.id or "html", url=body.url)
            article = mark_boilerplate(article)
        else:
            runner = self.analysis().runner_for(ingest=IngestOptions(timeout=self.fetch_timeout))
            (article,) = runner.read([body.url])  # a URL is one article or one InputError
            if isinstance(article, InputError):
                raise article
            if body.id:
                article.id = body.id
        _override(
            article,
            {
                "source": body.source,
                "published": body.published,
                "author": body.author,
                "title": body.title,
            },
        )
        if body.language:
            article.language, article.language_confidence = body.language, None
        return article


def _override(article: Article, metadata: dict[str, Any]) -> None:
    for key, value in metadata.items():
        if value is not None:
            setattr(article, key, value)


def create_app(
    store_url: str | None = None,
    *,
    store: Store | None = None,
    api_keys: Iterable[str] | None = None,
    require_keys: bool = False,
    max_body: int = DEFAULT_MAX_BODY,
    analysis: Analysis | None = None,
    upload_dir: Path | None = None,
    run_jobs: bool = True,
    fetch_timeout: float = 20.0,
) -> FastAPI:
    """The workbench over the store at ``store_url`` (default: the user's SQLite store).

    ``api_keys`` (default: $PROPSCOPE_API_KEYS): when any are set, or ``require_keys`` is true
    (a server bound beyond loopback), every POST needs one in ``X-API-Key`` or
    ``Authorization: Bearer``. Bodies over ``max_body`` bytes get 413. ``run_jobs``: run import
    jobs in a background thread, resuming unfinished ones on start.
    """
    store = store or Store(store_url)
    keys = list(keys_from_environment() if api_keys is None else api_keys)
    if require_keys and not keys:
        raise StoreError("API keys are required here: set PROPSCOPE_API_KEYS")
    if upload_dir is None:
        upload_dir = _default_upload_dir(store)
    bench = Workbench(store, keys, require_keys, upload_dir, analysis, fetch_timeout)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if run_jobs:
            bench.jobs.start()
        yield
        if run_jobs:
            bench.jobs.stop()

    app = FastAPI(
        title="propscope workbench",
        version=__version__,
        description="Store, search, count and export persuasion analyses of news articles.",
        docs_url=None,  # the interactive docs load scripts from a CDN: not here
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.workbench = bench
    app.add_middleware(Guard, max_body=max_body)
    _install_errors(app)
    _install_routes(app, bench)
    install_pages(app)
    return app


def _default_upload_dir(store: Store) -> Path:
    from ..store import data_dir

    if store.dialect == "sqlite":
        from sqlalchemy.engine import make_url

        return Path(make_url(store.url).database).parent / "uploads"
    return data_dir() / "uploads"


# -- errors: always JSON, one message, never a traceback -------------------------------------


def _error(status: int, message: str, details=None) -> JSONResponse:
    error: dict[str, Any] = {"status": status, "message": message}
    if details:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status)


def _union_tag(part) -> bool:
    """Parts of an error's location that name a schema, not a field (unions, validators)."""
    return isinstance(part, str) and (
        part.startswith(("function-", "json-or-python")) or part in _SCHEMA_NAMES
    )


_SCHEMA_NAMES = {"AnalyzeIn", "ArticleIn", "ArticleBatch", "CorrectionIn", "ImportIn"}


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        response = _error(error.status_code, str(error.detail))
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        details = [
            {
                "where": ".".join(str(p) for p in item.get("loc", ()) if not _union_tag(p)),
                "problem": item.get("msg", "invalid"),
            }
            for item in error.errors()
        ]
        first = details[0] if details else {"where": "request", "problem": "invalid"}
        message = f"{first['where']}: {first['problem']}" if first["where"] else first["problem"]
        return _error(422, message, details)

    @app.exception_handler(InputError)
    async def bad_input(request: Request, error: InputError):
        return _error(422, str(error))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError):
        return _error(503 if "unavailable" in str(error) else 422, str(error))

    @app.exception_handler(PropscopeError)
    async def propscope_error(request: Request, error: PropscopeError):
        return _error(422, str(error))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        log.error("%s %s failed", request.method, request.url.path, exc_info=error)
        return _error(500, "internal error (the server log has the details)")


# -- routes ----------------------------------------------------------------------------------


def _filters(
    q: Annotated[str | None, Query(max_length=500, description="words that must all occur")] = None,
    source: Annotated[str | None, Query(max_length=300)] = None,
    language: Annotated[str | None, Query(max_length=16)] = None,
    genre: Annotated[str | None, Query(max_length=40)] = None,
    frame: Annotated[str | None, Query(max_length=80)] = None,
    technique: Annotated[str | None, Query(max_length=80)] = None,
    since: date | None = None,
    until: date | None = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> Filters:
    return Filters(q, source, language, genre, frame, technique, since, until, min_confidence)


FiltersDep = Annotated[Filters, Depends(_filters)]


def _only_known_parameters(*extra: str):
    """Refuse query parameters a route does not know (a misspelt filter would filter nothing)."""
    known = set(Filters.names()) | set(extra)

    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise HTTPException(422, f"unknown query parameter(s): {', '.join(unknown)}")

    return Depends(check)


def _install_routes(app: FastAPI, bench: Workbench) -> None:
    def write_access(request: Request) -> None:
        if not bench.require_keys:
            return
        given = request.headers.get("x-api-key")
        authorization = request.headers.get("authorization", "")
        if given is None and authorization.lower().startswith("bearer "):
            given = authorization[7:].strip()
        if given is None:
            raise HTTPException(
                401, "an API key is required (X-API-Key header)", {"WWW-Authenticate": "Bearer"}
            )
        if not key_matches(given, bench.api_keys):
            raise HTTPException(403, "wrong API key")

    Write = Depends(write_access)

    @app.get(f"{API}/health", tags=["meta"])
    def health() -> dict[str, Any]:
        """The server answers; how many articles the store holds."""
        return {"status": "ok", "version": __version__, "articles": bench.store.count()}

    @app.post(f"{API}/analyze", tags=["analysis"], dependencies=[Write])
    def analyze(body: AnalyzeIn) -> dict[str, Any]:
        """Analyse a text, a page's HTML or a URL; the article JSON back; nothing stored."""
        article = bench.analysis()(bench.prepare(body))
        return article.to_dict()

    @app.post(f"{API}/articles", tags=["articles"], status_code=201, dependencies=[Write])
    def add_articles(body: ArticleIn | ArticleBatch) -> dict[str, Any]:
        """Analyse and store one article, or a batch (``{"articles": [...]}``).

        Each result is ``stored``, ``duplicate`` (the same text is already stored: its id) or
        ``reanalysed`` (stored before by other model versions; the old labels kept as history).
        """
        items = body.articles if isinstance(body, ArticleBatch) else [body]
        analysis = bench.analysis()
        results: list[dict[str, Any]] = []
        prepared: list[Article] = []
        for item in items:
            try:
                prepared.append(bench.prepare(item))
                results.append({})
            except InputError as error:
                if len(items) == 1:
                    raise
                results.append({"id": None, "status": "failed", "error": str(error)})
        analysed = []
        outcomes = iter(analysis.runner.analyze_stream(prepared))  # failures isolated, in order
        for result in results:
            if result:
                continue
            outcome = next(outcomes)
            if isinstance(outcome, InputError):
                if len(items) == 1:
                    raise outcome
                result.update({"id": None, "status": "failed", "error": str(outcome)})
            else:
                analysed.append(outcome)
        run_id = _api_run(bench)
        added = iter(bench.store.add_many(analysed, run_id, analysis.versions))
        for result in results:
            if not result:
                done = next(added)
                result.update({"id": done.id, "status": done.status})
        return {"ids": [r["id"] for r in results], "results": results}

    @app.get(f"{API}/articles/{{article_id}}", tags=["articles"])
    def get_article(article_id: int) -> dict[str, Any]:
        """A stored article with its current analysis, label provenance and corrections."""
        article = bench.store.get(article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id}")
        return {
            "id": article_id,
            "article": article.to_dict(),
            "record": bench.store.article_record(article_id),
            "corrections": bench.store.corrections(article_id),
        }

    @app.get(
        f"{API}/articles",
        tags=["articles"],
        dependencies=[_only_known_parameters("page", "page_size")],
    )
    def search_articles(
        filters: FiltersDep,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=200)] = 20,
    ) -> dict[str, Any]:
        """Full-text search and filters, newest first, one page at a time."""
        return bench.store.search(filters, page, page_size)

    @app.get(f"{API}/stats", tags=["corpus"], dependencies=[_only_known_parameters("by", "what")])
    def corpus_stats(
        filters: FiltersDep,
        by: Annotated[str, Query(pattern="^(" + "|".join(STATS_BY) + ")$")] = "source",
        what: Annotated[str, Query(pattern="^(" + "|".join(STATS_WHAT) + ")$")] = "techniques",
    ) -> dict[str, Any]:
        """Counts per group and label, with rates per 100 paragraphs and per 100 articles."""
        return bench.store.stats(filters, by, what)

    @app.get(f"{API}/speakers", tags=["corpus"], dependencies=[_only_known_parameters("limit")])
    def corpus_speakers(
        filters: FiltersDep,
        limit: Annotated[int, Query(ge=1, le=1000)] = SPEAKERS_LIMIT,
    ) -> dict[str, Any]:
        """Who is quoted in each outlet: per speaker, quotes (direct and reported), articles,
        and the techniques inside their quotes; the ``limit`` most quoted per outlet."""
        return bench.store.speakers(filters, limit)

    def story_parameters(request: Request) -> None:
        unknown = sorted(set(request.query_params) - {"min_size", "page", "page_size"})
        if unknown:
            raise HTTPException(422, f"unknown query parameter(s): {', '.join(unknown)}")

    @app.get(f"{API}/stories", tags=["stories"], dependencies=[Depends(story_parameters)])
    def list_stories(
        min_size: Annotated[int, Query(ge=1, le=10_000)] = 2,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """Stories (articles about the same event, across outlets and languages), largest
        first: outlets, languages, first and last date, article ids. Articles stored since the
        last request are placed first (incrementally)."""
        found = bench.stories().summaries(min_size)
        start = (page - 1) * page_size
        return {"total": len(found), "page": page, "page_size": page_size,
                "stories": found[start : start + page_size]}  # fmt: skip

    @app.get(f"{API}/stories/{{story_id}}", tags=["stories"])
    def get_story(story_id: int) -> dict[str, Any]:
        """One story: timeline, each outlet's techniques and frames side by side (normalised,
        with counts), quotes and speakers per outlet, the passages that differ most."""
        view = bench.stories().view(story_id)
        if view is None:
            raise HTTPException(404, f"no story {story_id}")
        return view

    @app.get(f"{API}/sources", tags=["corpus"])
    def list_sources() -> list[dict[str, Any]]:
        """The outlets in the store with their article counts."""
        return bench.store.sources()

    @app.get(f"{API}/export", tags=["corpus"], dependencies=[_only_known_parameters("format")])
    def export(
        filters: FiltersDep,
        format: Annotated[str, Query(pattern="^(csv|jsonl|parquet)$")] = "csv",  # noqa: A002
    ) -> StreamingResponse:
        """One row per current label (source, URL, language, model version...), streamed."""
        chunks = export_chunks(bench.store.export_rows(filters), format)
        return StreamingResponse(
            chunks,
            media_type=EXPORT_FORMATS[format],
            headers={"content-disposition": f'attachment; filename="propscope-labels.{format}"'},
        )

    @app.post(
        f"{API}/articles/{{article_id}}/corrections",
        tags=["articles"],
        status_code=201,
        dependencies=[Write],
    )
    def correct(article_id: int, body: CorrectionIn) -> dict[str, Any]:
        """A reader marks a label wrong (``remove``) or adds a missing one (``add``)."""
        try:
            correction_id = bench.store.add_correction(
                article_id, body.task, body.label, body.action, body.line, body.note, body.author
            )
        except KeyError:
            raise HTTPException(404, f"no article {article_id}") from None
        return {"id": correction_id, "article_id": article_id}

    @app.post(f"{API}/imports", tags=["imports"], status_code=202, dependencies=[Write])
    async def start_import(request: Request) -> dict[str, Any]:
        """Import uploaded files (multipart ``files``, optional ``feed`` and ``language``) or
        URLs (JSON ``{"urls": [...], "feed": false}``) in the background; returns the job."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media == "multipart/form-data":
            inputs, options = await _uploaded_inputs(request, bench.upload_dir)
        elif media == "application/json":
            try:
                body = ImportIn.model_validate_json(await request.body())
            except ValueError as error:
                raise RequestValidationError(getattr(error, "errors", lambda: [])()) from None
            inputs = body.urls
            options = ImportOptions(feed=body.feed, language=body.language)
        else:
            raise HTTPException(415, "send multipart/form-data (files) or JSON (urls)")
        job_id = bench.store.create_job(inputs, options.to_dict())
        bench.jobs.submit(job_id)
        return _job_view(bench.store.job(job_id))

    @app.get(f"{API}/imports", tags=["imports"])
    def list_imports(
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> list[dict[str, Any]]:
        """The most recent import jobs, newest first."""
        return [_job_view(job) for job in bench.store.jobs(limit)]

    @app.get(f"{API}/imports/{{job_id}}", tags=["imports"])
    def get_import(job_id: int) -> dict[str, Any]:
        """An import job's state and progress."""
        job = bench.store.job(job_id)
        if job is None:
            raise HTTPException(404, f"no import job {job_id}")
        return _job_view(job)


def _api_run(bench: Workbench) -> int:
    """One run row per server process for the articles posted to it."""
    with bench._lock:
        run_id = getattr(bench, "_run_id", None)
    if run_id is None:
        analysis = bench.analysis()
        run_id = bench.store.start_run("api", analysis.versions, analysis.settings())
        with bench._lock:
            bench._run_id = run_id
    return run_id


def _job_view(job: dict[str, Any]) -> dict[str, Any]:
    view = {k: v for k, v in job.items() if k not in ("inputs", "options")}
    view["inputs"] = [Path(i).name if "://" not in i else i for i in job["inputs"]]
    view["processed"] = job["position"]
    view["url"] = f"{API}/imports/{job['id']}"
    return view


async def _uploaded_inputs(request: Request, upload_dir: Path):
    """Save uploaded files where a resumed job finds them after a restart."""
    form = await request.form()
    files = [f for f in form.getlist("files") if hasattr(f, "filename")]
    unknown = sorted(set(form.keys()) - {"files", "feed", "language"})
    if unknown:
        raise HTTPException(422, f"unknown form field(s): {', '.join(unknown)}")
    if not files:
        raise HTTPException(422, "files: give at least one file")
    folder = upload_dir / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    inputs = []
    for number, upload in enumerate(files, start=1):
        name = _SAFE_NAME.sub("_", Path(upload.filename or "").name).strip("._") or "upload"
        path = folder / f"{number:04d}" / name  # the file's own name: its article id
        path.parent.mkdir()
        path.write_bytes(await upload.read())
        inputs.append(str(path))
    feed = str(form.get("feed", "")).lower() in ("1", "true", "on", "yes")
    language = form.get("language") or None
    return inputs, ImportOptions(feed=feed, language=str(language) if language else None)
