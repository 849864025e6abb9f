"""ONVIF camera events: the parser on recorded camera payloads, and the PullPoint feed through
the real onvif-zeep-async client against a service answering with those recordings."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from tests.connectors.onvif.recorded_camera import FIXTURES, RecordedEventCamera
from tests.support.mosquitto import _free_port
from tests.support.onvif_camera import OnvifCamera
from watchfloor.connectors.onvif.device import parse_address
from watchfloor.connectors.onvif.events import classify, parse_bool, parse_notifications
from watchfloor.connectors.onvif.pullpoint import OnvifEventFeed, retry_delay
from watchfloor.core.bus import InProcessBus
from watchfloor.core.errors import MalformedInput
from watchfloor.events.cameras import CameraEvent, CameraEventKind, camera_bus_event

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
K = CameraEventKind


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_a_recorded_hikvision_pull_answer_maps_motion_and_tampering() -> None:
    events = parse_notifications(_read("hikvision_pull_messages.xml"), "CAM-7", NOW)
    kinds = [(e.kind, e.active, e.topic) for e in events]
    assert kinds[:4] == [
        (K.MOTION, False, "tns1:VideoSource/MotionAlarm"),
        (K.TAMPER_SCENE_CHANGE, False, "tns1:VideoSource/GlobalSceneChange/ImagingService"),
        (K.MOTION, False, "tns1:RuleEngine/CellMotionDetector/Motion"),
        (K.TAMPER_TOO_DARK, False, "tns1:VideoSource/ImageTooDark/ImagingService"),
    ]
    assert (events[4].kind, events[4].active) == (K.OBJECTS_INSIDE, False)  # analytics
    assert {e.kind for e in events[5:]} == {K.OTHER}
    first = events[0]
    assert (first.camera, first.at, first.operation) == (
        "CAM-7",
        datetime(2024, 5, 25, 23, 59, 38, tzinfo=UTC),
        "Initialized",
    )
    assert first.source == {"Source": "VideoSource_1"}
    assert first.data == {"State": "false"}
    assert events[2].source["Rule"] == "MyMotionDetectorRule"


def test_a_recorded_axis_scene_change_with_numeric_state() -> None:
    (event,) = parse_notifications(_read("axis_global_scene_change.xml"), "CAM-8", NOW)
    assert (event.kind, event.active, event.source) == (
        K.TAMPER_SCENE_CHANGE,
        False,
        {"Source": "0"},
    )
    assert event.at == datetime(2020, 9, 5, 4, 45, 30, 199233, tzinfo=UTC)


def test_changes_start_and_end_conditions() -> None:
    events = parse_notifications(_read("derived_changes.xml"), "CAM-7", NOW)
    assert [(e.kind, e.active) for e in events] == [
        (K.MOTION, True),
        (K.TAMPER_SCENE_CHANGE, True),
        (K.TAMPER_TOO_BLURRY, True),
        (K.TAMPER_TOO_DARK, True),
        (K.SIGNAL_LOSS, True),
        (K.MOTION, False),
    ]
    assert [e.bus_kind for e in events[:1] + events[-1:]] == [
        "camera.motion.started",
        "camera.motion.ended",
    ]


def test_topics_states_and_hostile_xml() -> None:
    assert classify("tns1:VideoSource/ImageTooBlurry/RecordingService")[0] is K.TAMPER_TOO_BLURRY
    assert classify("VideoSource/SignalLoss") == (K.SIGNAL_LOSS, "State")
    assert classify("tns1:VideoSource/tnsaxis:Tampering")[0] is K.OTHER
    assert [parse_bool(v) for v in ("true", "1", "ON", "false", "0", "off", "maybe", None)] == [
        True,
        True,
        True,
        False,
        False,
        False,
        None,
        None,
    ]
    with pytest.raises(MalformedInput):
        parse_notifications(b"<not-closed>", "CAM-7", NOW)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(MalformedInput, match="forbidden"):
        parse_notifications(bomb, "CAM-7", NOW)


@pytest.fixture
async def recorded() -> AsyncIterator[RecordedEventCamera]:
    camera = RecordedEventCamera("hikvision_pull_messages.xml", "derived_changes.xml")
    await camera.start()
    try:
        yield camera
    finally:
        await camera.stop()


def _feed(
    url: str, delivered: list[CameraEvent], backoff_max_s: float = 30, recheck_s: float = 600
) -> OnvifEventFeed:
    async def deliver(event: CameraEvent) -> None:
        delivered.append(event)

    return OnvifEventFeed(
        "CAM-7",
        parse_address(url),
        deliver,
        timeout_s=2.0,
        wait_s=1.0,
        backoff_initial_s=0.05,
        backoff_max_s=backoff_max_s,
        recheck_unsupported_s=recheck_s,
    )


async def _until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Wait for what the feed and the camera do (state outside this test's control)."""
    async with asyncio.timeout(timeout_s):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.02)


