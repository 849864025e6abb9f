"""The demo's live video: the test-card server starts, the cameras nearest the city's centre get
its streams with live access, and those streams play."""

from __future__ import annotations

from watchfloor.app import Watchfloor
from watchfloor.connectors.rtsp.source import open_input
from watchfloor.core.context import Actor, RequestContext
from watchfloor.demo.city import load_cameras
from watchfloor.demo.video import MOUNTS, DemoCameras, attach_streams

SYSTEM = RequestContext(actor=Actor.system("demo"))


async def test_the_cameras_nearest_the_centre_get_playable_test_cards(wf: Watchfloor) -> None:
    await wf.cameras.import_osm(load_cameras(), SYSTEM)
    cards = DemoCameras()
    base = cards.start()
    try:
        assert base is not None
        codes = await attach_streams(wf.cameras, base, SYSTEM)
        assert len(codes) == len(MOUNTS)
        streamed = [camera for camera in await wf.cameras.list() if camera.has_stream]
        assert sorted(camera.code for camera in streamed) == sorted(codes)
        assert {camera.access_level for camera in streamed} == {"live"}
        secrets = await wf.cameras.secrets(codes[0])
        container = open_input(secrets.streams[0], timeout_s=5)
        try:
            assert container.streams.video[0].codec_context.name == "h264"
        finally:
            container.close()
    finally:
        cards.stop()
