"""PTZ commands written straight on the wire: the envelope zeep writes, checked by a real camera
(ipycam verifies the WS-Security digest and moves its head)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ipycam.onvif import compute_password_digest
from lxml import etree

from tests.support.onvif_camera import PASSWORD, USER, OnvifCamera
from watchfloor.connectors.onvif.device import OnvifError, OnvifFailure
from watchfloor.connectors.onvif.ptz import OnvifPtz
from watchfloor.connectors.onvif.wire import (
    PtzWire,
    absolute_move_body,
    envelope,
    goto_preset_body,
    password_digest,
    security_header,
    succeeded,
)

_VOLATILE = ("Password", "Nonce", "Created")
_CREATED = datetime(2026, 11, 22, 7, 30, 24, 987_000, tzinfo=UTC)


def _comparable(document: etree._Element) -> bytes:
    # The nonce, the time and the digest over them differ on every request.
    for element in document.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in _VOLATILE:
            element.text = ""
    return etree.tostring(document, method="c14n", exclusive=True)


def _zeep_request(service: Any, operation: str, request: dict[str, Any]) -> tuple[Any, Any]:
    binding, options = service.ws_client._binding, service.ws_client._binding_options
    envelope, headers = binding._create(
        operation, (), request, client=service.zeep_client, options=options
    )
    return envelope, headers


async def test_the_requests_are_the_envelopes_zeep_writes(ptz: OnvifPtz) -> None:
    service = await ptz.device.service("ptz")
    token = 'Main & <"1">'
    position = {"PanTilt": {"x": -0.5, "y": 1e-05}, "Zoom": {"x": 1.0}}
    cases: list[tuple[str, dict[str, Any], str]] = [
        (
            "AbsoluteMove",
            {"ProfileToken": token, "Position": position},
            absolute_move_body(token, -0.5, 1e-05, 1.0),
        ),
        (
            "GotoPreset",
            {"ProfileToken": token, "PresetToken": "Gate & yard"},
            goto_preset_body(token, "Gate & yard"),
        ),
    ]
    for operation, request, body in cases:
        theirs, their_headers = _zeep_request(service, operation, request)
        ours = etree.fromstring(envelope(body, security_header(USER, PASSWORD, _CREATED)))
        assert _comparable(ours) == _comparable(theirs)
        action = f"http://www.onvif.org/ver20/ptz/wsdl/{operation}"
        assert their_headers["SOAPAction"] == f'"{action}"'
        assert action in their_headers["Content-Type"]


def test_the_digest_is_the_one_the_camera_computes() -> None:
    header = etree.fromstring(security_header(USER, PASSWORD, _CREATED))
    found = {etree.QName(e).localname: e.text for e in header.iter() if isinstance(e.tag, str)}
    assert found["Username"] == USER
    assert found["Created"] == "2026-11-22T07:30:24Z"
    assert found["Password"] == compute_password_digest(found["Nonce"], found["Created"], PASSWORD)
    nonce = base64.b64decode(str(found["Nonce"]))
    assert len(nonce) == 16
    assert password_digest(nonce, "2026-11-22T07:30:24Z", "other") != found["Password"]
    again = etree.fromstring(security_header(USER, PASSWORD, _CREATED))
    assert again.find(".//{*}Nonce").text != found["Nonce"]  # type: ignore[union-attr]


async def test_a_move_and_a_preset_reach_the_camera(
    ptz: OnvifPtz, onvif_camera: OnvifCamera
) -> None:
    await ptz.absolute_move(0.3, -0.2, 0.4)
    assert onvif_camera.position() == pytest.approx((0.3, -0.2, 0.4), abs=0.01)
    token = await ptz.set_preset("Corner")
    await ptz.absolute_move(-0.6, 0.5, 0.1)
    await ptz.goto_preset(token)
    assert onvif_camera.position() == pytest.approx((0.3, -0.2, 0.4), abs=0.01)


async def test_a_refused_login_is_read_as_zeep_reads_it(ptz: OnvifPtz) -> None:
    service = await ptz.device.service("ptz")
    service.passwd = "not-the-password"
    with pytest.raises(OnvifError) as caught:
        await ptz.absolute_move(0.1, 0.1, 0.1)
    assert caught.value.failure is OnvifFailure.UNAUTHORIZED
    assert "not-the-password" not in str(caught.value)


async def test_commands_carry_the_cameras_clock(ptz: OnvifPtz) -> None:
    service = await ptz.device.service("ptz")
    service.dt_diff = timedelta(hours=2)  # the camera's clock is two hours ahead of ours
    with pytest.raises(OnvifError) as caught:  # this camera's clock is ours: it refuses
        await ptz.absolute_move(0.1, 0.1, 0.1)
    assert caught.value.failure is OnvifFailure.UNAUTHORIZED
    service.dt_diff = timedelta(seconds=1)
    await ptz.absolute_move(0.1, 0.1, 0.1)


async def test_a_connection_the_camera_dropped_is_tried_again(
    ptz: OnvifPtz, onvif_camera: OnvifCamera
) -> None:
    wire = PtzWire(await ptz.device.service("ptz"))
    await wire.absolute_move(ptz.profile_token, 0.2, 0.0, 0.0)
    before = onvif_camera.connections_accepted
    # Dropped with no turn of the event loop in between: the client cannot have seen it go and
    # writes the next command on the dead connection.
    onvif_camera.drop_connections()
    await wire.absolute_move(ptz.profile_token, -0.2, 0.0, 0.0)
    assert onvif_camera.position()[0] == pytest.approx(-0.2, abs=0.01)
    assert onvif_camera.connections_accepted == before + 1


def test_only_a_plain_answer_is_a_success() -> None:
    ns = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
    answer = f"<s:Envelope {ns}><s:Body><AbsoluteMoveResponse/></s:Body></s:Envelope>".encode()
    fault = f"<s:Envelope {ns}><s:Body><s:Fault/></s:Body></s:Envelope>".encode()
    assert succeeded(200, answer)
    assert not succeeded(200, fault)
    assert not succeeded(500, answer)
    assert not succeeded(200, b"")
    assert not succeeded(200, b"<not xml")
    assert not succeeded(200, f"<s:Envelope {ns}/>".encode())


def test_a_wire_reads_the_services_login_and_clock() -> None:
    class Service:
        xaddr = "http://127.0.0.1:1/onvif/ptz_service"
        user, passwd, dt_diff = USER, PASSWORD, timedelta(minutes=5)

    wire = PtzWire(Service())
    header = etree.fromstring(wire._header())
    created = datetime.fromisoformat(str(header.find(".//{*}Created").text))  # type: ignore[union-attr]
    assert abs(created - (datetime.now(UTC) + timedelta(minutes=5))) < timedelta(seconds=2)
