"""The web app: server-rendered pages over the analysis pipeline and the store.

Templates live in ``templates/``, their scripts and styles in ``static/`` (served by the
router itself, so nothing ever comes from another origin). ``create_app`` calls ``install``.
"""

from __future__ import annotations

from .routes import router


def install(app) -> None:
    """Add the pages to the workbench's FastAPI app (its state holds ``workbench.store``)."""
    app.include_router(router)


__all__ = ["install", "router"]
