"""Keeps one ONVIF event subscription per camera that has an ONVIF address, and puts what the
cameras report (motion, tampering, signal loss) on the bus. Re-synced with the registry on a
schedule, so a camera added, re-addressed or retired is picked up without a restart; a sync
reads the registry only when a camera was written since the last one."""

from __future__ import annotations

import asyncio
import logging

from watchfloor.connectors.onvif.device import OnvifError, parse_address
from watchfloor.connectors.onvif.pullpoint import OnvifEventFeed
from watchfloor.core.bus import EventBus
from watchfloor.core.clock import Clock
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.cameras.schemas import CameraOut, CameraStatus
from watchfloor.domain.cameras.service import CameraRegistry
from watchfloor.events.cameras import CameraEvent, camera_bus_event
from watchfloor.settings import VideoSettings

log = logging.getLogger(__name__)
IDLE = frozenset({CameraStatus.RETIRED, CameraStatus.PLANNED})


class CameraEventFeeds:
    """The running ONVIF event feeds, one per camera with an ONVIF address."""

    def __init__(
        self, registry: CameraRegistry, bus: EventBus, clock: Clock, settings: VideoSettings
    ) -> None:
        self._registry = registry
        self._bus = bus
        self._clock = clock
        self._settings = settings
        self._feeds: dict[str, tuple[str, OnvifEventFeed]] = {}
        self._synced: int | None = None  # the registry's revision the feeds last followed
        self._syncing = asyncio.Lock()

    @property
    def running(self) -> list[str]:
        """Codes of the cameras whose events are being followed."""
        return sorted(self._feeds)

    async def sync(self) -> None:
        """Start feeds for new ONVIF cameras, restart re-addressed ones, stop the rest; nothing
        to read when no camera was written since the last sync."""
        async with self._syncing:
            await self._sync()

    async def tried(self) -> None:
        """Until every feed has made its first subscription or failed to (start's warm-up)."""
        await asyncio.gather(*(feed.tried() for _address, feed in list(self._feeds.values())))

    async def _sync(self) -> None:
        revision = self._registry.revision  # before reading: a write meanwhile syncs again
        if revision == self._synced:
            return
        wanted: dict[str, tuple[str, CameraOut]] = {}
        for camera in await self._registry.list():
            if camera.has_onvif and camera.status not in IDLE:
                secrets = await self._registry.secrets(camera.code)
                if secrets.onvif:
                    wanted[camera.code] = (secrets.onvif, camera)
        for code in [code for code in self._feeds if code not in wanted]:
            await self._stop(code)
        for code, (address, camera) in wanted.items():
            current = self._feeds.get(code)
            if current is not None and current[0] == address:
                continue
            if current is not None:
                await self._stop(code)
            self._start(camera, address)
        self._synced = revision

    async def close(self) -> None:
        """Stop every feed (each unsubscribes)."""
        for code in list(self._feeds):
            await self._stop(code)

    def _start(self, camera: CameraOut, address: str) -> None:
        try:
            parsed = parse_address(address)
        except OnvifError as error:
            log.warning("camera %s: ONVIF address unusable: %s", camera.code, error)
            return
        location = _location(camera)

        async def deliver(event: CameraEvent) -> None:
            await self._bus.publish(camera_bus_event(event, self._clock.now(), location))

        video = self._settings
        feed = OnvifEventFeed(
            camera.code,
            parsed,
            deliver,
            timeout_s=video.open_timeout_s,
            backoff_initial_s=video.reconnect_initial_s,
            backoff_max_s=video.reconnect_max_s,
            recheck_unsupported_s=video.events_recheck_s,
        )
        feed.start()
        self._feeds[camera.code] = (address, feed)

    async def _stop(self, code: str) -> None:
        _address, feed = self._feeds.pop(code)
        await feed.stop()


def _location(camera: CameraOut) -> GeoPoint | None:
    lat = camera.lat if camera.lat is not None else camera.last_lat
    lon = camera.lon if camera.lon is not None else camera.last_lon
    if lat is None or lon is None:
        return None
    return GeoPoint(lat=lat, lon=lon)
