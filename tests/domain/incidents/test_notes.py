"""Intel notes: stored with their author, audited, published, and exported in the EIDO."""

from __future__ import annotations

from urllib.parse import quote

from httpx import AsyncClient

from tests.domain.incidents.support import eido
from tests.support.auth import feed_token, login_as
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role

EIDO_ID = "urn:emergency:uid:incidentid:7:cad.example.gov"


async def _post_eido(wf: Watchfloor, client: AsyncClient) -> str:
    token = await feed_token(wf, client)
    response = await client.post(
        "/api/intake/eido", json=eido(EIDO_ID), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.text
    return str(response.json()[0]["incident_id"])


async def test_intel_note_is_stored_audited_published_and_exported(
    wf: Watchfloor, client: AsyncClient
) -> None:
    incident_id = await _post_eido(wf, client)
    operator = await login_as(wf, client, Role.OPERATOR, designator="RT3")
    notes = wf.bus.subscribe("incident.note.added")

    posted = await client.post(
        f"/api/incidents/{incident_id}/notes", json={"text": "plate ABC1234 is stolen"}
    )

    assert posted.status_code == 201, posted.text
    note = posted.json()
    assert (note["origin"], note["author"], note["designator"]) == (
        "intel",
        operator.username,
        "RT3",
    )
    event = await notes.get(timeout=1)
    assert event.payload.incident_id == incident_id
    assert event.payload.note_id == note["id"]
    assert (event.payload.text, event.payload.designator) == ("plate ABC1234 is stolen", "RT3")
    audited = await wf.audit.query(AuditFilter(action="incident.note.added"))
    assert [r.object_id for r in audited] == [incident_id]

    exported = await client.get(f"/EIDO/{quote(EIDO_ID, safe='')}")
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("application/json")
    assert "plate ABC1234 is stolen" in exported.text
    assert "caller on scene" in exported.text  # the CAD's own note is still there
    by_internal_id = await client.get(f"/EIDO/{incident_id}")
    assert by_internal_id.json() == exported.json()


async def test_note_text_is_limited(wf: Watchfloor, client: AsyncClient) -> None:
    incident_id = await _post_eido(wf, client)
    await login_as(wf, client, Role.ANALYST)
    for text in ("", "x" * 4001):
        response = await client.post(f"/api/incidents/{incident_id}/notes", json={"text": text})
        assert response.status_code == 422
    detail = (await client.get(f"/api/incidents/{incident_id}")).json()
    assert [n["origin"] for n in detail["notes"]] == ["cad"]


async def test_feed_can_dereference_eido_but_not_read_the_queue(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await _post_eido(wf, client)
    token = await feed_token(wf, client)
    auth = {"Authorization": f"Bearer {token}"}
    assert (await client.get(f"/EIDO/{quote(EIDO_ID, safe='')}", headers=auth)).status_code == 200
    assert (await client.get("/api/incidents/queue", headers=auth)).status_code == 403
