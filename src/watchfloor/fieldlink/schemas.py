"""What the field link takes in (device mappings, intel notes) and gives out."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

UNIT_CODE = r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"


class FieldDeviceIn(BaseModel):
    """An admin's mapping of a TAK device (uid and/or callsign) to a unit."""

    model_config = ConfigDict(extra="forbid")

    uid: str | None = Field(None, min_length=1, max_length=200, description="the device's CoT uid")
    callsign: str | None = Field(None, min_length=1, max_length=100)
    unit: str = Field(min_length=1, max_length=64, pattern=UNIT_CODE, description="unit code")
    team: str | None = Field(
        None, min_length=1, max_length=100, description="its TAK team (__group name)"
    )

    @model_validator(mode="after")
    def _names_the_device(self) -> FieldDeviceIn:
        if self.uid is None and self.callsign is None:
            raise ValueError("give the device's uid or callsign (or both)")
        return self


class FieldDeviceOut(BaseModel):
    """A mapped field device."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: str
    uid: str | None
    callsign: str | None
    unit: str = Field(validation_alias="unit_code")
    team: str | None
    added_by: str
    added_at: datetime


class UnmappedDevice(BaseModel):
    """A device that sent positions but maps to no unit (for the admin to map)."""

    model_config = ConfigDict(frozen=True)

    uid: str
    callsign: str | None
    group: str | None
    type: str
    peer: str
    events: int
    last_seen_at: datetime
    lat: float
    lon: float


class FieldNoteIn(BaseModel):
    """An operator's intel note for the field: to a team and/or named units, else to the units on
    the incident; a named incident also gets the note on its timeline."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=4000)
    incident_id: str | None = Field(None, min_length=1, max_length=36)
    group: str | None = Field(None, min_length=1, max_length=100, description="TAK team name")
    units: list[str] = Field(default_factory=list, max_length=100, description="unit codes")


class FieldNoteOut(BaseModel):
    """An intel note as sent: who it was for and which devices it reached."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: str
    text: str
    incident_id: str | None
    group: str | None = Field(validation_alias="group_name")
    units: list[str]
    recipients: list[str] = Field(description="devices it was addressed to (callsign or uid)")
    reached: list[str] = Field(description="connected devices it was delivered to")
    author: str
    designator: str | None
    written_at: datetime
