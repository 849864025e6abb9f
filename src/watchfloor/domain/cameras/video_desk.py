"""What an operator does with a live view besides watching it: record (start/stop, or the last N
seconds the relay keeps), and take snapshots. Each is a view of its own under the live view's
reason, audited, and what it produces goes straight into the evidence store with its hash.
Biometric analytics never see any of it while the switch is on (VideoAnalytics checks)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from watchfloor.connectors.rtsp.frames import grab_still
from watchfloor.connectors.rtsp.source import StreamError
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import Conflict, NotFound, Unavailable
from watchfloor.domain.cameras.biometrics import VideoAnalytics, VideoPath
from watchfloor.domain.cameras.viewing import CameraViewing, ViewGrant
from watchfloor.domain.cameras.viewing_schemas import ReasonKind, VideoAction, ViewReason
from watchfloor.domain.evidence.schemas import EvidenceKind, EvidenceOut
from watchfloor.domain.evidence.store import EvidenceStore
from watchfloor.domain.video.recording import Recording
from watchfloor.domain.video.relay import RelayPool
from watchfloor.domain.video.status import RecordedClip
from watchfloor.settings import VideoSettings


@dataclass
class _Running:
    recording: Recording
    view: ViewGrant


class VideoDesk:
    """Recordings and snapshots taken from cameras, kept as evidence."""

    def __init__(
        self,
        viewing: CameraViewing,
        relays: RelayPool,
        evidence: EvidenceStore,
        analytics: VideoAnalytics,
        settings: VideoSettings,
        scratch: Path,
    ) -> None:
        self._viewing = viewing
        self._relays = relays
        self._evidence = evidence
        self._analytics = analytics
        self._settings = settings
        self._scratch = scratch
        self._running: dict[str, _Running] = {}

    def recording(self, live_view_id: str) -> bool:
        """Whether a recording runs under this live view."""
        return live_view_id in self._running

    async def start_recording(self, live: ViewGrant, context: RequestContext) -> ViewGrant:
        """Start recording a live view's camera from its next keyframe; 409 if already on."""
        if live.action is not VideoAction.LIVE or live.stream_url is None:
            raise Conflict("recording needs an open live view", "not_live")
        if live.view_id in self._running:
            raise Conflict("this view is already recording", "already_recording")
        view = await self._viewing.child(live, VideoAction.RECORD, context)
        self._scratch.mkdir(parents=True, exist_ok=True)
        dest = self._scratch / f"{view.view_id}.mp4"
        recording = await self._relays.record(live.camera_code, live.stream_url, dest)
        self._running[live.view_id] = _Running(recording, view)
        return view

    async def stop_recording(self, live: ViewGrant, context: RequestContext) -> EvidenceOut:
        """Stop the recording of a live view and keep it as evidence."""
        running = self._running.pop(live.view_id, None)
        if running is None:
            raise NotFound("this view is not recording")
        try:
            clip = await running.recording.stop()
        finally:
            await self._viewing.close(running.view.view_id, context)
        return await self._keep_clip(clip, running.view, context)

    async def save_last(
        self, live: ViewGrant, seconds: float, context: RequestContext
    ) -> EvidenceOut:
        """Keep the last `seconds` the relay holds for this live view's camera as evidence."""
        view = await self._viewing.open(
            live.camera_code, VideoAction.RECORD, live.reason, context, parent_id=live.view_id
        )
        try:
            self._scratch.mkdir(parents=True, exist_ok=True)
            dest = self._scratch / f"{view.view_id}.mp4"
            clip = await self._relays.save_last(live.camera_code, seconds, dest)
        finally:
            await self._viewing.close(view.view_id, context)
        return await self._keep_clip(clip, view, context)

    async def snapshot(
        self,
        code: str,
        context: RequestContext,
        *,
        live: ViewGrant | None = None,
        reason: ViewReason | None = None,
    ) -> EvidenceOut:
        """One frame of the camera as JPEG evidence, under a live view or with its own reason."""
        grounds = live.reason if live is not None else reason
        if grounds is None:
            raise Conflict("a snapshot needs a live view or a reason", "no_reason")
        parent = live.view_id if live is not None else None
        view = await self._viewing.open(
            code, VideoAction.SNAPSHOT, grounds, context, parent_id=parent
        )
        try:
            still = await asyncio.to_thread(
                grab_still, view.stream_url or "", self._settings.open_timeout_s
            )
        except StreamError as error:
            raise Unavailable(f"camera {code}: {error.failure.value}", "camera_stream") from error
        finally:
            await self._viewing.close(view.view_id, context)
        await self._analytics.dispatch(VideoPath.SNAPSHOT, code, still.jpeg, "image/jpeg")
        incident, alert = _refs(grounds)
        return await self._evidence.add_bytes(
            still.jpeg,
            context=context,
            kind=EvidenceKind.SNAPSHOT,
            camera_code=code,
            captured_from=still.at,
            captured_to=still.at,
            note=grounds.text(),
            incident_ref=incident,
            alert_ref=alert,
        )

    async def close(self, context: RequestContext) -> None:
        """Stop every recording at shutdown, each kept as evidence (nothing recorded is lost)."""
        for live_id in list(self._running):
            running = self._running.pop(live_id)
            try:
                clip = await running.recording.stop()
                await self._keep_clip(clip, running.view, context)
            except (Conflict, Unavailable):
                pass  # nothing was recorded: there is nothing to keep
            await self._viewing.close(running.view.view_id, context)

    async def _keep_clip(
        self, clip: RecordedClip, view: ViewGrant, context: RequestContext
    ) -> EvidenceOut:
        await self._analytics.dispatch(VideoPath.RECORDED, view.camera_code, clip.path, "video/mp4")
        incident, alert = _refs(view.reason)
        return await self._evidence.add_file(
            clip.path,
            kind=EvidenceKind.CLIP,
            media_type="video/mp4",
            context=context,
            camera_code=view.camera_code,
            captured_from=clip.started_at,
            captured_to=clip.ended_at,
            note=view.reason.text(),
            incident_ref=incident,
            alert_ref=alert,
        )


def _refs(reason: ViewReason) -> tuple[str | None, str | None]:
    """The incident and the alert a reason names (either or neither)."""
    incident = reason.ref if reason.kind is ReasonKind.INCIDENT else None
    alert = reason.ref if reason.kind is ReasonKind.ALERT else None
    return incident, alert
