"""Camera control over ONVIF, against a real ONVIF camera (ipycam) registered as a camera."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import warnings
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.domain.cameras.support import BODY
from tests.support.onvif_camera import IDENTITY, PASSWORD, OnvifCamera
from watchfloor.app import Watchfloor
from watchfloor.connectors.onvif.device import OnvifDevice
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import Conflict, InvalidInput, Unavailable
from watchfloor.domain.cameras.control import CameraControl
from watchfloor.domain.cameras.schemas import CameraIn, CameraPatch
from watchfloor.domain.cameras.service import CameraRegistry

CONTEXT = RequestContext(actor=Actor(username="sup-1"))


@pytest.fixture
def camera() -> Iterator[OnvifCamera]:
    onvif = OnvifCamera()
    onvif.start()
    try:
        yield onvif
    finally:
        onvif.stop()


@pytest.fixture
def registry(wf: Watchfloor) -> CameraRegistry:
    return CameraRegistry(wf.db, wf.clock, wf.audit)


@pytest.fixture
async def control(wf: Watchfloor, registry: CameraRegistry) -> AsyncIterator[CameraControl]:
    control = CameraControl(registry, wf.settings.video)
    try:
        yield control
    finally:
        await control.close()


async def _register(registry: CameraRegistry, code: str, **fields: Any) -> None:
    await registry.create(CameraIn.model_validate(BODY | {"code": code} | fields), CONTEXT)


async def test_device_summary_and_discovered_streams(
    registry: CameraRegistry, control: CameraControl, camera: OnvifCamera
) -> None:
    await _register(registry, "CAM-PTZ-1", ptz=True, onvif_url=camera.url())
    summary = await control.device("CAM-PTZ-1")
    assert (summary.info.manufacturer, summary.info.serial) == (
        IDENTITY["manufacturer"],
        IDENTITY["serial_number"],
    )
    assert [p.token for p in summary.profiles] == ["Profile_Main", "Profile_Sub"]
    assert summary.ptz_service
    assert PASSWORD not in repr(summary)
    streams = await control.discover_streams("CAM-PTZ-1")
    assert streams == ["rtsp://127.0.0.1:554/live", "rtsp://127.0.0.1:554/scene"]


async def test_ptz_moves_stores_presets_and_goes_home(
    registry: CameraRegistry, control: CameraControl, camera: OnvifCamera
) -> None:
    await _register(registry, "CAM-PTZ-1", ptz=True, onvif_url=camera.url())
    await control.ptz_move("CAM-PTZ-1", 0.9, 0.5, 0.3, timeout_s=2)
    await asyncio.sleep(0.3)
    await control.ptz_stop("CAM-PTZ-1")
    moved = camera.position()
    assert moved[0] > 0.1
    token = await control.set_preset("CAM-PTZ-1", "Bus stop")
    assert ("Bus stop", token) in {(p.name, p.token) for p in await control.presets("CAM-PTZ-1")}
    await control.go_home("CAM-PTZ-1")
    assert camera.position() == pytest.approx((0.0, 0.0, 0.0))
    await control.goto_preset("CAM-PTZ-1", token)
    assert camera.position() == pytest.approx(moved)
    status = await control.ptz_status("CAM-PTZ-1")
    assert status.pan == pytest.approx(moved[0])
    assert not status.moving
    with pytest.raises(Conflict) as caught:
        await control.set_home("CAM-PTZ-1")
    assert caught.value.code == "onvif_not_supported"


async def test_refuses_cameras_without_onvif_or_ptz_and_bad_moves(
    registry: CameraRegistry, control: CameraControl, camera: OnvifCamera
) -> None:
    await _register(registry, "CAM-FIXED", onvif_url=camera.url())
    await _register(registry, "CAM-NO-ONVIF", ptz=True)
    with pytest.raises(Conflict) as caught:
        await control.ptz_move("CAM-FIXED", 0.1, 0, 0)
    assert caught.value.code == "camera_not_ptz"
    with pytest.raises(Conflict) as caught:
        await control.device("CAM-NO-ONVIF")
    assert caught.value.code == "camera_no_onvif"
    with pytest.raises(InvalidInput) as invalid:
        await control.ptz_move("CAM-NO-ONVIF", 2, 0, 0, timeout_s=0)
    assert {p.pointer for p in invalid.value.problems} == {"/pan", "/timeout_s"}
    assert camera.position() == (0.0, 0.0, 0.0)


async def test_failures_name_the_camera_not_the_password_and_drop_the_client(
    registry: CameraRegistry, control: CameraControl, camera: OnvifCamera
) -> None:
    await _register(registry, "CAM-PTZ-1", ptz=True, onvif_url=camera.url(password="wrong-pw"))
    with pytest.raises(Unavailable) as caught:
        await control.device("CAM-PTZ-1")
    assert caught.value.code == "onvif_unauthorized"
    assert "CAM-PTZ-1" in str(caught.value)
    assert "wrong-pw" not in str(caught.value)
    patch = CameraPatch.model_validate({"onvif_url": camera.url()})
    await registry.update("CAM-PTZ-1", patch, CONTEXT)
    assert (await control.device("CAM-PTZ-1")).info.model == IDENTITY["model"]
    camera.stop()
    with pytest.raises(Unavailable) as caught:
        await control.ptz_stop("CAM-PTZ-1")
    assert caught.value.code == "onvif_unreachable"
    assert PASSWORD not in str(caught.value)


async def test_a_prepared_camera_is_commanded_at_its_new_address_once_it_changes(
    registry: CameraRegistry, control: CameraControl, camera: OnvifCamera
) -> None:
    await _register(registry, "CAM-PTZ-1", ptz=True, onvif_url=camera.url())
    await control.prepare("CAM-PTZ-1")
    assert control.connected("CAM-PTZ-1")
    await control.ptz_absolute("CAM-PTZ-1", 0.25, 0.0, 0.0)
    assert camera.position()[0] == pytest.approx(0.25)
    replacement = OnvifCamera()
    replacement.start()
    try:
        patch = CameraPatch.model_validate({"onvif_url": replacement.url()})
        await registry.update("CAM-PTZ-1", patch, CONTEXT)
        await control.ptz_absolute("CAM-PTZ-1", -0.5, 0.0, 0.0)  # its address read again
        assert replacement.position()[0] == pytest.approx(-0.5)
        assert camera.position()[0] == pytest.approx(0.25)
    finally:
        replacement.stop()


async def test_a_command_cancelled_while_its_camera_connects_leaves_no_session_open(
    registry: CameraRegistry,
    control: CameraControl,
    camera: OnvifCamera,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await _register(registry, "CAM-PTZ-1", ptz=True, onvif_url=camera.url())
    connect, connected = OnvifDevice.connect, asyncio.Event()

    async def connect_then_linger(device: OnvifDevice) -> None:
        await connect(device)  # the device's sessions are open now
        connected.set()
        await asyncio.Event().wait()  # as if the caller were stopped just as it finished

    monkeypatch.setattr(OnvifDevice, "connect", connect_then_linger)
    gc.collect()  # what earlier tests left behind warns now, not inside the record below
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        command = asyncio.create_task(control.ptz_stop("CAM-PTZ-1"))
        await connected.wait()
        command.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await command
        gc.collect()
    assert not [str(item.message) for item in caught if item.category is ResourceWarning]
