"""What the premises routes take and give."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Hazard = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class PremiseIn(BaseModel):
    """A premise as a supervisor records it."""

    model_config = ConfigDict(extra="forbid")

    address: str = Field(min_length=1, max_length=500)
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lon: float = Field(ge=-180, le=180, allow_inf_nan=False)
    hazards: list[Hazard] = Field(default_factory=list, max_length=50)
    notes: str | None = Field(None, max_length=10_000)


class FloorPlanOut(BaseModel):
    """A stored floor plan's facts."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str


class PremiseOut(BaseModel):
    """A premise with its floor plans."""

    id: str
    address: str
    lat: float
    lon: float
    hazards: list[str]
    notes: str | None
    floor_plans: list[FloorPlanOut]
    created_at: datetime
    updated_at: datetime
    updated_by: str
