"""The camera cue rule: which alerts cue cameras, and where each covering PTZ camera goes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.correlation.support import LAT, LON, alert, context, moved
from watchfloor.correlation.actions import CueCameras
from watchfloor.correlation.rules import camera_cue
from watchfloor.correlation.rules.camera_cue import Calibration, CuePoint, CueSetup, aim, plan


@dataclass(frozen=True)
class Seen:
    code: str
    coverage: str
    distance_m: float
    bearing_to_point_deg: float


def test_gunshots_and_panics_with_a_place_cue_cameras() -> None:
    ctx = context()
    assert camera_cue.evaluate(alert(), ctx) == CueCameras("A1", LAT, LON)
    assert camera_cue.evaluate(alert(kind="panic"), ctx) == CueCameras("A1", LAT, LON)
    assert camera_cue.evaluate(alert(kind="sensor"), ctx) is None
    assert camera_cue.evaluate(alert(lat=None, lon=None), ctx) is None


def test_cueing_can_be_switched_off_or_widened() -> None:
    assert camera_cue.evaluate(alert(), context(cue_enabled=False)) is None
    ctx = context(cue_kinds=["analytics"])
    assert camera_cue.evaluate(alert(kind="analytics"), ctx) is not None
    assert camera_cue.evaluate(alert(), ctx) is None


def test_aim_turns_pan_by_bearing_and_tilts_down_by_distance() -> None:
    calibration = Calibration(pan_zero_bearing_deg=90.0, height_m=10.0, zoom_full_range_m=200.0)
    pan, tilt, zoom = aim(calibration, distance_m=10.0, bearing_deg=180.0)
    assert pan == pytest.approx(0.5)  # 90 degrees right of pan 0, 180 degrees per unit
    assert tilt == pytest.approx(-0.5)  # 45 degrees down, 90 degrees per unit
    assert zoom == pytest.approx(0.05)
    pan, _, zoom = aim(calibration, distance_m=400.0, bearing_deg=0.0)
    assert pan == pytest.approx(-0.5)
    assert zoom == 1.0
    assert aim(calibration, 50.0, 269.0)[0] == pytest.approx(0.9944)  # the short way round
    assert aim(calibration, 50.0, 271.0)[0] == pytest.approx(-0.9944)


def test_plan_uses_calibration_first_then_the_nearest_preset() -> None:
    near = moved(north_m=20)
    far = moved(north_m=120)
    setups = {
        "PTZ-CAL": CueSetup("PTZ-CAL", calibration=Calibration(pan_zero_bearing_deg=0.0)),
        "PTZ-PRE": CueSetup(
            "PTZ-PRE", presets=(CuePoint("p-far", "Far", *far), CuePoint("p-near", "Near", *near))
        ),
        "PTZ-OFF": CueSetup("PTZ-OFF", enabled=False, presets=(CuePoint("p", "P", LAT, LON),)),
        "PTZ-NOWHERE": CueSetup("PTZ-NOWHERE", presets=(CuePoint("p", "P", *moved(east_m=900)),)),
    }
    seen = [
        Seen("PTZ-CAL", "in_view", 40.0, 45.0),
        Seen("PTZ-PRE", "ptz_can_turn", 80.0, 10.0),
        Seen("PTZ-OFF", "in_view", 30.0, 0.0),
        Seen("PTZ-NOWHERE", "in_view", 30.0, 0.0),
        Seen("FIXED-1", "in_view", 10.0, 0.0),
        Seen("PTZ-CAL", "nearby", 10.0, 0.0),
    ]
    cues = plan(seen, setups, LAT, LON, max_m=150.0)
    assert [(c.camera_code, c.method) for c in cues] == [
        ("PTZ-CAL", "absolute"),
        ("PTZ-PRE", "preset"),
    ]
    assert cues[0].pan == pytest.approx(0.25)
    assert (cues[1].preset_token, cues[1].preset_name) == ("p-near", "Near")
