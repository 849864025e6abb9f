"""Search, export and retention over HTTP: who may call what, and what comes back."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from httpx import AsyncClient

from tests.domain.lpr.reads import SPOT, Read, add_reads
from tests.support.auth import login_as
from watchfloor.app import Watchfloor, create_app
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role
from watchfloor.web.policy import RoleCheck, declared_policy, iter_api_routes


def _body(wf: Watchfloor, **fields: Any) -> dict[str, Any]:
    now = wf.clock.now()
    return {
        "since": (now - timedelta(days=7)).isoformat(),
        "until": now.isoformat(),
        "purpose": "criminal_investigation",
        "case_number": "26-004711",
        **fields,
    }


async def test_an_operator_searches_by_plate_and_area(wf: Watchfloor, client: AsyncClient) -> None:
    now = wf.clock.now()
    [read_id, _] = await add_reads(
        wf,
        [
            Read("ABC123", now - timedelta(hours=1), make="=cmd()"),
            Read("ABC123", now - timedelta(hours=1), lat=SPOT[0] + 1),
        ],
    )
    await login_as(wf, client, Role.OPERATOR)

    response = await client.post(
        "/api/lpr/search",
        json=_body(wf, plate="ABC*", area={"lat": SPOT[0], "lon": SPOT[1], "radius_m": 500}),
    )

    assert response.status_code == 200, response.text
    found = response.json()
    assert [r["id"] for r in found["reads"]] == [read_id]
    assert found["reads"][0]["reader_code"] == "ALPR-1"
    assert found["truncated"] is False
    assert found["search_id"]


async def test_a_polygon_area_is_accepted(wf: Watchfloor, client: AsyncClient) -> None:
    now = wf.clock.now()
    await add_reads(wf, [Read("POLY1", now - timedelta(hours=1), lat=0.2, lon=0.2)])
    await login_as(wf, client, Role.ANALYST)

    response = await client.post(
        "/api/lpr/search", json=_body(wf, area={"polygon": [[0, 0], [1, 0], [0, 1]]})
    )

    assert [r["plate"] for r in response.json()["reads"]] == ["POLY1"]


async def test_refusals_name_the_field_or_the_policy(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.ANALYST)

    no_case = await client.post("/api/lpr/search", json=_body(wf, case_number=""))
    bad_purpose = await client.post("/api/lpr/search", json=_body(wf, purpose="curiosity"))
    prohibited = await client.post("/api/lpr/search", json=_body(wf, purpose="protest_or_assembly"))
    missing = await client.post("/api/lpr/search", json={"plate": "ABC123"})

    assert no_case.status_code == 422
    assert no_case.json()["error"]["problems"][0]["pointer"] == "/case_number"
    assert bad_purpose.json()["error"]["problems"][0]["pointer"] == "/purpose"
    assert prohibited.status_code == 403
    assert prohibited.json()["error"]["code"] == "purpose_prohibited"
    assert missing.status_code == 422


async def test_auditors_may_not_search(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.AUDITOR)

    response = await client.post("/api/lpr/search", json=_body(wf))

    assert response.status_code == 403


async def test_export_is_a_csv_attachment_and_is_audited_as_an_export(
    wf: Watchfloor, client: AsyncClient
) -> None:
    now = wf.clock.now()
    await add_reads(wf, [Read("EXP123", now - timedelta(hours=1), make="=HYPERLINK()")])
    await login_as(wf, client, Role.ANALYST)

    response = await client.post("/api/lpr/search/export", json=_body(wf, plate="EXP123"))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["plate"], r["make"], r["reader_code"]) for r in rows] == [
        ("EXP123", "'=HYPERLINK()", "ALPR-1")
    ]
    [record] = await wf.audit.query(AuditFilter(action="lpr.search.export"))
    assert (record.details["results"], record.case_number) == (1, "26-004711")


async def test_the_console_gets_the_purposes(wf: Watchfloor, client: AsyncClient) -> None:
    await login_as(wf, client, Role.OPERATOR)

    response = await client.get("/api/lpr/search/purposes")

    assert "criminal_investigation" in response.json()["purposes"]
    assert "immigration_enforcement" in response.json()["prohibited"]


async def test_retention_shows_the_policy_and_admins_run_a_purge(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await add_reads(wf, [Read("OLD1", wf.clock.now() - timedelta(days=90))])
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.post("/api/lpr/retention/purge")).status_code == 403
    assert (await client.get("/api/lpr/retention")).status_code == 403

    admin = await login_as(wf, client, Role.ADMIN)
    purged = await client.post("/api/lpr/retention/purge")
    await login_as(wf, client, Role.AUDITOR)
    shown = await client.get("/api/lpr/retention")

    assert purged.status_code == 200
    assert [r["count"] for r in purged.json()["receipts"]] == [1, 0]
    policy = shown.json()["policy"]
    assert (policy["preset"], policy["nonhit_limit"], policy["verification"]) == (
        "MN",
        "P60D",
        "[K]",
    )
    last = shown.json()["last_purge"]
    assert [(r["retention_class"], r["count"]) for r in last] == [("non_hit", 1), ("hit", 0)]
    records = await wf.audit.query(AuditFilter(action="lpr.retention.purged"))
    assert {r.actor_username for r in records} == {admin.username}


async def test_the_routes_declare_the_intended_roles(wf: Watchfloor) -> None:
    app = create_app(wf)
    policies = {
        (sorted(route.methods)[0], route.path): declared_policy(list(route.dependant.dependencies))
        for route in iter_api_routes(list(app.routes))
        if getattr(route, "methods", None)
    }
    expected = {
        ("POST", "/api/lpr/search"): {"operator", "supervisor", "analyst"},
        ("POST", "/api/lpr/search/export"): {"operator", "supervisor", "analyst"},
        ("GET", "/api/lpr/search/purposes"): {"operator", "supervisor", "analyst"},
        ("POST", "/api/lpr/holds"): {"supervisor", "admin"},
        ("POST", "/api/lpr/holds/{hold_id}/release"): {"supervisor", "admin"},
        ("GET", "/api/lpr/holds"): {"supervisor", "admin", "auditor", "analyst"},
        ("GET", "/api/lpr/retention"): {"supervisor", "admin", "auditor"},
        ("POST", "/api/lpr/retention/purge"): {"admin"},
    }
    for key, roles in expected.items():
        policy = policies[key]
        assert isinstance(policy, RoleCheck), key
        assert policy.roles == frozenset(roles), key
