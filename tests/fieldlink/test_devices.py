"""Field devices: admins map TAK devices to units (audited), supervisors read, others may not."""

from __future__ import annotations

from httpx import AsyncClient

from tests.support.auth import login_as
from tests.support.schema import schema_drift
from watchfloor.app import Watchfloor
from watchfloor.audit.service import AuditFilter
from watchfloor.core.context import Role


def test_models_and_migration_agree(database_url: str) -> None:
    assert schema_drift(database_url, {"field_device", "field_note"}) == []


async def test_an_admin_maps_changes_and_removes_a_device_audited(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.ADMIN)
    made = await client.put(
        "/api/fieldlink/devices",
        json={"uid": "ANDROID-1", "callsign": "Viper", "unit": "1A10", "team": "Cyan"},
    )
    assert made.status_code == 200, made.text
    device = made.json()
    assert (device["unit"], device["team"]) == ("1A10", "Cyan")
    assert device["added_by"].startswith("admin-")
    # the same uid again changes the mapping instead of adding a device
    changed = await client.put("/api/fieldlink/devices", json={"uid": "ANDROID-1", "unit": "1A11"})
    assert changed.json()["id"] == device["id"]
    assert changed.json()["callsign"] == "Viper"
    assert wf.fieldlink.field_devices.unit_for("ANDROID-1", None) == "1A11"
    assert wf.fieldlink.field_devices.unit_for("other", "Viper") == "1A11"
    listed = (await client.get("/api/fieldlink/devices")).json()
    assert [d["unit"] for d in listed] == ["1A11"]

    gone = await client.delete(f"/api/fieldlink/devices/{device['id']}")
    assert gone.status_code == 204
    assert (await client.get("/api/fieldlink/devices")).json() == []
    assert wf.fieldlink.field_devices.unit_for("ANDROID-1", "Viper") is None
    again = await client.delete(f"/api/fieldlink/devices/{device['id']}")
    assert again.status_code == 404

    records = await wf.audit.query(AuditFilter(object_type="field_device"))
    actions = sorted(r.action for r in records)
    assert actions == [
        "fieldlink.device.mapped",
        "fieldlink.device.mapped",
        "fieldlink.device.removed",
    ]


async def test_a_mapping_names_the_device_and_never_splits_one(
    wf: Watchfloor, client: AsyncClient
) -> None:
    await login_as(wf, client, Role.ADMIN)
    nameless = await client.put("/api/fieldlink/devices", json={"unit": "1A10"})
    assert nameless.status_code == 422
    bad_unit = await client.put("/api/fieldlink/devices", json={"uid": "x", "unit": "no spaces"})
    assert bad_unit.status_code == 422
    assert "/unit" in bad_unit.text
    await client.put("/api/fieldlink/devices", json={"uid": "A", "unit": "1A10"})
    await client.put("/api/fieldlink/devices", json={"callsign": "B", "unit": "1A11"})
    split = await client.put(
        "/api/fieldlink/devices", json={"uid": "A", "callsign": "B", "unit": "1A12"}
    )
    assert split.status_code == 409


async def test_only_admins_change_devices_and_supervisors_read(
    wf: Watchfloor, client: AsyncClient
) -> None:
    body = {"uid": "ANDROID-1", "unit": "1A10"}
    await login_as(wf, client, Role.OPERATOR)
    assert (await client.get("/api/fieldlink/devices")).status_code == 403
    assert (await client.get("/api/fieldlink/devices/unmapped")).status_code == 403
    assert (await client.put("/api/fieldlink/devices", json=body)).status_code == 403
    await login_as(wf, client, Role.SUPERVISOR)
    assert (await client.get("/api/fieldlink/devices")).status_code == 200
    assert (await client.get("/api/fieldlink/devices/unmapped")).status_code == 200
    assert (await client.put("/api/fieldlink/devices", json=body)).status_code == 403
    assert (await client.delete("/api/fieldlink/devices/x")).status_code == 403
    await login_as(wf, client, Role.ANALYST)
    assert (await client.get("/api/fieldlink/devices")).status_code == 403
    assert (await client.post("/api/fieldlink/notes", json={"text": "x"})).status_code == 403
