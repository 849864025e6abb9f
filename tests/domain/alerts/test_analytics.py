"""The analytics bridge: camera analytics events on the bus become one alert per camera + rule
activity (recorded-style ONVIF payloads through the real parser)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tests.connectors.onvif.recorded_camera import FIXTURES
from watchfloor.app import Watchfloor
from watchfloor.connectors.onvif.events import parse_notifications
from watchfloor.core.bus import InProcessBus
from watchfloor.core.clock import ManualClock
from watchfloor.core.context import RequestContext
from watchfloor.core.geo import GeoPoint
from watchfloor.domain.alerts.analytics import AnalyticsBridge
from watchfloor.domain.alerts.schemas import AlertReceipt
from watchfloor.events.alerts import AlertChanged, AlertKind, AlertReport
from watchfloor.events.cameras import CameraEvent, camera_bus_event
from watchfloor.settings import SensorFeedSettings

NOW = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)
PLACE = GeoPoint(lat=60.17, lon=24.94)


def recorded_events() -> list[CameraEvent]:
    return parse_notifications((FIXTURES / "derived_analytics.xml").read_bytes(), "CAM-3", NOW)


class NoDesk:
    async def receive(
        self, reports: list[AlertReport], context: RequestContext
    ) -> list[AlertReceipt]:
        raise AssertionError("not used")

    async def open_alerts(self, since: datetime) -> list[AlertChanged]:
        return []


def _bridge(**settings: object) -> AnalyticsBridge:
    feeds = SensorFeedSettings.model_validate(settings)
    return AnalyticsBridge(InProcessBus(), NoDesk(), ManualClock(NOW), feeds)


def _reports(bridge: AnalyticsBridge) -> list[AlertReport | None]:
    return [bridge.report(camera_bus_event(e, NOW, PLACE)) for e in recorded_events()]


def test_a_field_activity_lasts_until_its_last_object_leaves() -> None:
    field = _reports(_bridge())[:5]
    assert field[0] is None  # the subscription's initial "nobody inside"
    made = [r for r in field if r is not None]
    assert len({r.source_ref for r in made}) == 1
    assert [r.ended for r in made] == [False, False, False, True]
    assert made[0].title == "Intrusion on CAM-3 (MyFieldDetector1)"
    assert made[0].details["activity"]["objects"] == ["7"]
    assert (made[0].kind, made[0].source, made[0].subject) == (
        AlertKind.ANALYTICS,
        "onvif-analytics",
        "CAM-3",
    )
    assert (made[0].lat, made[0].lon) == (60.17, 24.94)


def test_crossings_close_together_are_one_activity_and_later_ones_another() -> None:
    crossings = _reports(_bridge(analytics_window_s=60))[5:8]
    refs = [r.source_ref for r in crossings if r is not None]
    assert refs[0] == refs[1] != refs[2]  # 20 s apart, then 2 min 40 s later
    assert not any(r.ended for r in crossings if r is not None)


def test_loitering_and_detections_and_kinds_left_out() -> None:
    reports = _reports(_bridge())
    loiter_start, loiter_end, detected = reports[8], reports[9], reports[10]
    assert loiter_start is not None
    assert loiter_end is not None
    assert loiter_end.ended
    assert detected is not None
    assert detected.title == "Object detected on CAM-3 (AjaxObjectRule): Human"
    only_lines = _reports(_bridge(analytics_sources=["line_crossed"]))
    assert [r is not None for r in only_lines].count(True) == 3


def test_a_remembered_activity_is_ended_after_a_restart() -> None:
    first = _bridge()
    reports = _reports(first)
    open_field = reports[1]
    assert open_field is not None
    restarted = _bridge()
    restarted.remember(open_field.details)
    leaving = [e for e in recorded_events() if not e.active][-3:]  # objects 7, 9 leave
    assert leaving[0].source["ObjectId"] == "7"
    last = restarted.report(camera_bus_event(leaving[0], NOW, PLACE))
    assert last is not None
    assert last.source_ref == open_field.source_ref
    assert last.ended


async def test_analytics_on_the_bus_become_alerts(wf: Watchfloor) -> None:
    await wf.start()  # its bridge follows the bus (the fixture stops it)
    for event in recorded_events():
        await wf.bus.publish(camera_bus_event(event, NOW, PLACE))
    for _ in range(200):
        alerts = await wf.alerts.list(kind=AlertKind.ANALYTICS)
        if len(alerts) == 5 and sum(a.sources[0].reports for a in alerts) == 10:
            break
        await asyncio.sleep(0.02)
    titles = sorted(a.title for a in alerts)
    assert titles == [
        "Intrusion on CAM-3 (MyFieldDetector1)",
        "Line crossed on CAM-3 (MyLineDetector1)",
        "Line crossed on CAM-3 (MyLineDetector1)",
        "Loitering on CAM-3 (MyLoiteringDetector1)",
        "Object detected on CAM-3 (AjaxObjectRule): Human",
    ]
    assert all(a.sources[0].source == "onvif-analytics" for a in alerts)
