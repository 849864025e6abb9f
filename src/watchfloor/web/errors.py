"""The one error shape of the API, and the one place domain errors become HTTP responses.

Every error body is
{"error": {"code", "message", "problems": [{"pointer", "reason"}], "request_id"}}.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from watchfloor.core import errors as e

log = logging.getLogger(__name__)

STATUS_BY_ERROR: dict[type[e.DomainError], int] = {
    e.MalformedInput: 400,
    e.InvalidInput: 422,
    e.PayloadTooLarge: 413,
    e.NotFound: 404,
    e.Conflict: 409,
    e.Gone: 410,
    e.NotAuthenticated: 401,
    e.Forbidden: 403,
    e.TooManyRequests: 429,
    e.Unavailable: 503,
}


class ProblemOut(BaseModel):
    """One rejected field: JSON pointer and reason."""

    pointer: str
    reason: str


class ErrorBody(BaseModel):
    """The content of every error response."""

    code: str
    message: str
    problems: list[ProblemOut] = []
    request_id: str | None = None


class ErrorOut(BaseModel):
    """The error envelope (documented in OpenAPI for every route)."""

    error: ErrorBody


def status_for(error: e.DomainError) -> int:
    """HTTP status for a domain error (most specific class wins)."""
    for cls in type(error).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


def pointer_from_loc(loc: tuple[Any, ...] | list[Any]) -> str:
    """RFC 6901 JSON pointer from a pydantic error location (dropping 'body'/'query' roots)."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts) if parts else ""


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    problems: list[e.FieldProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Render the error envelope."""
    body = ErrorOut(
        error=ErrorBody(
            code=code,
            message=message,
            problems=[ProblemOut(pointer=p.pointer, reason=p.reason) for p in problems or []],
            request_id=getattr(request.state, "request_id", None),
        )
    )
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Map domain errors, validation errors, HTTP errors and crashes to the one shape."""

    @app.exception_handler(e.DomainError)
    async def _domain(request: Request, exc: e.DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Cookie"} if isinstance(exc, e.NotAuthenticated) else None
        return error_response(
            request, status_for(exc), exc.code, exc.message, exc.problems, headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            e.FieldProblem(pointer_from_loc(err.get("loc", ())), str(err.get("msg", "invalid")))
            for err in exc.errors()
        ]
        return error_response(request, 422, "invalid_input", "request is invalid", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(request, exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", "internal error")
