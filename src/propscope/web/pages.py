"""Rendering pages: one autoescaping Jinja2 environment.

The app's middleware (``propscope.api.security.Guard``) gives every response its strict
Content-Security-Policy: no inline script or style, nothing from another origin.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .. import __version__
from ..taxonomy import FRAMES, GENRES, GROUPS, TECHNIQUES

STATIC = Path(str(files(__package__) / "static"))

#: The site's navigation: (page key, label, path). A new page adds itself here.
NAV: list[tuple[str, str, str]] = [
    ("analyse", "Analyse", "/"),
    ("corpus", "Corpus", "/corpus"),
    ("compare", "Compare outlets", "/compare"),
    ("speakers", "Who is quoted", "/speakers"),
    ("stories", "Stories", "/stories"),
    ("import", "Import", "/import"),
    ("legend", "Techniques", "/legend"),
]

environment = Environment(
    loader=PackageLoader("propscope.web", "templates"),
    autoescape=select_autoescape(["html", "svg"], default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def is_web_address(value) -> bool:
    """Only http(s) addresses become links: a stored "javascript:" URL stays text."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


environment.tests["web_address"] = is_web_address
environment.globals.update(
    NAV=NAV,
    version=__version__, GROUPS=GROUPS, TECHNIQUES=TECHNIQUES, FRAMES=FRAMES, GENRES=GENRES
)


def render(template: str, status_code: int = 200, **context) -> HTMLResponse:
    html = environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)
