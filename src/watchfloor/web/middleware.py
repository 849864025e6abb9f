"""Pure ASGI middleware: request ids, security headers, and a hard cap on body size."""

from __future__ import annotations

import secrets
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"strict-transport-security", b"max-age=31536000"),
    (b"cache-control", b"no-store"),
]


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and adds security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in SECURITY_HEADERS if n not in present]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuses bodies over max_bytes with 413 in the API error shape, before a route reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes and not _route_reads_own_body(scope):
            await _too_large(scope, send, self.max_bytes)
            return
        await self.app(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _route_reads_own_body(scope: Scope) -> bool:
    # Intake routes read the body themselves so an oversized payload still reaches quarantine.
    path: str = scope.get("path", "")
    if path.startswith("/api/hotlists/") and path.endswith("/imports"):
        return True  # extracts run to tens of MiB; the route applies its own limit
    if path == "/api/evidence/packages/verify":
        return True  # evidence packages run to gigabytes; the route streams and limits them
    if path.startswith("/api/premises/") and path.endswith("/floor-plans"):
        return True  # floor plans have their own (larger) limit
    if path.startswith("/community/api/answer/files/"):
        return True  # owners' upload chunks: streamed to disk, the route applies chunk_bytes
    return path.startswith("/api/intake/") or path in _FEED_INTAKE


_FEED_INTAKE = frozenset(
    {
        "/api/alerts/gunshots",
        "/api/alerts/panic",
        "/api/alerts/cap",
        "/api/alerts/sensors",
        "/api/units/positions",
        "/api/monitoring/positions",
    }
)


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    request_id: Any = scope.get("state", {}).get("request_id")
    body = orjson.dumps(
        {
            "error": {
                "code": "payload_too_large",
                "message": f"body is larger than {limit} bytes",
                "problems": [],
                "request_id": request_id,
            }
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})
