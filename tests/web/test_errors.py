"""One error shape for every failure; body limits; request ids and security headers."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.web.errors import install_error_handlers, pointer_from_loc
from watchfloor.web.middleware import BodyLimitMiddleware, RequestContextMiddleware


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/things")
    async def things() -> dict[str, str]:
        raise InvalidInput("thing is bad", [FieldProblem("/a/0", "must be positive")])

    @app.get("/boom")
    async def boom() -> dict[str, str]:
        raise RuntimeError("secret internals")

    app.add_middleware(BodyLimitMiddleware, max_bytes=1024)
    app.add_middleware(RequestContextMiddleware)
    return app


async def _client() -> AsyncClient:
    transport = ASGITransport(app=_app(), raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="https://t")


async def test_domain_error_has_the_one_shape_with_pointer_and_request_id() -> None:
    async with await _client() as client:
        response = await client.post("/things", content=b"{}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["problems"] == [{"pointer": "/a/0", "reason": "must be positive"}]
    assert error["request_id"] == response.headers["x-request-id"]


async def test_unknown_route_and_crash_use_the_same_shape_without_internals() -> None:
    async with await _client() as client:
        missing = await client.get("/nowhere")
        crash = await client.get("/boom")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert crash.status_code == 500
    assert crash.json()["error"]["code"] == "internal_error"
    assert "secret" not in crash.text


async def test_oversized_body_is_refused_with_413() -> None:
    async with await _client() as client:
        response = await client.post("/things", content=b"x" * 2048)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert response.headers["x-frame-options"] == "DENY"


def test_pointer_from_pydantic_location() -> None:
    assert pointer_from_loc(("body", "notes", 0, "text")) == "/notes/0/text"
    assert pointer_from_loc(("query", "a/b")) == "/a~1b"
    assert pointer_from_loc(()) == ""