async def test_the_feed_pulls_recorded_events_onto_the_bus(recorded: RecordedEventCamera) -> None:
    bus = InProcessBus()
    subscription = bus.subscribe("camera.>")
    delivered: list[CameraEvent] = []

    async def publish(event: CameraEvent) -> None:
        delivered.append(event)
        await bus.publish(camera_bus_event(event, NOW))

    address = parse_address(recorded.url())
    feed = OnvifEventFeed("CAM-7", address, publish, wait_s=1.0, lifetime_s=1)
    feed.start()
    try:
        await _until(lambda: len(delivered) >= 11 and "Renew" in recorded.operations)
    finally:
        await feed.stop()
    assert [e.kind for e in delivered[:4]] == [
        K.MOTION,
        K.TAMPER_SCENE_CHANGE,
        K.MOTION,
        K.TAMPER_TOO_DARK,
    ]
    assert K.OTHER not in {e.kind for e in delivered}
    first = await subscription.get(1)
    assert (first.kind, first.source, first.payload.camera) == (
        "camera.motion.ended",
        "CAM-7",
        "CAM-7",
    )
    kinds = [(await subscription.get(1)).kind for _ in range(10)]
    assert kinds[3] == "camera.objects_inside.ended"  # the field detector's initial state
    assert kinds[4:] == [
        "camera.motion.started",
        "camera.tamper_scene_change.started",
        "camera.tamper_too_blurry.started",
        "camera.tamper_too_dark.started",
        "camera.signal_loss.started",
        "camera.motion.ended",
    ]
    ops = recorded.operations
    assert ops.count("CreatePullPointSubscription") == 1
    assert ops[-1] == "Unsubscribe"
    assert not feed.connected


async def test_the_feed_subscribes_again_after_the_camera_drops_it(
    recorded: RecordedEventCamera, caplog: pytest.LogCaptureFixture
) -> None:
    recorded.pulls = ["hikvision_pull_messages.xml"]
    delivered: list[CameraEvent] = []
    feed = _feed(recorded.url(), delivered)
    feed.start()
    try:
        await _until(lambda: len(delivered) == 5)
        recorded.failing_pulls = 1
        recorded.pulls.append("derived_changes.xml")
        await _until(lambda: len(delivered) == 11)
    finally:
        await feed.stop()
    assert recorded.operations.count("CreatePullPointSubscription") == 2
    assert feed.connections == 2
    assert (feed.failures, feed.last_error) == (1, None)
    assert "CAM-7: fault: PullMessages" in caplog.text
    assert "Subscription expired" in caplog.text
    assert "rec-pass" not in caplog.text
    assert delivered[-1].kind is K.MOTION
    assert not delivered[-1].active


async def test_an_unreachable_camera_is_retried_with_backoff_and_no_password() -> None:
    delivered: list[CameraEvent] = []
    url = f"http://viewer:never-shown@127.0.0.1:{_free_port()}/onvif/device_service"
    feed = _feed(url, delivered, backoff_max_s=0.1)
    feed.start()
    try:
        await _until(lambda: feed.last_error is not None)
        await asyncio.sleep(0.3)
    finally:
        await feed.stop()
    assert (feed.connections, delivered) == (0, [])
    assert feed.last_error is not None
    assert feed.last_error.startswith("unreachable")
    assert "never-shown" not in feed.last_error


async def test_a_camera_without_an_event_service_is_asked_again_only_after_the_recheck_wait(
    onvif_camera: OnvifCamera,
) -> None:
    delivered: list[CameraEvent] = []
    feed = _feed(onvif_camera.url(), delivered, backoff_max_s=0.1, recheck_s=5.0)
    feed.start()
    try:
        await _until(lambda: feed.failures >= 1)
        # backoff from 0.05 s up to 0.1 s would have asked three more times by now
        await asyncio.sleep(0.5)
    finally:
        await feed.stop()
    assert feed.failures == 1
    assert feed.last_error is not None
    assert feed.last_error.startswith("not_supported")


def test_the_retry_wait_doubles_up_to_the_longest_and_is_jittered() -> None:
    rng = random.Random(3)
    waits = [retry_delay(n, (1.0, 30.0), rng=rng) for n in range(1, 8)]
    ceilings = [1, 2, 4, 8, 16, 30, 30]
    assert all(c / 2 <= w <= c for w, c in zip(waits, ceilings, strict=True))
    assert waits[5] != waits[6]  # drawn, not fixed
    unsupported = retry_delay(1, (1.0, 30.0), unsupported=True, recheck_s=600, rng=rng)
    assert 300 <= unsupported <= 600


def test_cameras_that_failed_together_are_asked_again_spread_over_the_wait() -> None:
    rng = random.Random(5)
    waits = sorted(retry_delay(9, (1.0, 30.0), rng=rng) for _ in range(200))
    assert waits[0] >= 15
    assert waits[-1] <= 30
    seconds = {int(w) for w in waits}
    assert len(seconds) >= 12  # not 200 cameras in one second: spread over most of 15..30


async def test_a_feed_stopped_before_its_first_try_is_waited_for_no_longer() -> None:
    url = f"http://viewer:pw@127.0.0.1:{_free_port()}/onvif/device_service"
    feed = _feed(url, [])
    await feed.stop()  # never started: no subscription will ever be tried
    await asyncio.wait_for(feed.tried(), 1)
    assert (feed.connections, feed.failures) == (0, 0)
