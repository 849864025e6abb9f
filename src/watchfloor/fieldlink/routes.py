"""HTTP routes of the field link: device mappings (admins; supervisors read), devices that map to
no unit, intel notes to the field."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request, Response

from watchfloor.core.context import Role
from watchfloor.fieldlink.bridge import FieldBridge
from watchfloor.fieldlink.devices import DeviceBook
from watchfloor.fieldlink.notes import FieldNotes
from watchfloor.fieldlink.schemas import (
    FieldDeviceIn,
    FieldDeviceOut,
    FieldNoteIn,
    FieldNoteOut,
    UnmappedDevice,
)
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["fieldlink"])

Keeper = Annotated[Principal, allow(Role.ADMIN)]
Viewer = Annotated[Principal, allow(Role.ADMIN, Role.SUPERVISOR)]
Sender = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR)]
Reader = Annotated[Principal, allow(Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST)]


def _devices(request: Request) -> DeviceBook:
    return cast(DeviceBook, request.app.state.watchfloor.fieldlink.field_devices)


def _bridge(request: Request) -> FieldBridge:
    return cast(FieldBridge, request.app.state.watchfloor.fieldlink.field_bridge)


def _notes(request: Request) -> FieldNotes:
    return cast(FieldNotes, request.app.state.watchfloor.fieldlink.field_notes)


@router.get("/api/fieldlink/devices", response_model=list[FieldDeviceOut])
async def list_devices(request: Request, principal: Viewer) -> list[FieldDeviceOut]:
    """Every TAK device mapped to a unit."""
    del principal
    return await _devices(request).list()


@router.put("/api/fieldlink/devices", response_model=FieldDeviceOut)
async def put_device(request: Request, body: FieldDeviceIn, principal: Keeper) -> FieldDeviceOut:
    """Map a device (uid and/or callsign) to a unit, or change its mapping (audited)."""
    return await _devices(request).put(body, principal.context)


@router.get("/api/fieldlink/devices/unmapped", response_model=list[UnmappedDevice])
async def unmapped_devices(request: Request, principal: Viewer) -> list[UnmappedDevice]:
    """Devices that recently sent positions but map to no unit, most recent first."""
    del principal
    return _bridge(request).unmapped()


@router.delete("/api/fieldlink/devices/{device_id}", status_code=204, response_class=Response)
async def delete_device(request: Request, device_id: str, principal: Keeper) -> Response:
    """Forget a device's mapping (audited)."""
    await _devices(request).delete(device_id, principal.context)
    return Response(status_code=204)


@router.post("/api/fieldlink/notes", response_model=FieldNoteOut, status_code=201)
async def send_note(request: Request, body: FieldNoteIn, principal: Sender) -> FieldNoteOut:
    """Send an intel note to the field; the answer names the devices it reached."""
    return await _notes(request).send(body, principal.context)


@router.get("/api/incidents/{incident_id}/field-notes", response_model=list[FieldNoteOut])
async def incident_field_notes(
    request: Request, incident_id: str, principal: Reader
) -> list[FieldNoteOut]:
    """The intel notes sent to the field about an incident, oldest first."""
    del principal
    return await _notes(request).for_incident(incident_id)
