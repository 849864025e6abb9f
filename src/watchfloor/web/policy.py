"""Least privilege per route: every route declares who may call it, and a test checks they all do.

Use `allow(Role.OPERATOR, ...)` as a dependency that also yields the caller's Principal, or
`public()` for the few routes that need no session (health, logon, banner, OpenAPI).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Depends, Request, WebSocket
from fastapi.params import Depends as DependsParam

from watchfloor.core.context import Actor, Origin, RequestContext, Role


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request."""

    user_id: str
    username: str
    role: Role
    designator: str | None
    session_id: str
    context: RequestContext

    @property
    def actor(self) -> Actor:
        """The caller as an audit actor."""
        return self.context.actor


class Gate(Protocol):
    """Resolves and checks the session behind a request (implemented by the auth service)."""

    async def principal_for(self, request: Request, roles: frozenset[Role]) -> Principal: ...

    async def watcher_for(
        self, token: str | None, roles: frozenset[Role], context: RequestContext, route: str
    ) -> Principal: ...


def origin_of(request: Request) -> Origin:
    """Client address and user agent of a request."""
    client = request.client.host if request.client else None
    return Origin(address=client, user_agent=request.headers.get("user-agent", "")[:300] or None)


class RoleCheck:
    """Dependency: the request must carry a valid, unlocked session of one of these roles."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    async def __call__(self, request: Request) -> Principal:
        gate: Gate = request.app.state.gate
        return await gate.principal_for(request, self.roles)


class SocketRoleCheck:
    """Dependency for WebSocket routes: yields itself, and the route calls principal() after
    accepting, so a refused console gets a close code it can read instead of a failed handshake."""

    def __init__(self, roles: frozenset[Role], session_cookie: str) -> None:
        self.roles = roles
        self.session_cookie = session_cookie

    async def __call__(self, websocket: WebSocket) -> SocketRoleCheck:
        return self

    async def principal(self, websocket: WebSocket) -> Principal:
        """The console's person, if its session is valid, unlocked and of an allowed role."""
        gate: Gate = websocket.app.state.gate
        client = websocket.client.host if websocket.client else None
        agent = websocket.headers.get("user-agent", "")[:300] or None
        context = RequestContext(
            actor=Actor(username="anonymous"), origin=Origin(address=client, user_agent=agent)
        )
        token = websocket.cookies.get(self.session_cookie)
        return await gate.watcher_for(token, self.roles, context, websocket.url.path)


class PublicRoute:
    """Dependency marker: the route is deliberately reachable without a session."""

    async def __call__(self) -> None:
        return None


def allow(*roles: Role) -> Any:
    """Declare the roles allowed on a route; the dependency yields the caller's Principal."""
    if not roles:
        raise ValueError("allow() needs at least one role; use public() for open routes")
    return Depends(RoleCheck(frozenset(roles)))


def allow_watch(session_cookie: str, *roles: Role) -> Any:
    """Declare the roles allowed on a WebSocket route (checked by the route after accepting)."""
    return Depends(SocketRoleCheck(frozenset(roles), session_cookie))


def public() -> Any:
    """Declare a route open to callers without a session."""
    return Depends(PublicRoute())


def declared_policy(
    dependencies: list[Any],
) -> RoleCheck | SocketRoleCheck | PublicRoute | None:
    """The policy a route's dependency tree declares (used by the route-policy test)."""
    for dep in dependencies:
        call = getattr(dep, "call", None) or (
            dep.dependency if isinstance(dep, DependsParam) else None
        )
        if isinstance(call, RoleCheck | SocketRoleCheck | PublicRoute):
            return call
        found = declared_policy(list(getattr(dep, "dependencies", [])))
        if found is not None:
            return found
    return None


def iter_api_routes(routes: list[Any]) -> list[Any]:
    """Every APIRoute under routes, descending into included routers."""
    found: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found.extend(iter_api_routes(list(inner.routes)))
        elif hasattr(route, "dependant"):
            found.append(route)
    return found
