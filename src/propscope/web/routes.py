"""The web pages: a FastAPI router that the API app includes."""

from __future__ import annotations

import logging
import mimetypes
import threading
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from ..errors import PropscopeError
from ..ingest import DEFAULT_MAX_BYTES
from ..report.view import VIEWS
from ..taxonomy import FRAMES, GENRES, GROUPS, TECHNIQUES
from .corpus import (
    UNITS,
    Chart,
    bar_data,
    line_data,
    profile,
    profile_series,
    query_string,
    speakers_table,
    stats_table,
    unit,
)
from .pages import STATIC, render
from .submit import read_submission
from .views import add_model_versions, analysis_view, legend

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)


@router.get("/static/groups.css")
def group_colours() -> Response:
    """The group colours as CSS variables, from the taxonomy (the one place they are defined)."""
    rules = [
        f".g-{key}, .t-{key}, .fill-{key} {{ --g: {group.colour}; --g-soft: {group.colour}38; }}"
        for key, group in GROUPS.items()
    ]
    headers = {"Cache-Control": "max-age=3600"}
    return Response("\n".join(rules) + "\n", media_type="text/css", headers=headers)


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The bundled assets, by plain file name only (no folders, nothing outside STATIC)."""
    path = STATIC / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type, headers={"Cache-Control": "max-age=3600"})


def model_families() -> list[str]:
    """The model families whose every analyzer is installed with its model, default first."""
    from ..analyzers.base import get_analyzer
    from ..runner import FAMILIES

    found = []
    for family, names in FAMILIES.items():
        try:
            if all(get_analyzer(name).available() for name in names.values()):
                found.append(family)
        except (KeyError, ImportError):
            continue
    return found


def _page(status: int = 200, **context) -> Response:
    from ..analyzers.techniques import DECISIONS

    context = {"page": "analyse", "form": {}, "error": None, "view": None, **context}
    return render(
        "analyse.html", status, families=model_families(), decisions=DECISIONS, **context
    )


@router.get("/")
def analyse_form() -> Response:
    return _page()


def _analyse(text, data, filename, url, decision, model, view, fallback):
    import propscope

    article = read_submission(text, data, filename, url)
    # the library's shared runner: the run layer the command line uses too
    runner = propscope.load_runner(decision=decision, model=model)
    return analysis_view(runner.analyze(article), view, fallback)


@router.post("/analyse")
async def analyse(
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "micro",
    model: Annotated[str, Form()] = "linear",
    view: Annotated[str, Form()] = "confident",
    fallback: Annotated[bool, Form()] = False,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = {
        "text": text, "url": url, "decision": decision, "model": model, "view": view,
        "fallback": fallback,
    }  # fmt: skip
    data, filename = None, ""
    if file is not None and file.filename:
        data = await file.read(DEFAULT_MAX_BYTES + 1)
        filename = file.filename
    from ..analyzers.techniques import DECISIONS

    if decision not in DECISIONS:
        error = f"unknown decision {decision!r}: choose one of {', '.join(DECISIONS)}"
        return _page(422, form=form, error=error)
    if view not in VIEWS:
        return _page(422, form=form, error=f"unknown view {view!r}: confident or all")
    families = model_families()
    if model not in families:
        error = f"model {model!r} is not installed here: choose one of {', '.join(families)}"
        return _page(422, form=form, error=error)
    try:
        shown = await run_in_threadpool(
            _analyse, text, data, filename, url, decision, model, view, fallback
        )
    except PropscopeError as error:
        return _page(422, form=form, error=str(error))
    except Exception as error:  # the reader gets one line; the log keeps the traceback
        log.exception("analysis failed")
        return _page(500, form=form, error=f"analysis failed: {type(error).__name__}: {error}")
    return _page(form=form, view=shown)


@router.get("/legend")
def legend_page(language: str = "en") -> Response:
    language = language if language in ("en", "fr") else "en"
    return render("legend.html", page="legend", entries=legend(language), language=language)


# -- pages over the store -------------------------------------------------------------------

FILTER_NAMES = (
    "q", "source", "language", "genre", "frame", "technique", "since", "until", "min_confidence",
)  # fmt: skip
PAGE_SIZE = 25
#: The charts of the corpus page: (key, title, by, what, kind).
CORPUS_CHARTS = (
    ("techniques-by-source", "Techniques by outlet", "source", "techniques", "bar"),
    ("frames-by-source", "Frames by outlet", "source", "frames", "bar"),
    ("techniques-by-language", "Techniques by language", "language", "techniques", "bar"),
    ("frames-by-language", "Frames by language", "language", "frames", "bar"),
    ("techniques-by-month", "Techniques over time", "month", "techniques", "line"),
    ("frames-by-month", "Frames over time", "month", "frames", "line"),
)


def _store(request: Request):
    return request.app.state.workbench.store


def _filters(values: dict[str, str]):
    """Store filters from query values; ValueError with one line for a bad one."""
    from ..store import Filters

    kept: dict[str, object] = {}
    for name in FILTER_NAMES:
        value = (values.get(name) or "").strip()
        if not value:
            continue
        if name in ("since", "until"):
            try:
                kept[name] = date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None
        elif name == "min_confidence":
            try:
                number = float(value)
            except ValueError:
                number = -1.0
            if not 0.0 <= number <= 1.0:
                raise ValueError(f"min_confidence: a number from 0 to 1, not {value!r}")
            kept[name] = number
        else:
            kept[name] = value
    return Filters(**kept)


def _filter_values(request: Request) -> dict[str, str]:
    return {name: request.query_params.get(name, "") for name in FILTER_NAMES}


#: The filter choices of each store, with the article count they were read at: counting is
#: cheap, reading the languages is a statistics query.
_choices: dict[int, tuple[int, dict]] = {}
_choices_lock = threading.Lock()


def _options(store) -> dict[str, list[tuple[str, str]]]:
    count = store.count()
    with _choices_lock:
        known = _choices.get(id(store))
    if known is not None and known[0] == count:
        return known[1]
    options = _read_options(store)
    with _choices_lock:
        _choices[id(store)] = (count, options)
    return options


def _read_options(store) -> dict[str, list[tuple[str, str]]]:
    languages = store.stats(by="language", what="genre")["groups"]
    return {
        "sources": [(s["name"], f"{s['name']} ({s['articles']})") for s in store.sources()],
        "languages": [
            (g["group"], f"{g['group']} ({g['articles']})") for g in languages if g["group"]
        ],
        "genres": [(key, label.name) for key, label in GENRES.items()],
        "frames": [(key, label.name) for key, label in FRAMES.items()],
        "techniques": [(key, label.name) for key, label in TECHNIQUES.items()],
    }


def _chart_links(values: dict[str, str]) -> list[dict[str, str]]:
    """The corpus page's charts: each drawn by its own request, so the table never waits."""
    return [
        {
            "key": key,
            "title": title,
            "unit": unit(what),
            "svg_url": "/corpus/chart.svg?" + query_string(values, chart=key),
            "csv_url": "/corpus/stats.csv?" + query_string(values, by=by, what=what),
        }
        for key, title, by, what, _ in CORPUS_CHARTS
    ]


