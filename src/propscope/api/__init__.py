"""The workbench's REST API (FastAPI): ``create_app(store_url)``; ``propscope serve`` runs it."""

from .app import API, Workbench, create_app

__all__ = ["API", "Workbench", "create_app"]
