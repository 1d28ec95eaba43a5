"""The web pages: a FastAPI router that the API app includes."""

from __future__ import annotations

import logging
import mimetypes
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from ..errors import PropscopeError
from ..ingest import DEFAULT_MAX_BYTES
from ..taxonomy import GROUPS
from .pages import SECURITY_HEADERS, STATIC, render
from .submit import read_submission
from .views import analysis_view, legend

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

DECISIONS = ("micro", "balanced")


@router.get("/static/groups.css")
def group_colours() -> Response:
    """The group colours as CSS variables, from the taxonomy (the one place they are defined)."""
    rules = [
        f".g-{key}, .t-{key}, .fill-{key} {{ --g: {group.colour}; --g-soft: {group.colour}38; }}"
        for key, group in GROUPS.items()
    ]
    headers = {**SECURITY_HEADERS, "Cache-Control": "max-age=3600"}
    return Response("\n".join(rules) + "\n", media_type="text/css", headers=headers)


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The bundled assets, by plain file name only (no folders, nothing outside STATIC)."""
    path = STATIC / name
    if "/" in name or "\\" in name or name.startswith(".") or not path.is_file():
        return Response("not found", status_code=404, media_type="text/plain")
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type, headers=SECURITY_HEADERS)


@router.get("/")
def analyse_form() -> Response:
    return render("analyse.html", page="analyse", form={}, error=None, view=None)


def _analyse(text, data, filename, url, decision):
    import propscope

    article = read_submission(text, data, filename, url)
    return analysis_view(propscope.analyze(article, decision=decision))


@router.post("/analyse")
async def analyse(
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "micro",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = {"text": text, "url": url, "decision": decision}
    data, filename = None, ""
    if file is not None and file.filename:
        data = await file.read(DEFAULT_MAX_BYTES + 1)
        filename = file.filename
    if decision not in DECISIONS:
        error = f"unknown decision {decision!r}: choose one of {', '.join(DECISIONS)}"
        return render("analyse.html", 422, page="analyse", form=form, error=error, view=None)
    try:
        view = await run_in_threadpool(_analyse, text, data, filename, url, decision)
    except PropscopeError as error:
        return render("analyse.html", 422, page="analyse", form=form, error=str(error), view=None)
    except Exception as error:  # the reader gets one line; the log keeps the traceback
        log.exception("analysis failed")
        message = f"analysis failed: {type(error).__name__}: {error}"
        return render("analyse.html", 500, page="analyse", form=form, error=message, view=None)
    return render("analyse.html", page="analyse", form=form, error=None, view=view)


@router.get("/legend")
def legend_page(language: str = "en") -> Response:
    language = language if language in ("en", "fr") else "en"
    return render("legend.html", page="legend", entries=legend(language), language=language)
