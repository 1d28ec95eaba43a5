"""``propscope serve``: the workbench on a local port (uvicorn)."""

from __future__ import annotations

import sys

from ..errors import PropscopeError
from .security import DEFAULT_MAX_BODY, is_loopback, keys_from_environment


def serve(
    db: str | None,
    host: str = "127.0.0.1",
    port: int = 8000,
    max_body: int = DEFAULT_MAX_BODY,
) -> int:
    """Run until interrupted. Beyond loopback, API keys (PROPSCOPE_API_KEYS) are required."""
    import uvicorn

    from ..store import Store
    from .app import create_app

    local = is_loopback(host)
    if not local and not keys_from_environment():
        raise PropscopeError(
            f"refusing to serve on {host} without API keys: set PROPSCOPE_API_KEYS "
            "(comma-separated), or bind 127.0.0.1"
        )
    store = Store(db)
    app = create_app(store=store, require_keys=not local, max_body=max_body)
    shown = f"[{host}]" if ":" in host else host
    print(f"propscope: serving {store} at http://{shown}:{port}/ (Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    return 0
