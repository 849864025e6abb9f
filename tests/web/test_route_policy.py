"""Least privilege: every API route declares who may call it (allow(...) or public())."""

from __future__ import annotations

from starlette.routing import Route

from watchfloor.app import Watchfloor, create_app
from watchfloor.web.policy import (
    PublicRoute,
    RoleCheck,
    SocketRoleCheck,
    declared_policy,
    iter_api_routes,
)

UNDECLARED_ALLOWED = frozenset({"/openapi.json"})


async def test_every_route_declares_a_policy(wf: Watchfloor) -> None:
    app = create_app(wf)
    routes = iter_api_routes(list(app.routes))
    assert routes, "no API routes found"
    missing = [
        f"{sorted(route.methods)} {route.path}"
        for route in routes
        if declared_policy(list(route.dependant.dependencies)) is None
    ]
    assert missing == []


async def test_only_openapi_is_outside_the_policy(wf: Watchfloor) -> None:
    app = create_app(wf)
    api = {id(route) for route in iter_api_routes(list(app.routes))}
    plain = [
        route.path
        for route in app.routes
        if isinstance(route, Route) and id(route) not in api and not hasattr(route, "dependant")
    ]
    assert set(plain) <= UNDECLARED_ALLOWED


async def test_the_auth_and_audit_routes_have_the_intended_policy(wf: Watchfloor) -> None:
    app = create_app(wf)
    policies = {
        route.path: declared_policy(list(route.dependant.dependencies))
        for route in iter_api_routes(list(app.routes))
    }
    assert isinstance(policies["/api/auth/logon"], PublicRoute)
    assert isinstance(policies["/api/auth/banner"], PublicRoute)
    audit = policies["/api/audit"]
    assert isinstance(audit, RoleCheck)
    assert audit.roles == frozenset({"auditor", "supervisor"})
    admin = policies["/api/admin/users"]
    assert isinstance(admin, RoleCheck)
    assert admin.roles == frozenset({"admin"})
    live = policies["/api/live"]
    assert isinstance(live, SocketRoleCheck)
    assert live.roles == frozenset({"operator", "supervisor", "analyst"})
    assert isinstance(policies["/"], PublicRoute)
