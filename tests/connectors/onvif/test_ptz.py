"""PTZ through the ONVIF connector against a real ONVIF camera (ipycam's digital PTZ)."""

from __future__ import annotations

import asyncio

import pytest
from onvif import ONVIFService  # type: ignore[import-untyped]

from tests.support.onvif_camera import OnvifCamera
from watchfloor.connectors.onvif.device import OnvifError, OnvifFailure
from watchfloor.connectors.onvif.ptz import OnvifPtz


async def _move_away(ptz: OnvifPtz) -> None:
    await ptz.continuous_move(0.8, -0.6, 0.5, timeout_s=2)
    await asyncio.sleep(0.4)
    await ptz.stop()


async def test_continuous_move_turns_the_head_and_stop_holds_it(
    ptz: OnvifPtz, onvif_camera: OnvifCamera
) -> None:
    assert ptz.profile_token == "Profile_Main"
    await ptz.continuous_move(0.5, 0.25, 0.2, timeout_s=3)
    await asyncio.sleep(0.4)
    moving = await ptz.status()
    assert moving.moving
    assert moving.pan is not None
    assert moving.pan > 0.05
    assert moving.tilt is not None
    assert moving.tilt > 0.02
    await ptz.stop()
    stopped = await ptz.status()
    await asyncio.sleep(0.3)
    later = await ptz.status()
    assert not later.moving
    assert later.pan == pytest.approx(stopped.pan, abs=0.02)
    assert onvif_camera.position()[0] == pytest.approx(later.pan, abs=0.02)


async def test_a_preset_brings_the_head_back(ptz: OnvifPtz) -> None:
    await _move_away(ptz)
    here = await ptz.status()
    token = await ptz.set_preset("North gate")
    assert token in {preset.token for preset in await ptz.presets()}
    assert "North gate" in {preset.name for preset in await ptz.presets()}
    await ptz.continuous_move(-1.0, 1.0, -1.0, timeout_s=2)
    await asyncio.sleep(0.3)
    await ptz.stop()
    away = await ptz.status()
    assert away.pan is not None
    assert here.pan is not None
    assert abs(away.pan - here.pan) > 0.1
    await ptz.goto_preset(token)
    back = await ptz.status()
    assert (back.pan, back.tilt, back.zoom) == pytest.approx((here.pan, here.tilt, here.zoom))


async def test_home_centres_the_head(ptz: OnvifPtz) -> None:
    await _move_away(ptz)
    await ptz.go_home()
    home = await ptz.status()
    assert (home.pan, home.tilt, home.zoom) == pytest.approx((0.0, 0.0, 0.0))


async def test_setting_home_where_the_device_cannot_is_not_supported(ptz: OnvifPtz) -> None:
    with pytest.raises(OnvifError) as caught:
        await ptz.set_home()
    assert caught.value.failure is OnvifFailure.NOT_SUPPORTED


async def test_velocities_outside_the_generic_space_are_refused(ptz: OnvifPtz) -> None:
    for pan, tilt, zoom in ((1.5, 0, 0), (0, -2, 0), (0, 0, float("nan"))):
        with pytest.raises(ValueError, match="velocity"):
            await ptz.continuous_move(pan, tilt, zoom)
    with pytest.raises(ValueError, match="lasts"):
        await ptz.continuous_move(0.1, 0, 0, timeout_s=0)


async def test_the_head_is_ready_for_its_first_command_once_found(
    ptz: OnvifPtz, onvif_camera: OnvifCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    setup = ONVIFService.setup

    async def counted_setup(service: ONVIFService) -> None:
        opened.append(service.url.rsplit("/", 1)[-1])
        await setup(service)

    monkeypatch.setattr(ONVIFService, "setup", counted_setup)
    await ptz.absolute_move(0.25, 0.0, 0.0)
    assert opened == []  # the command was one round trip: no service client built on the way
    assert onvif_camera.position()[0] == pytest.approx(0.25, abs=0.01)
