"""The biometric-analytics switch: blocked by default, lifted only by an admin where policy
allows (audited either way), and no biometric analytic ever receives video while it is on."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from tests.support.auth import login_as
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext, Role
from watchfloor.domain.cameras.biometrics import (
    Analytic,
    BiometricsBlocked,
    BiometricSwitch,
    Media,
    PolicyIn,
    VideoAnalytics,
    VideoPath,
)

ADMIN = RequestContext(actor=Actor(username="admin-1", role=Role.ADMIN))


class Recorder:
    """An analytic's consumer that notes what it was given."""

    def __init__(self) -> None:
        self.seen: list[tuple[VideoPath, str]] = []

    async def __call__(self, path: VideoPath, camera: str, media: Media, kind: str) -> None:
        del media, kind
        self.seen.append((path, camera))


def _analytic(name: str, biometric: bool, consume: Recorder) -> Analytic:
    return Analytic(name, biometric, frozenset(VideoPath), consume)


async def test_the_switch_is_on_by_default_and_cannot_be_lifted_where_policy_forbids(
    wf: Watchfloor, client: AsyncClient
) -> None:
    assert wf.settings.video.biometrics_forbidden_by_policy
    await login_as(wf, client, Role.OPERATOR)
    state = await client.get("/api/video/policy")
    assert state.json()["biometrics_blocked"] is True
    lift = {"biometrics_blocked": False, "reason": "pilot approved by council"}
    assert (await client.put("/api/video/policy", json=lift)).status_code == 403
    await login_as(wf, client, Role.ADMIN)
    refused = await client.put("/api/video/policy", json=lift)
    assert refused.status_code == 403
    assert "policy forbids" in refused.text
    assert wf.biometrics.blocked
    async with wf.db.read_session() as session:
        rows = (
            await session.execute(
                text("SELECT outcome FROM audit_record WHERE action = 'video.biometrics.lift'")
            )
        ).all()
    assert [row[0] for row in rows] == ["denied"]


async def test_an_admin_lifts_and_restores_it_where_policy_allows(wf: Watchfloor) -> None:
    switch = BiometricSwitch(wf.db, wf.clock, wf.audit, forbidden=False)
    await switch.load()
    assert switch.blocked
    lifted = await switch.set(PolicyIn(biometrics_blocked=False, reason="court order 22-1"), ADMIN)
    assert (lifted.biometrics_blocked, lifted.changed_by) == (False, "admin-1")
    reloaded = BiometricSwitch(wf.db, wf.clock, wf.audit, forbidden=False)
    await reloaded.load()
    assert not reloaded.blocked
    forbidding = BiometricSwitch(wf.db, wf.clock, wf.audit, forbidden=True)
    await forbidding.load()
    assert forbidding.blocked  # policy wins over a stored lift


async def test_no_biometric_analytic_gets_video_while_blocked(
    wf: Watchfloor, tmp_path: Path
) -> None:
    switch = BiometricSwitch(wf.db, wf.clock, wf.audit, forbidden=False)
    analytics = VideoAnalytics(switch)
    faces, motion = Recorder(), Recorder()
    with pytest.raises(BiometricsBlocked):
        analytics.attach(_analytic("face-match", True, faces))
    analytics.attach(_analytic("motion", False, motion))
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0" * 16)
    for path, media in ((VideoPath.SNAPSHOT, b"jpeg"), (VideoPath.RECORDED, clip)):
        assert await analytics.dispatch(path, "CAM-1", media, "video/mp4") == 1
    await switch.set(PolicyIn(biometrics_blocked=False, reason="court order 22-1"), ADMIN)
    analytics.attach(_analytic("face-match", True, faces))
    assert await analytics.dispatch(VideoPath.EXPORT, "CAM-1", clip, "video/mp4") == 2
    await switch.set(PolicyIn(biometrics_blocked=True, reason="order expired"), ADMIN)
    assert analytics.attached() == ["motion"]
    assert await analytics.dispatch(VideoPath.LIVE, "CAM-1", b"frag", "video/mp4") == 1
    assert faces.seen == [(VideoPath.EXPORT, "CAM-1")]
    assert len(motion.seen) == 4
