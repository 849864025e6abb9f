"""A small world around one incident for the context packet tests: every section has data."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert

from tests.domain.alerts.support import FEED, gunshot
from tests.domain.incidents.support import report, store
from watchfloor.app import Watchfloor
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.cameras.schemas import CameraIn, CameraKind
from watchfloor.domain.lpr.models import PlateAlert, PlateRead, PlateReader
from watchfloor.domain.premises.schemas import PremiseIn
from watchfloor.domain.units.schemas import UnitPosition
from watchfloor.events.cad import CautionReport, LocationReport

LAT, LON = 40.44, -80.0
ADMIN = RequestContext(actor=Actor(username="admin.kim", role=Role.SUPERVISOR))
METRE = 1 / 111_195


@dataclass
class World:
    """Ids of what the world holds."""

    incident_id: str
    gunshot_id: str
    attached_id: str


def _at(eido_id: str, north_m: float, days_ago: int, type_code: str, address: str) -> object:
    clock_start = report().last_updated_at + timedelta(minutes=5)
    return report(
        eido_id,
        type_code=type_code,
        call_started_at=clock_start - timedelta(days=days_ago),
        at=clock_start - timedelta(days=days_ago),
        location=LocationReport(
            point=GeoPoint(lat=LAT + north_m * METRE, lon=LON), address=address
        ),
    )


async def build_world(wf: Watchfloor, clock: ManualClock) -> World:
    """The subject incident and, around it, something for every section."""
    priors = [
        _at("urn:prior:same-address", 80, 30, "BURGLARY", "100 main st"),
        _at("urn:prior:beside", 20, 60, "THEFT", "102 Main St"),
        _at("urn:prior:near", 200, 90, "THEFT", "300 Main St"),
        _at("urn:prior:far", 2_000, 10, "THEFT", "9 Far Rd"),
        _at("urn:prior:old", 0, 500, "THEFT", "100 Main St"),
    ]
    await store(wf, *priors)  # type: ignore[arg-type]
    subject = report(
        "urn:subject",
        cautions=[
            CautionReport(eido_id="c1", kind="WEAPONS", kind_text="Weapons", severity="high")
        ],
    )
    incident_id = (await store(wf, subject))[0].incident_id
    await wf.cameras.create(
        CameraIn(
            code="CAM-1",
            name="Main St",
            kind=CameraKind.CITY,
            owner="city",
            lat=LAT + 20 * METRE,
            lon=LON,
            fov_angle=360,
            fov_range_m=80,
        ),
        ADMIN,
    )
    at = clock.now() - timedelta(minutes=1)
    await wf.units.update_positions(
        [UnitPosition(unit="1A10", latitude=LAT + 100 * METRE, longitude=LON, at=at)], ADMIN
    )
    await wf.premises.create(
        PremiseIn(address="100 Main St", lat=LAT, lon=LON, hazards=["dogs"], notes="rear door"),
        ADMIN,
    )
    await _plates(wf, clock)
    shots = await wf.alerts.receive([gunshot(clock, lat=LAT + 300 * METRE, lon=LON)], FEED)
    other = await wf.alerts.receive([gunshot(clock, "GS-2", lat=LAT, lon=LON)], FEED)
    await wf.alerts.attach(other[0].alert_id, incident_id, "test")
    return World(incident_id, shots[0].alert_id, other[0].alert_id)


async def _plates(wf: Watchfloor, clock: ManualClock) -> None:
    now = clock.now()
    now_ms = int(now.timestamp() * 1000)
    async with wf.db.session() as session:
        # LPR-CORNER is inside the radius's bounding box but 566 m away: its reads are not near
        for code, north, east in (
            ("LPR-NEAR", 150, 0),
            ("LPR-FAR", 5_000, 0),
            ("LPR-CORNER", 400, 400),
        ):
            session.add(
                PlateReader(
                    code=code,
                    name=code,
                    kind="fixed",
                    lat=LAT + north * METRE,
                    lon=LON + east * METRE / math.cos(math.radians(LAT)),
                    active=True,
                    created_at=now,
                    updated_at=now,
                )
            )
        await session.flush()
        readers = {
            r.code: r.id for r in (await session.execute(PlateReader.__table__.select())).all()
        }
        rows = [
            _read(readers["LPR-NEAR"], now_ms - 10 * 60_000, "ABC123"),
            _read(readers["LPR-NEAR"], now_ms - 20 * 60_000, "XYZ987"),
            _read(readers["LPR-NEAR"], now_ms - 2 * 3_600_000, "OLD111"),
            _read(readers["LPR-FAR"], now_ms - 5 * 60_000, "FAR222"),
            _read(readers["LPR-CORNER"], now_ms - 5 * 60_000, "BOX333"),
        ]
        await session.execute(insert(PlateRead), rows)
        session.add(_hit(readers["LPR-NEAR"], now - timedelta(minutes=10)))


def _read(reader_id: int, captured_ms: int, plate: str) -> dict[str, object]:
    return {
        "reader_id": reader_id,
        "captured_ms": captured_ms,
        "received_ms": captured_ms,
        "plate": plate,
        "plate_raw": plate,
        "hit": False,
    }


def _hit(reader_id: int, at: object) -> PlateAlert:
    return PlateAlert(
        raised_at=at,
        last_seen_at=at,
        repeat_count=1,
        reader_id=reader_id,
        reader_code="LPR-NEAR",
        hotlist_id=1,
        hotlist_name="stolen",
        entry_id=1,
        entry={},
        read={},
        read_captured_at=at,
        plate_read="ABC123",
        plate_entry="ABC123",
        lat=LAT + 150 * METRE,
        lon=LON,
        reason_code="STOLEN_VEHICLE",
        severity="high",
        match_kind="exact",
        substitutions=0,
        state_match="match",
        score=0.9,
        explanation="exact",
        status="pending",
    )
