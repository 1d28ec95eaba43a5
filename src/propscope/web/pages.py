"""Rendering pages: one autoescaping Jinja2 environment and the headers every page carries."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from ..taxonomy import FRAMES, GENRES, GROUPS, TECHNIQUES

STATIC = Path(str(files(__package__) / "static"))

#: No inline script or style, nothing from another origin: article text that slipped through
#: escaping still could not run or load anything.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

environment = Environment(
    loader=PackageLoader("propscope.web", "templates"),
    autoescape=select_autoescape(["html", "svg"], default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals.update(
    version=__version__, GROUPS=GROUPS, TECHNIQUES=TECHNIQUES, FRAMES=FRAMES, GENRES=GENRES
)


def render(template: str, status_code: int = 200, **context) -> HTMLResponse:
    html = environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
