"""AbsoluteMove: the camera (a real ONVIF PTZ device, ipycam) ends where it was told to point."""

from __future__ import annotations

import pytest

from tests.domain.cameras.support import BODY
from tests.support.onvif_camera import OnvifCamera, onvif_camera  # noqa: F401
from watchfloor.app import Watchfloor
from watchfloor.core.context import Actor, RequestContext
from watchfloor.core.errors import InvalidInput
from watchfloor.domain.cameras.control import CameraControl
from watchfloor.domain.cameras.schemas import CameraIn

CONTEXT = RequestContext(actor=Actor(username="sup-1"))


@pytest.fixture
async def control(wf: Watchfloor, onvif_camera: OnvifCamera) -> CameraControl:  # noqa: F811
    body = BODY | {"code": "CAM-PTZ-1", "ptz": True, "onvif_url": onvif_camera.url()}
    await wf.cameras.create(CameraIn.model_validate(body), CONTEXT)
    return wf.camera_control


async def test_absolute_move_points_the_head(
    control: CameraControl,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    await control.ptz_absolute("CAM-PTZ-1", 0.25, -0.4, 0.6)
    assert onvif_camera.position() == pytest.approx((0.25, -0.4, 0.6))
    await control.ptz_absolute("CAM-PTZ-1", -1.0, 1.0, 0.0)
    assert onvif_camera.position() == pytest.approx((-1.0, 1.0, 0.0))


async def test_absolute_move_out_of_range_names_the_field(
    control: CameraControl,
    onvif_camera: OnvifCamera,  # noqa: F811
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await control.ptz_absolute("CAM-PTZ-1", 0.0, 1.5, -0.1)
    pointers = {p.pointer for p in refused.value.problems}
    assert pointers == {"/tilt", "/zoom"}
    assert onvif_camera.position() == pytest.approx((0.0, 0.0, 0.0))
