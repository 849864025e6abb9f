"""The words of Community Connect shared by the public pages, the registry and requests."""

from __future__ import annotations

from enum import StrEnum


class SiteKind(StrEnum):
    """Who registered: a home or a business."""

    RESIDENCE = "residence"
    BUSINESS = "business"


class SiteStatus(StrEnum):
    """A registration's state: unconfirmed, listed for the RTCC, or paused by its owner."""

    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"


class RequestKind(StrEnum):
    """The kinds of footage request an owner can agree to receive."""

    VIOLENT_CRIME = "violent_crime"
    PROPERTY_CRIME = "property_crime"
    TRAFFIC_COLLISION = "traffic_collision"
    MISSING_PERSON = "missing_person"
    OTHER = "other"


class Covers(StrEnum):
    """What a registered camera's view covers."""

    STREET = "street"
    SIDEWALK = "sidewalk"
    DRIVEWAY = "driveway"
    PARKING_LOT = "parking_lot"
    ALLEY = "alley"
    ENTRANCE = "entrance"
    YARD = "yard"
    OTHER = "other"


class RequestStatus(StrEnum):
    """Where a footage request stands."""

    SENT = "sent"
    OPENED = "opened"
    UPLOADED = "uploaded"
    DECLINED = "declined"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


OPEN_STATUSES = frozenset({RequestStatus.SENT, RequestStatus.OPENED})
ANSWERED_STATUSES = frozenset({RequestStatus.UPLOADED, RequestStatus.DECLINED})


class UploadStatus(StrEnum):
    """Where one uploaded file stands."""

    RECEIVING = "receiving"
    STORED = "stored"
    REJECTED = "rejected"
