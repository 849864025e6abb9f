"""Composition of units and the field link: the unit roster's trails and routing, AVL from NMEA,
the TAK-compatible server, field devices as units and intelligence pushed to the field, built
together for app.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import APIRouter

from watchfloor.audit.service import AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.health import HealthRegistry
from watchfloor.core.schedule import Periodic
from watchfloor.db.engine import Database
from watchfloor.domain.alerts.service import AlertDesk
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.domain.units.service import UnitRoster
from watchfloor.live.hub import LiveHub
from watchfloor.settings import Settings


@dataclass
class FieldParts:
    """The components of units and the field link (issue 7), built together."""

    # [units fields]
    # [tak fields]
    # [avl fields]
    # [fieldlink fields]

    def periodic_jobs(self) -> list[Periodic]:
        """The field link's scheduled jobs."""
        return [
            # [units jobs]
            # [tak jobs]
            # [avl jobs]
            # [fieldlink jobs]
        ]

    async def start(self, tasks: list[asyncio.Task[None]]) -> None:
        """Start listeners and followers; long-running work goes into `tasks`."""
        # [units start]
        # [tak start]
        # [avl start]
        # [fieldlink start]

    async def stop(self) -> None:
        """Stop listeners and close connections."""
        # [fieldlink stop]
        # [avl stop]
        # [tak stop]
        # [units stop]


def field_routers() -> list[APIRouter]:
    """The HTTP routers of units and the field link."""
    return [
        # [units routers]
        # [tak routers]
        # [avl routers]
        # [fieldlink routers]
    ]


def build_fieldlink(
    settings: Settings,
    clock: Clock,
    db: Database,
    bus: EventBus,
    audit: AuditLog,
    health: HealthRegistry,
    quarantine: QuarantineService,
    incidents: IncidentService,
    live: LiveHub,
    units: UnitRoster,
    alerts: AlertDesk,
) -> FieldParts:
    """Build units and the field link over the shared services."""
    # [units build]
    # [tak build]
    # [avl build]
    # [fieldlink build]
    return FieldParts(
        # [units wiring]
        # [tak wiring]
        # [avl wiring]
        # [fieldlink wiring]
    )
