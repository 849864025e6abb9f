"""Slew-to-cue's commands: PTZ sessions opened ahead of need, one command per planned cue (each
with when the camera answered), and the audit records of a cue written in one transaction."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from watchfloor.audit.service import AuditEntry, AuditLog, Outcome
from watchfloor.core.clock import Clock
from watchfloor.core.errors import DomainError
from watchfloor.correlation.callouts import CORRELATION
from watchfloor.correlation.ports import Steering
from watchfloor.correlation.rules.camera_cue import Cue
from watchfloor.db.engine import Database

log = logging.getLogger(__name__)


async def ready_cameras(steering: Steering, codes: Iterable[str], at_once: int = 4) -> None:
    """Open the PTZ session of each camera, a few at a time, so a cue costs one round trip to
    the camera (a camera not answering now connects on its cue)."""
    slots = asyncio.Semaphore(at_once)

    async def ready(code: str) -> None:
        async with slots:
            try:
                await steering.prepare(code)
            except Exception as error:  # a camera not ready now is tried again on its cue
                log.warning("slew-to-cue: camera %s not ready yet: %s", code, error)

    await asyncio.gather(*(ready(code) for code in codes))


async def steer(steering: Steering | None, clock: Clock, cue: Cue) -> dict[str, Any]:
    """Send one cue's command; what was sent, whether the camera took it, and when it answered."""
    result: dict[str, Any] = {"code": cue.camera_code, "method": cue.method}
    if cue.method == "preset":
        result["preset"] = cue.preset_name
    else:
        result |= {"pan": cue.pan, "tilt": cue.tilt, "zoom": cue.zoom}
    try:
        if steering is None:
            raise DomainError("no PTZ control")
        if cue.method == "preset":
            await steering.goto_preset(cue.camera_code, cue.preset_token or "")
        else:
            await steering.ptz_absolute(cue.camera_code, cue.pan or 0, cue.tilt or 0, cue.zoom or 0)
        result["ok"] = True
    except DomainError as error:
        result |= {"ok": False, "error": str(error)[:200]}
    result["answered_at"] = clock.now().isoformat()
    return result


async def audit_cues(
    db: Database, audit: AuditLog, sent: list[dict[str, Any]], alert_id: str
) -> None:
    """One audit record per command sent, all in one transaction (one turn at the writer)."""
    if not sent:
        return
    entries = [
        AuditEntry(
            "camera.ptz.cued",
            outcome=Outcome.SUCCESS if result["ok"] else Outcome.ERROR,
            object_type="camera",
            object_id=result["code"],
            reason=f"alert {alert_id}",
            details=result,
        )
        for result in sent
    ]
    await db.write_in_thread(lambda session: audit.append(session, CORRELATION, entries))
