"""The corpus store: analysed articles in SQLite (default) or PostgreSQL.

>>> from propscope.store import Store, Filters
>>> store = Store("sqlite:///corpus.db")           # or "postgresql+psycopg://user@host/db"
>>> run = store.start_run("import", models=versions)
>>> store.add(article, run, versions)               # Added(id=1, status="stored")
>>> store.search(Filters(q="inflation", technique="Loaded_Language"))

Imports FastAPI nothing: batch jobs and the CLI write to it directly.
"""

from .query import EXPORT_COLUMNS, SPEAKERS_LIMIT, STATS_BY, STATS_WHAT, Filters
from .store import Added, Store, StoreError, data_dir, default_url, normalise_url

__all__ = [
    "EXPORT_COLUMNS",
    "SPEAKERS_LIMIT",
    "STATS_BY",
    "STATS_WHAT",
    "Added",
    "Filters",
    "Store",
    "StoreError",
    "data_dir",
    "default_url",
    "normalise_url",
]
