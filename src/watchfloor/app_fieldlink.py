"""Composition of units and the field link: the unit roster's trails and routing, AVL from NMEA,
the TAK-compatible server, field devices as units and intelligence pushed to the field, built
together for app.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fastapi import APIRouter

from watchfloor.audit.service import AuditLog
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.health import HealthRegistry
from watchfloor.core.schedule import Periodic
from watchfloor.db.engine import Database
from watchfloor.domain.alerts.service import AlertDesk
from watchfloor.domain.incidents.service import IncidentService
from watchfloor.domain.quarantine.service import QuarantineService
from watchfloor.domain.units import live as units_live
from watchfloor.domain.units.avl import AvlIntake
from watchfloor.domain.units.avl_routes import router as avl_router
from watchfloor.domain.units.avl_sources import AvlSources
from watchfloor.domain.units.nearest import NearestFinder
from watchfloor.domain.units.routing import StreetRouter
from watchfloor.domain.units.service import UnitRoster
from watchfloor.domain.units.trail import TrailKeeper
from watchfloor.fieldlink.bridge import FieldBridge
from watchfloor.fieldlink.devices import DeviceBook
from watchfloor.fieldlink.notes import FieldNotes
from watchfloor.fieldlink.outbound import FieldOutbound
from watchfloor.fieldlink.routes import router as fieldlink_router
from watchfloor.fieldlink.server import TakServer
from watchfloor.live.hub import LiveHub
from watchfloor.settings import Settings


@dataclass
class FieldParts:
    """The components of units and the field link (issue 7), built together."""

    # [units fields]
    unit_trails: TrailKeeper
    unit_routes: StreetRouter
    unit_nearest: NearestFinder
    # [tak fields]
    tak: TakServer | None
    # [avl fields]
    avl: AvlIntake
    # [fieldlink fields]
    field_devices: DeviceBook
    field_bridge: FieldBridge
    field_outbound: FieldOutbound
    field_notes: FieldNotes

    def periodic_jobs(self) -> list[Periodic]:
        """The field link's scheduled jobs."""
        return [
            # [units jobs]
            Periodic("unit-trail-purge", self.unit_trails.every_s, self.unit_trails.purge, 60.0),
            # [tak jobs]
            # [avl jobs]
            # [fieldlink jobs]
            Periodic(
                "fieldlink-refresh",
                self.field_outbound.refresh_every_s,
                self.field_outbound.refresh_due,
                60.0,
            ),
        ]

    async def start(self, tasks: list[asyncio.Task[None]]) -> None:
        """Start listeners and followers; long-running work goes into `tasks`."""
        # [units start]
        # [tak start]
        if self.tak is not None:
            await self.tak.start()
        # [avl start]
        tasks.append(await self.avl.start())
        # [fieldlink start]
        await self.field_devices.load()
        tasks.append(asyncio.create_task(self.field_bridge.run(), name="fieldlink-bridge"))
        outbound = self.field_outbound.start()
        if outbound is not None:
            tasks.append(outbound)
            await self.field_outbound.restore()

    async def stop(self) -> None:
        """Stop listeners and close connections."""
        # [fieldlink stop]
        await self.field_outbound.stop()
        await self.field_bridge.drain()
        # [avl stop]
        await self.avl.stop()
        # [tak stop]
        if self.tak is not None:
            await self.tak.stop()
        # [units stop]


def field_routers() -> list[APIRouter]:
    """The HTTP routers of units and the field link."""
    return [
        # [units routers]
        # [tak routers]
        # [avl routers]
        avl_router,
        # [fieldlink routers]
        fieldlink_router,
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
    unit_trails = TrailKeeper(db, clock, settings.units)
    basemap = settings.basemap_path or Path(
        str(resources.files("watchfloor").joinpath("demo/city/basemap.json"))
    )
    unit_routes = StreetRouter(settings.units, basemap)
    live.add_translator(units_live.PATTERN, units_live.unit_message)
    # [tak build]
    tak_on = settings.tak.tcp_port is not None or settings.tak.tls_port is not None
    tak = TakServer(settings.tak, clock) if tak_on else None
    if tak is not None:
        health.add_probe("tak-server", tak.health)
    # [avl build]
    avl_context = RequestContext(actor=Actor.system("avl"))
    avl = AvlIntake(units, AvlSources(db, clock, audit), health, clock, settings.avl, avl_context)
    # [fieldlink build]
    field_devices = DeviceBook(db, clock, audit)
    field_bridge = FieldBridge(field_devices, units, clock, health, settings.fieldlink)
    if tak is not None:
        tak.on_event = field_bridge.on_event
    field_outbound = FieldOutbound(tak, bus, clock, db, audit, incidents, settings.fieldlink)
    return FieldParts(
        # [units wiring]
        unit_trails=unit_trails,
        unit_routes=unit_routes,
        unit_nearest=NearestFinder(db, units, unit_routes),
        # [tak wiring]
        tak=tak,
        # [avl wiring]
        avl=avl,
        # [fieldlink wiring]
        field_devices=field_devices,
        field_bridge=field_bridge,
        field_outbound=field_outbound,
        field_notes=FieldNotes(db, clock, audit, units, field_devices, tak, settings.fieldlink),
    )
