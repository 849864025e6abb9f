"""Slew-to-cue settings per PTZ camera (on/off, calibration, cue presets), kept in memory."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlalchemy import delete, select

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.correlation.models import CameraCue, CuePreset
from watchfloor.correlation.rules.camera_cue import Calibration, CuePoint, CueSetup
from watchfloor.correlation.schemas import CueIn, CueOut
from watchfloor.db.engine import Database


def _setup(row: CameraCue, presets: list[CuePreset]) -> CueSetup:
    calibration = None
    if row.pan_zero_bearing_deg is not None:
        calibration = Calibration(
            pan_zero_bearing_deg=row.pan_zero_bearing_deg,
            pan_deg_per_unit=row.pan_deg_per_unit or 180.0,
            tilt_zero_deg=row.tilt_zero_deg or 0.0,
            tilt_deg_per_unit=row.tilt_deg_per_unit or 90.0,
            height_m=row.height_m or 6.0,
            zoom_full_range_m=row.zoom_full_range_m,
        )
    points = tuple(CuePoint(p.token, p.name, p.lat, p.lon) for p in presets)
    return CueSetup(row.camera_code, row.enabled, calibration, points)


class CueStore:
    """Owns the cue tables; the engine reads the setups from memory."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._setups: dict[str, CueSetup] = {}
        self._listeners: list[Callable[[str], None]] = []

    def on_put(self, listener: Callable[[str], None]) -> None:
        """Call `listener(code)` after each camera's setup is put (the executor readies it)."""
        self._listeners.append(listener)

    def setups(self) -> Mapping[str, CueSetup]:
        """Every camera's cue setup, by camera code."""
        return self._setups

    async def load(self) -> None:
        """Read every setup from the store."""
        async with self._db.read_session() as session:
            rows = list((await session.scalars(select(CameraCue))).all())
            presets = list((await session.scalars(select(CuePreset).order_by(CuePreset.id))).all())
        by_camera: dict[str, list[CuePreset]] = {}
        for preset in presets:
            by_camera.setdefault(preset.camera_code, []).append(preset)
        self._setups = {
            row.camera_code: _setup(row, by_camera.get(row.camera_code, [])) for row in rows
        }

    def get(self, code: str) -> CueOut | None:
        """One camera's setup as the API shows it; None when it has none."""
        setup = self._setups.get(code)
        return CueOut.of(setup) if setup is not None else None

    async def put(self, code: str, body: CueIn, context: RequestContext) -> CueOut:
        """Replace a camera's setup (audited in the same transaction)."""
        now = self._clock.now()
        async with self._db.session() as session:
            row = await session.get(CameraCue, code) or CameraCue(camera_code=code)
            body.apply(row)
            row.updated_at, row.updated_by = now, context.actor.username
            session.add(row)
            await session.execute(delete(CuePreset).where(CuePreset.camera_code == code))
            presets = [CuePreset(camera_code=code, **p.model_dump()) for p in body.presets]
            session.add_all(presets)
            await session.flush()
            entry = AuditEntry(
                "correlation.cue.configured",
                object_type="camera",
                object_id=code,
                details={
                    "enabled": body.enabled,
                    "presets": len(presets),
                    "calibrated": body.calibration is not None,
                },
            )
            await self._audit.record(session, context, entry)
            self._setups[code] = _setup(row, presets)
        for listener in self._listeners:
            listener(code)
        return CueOut.of(self._setups[code])
