"""Sensor messages as alert reports, one alert per activation.

A sensor's condition (flood at FLOOD-0007) is active from its first `active` message until a
`cleared` one. Every message of one activation carries the same source_ref,
"<sensor_id>|<kind>|<start>", so repeated reports merge into one alert and `cleared` ends it; the
next `active` message starts a new activation. A `cleared` with no activation open is about
nothing on the floor and makes no report.

The open activations live in memory; `remember` restores them from the open alerts at start.
Changes are planned first and committed only after the desk stored the reports, so a message
redelivered after a failed store is planned the same way again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from watchfloor.connectors.sensors.messages import SensorMessage
from watchfloor.events.alerts import AlertKind, AlertReport

SOURCE = "alerts-sensor"
Key = tuple[str, str]


@dataclass
class Plan:
    """The reports for a batch of messages and what they change once stored."""

    reports: list[AlertReport] = field(default_factory=list)
    opened: dict[Key, str] = field(default_factory=dict)
    closed: set[Key] = field(default_factory=set)
    ignored: int = 0


class SensorActivations:
    """The open activation of each sensor and kind."""

    def __init__(self) -> None:
        self._open: dict[Key, str] = {}

    @property
    def open_count(self) -> int:
        """How many activations are open."""
        return len(self._open)

    def remember(self, sensor_id: str, kind: str, source_ref: str) -> None:
        """An activation known to be open (from an open alert)."""
        self._open[(sensor_id, kind)] = source_ref

    def plan(self, messages: list[SensorMessage]) -> Plan:
        """The reports for messages in order, without changing what is open yet."""
        plan = Plan()
        for message in messages:
            key = (message.sensor_id, message.kind)
            current = None if key in plan.closed else plan.opened.get(key, self._open.get(key))
            if message.state == "cleared":
                if current is None:
                    plan.ignored += 1
                    continue
                plan.closed.add(key)
                plan.opened.pop(key, None)
            elif current is None:
                current = f"{message.sensor_id}|{message.kind}|{message.at.isoformat()}"
                plan.opened[key] = current
                plan.closed.discard(key)
            plan.reports.append(sensor_report(message, current))
        return plan

    def commit(self, plan: Plan) -> None:
        """Apply a plan whose reports were stored."""
        for key in plan.closed:
            self._open.pop(key, None)
        self._open.update(plan.opened)


def sensor_report(message: SensorMessage, activation: str) -> AlertReport:
    """The alert report of one message within its activation."""
    title = f"{message.kind.replace('_', ' ')} at sensor {message.sensor_id}"
    if message.message:
        title += f": {message.message}"
    details: dict[str, Any] = {
        "sensor_id": message.sensor_id,
        "sensor_kind": message.kind,
        "value": message.value,
        "unit": message.unit,
        "severity": message.severity,
        "message": message.message,
        "state": message.state,
        "activation": activation,
    }
    return AlertReport(
        kind=AlertKind.SENSOR,
        source=SOURCE,
        source_ref=activation,
        occurred_at=message.at,
        title=title[:300],
        severity=message.severity,
        lat=message.latitude,
        lon=message.longitude,
        subject=message.sensor_id,
        ended=message.state == "cleared",
        details=details,
    )
