"""Logon, session unlock, logout and the caller's own account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response

from watchfloor.auth import tokens
from watchfloor.auth.schemas import BannerOut, LogonIn, LogonOut, UnlockIn, UserOut
from watchfloor.auth.service import AuthService
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.web.policy import Principal, allow, origin_of, public

router = APIRouter(prefix="/api/auth", tags=["auth"])
PEOPLE = (Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN, Role.AUDITOR)


def _auth(request: Request) -> AuthService:
    service: AuthService = request.app.state.watchfloor.auth
    return service


def _anonymous(request: Request) -> RequestContext:
    return RequestContext(
        actor=Actor(username="anonymous"),
        origin=origin_of(request),
        request_id=getattr(request.state, "request_id", None),
    )


@router.get("/banner", dependencies=[public()])
async def banner(request: Request) -> BannerOut:
    """The system use notification to acknowledge before logon (AC-8)."""
    return BannerOut(text=_auth(request).security.banner_text)


@router.post("/logon", dependencies=[public()])
async def logon(body: LogonIn, request: Request, response: Response) -> LogonOut:
    """Log on with password and TOTP; sets the session and CSRF cookies."""
    if body.banner_acknowledged is not True:
        problem = FieldProblem(
            "/banner_acknowledged", "the use-and-consent banner must be acknowledged"
        )
        raise InvalidInput("banner not acknowledged", [problem])
    auth = _auth(request)
    created = await auth.logon(body.username, body.password, body.totp, _anonymous(request))
    secure = auth.security.cookie_secure
    response.set_cookie(
        tokens.SESSION_COOKIE,
        created.token,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )
    response.set_cookie(
        tokens.CSRF_COOKIE,
        created.csrf_token,
        path="/",
        secure=secure,
        httponly=False,
        samesite="strict",
    )
    return LogonOut(user=created.user, csrf_token=created.csrf_token)


@router.post("/unlock", dependencies=[public()])
async def unlock(body: UnlockIn, request: Request) -> UserOut:
    """Re-authenticate a session locked by inactivity; the same session resumes."""
    return await _auth(request).unlock_session(
        request.cookies.get(tokens.SESSION_COOKIE),
        request.headers.get(tokens.CSRF_HEADER),
        body.password,
        body.totp,
        _anonymous(request),
    )


@router.post("/logout", dependencies=[public()], status_code=204)
async def logout(request: Request, response: Response) -> None:
    """End the session and clear its cookies."""
    await _auth(request).logout(
        request.cookies.get(tokens.SESSION_COOKIE),
        request.headers.get(tokens.CSRF_HEADER),
        _anonymous(request),
    )
    secure = _auth(request).security.cookie_secure
    for name, http_only in ((tokens.SESSION_COOKIE, True), (tokens.CSRF_COOKIE, False)):
        response.delete_cookie(name, path="/", secure=secure, httponly=http_only, samesite="strict")


@router.get("/me")
async def me(principal: Annotated[Principal, allow(*PEOPLE)], request: Request) -> UserOut:
    """The caller's own account (no secrets)."""
    return await _auth(request).me(principal)
