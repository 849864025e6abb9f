"""What the camera registry takes in and hands out.

Stream addresses come in (`stream_urls`, as secrets so a logged model never shows them) and
never go out: `CameraOut` carries only `has_stream` and `stream_count`."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, SecretStr, field_validator

STREAM_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://", "srt://", "rtmp://", "rtmps://")
MAX_STREAMS = 8


class CameraKind(StrEnum):
    """Who runs the camera and how it is mounted."""

    CITY = "city"
    TRAFFIC = "traffic"  # usually PTZ
    TRANSIT = "transit"
    SCHOOL = "school"
    BUSINESS = "business"  # a partner business, shared by agreement
    BODY_WORN = "body_worn"
    IN_CAR = "in_car"
    DRONE = "drone"
    TRAILER = "trailer"  # an overt camera trailer
    PLATE_READER = "plate_reader"


MOBILE_KINDS = frozenset({CameraKind.BODY_WORN, CameraKind.IN_CAR, CameraKind.DRONE})


class AccessLevel(StrEnum):
    """What the floor may do with the camera."""

    LIVE = "live"
    RECORDED_ONLY = "recorded_only"
    REQUEST_ONLY = "request_only"  # footage only on request to the owner


class CameraStatus(StrEnum):
    """Whether the camera can be used now."""

    ACTIVE = "active"
    DEGRADED = "degraded"
    OFFLINE = "offline"
    PLANNED = "planned"
    UNVERIFIED = "unverified"  # known to exist (e.g. mapped in OSM), never confirmed
    RETIRED = "retired"


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CameraFields(_In):
    """The fields of a camera anyone may set (all optional: a patch names only what changes)."""

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: CameraKind | None = None
    owner: str | None = Field(None, min_length=1, max_length=200)
    agreement: str | None = Field(None, max_length=200, description="sharing agreement ref")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    location_note: str | None = Field(None, max_length=300)
    mount_height_m: float | None = Field(None, ge=0, le=500)
    bearing: float | None = Field(None, ge=0, le=360, description="degrees the camera faces")
    fov_angle: float | None = Field(None, gt=0, le=360, description="horizontal view, degrees")
    fov_range_m: float | None = Field(None, gt=0, le=20_000)
    ptz: bool | None = None
    ptz_range_m: float | None = Field(None, gt=0, le=20_000, description="PTZ reach")
    stream_urls: list[SecretStr] | None = Field(None, max_length=MAX_STREAMS)
    onvif_url: SecretStr | None = Field(
        None, description="http(s)://user:password@host:port of the camera's ONVIF device service"
    )
    recording_source: str | None = Field(None, max_length=200)
    access_level: AccessLevel | None = None
    status: CameraStatus | None = None
    labels: list[str] | None = Field(None, max_length=32)
    maintenance_contact: str | None = Field(None, max_length=200)
    external_ref: str | None = Field(None, max_length=100)

    @field_validator("stream_urls")
    @classmethod
    def _streams(cls, value: list[SecretStr] | None) -> list[SecretStr] | None:
        for url in value or []:
            text = url.get_secret_value()
            if len(text) > 2000 or not text.lower().startswith(STREAM_SCHEMES):
                raise ValueError("must be an rtsp(s), http(s), srt or rtmp(s) address")
        return value

    @field_validator("onvif_url")
    @classmethod
    def _onvif(cls, value: SecretStr | None) -> SecretStr | None:
        text = value.get_secret_value() if value is not None else ""
        if value is not None and (
            len(text) > 2000 or not text.lower().startswith(("http://", "https://"))
        ):
            raise ValueError("must be an http(s) address of the ONVIF device service")
        return value

    @field_validator("labels")
    @classmethod
    def _labels(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        labels = [label.strip() for label in value if label.strip()]
        if any(len(label) > 60 for label in labels):
            raise ValueError("labels are at most 60 characters")
        return sorted(set(labels))


class CameraPatch(CameraFields):
    """The fields of a camera to change; stream addresses are replaced only when given."""


class CameraIn(CameraFields):
    """A camera to register (or a row of an imported inventory)."""

    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: CameraKind
    owner: str = Field(min_length=1, max_length=200)
    ptz: bool = False
    access_level: AccessLevel = AccessLevel.RECORDED_ONLY
    status: CameraStatus = CameraStatus.ACTIVE


class CameraOut(_Out):
    """A registered camera, without its stream addresses."""

    id: int
    code: str
    name: str
    kind: CameraKind
    owner: str
    agreement: str | None
    lat: float | None
    lon: float | None
    location_note: str | None
    mount_height_m: float | None
    bearing: float | None
    fov_angle: float | None
    fov_range_m: float | None
    ptz: bool
    ptz_range_m: float | None
    has_stream: bool
    stream_count: int
    has_onvif: bool
    recording_source: str | None
    access_level: AccessLevel
    status: CameraStatus
    labels: list[str]
    maintenance_contact: str | None
    external_ref: str | None
    mobile: bool
    last_lat: float | None
    last_lon: float | None
    last_position_at: datetime | None
    created_at: datetime
    updated_at: datetime
    retired_at: datetime | None


class RetireIn(_In):
    """Why a camera is taken out of service."""

    reason: str = Field(min_length=1, max_length=500)


class PositionIn(_In):
    """Where a mobile camera (in-car, drone, body-worn) is now."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    at: AwareDatetime


class RowProblem(_Out):
    """One rejected field of an imported row: CSV line or GeoJSON feature index, and why."""

    line: int | None = None
    feature: int | None = None
    field: str
    reason: str


class ImportResult(_Out):
    """What became of an imported inventory."""

    format: str
    created: int
    updated: int
    rejected: int
    problems: list[RowProblem]
