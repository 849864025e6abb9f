"""A real ONVIF camera (ipycam) for the ONVIF connector tests, and PTZ on its first profile."""

from collections.abc import AsyncIterator

import pytest

from tests.support.onvif_camera import OnvifCamera, onvif_camera
from watchfloor.connectors.onvif.device import OnvifDevice
from watchfloor.connectors.onvif.ptz import OnvifPtz

__all__ = ["onvif_camera", "ptz"]


@pytest.fixture
async def ptz(onvif_camera: OnvifCamera) -> AsyncIterator[OnvifPtz]:
    """PTZ on the camera's first PTZ profile, its device closed afterwards."""
    device = OnvifDevice.from_url(onvif_camera.url())
    try:
        yield await OnvifPtz.first_profile(device)
    finally:
        await device.close()
