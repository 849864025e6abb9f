"""The geofence rules as pure functions: which zones a hotlist hit or a monitored person's move
fires, and the alert report each firing sends to the alert desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from watchfloor.domain.geofences.index import applies_at
from watchfloor.domain.geofences.schemas import (
    ENTERS_RULE,
    HOTLIST_RULE,
    LEAVES_RULE,
    GeofenceOut,
    PositionIn,
)
from watchfloor.events.alerts import AlertKind, AlertReport
from watchfloor.events.lpr import PlateAlertRaised

SOURCE = "geofence"
TITLE_MAX = 300


@dataclass(frozen=True)
class Firing:
    """A rule of a geofence that fired, with the report for the alert desk."""

    geofence_id: str
    rule: str
    report: AlertReport


def hotlist_firings(
    hit: PlateAlertRaised,
    read_at: datetime,
    zones: list[GeofenceOut],
    priority: int,
    timezone: str,
) -> list[Firing]:
    """A hotlist hit inside zones with the hotlisted-read rule (narrowed by reason codes)."""
    firings = []
    for zone in zones:
        rule = zone.rule(HOTLIST_RULE)
        if rule is None or not applies_at(zone, read_at, timezone):
            continue
        if rule.reason_codes and hit.reason_code not in rule.reason_codes:
            continue
        report = _hotlist_report(hit, read_at, zone, priority)
        firings.append(Firing(zone.id, HOTLIST_RULE, report))
    return firings


def _hotlist_report(
    hit: PlateAlertRaised, read_at: datetime, zone: GeofenceOut, priority: int
) -> AlertReport:
    reason = hit.reason_code.replace("_", " ")
    return AlertReport(
        kind=AlertKind.GEOFENCE,
        source=SOURCE,
        source_ref=f"{zone.id}:{hit.alert_id}",
        occurred_at=read_at,
        title=_fit(f"Hotlisted vehicle {hit.plate} ({reason}) inside {zone.label}"),
        priority=priority,
        severity=hit.severity,
        lat=hit.lat,
        lon=hit.lon,
        subject=hit.plate,
        details={
            **_zone_details(zone, HOTLIST_RULE),
            "lpr_alert_id": hit.alert_id,
            "reason_code": hit.reason_code,
            "reader_code": hit.reader_code,
            "match_kind": hit.match_kind,
        },
    )


def crossing_firing(
    zone: GeofenceOut, position: PositionIn, entered: bool, priority: int
) -> Firing | None:
    """The firing for a person crossing into (or out of) a zone, if a rule watches that way."""
    name = ENTERS_RULE if entered else LEAVES_RULE
    rule = zone.rule(name)
    if rule is None or (rule.subjects and position.person_ref not in rule.subjects):
        return None
    verb = "entered" if entered else "left"
    at_ms = int(position.at.timestamp() * 1000)
    report = AlertReport(
        kind=AlertKind.GEOFENCE,
        source=SOURCE,
        source_ref=f"{zone.id}:{position.person_ref}:{verb}:{at_ms}",
        occurred_at=position.at,
        title=_fit(f"Monitored person {position.person_ref} {verb} {zone.label}"),
        priority=priority,
        lat=position.latitude,
        lon=position.longitude,
        location_error_m=position.accuracy_m,
        subject=position.person_ref,
        details={
            **_zone_details(zone, name),
            "person_ref": position.person_ref,
            "program": position.program,
            "transition": verb,
            "position_at": position.at.isoformat(),
            "accuracy_m": position.accuracy_m,
        },
    )
    return Firing(zone.id, name, report)


def _zone_details(zone: GeofenceOut, rule: str) -> dict[str, str]:
    return {
        "rule": rule,
        "geofence_id": zone.id,
        "geofence_name": zone.name,
        "geofence_kind": zone.kind.value,
    }


def _fit(title: str) -> str:
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"
