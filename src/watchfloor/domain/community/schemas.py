"""Shapes of the registry: what residents send and see on the public pages, and the listed
cameras the RTCC sees (never an owner's contact details). Every text has a size limit."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import StringConstraints as Text

from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.core.geo import distance_m
from watchfloor.domain.community.addresses import AddressBook, AddressPoint
from watchfloor.domain.community.request_schemas import OwnerRequest
from watchfloor.domain.community.vocabulary import Covers, RequestKind, SiteKind, SiteStatus
from watchfloor.settings_community import CommunitySettings

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,28}[0-9]$")
MAX_TOKEN_CHARS = 100

REQUEST_KIND_LABELS = {
    RequestKind.VIOLENT_CRIME: "Violent crime",
    RequestKind.PROPERTY_CRIME: "Property crime (theft, burglary, vandalism)",
    RequestKind.TRAFFIC_COLLISION: "Traffic collision",
    RequestKind.MISSING_PERSON: "Missing person",
    RequestKind.OTHER: "Other incidents",
}
COVERS_LABELS = {
    Covers.STREET: "Street",
    Covers.SIDEWALK: "Sidewalk",
    Covers.DRIVEWAY: "Driveway",
    Covers.PARKING_LOT: "Parking lot",
    Covers.ALLEY: "Alley",
    Covers.ENTRANCE: "Entrance",
    Covers.YARD: "Yard",
    Covers.OTHER: "Something else",
}


def _plain(text: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise ValueError("must be plain text on one line")
    return text


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _email(text: str) -> str:
    if len(text) > 254 or not EMAIL.match(text):
        raise ValueError("is not an e-mail address (like name@example.org)")
    return text.lower()


def _phone(text: str) -> str:
    if not PHONE.match(text) or sum(c.isdigit() for c in text) < 6:
        raise ValueError("is not a phone number (digits, spaces, + ( ) - allowed)")
    return text


def _unique(items: list[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


Name = Annotated[
    str, Text(strip_whitespace=True, min_length=1, max_length=200), AfterValidator(_plain)
]
OptionalName = Annotated[Name | None, BeforeValidator(_blank_is_none)]
Email = Annotated[str, Text(strip_whitespace=True, max_length=254), AfterValidator(_email)]
Phone = Annotated[str, Text(strip_whitespace=True, max_length=40), AfterValidator(_phone)]
Label = Annotated[
    str, Text(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_plain)
]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SiteCameraIn(_In):
    """One camera as its owner describes it; a registered camera sent back keeps its `id`."""

    id: Annotated[str, Text(max_length=36)] | None = None
    label: Label
    lat: Latitude | None = None
    lon: Longitude | None = None
    bearing: float | None = Field(None, ge=0, lt=360, allow_inf_nan=False)
    fov_angle: float | None = Field(None, ge=10, le=360, allow_inf_nan=False)
    range_m: float | None = Field(None, ge=1, le=300, allow_inf_nan=False)
    covers: Annotated[list[Covers], AfterValidator(_unique)] = Field(min_length=1, max_length=8)


class RegistrationUpdate(_In):
    """A registration as its owner changes it (no consent box: it was given at registration)."""

    kind: SiteKind
    name: OptionalName = None
    contact_name: Name
    email: Email
    phone: Annotated[Phone | None, BeforeValidator(_blank_is_none)] = None
    address: Annotated[
        str, Text(strip_whitespace=True, min_length=1, max_length=300), AfterValidator(_plain)
    ]
    lat: Latitude
    lon: Longitude
    retention_days: int = Field(ge=1, le=3650)
    accepts: Annotated[list[RequestKind], AfterValidator(_unique)] = Field(
        min_length=1, max_length=10
    )
    contact_times: Annotated[
        Annotated[str, Text(strip_whitespace=True, max_length=300), AfterValidator(_plain)] | None,
        BeforeValidator(_blank_is_none),
    ] = None
    cameras: list[SiteCameraIn] = Field(min_length=1, max_length=100)


class RegistrationIn(RegistrationUpdate):
    """A new registration from the public page."""

    consent: bool


class OwnerSessionIn(_In):
    """The owner link's token, read from the link's fragment by the page."""

    token: Annotated[str, Text(min_length=1, max_length=MAX_TOKEN_CHARS)]


class LinkRequestIn(_In):
    """Whose owner links to send again."""

    email: Email


class Choice(BaseModel):
    """One option of a list on the public page."""

    value: str
    label: str


class Point(BaseModel):
    """A position."""

    lat: float
    lon: float


class PublicStart(BaseModel):
    """What the public page needs to begin: its CSRF token, the options, the limits."""

    csrf_token: str
    request_kinds: list[Choice]
    covers: list[Choice]
    max_cameras: int
    max_retention_days: int
    center: Point


class AddressMatch(BaseModel):
    """An address the registry knows."""

    address: str
    lat: float
    lon: float
    district: str | None


class Accepted(BaseModel):
    """The same answer for everyone: what happens next."""

    message: str


class SiteCameraOut(BaseModel):
    """A registered camera as its owner sees it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    label: str
    lat: float
    lon: float
    bearing: float | None
    fov_angle: float | None
    range_m: float | None
    covers: list[Covers]


