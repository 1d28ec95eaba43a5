"""Request limits, API keys and the headers every response carries."""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
from collections.abc import Iterable

#: Pages and API alike: nothing from elsewhere, no inline script, no framing, no plugins.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
DEFAULT_MAX_BODY = 10 * 1000 * 1000


def keys_from_environment() -> list[str]:
    """PROPSCOPE_API_KEYS: comma-separated keys (blank ones ignored)."""
    return [k.strip() for k in os.environ.get("PROPSCOPE_API_KEYS", "").split(",") if k.strip()]


def is_loopback(host: str) -> bool:
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def key_matches(given: str | None, keys: Iterable[str]) -> bool:
    if not given:
        return False
    return any(hmac.compare_digest(given.encode(), key.encode()) for key in keys)


def error_body(status: int, message: str, details=None) -> bytes:
    error = {"status": status, "message": message}
    if details:
        error["details"] = details
    return json.dumps({"error": error}).encode()


class Guard:
    """ASGI middleware: refuses bodies over ``max_body`` bytes (413, read no further) and adds
    the security headers to every response."""

    def __init__(self, app, max_body: int = DEFAULT_MAX_BODY):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] not in _OURS]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _refuse(send_with_headers, 400, "invalid Content-Length")
                return
            if declared > self.max_body:
                await self._too_large(send_with_headers)
                return
            await self.app(scope, receive, send_with_headers)
            return
        # no length given (chunked): read up to the limit before the app sees anything
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body:
                await self._too_large(send_with_headers)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        whole = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_headers)

    async def _too_large(self, send):
        limit = self.max_body / 1e6
        await _refuse(send, 413, f"request body too large (limit {limit:g} MB)")


_OURS = {name for name, _ in SECURITY_HEADERS}


async def _refuse(send, status: int, message: str) -> None:
    body = error_body(status, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
