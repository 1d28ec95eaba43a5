"""The web app: server-rendered pages over the analysis pipeline and the store.

Templates live in ``templates/``, their scripts and styles in ``static/`` (served by the
router itself, so nothing ever comes from another origin). The API app includes ``router``.
"""

from .pages import CONTENT_SECURITY_POLICY, SECURITY_HEADERS
from .routes import router

__all__ = ["CONTENT_SECURITY_POLICY", "SECURITY_HEADERS", "router"]