class RegistrationOut(BaseModel):
    """A registration as its owner sees it."""

    model_config = ConfigDict(from_attributes=True)

    kind: SiteKind
    name: str | None
    contact_name: str
    email: str
    phone: str | None
    address: str
    lat: float
    lon: float
    retention_days: int
    accepts: list[RequestKind]
    contact_times: str | None
    cameras: list[SiteCameraOut]


class OwnerView(BaseModel):
    """The owner's private page: the registration, its state and every request made of it."""

    registration: RegistrationOut
    status: SiteStatus
    link_expires_at: datetime | None
    requests: list[OwnerRequest]


class DeletionReceipt(BaseModel):
    """Proof of a deletion: when, and the hash of the audit record that holds it."""

    deleted_at: datetime
    receipt: str


class CommunityCameraOut(BaseModel):
    """A listed camera as the RTCC sees it: what it covers, how long it keeps video."""

    id: str
    site_id: str
    label: str
    lat: float
    lon: float
    bearing: float | None
    fov_angle: float | None
    range_m: float | None
    covers: list[str]
    retention_days: int
    site_kind: SiteKind
    site_name: str | None
    accepts: list[str]


class CommunityCameraNear(CommunityCameraOut):
    """A listed camera near a point, with its distance."""

    distance_m: float


def check_registration(
    body: RegistrationUpdate, book: AddressBook, settings: CommunitySettings
) -> AddressPoint:
    """The address point a registration is at, once every rule beyond its shape holds; otherwise
    InvalidInput naming each field at fault."""
    point = book.resolve(body.address)
    problems = _address_problems(body, book, point, settings)
    if body.kind == SiteKind.BUSINESS and not body.name:
        problems.append(FieldProblem("/name", "a business needs its name"))
    if isinstance(body, RegistrationIn) and body.consent is not True:
        problems.append(FieldProblem("/consent", "please agree to the terms to register"))
    if body.retention_days > settings.max_retention_days:
        reason = f"at most {settings.max_retention_days} days"
        problems.append(FieldProblem("/retention_days", reason))
    if len(body.cameras) > settings.max_cameras:
        problems.append(FieldProblem("/cameras", f"at most {settings.max_cameras} cameras"))
    problems += _camera_problems(body, point, settings)
    if problems or point is None:
        raise InvalidInput("Please check the marked fields.", problems)
    return point


def _address_problems(
    body: RegistrationUpdate,
    book: AddressBook,
    point: AddressPoint | None,
    settings: CommunitySettings,
) -> list[FieldProblem]:
    if point is None:
        close = [p.address for p in book.suggest(body.address, 3)]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        return [FieldProblem("/address", f"we could not find this address{hint}")]
    away = distance_m(point.lat, point.lon, body.lat, body.lon)
    if away > settings.pin_max_m:
        reason = (
            f"the pin is {away:.0f} m from {point.address}; "
            f"place it within {settings.pin_max_m:.0f} m of the address"
        )
        return [FieldProblem("/lat", reason)]
    return []


def _camera_problems(
    body: RegistrationUpdate, point: AddressPoint | None, settings: CommunitySettings
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for i, camera in enumerate(body.cameras):
        if (camera.lat is None) != (camera.lon is None):
            problems.append(FieldProblem(f"/cameras/{i}/lon", "give both lat and lon, or neither"))
        elif camera.lat is not None and camera.lon is not None and point is not None:
            away = distance_m(point.lat, point.lon, camera.lat, camera.lon)
            if away > 2 * settings.pin_max_m:
                reason = f"a camera must be within {2 * settings.pin_max_m:.0f} m of the address"
                problems.append(FieldProblem(f"/cameras/{i}/lat", reason))
    return problems