@router.get("/corpus/chart.svg")
def corpus_chart(request: Request, chart: str = "") -> Response:
    """One chart of the corpus page, for its filters, as an SVG image."""
    found = [c for c in CORPUS_CHARTS if c[0] == chart]
    if not found:
        known = ", ".join(c[0] for c in CORPUS_CHARTS)
        return Response(f"chart: one of {known}\n", status_code=422, media_type="text/plain")
    key, title, by, what, kind = found[0]
    try:
        filters = _filters(_filter_values(request))
    except ValueError as error:
        return Response(f"{error}\n", status_code=422, media_type="text/plain")
    stats = _store(request).stats(filters, by=by, what=what)
    categories, series = bar_data(stats) if kind == "bar" else line_data(stats)
    drawn = Chart(title, kind, categories, series, unit(what), "", key).svg
    return Response(str(drawn), media_type="image/svg+xml")


@router.get("/corpus")
def corpus(request: Request, page: int = 1) -> Response:
    store = _store(request)
    values = _filter_values(request)
    context = {"page": "corpus", "filters": values, "options": _options(store)}
    try:
        filters = _filters(values)
    except ValueError as error:
        return render("corpus.html", 422, **context, error=str(error), result=None, charts=[])
    result = store.search(filters, page=max(page, 1), page_size=PAGE_SIZE)
    pages = max(1, -(-result["total"] // result["page_size"]))
    return render(
        "corpus.html",
        **context,
        error=None,
        result=result,
        pages=pages,
        page_query=lambda number: query_string(values, page=number),
        export_url="/api/v1/export?" + query_string(values, format="csv"),
        charts=_chart_links(values),
    )


MAX_COMPARED = 4


@router.get("/compare")
def compare(request: Request) -> Response:
    store = _store(request)
    outlets = [o for o in dict.fromkeys(request.query_params.getlist("outlet")) if o]
    values = {name: request.query_params.get(name, "") for name in ("language", "since", "until")}
    context = {
        "page": "compare",
        "outlets": outlets,
        "filters": values,
        "options": _options(store),
        "slots": MAX_COMPARED,
        "profiles": [],
        "error": None,
    }
    if not outlets:
        return render("compare.html", **context)
    if not 2 <= len(outlets) <= MAX_COMPARED:
        error = f"choose two to {MAX_COMPARED} different outlets ({len(outlets)} chosen)"
        return render("compare.html", 422, **{**context, "error": error})
    try:
        filters = _filters(values)
    except ValueError as error:
        return render("compare.html", 422, **{**context, "error": str(error)})
    known = {s["name"] for s in store.sources()}
    missing = [o for o in outlets if o not in known]
    if missing:
        error = f"no stored article from {', '.join(missing)}"
        return render("compare.html", 422, **{**context, "error": error})
    profiles = []
    for what, title in (("techniques", "Techniques"), ("frames", "Frames"), ("genre", "Genre")):
        stats = store.stats(filters, by="source", what=what)
        rows = profile(stats, outlets)
        totals = {g["group"]: g for g in stats["groups"]}
        shown = rows[:12]
        chart = Chart(
            f"{title}: rate per outlet with 95% intervals",
            "bar",
            [r.name for r in shown],
            profile_series(rows, outlets),
            unit(what),
            "/corpus/stats.csv?" + query_string(values, by="source", what=what),
            f"compare-{what}",
            width=900,
        )
        profiles.append(
            {"what": what, "title": title, "rows": rows, "chart": chart, "totals": totals,
             "unit": UNITS[what]}
        )
    return render("compare.html", **{**context, "profiles": profiles})


@router.get("/articles/{article_id}")
def article_page(
    request: Request, article_id: int, view: str = "confident", fallback: bool = False
) -> Response:
    store = _store(request)
    if view not in VIEWS:
        message = f"unknown view {view!r}: confident or all"
        return render("error.html", 422, page="", title="Unknown view", message=message)
    article = store.get(article_id)
    if article is None:
        message = f"no stored article with id {article_id}"
        return render("error.html", 404, page="", title="Not found", message=message)
    record = store.article_record(article_id)
    return render(
        "article.html",
        page="",
        article_id=article_id,
        fallback=fallback,
        view=add_model_versions(analysis_view(article, view, fallback), record),
        record=record,
        corrections=store.corrections(article_id),
    )


@router.get("/import")
def import_page(request: Request, job: int | None = None) -> Response:
    recent = _store(request).jobs(limit=10)
    for item in recent:
        item["names"] = [name.rsplit("/", 1)[-1] for name in item["inputs"]]
    return render("import.html", page="import", job=job, recent=recent)


@router.get("/corpus/stats.csv")
def stats_csv(request: Request, by: str = "source", what: str = "techniques") -> Response:
    """A chart's numbers (``Store.stats`` rows with 95% Wilson intervals) as CSV."""
    from ..store import STATS_BY, STATS_WHAT

    if by not in STATS_BY or what not in STATS_WHAT:
        message = f"by: one of {', '.join(STATS_BY)}; what: one of {', '.join(STATS_WHAT)}"
        return Response(message + "\n", status_code=422, media_type="text/plain")
    try:
        filters = _filters(_filter_values(request))
    except ValueError as error:
        return Response(f"{error}\n", status_code=422, media_type="text/plain")
    text = stats_table(_store(request).stats(filters, by=by, what=what))
    name = f"propscope-{what}-by-{by}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


#: The filters of the "who is quoted" page.
SPEAKER_FILTERS = ("source", "language", "since", "until")
#: Speakers listed per outlet on the page (the CSV and the API can give more).
SPEAKERS_SHOWN = 25


def _speaker_values(request: Request) -> dict[str, str]:
    return {name: request.query_params.get(name, "") for name in SPEAKER_FILTERS}


@router.get("/speakers")
def speakers_page(request: Request) -> Response:
    """Who is quoted in each outlet, how often, and the techniques inside their quotes."""
    store = _store(request)
    values = _speaker_values(request)
    context = {"page": "speakers", "filters": values, "options": _options(store),
               "outlets": [], "shown": SPEAKERS_SHOWN, "error": None,
               "csv_url": "/speakers.csv?" + query_string(values)}  # fmt: skip
    try:
        filters = _filters(values)
    except ValueError as error:
        return render("speakers.html", 422, **{**context, "error": str(error)})
    found = store.speakers(filters, limit=SPEAKERS_SHOWN)
    return render("speakers.html", **{**context, "outlets": found["outlets"]})


@router.get("/speakers.csv")
def speakers_csv(request: Request) -> Response:
    """Every outlet's speakers (the 1,000 most quoted of each) as CSV."""
    try:
        filters = _filters(_speaker_values(request))
    except ValueError as error:
        return Response(f"{error}\n", status_code=422, media_type="text/plain")
    text = speakers_table(_store(request).speakers(filters, limit=1000))
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="propscope-speakers.csv"'},
    )


# -- stories ---------------------------------------------------------------------------------


@router.get("/stories")
def stories_page(request: Request, min_size: int = 2) -> Response:
    found = request.app.state.workbench.stories().summaries(max(1, min_size))
    return render("stories.html", page="stories", stories=found, total=len(found),
                  min_size=max(1, min_size))  # fmt: skip


def _story(request: Request, story_id: int):
    return request.app.state.workbench.stories().view(story_id)


@router.get("/stories/{story_id}.csv")
def story_csv(request: Request, story_id: int) -> Response:
    from ..corpus.command import story_table, table_csv

    view = _story(request, story_id)
    if view is None:
        return Response(f"no story {story_id}\n", status_code=404, media_type="text/plain")
    headers = {"Content-Disposition": f'attachment; filename="story-{story_id}.csv"'}
    return Response(table_csv(story_table([view])), media_type="text/csv", headers=headers)


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: int) -> Response:
    view = _story(request, story_id)
    if view is None:
        message = f"no story with id {story_id}"
        return render("error.html", 404, page="", title="Not found", message=message)
    labels_of = {
        kind: sorted({label for s in view["by_outlet"].values() for label in s[kind]})
        for kind in ("techniques", "frames")
    }
    speakers = {o: s["speakers"] for o, s in view["by_outlet"].items() if s["speakers"]}
    return render("story.html", page="stories", view=view, labels_of=labels_of,
                  speakers=speakers)  # fmt: skip
