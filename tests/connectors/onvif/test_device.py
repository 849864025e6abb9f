"""The ONVIF device connector against a real ONVIF camera (ipycam) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import warnings

import pytest

from tests.support.mosquitto import _free_port
from tests.support.onvif_camera import IDENTITY, PASSWORD, USER, OnvifCamera
from watchfloor.connectors.onvif.device import (
    OnvifDevice,
    OnvifError,
    OnvifFailure,
    parse_address,
)


async def test_reads_device_information(onvif_camera: OnvifCamera) -> None:
    device = OnvifDevice.from_url(onvif_camera.url())
    try:
        info = await device.info()
    finally:
        await device.close()
    assert info.manufacturer == IDENTITY["manufacturer"]
    assert info.model == IDENTITY["model"]
    assert info.firmware == IDENTITY["firmware_version"]
    assert info.serial == IDENTITY["serial_number"]
    assert info.hardware


async def test_reads_profiles_and_their_stream_addresses(onvif_camera: OnvifCamera) -> None:
    device = OnvifDevice.from_url(onvif_camera.url())
    try:
        profiles = await device.profiles()
        uris = [await device.stream_uri(profile.token) for profile in profiles]
    finally:
        await device.close()
    main, sub = profiles
    assert (main.token, main.encoding, main.width, main.height, main.fps) == (
        "Profile_Main",
        "H264",
        1280,
        720,
        25.0,
    )
    assert main.ptz
    assert sub.ptz
    assert (sub.width, sub.height) == (640, 360)
    assert uris == ["rtsp://127.0.0.1:554/live", "rtsp://127.0.0.1:554/scene"]


async def test_a_wrong_password_is_unauthorized_and_never_shown(
    onvif_camera: OnvifCamera, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    device = OnvifDevice.from_url(onvif_camera.url(password="not-the-pass"))
    with pytest.raises(OnvifError) as caught:
        await device.info()
    await device.close()
    assert caught.value.failure is OnvifFailure.UNAUTHORIZED
    assert "not-the-pass" not in str(caught.value)
    assert "not-the-pass" not in caplog.text
    assert f"127.0.0.1:{onvif_camera.port}" in str(caught.value)


async def test_calls_ride_a_kept_alive_connection_until_the_camera_stops() -> None:
    camera = OnvifCamera()
    camera.start()
    device = OnvifDevice.from_url(camera.url(), timeout_s=2)
    try:
        await device.info()
        opened = camera.connections_accepted
        for _ in range(5):
            await device.info()
        assert camera.connections_accepted == opened  # HTTP/1.1: no connection per call
        camera.stop()
        with pytest.raises(OnvifError) as caught:
            await device.info()  # the connection kept alive was closed with the camera
        assert caught.value.failure is OnvifFailure.UNREACHABLE
    finally:
        camera.stop()
        await device.close()


async def test_an_address_nobody_answers_is_unreachable() -> None:
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:{_free_port()}/onvif/device_service"
    device = OnvifDevice.from_url(url, timeout_s=2)
    with pytest.raises(OnvifError) as caught:
        await device.info()
    await device.close()
    assert caught.value.failure is OnvifFailure.UNREACHABLE
    assert PASSWORD not in str(caught.value)


async def test_a_missing_service_is_not_supported(onvif_camera: OnvifCamera) -> None:
    device = OnvifDevice.from_url(onvif_camera.url())
    try:
        with pytest.raises(OnvifError) as caught:
            await device.service("events")
    finally:
        await device.close()
    assert caught.value.failure is OnvifFailure.NOT_SUPPORTED


async def test_services_opened_at_once_are_one_service(onvif_camera: OnvifCamera) -> None:
    device = OnvifDevice.from_url(onvif_camera.url())
    try:
        await device.connect()
        first, second = await asyncio.gather(device.service("media"), device.service("media"))
    finally:
        await device.close()
    assert first is second


async def test_an_opening_cancelled_midway_leaves_no_session_open(
    onvif_camera: OnvifCamera,
) -> None:
    device = OnvifDevice.from_url(onvif_camera.url())
    gc.collect()  # what earlier tests left behind warns now, not inside the record below
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            await device.connect()
            for name in ("ptz", "media", "events"):
                opening = asyncio.create_task(device.service(name))
                await asyncio.sleep(0)  # the opening has begun building its HTTP session
                opening.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await opening
        finally:
            await device.close()
        gc.collect()
    assert not [str(item.message) for item in caught if item.category is ResourceWarning]


def test_addresses_are_parsed_with_their_login_kept_out_of_sight() -> None:
    address = parse_address("http://admin:p%40ss@10.0.0.5:8080")
    assert (address.host, address.port, address.path) == ("10.0.0.5", 8080, "/onvif/device_service")
    assert (address.user, address.password) == ("admin", "p@ss")
    assert "p@ss" not in repr(address)
    assert "p@ss" not in address.device_url
    assert (
        parse_address("https://[fe80::1]/onvif/dev").device_url == "https://[fe80::1]:443/onvif/dev"
    )
    for bad in ("rtsp://10.0.0.5/x", "http://", "not a url", "http://a:b@host:99999/"):
        with pytest.raises(OnvifError) as caught:
            parse_address(bad)
        assert caught.value.failure is OnvifFailure.INVALID_ADDRESS
