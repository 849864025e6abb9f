"""ONVIF event feeds follow the registry: a camera with an ONVIF address gets a subscription whose
events reach the bus with the camera's place; retiring it unsubscribes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.connectors.onvif.recorded_camera import RecordedEventCamera
from tests.domain.cameras.support import BODY
from watchfloor.app import Watchfloor
from watchfloor.core.bus import InProcessBus
from watchfloor.core.context import Actor, RequestContext
from watchfloor.domain.cameras.event_feeds import CameraEventFeeds
from watchfloor.domain.cameras.schemas import CameraIn, CameraOut

CONTEXT = RequestContext(actor=Actor(username="sup-1"))


@pytest.fixture
async def recorded() -> AsyncIterator[RecordedEventCamera]:
    camera = RecordedEventCamera("hikvision_pull_messages.xml")
    await camera.start()
    try:
        yield camera
    finally:
        await camera.stop()


async def test_feeds_follow_the_registry_and_publish_with_the_cameras_place(
    wf: Watchfloor, recorded: RecordedEventCamera
) -> None:
    bus = InProcessBus()
    events = bus.subscribe("camera.>")
    feeds = CameraEventFeeds(wf.cameras, bus, wf.clock, wf.settings.video)
    body = BODY | {"code": "CAM-EV", "onvif_url": recorded.url()}
    await wf.cameras.create(CameraIn.model_validate(body), CONTEXT)
    await wf.cameras.create(CameraIn.model_validate(BODY | {"code": "CAM-PLAIN"}), CONTEXT)
    try:
        await feeds.sync()
        assert feeds.running == ["CAM-EV"]
        event = await asyncio.wait_for(events.get(10), 15)
        assert event.source == "CAM-EV"
        assert event.kind.startswith("camera.")
        assert event.location is not None
        assert (event.location.lat, event.location.lon) == (BODY["lat"], BODY["lon"])
        await wf.cameras.retire("CAM-EV", "pole removed", CONTEXT)
        await feeds.sync()
        assert feeds.running == []
        assert recorded.operations[-1] == "Unsubscribe"
    finally:
        await feeds.close()


async def test_a_sync_reads_the_registry_only_after_a_camera_was_written(
    wf: Watchfloor, recorded: RecordedEventCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeds = CameraEventFeeds(wf.cameras, InProcessBus(), wf.clock, wf.settings.video)
    listed = 0
    listing = wf.cameras.list

    async def counted_list() -> list[CameraOut]:
        nonlocal listed
        listed += 1
        return await listing()

    monkeypatch.setattr(wf.cameras, "list", counted_list)
    body = BODY | {"code": "CAM-EV", "onvif_url": recorded.url()}
    await wf.cameras.create(CameraIn.model_validate(body), CONTEXT)
    try:
        await feeds.sync()
        await feeds.sync()  # nothing written since: a city's cameras are not read again
        assert (listed, feeds.running) == (1, ["CAM-EV"])
        await wf.cameras.create(CameraIn.model_validate(BODY | {"code": "CAM-2"}), CONTEXT)
        await feeds.sync()
        assert listed == 2
    finally:
        await feeds.close()
