"""A real ONVIF camera for tests: ipycam's device, media and PTZ services (its SOAP handler and
digital PTZ controller, WS-Security UsernameToken login) served on 127.0.0.1 and a free port.

Only ipycam's ONVIF HTTP service runs: no WS-Discovery (a UDP multicast listener), no video
pipeline (it needs go2rtc, which is not available). The stream addresses it reports point at
`rtsp_port` with the mount names given, so a test can aim them at the RTSP test server."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from ipycam.config import CameraConfig
from ipycam.http import IPCameraHTTPHandler
from ipycam.onvif import ONVIFService
from ipycam.ptz import PTZController, PTZPreset

from tests.support.mosquitto import _free_port

USER = "operator"
PASSWORD = "0nvif-Secret!"
PTZ_NS = "http://www.onvif.org/ver20/ptz/wsdl"
IDENTITY = {
    "manufacturer": "PythonCam",
    "model": "VirtualCam-1",
    "serial_number": "WF-TEST-0001",
    "firmware_version": "1.3.0",
}


class _PresetsInMemory(PTZController):  # type: ignore[misc]
    """ipycam's PTZ controller, keeping presets in memory instead of ./ptz_presets.json."""

    def _load_presets(self, filepath: str = "") -> None:
        self.presets["home"] = PTZPreset("home", "Home", 0.0, 0.0, 0.0)

    def _save_presets(self, filepath: str = "") -> None:
        return None


class _DeclaredPrefixes(ONVIFService):  # type: ignore[misc]
    """ipycam's ONVIF service with two bugs of its 1.3.0 PTZ answers corrected: the templates use
    the `ptz:`/`tptz:` prefixes without declaring them (so a strict SOAP client reads no PTZ
    answer), and GetStatus leaves its move status and time placeholders unfilled."""

    def _wrap_envelope(self, body: str) -> str:
        envelope: str = super()._wrap_envelope(body)
        declared = f'xmlns:ptz="{PTZ_NS}" xmlns:tptz="{PTZ_NS}" xmlns:s='
        return envelope.replace("xmlns:s=", declared, 1)

    def _render(self, template_name: str, **values: Any) -> str:
        if template_name == "ptz_get_status":
            moving = values.pop("move_status", "IDLE")
            values |= {"pan_tilt_status": moving, "zoom_status": moving}
            values["utc_time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        rendered: str = super()._render(template_name, **values)
        return rendered


class _KeepAliveHandler(IPCameraHTTPHandler):  # type: ignore[misc]
    """ipycam's handler speaking HTTP/1.1 with keep-alive, as IP cameras do: its SOAP answers
    carry their length, so a client's pooled connection serves call after call (under its
    HTTP/1.0 default every call was a new TCP connection, and a new thread here)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed ACK

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        # ipycam's GET answers (web page, JSON, snapshots) may carry no length: end each by
        # closing, as HTTP/1.1 allows.
        self.close_connection = True
        super().do_GET()


class _Server:
    """ipycam's threaded TCP server, bound to loopback only."""

    def __init__(self, port: int, handler: type[Any]) -> None:
        from ipycam.camera import ReusableThreadingTCPServer

        class Listener(ReusableThreadingTCPServer):  # type: ignore[misc]
            # One device here may stand for many cameras (the gunshot bench's 200), each with
            # its own connections: socketserver's listen queue of 5 would drop a burst's
            # connection attempts, each then waiting TCP's 1 s retry.
            request_queue_size = 256

            def __init__(self, *args: Any) -> None:
                self.accepted = 0
                self.connections: set[socket.socket] = set()
                self.connections_lock = threading.Lock()
                super().__init__(*args)

            def process_request(self, request: socket.socket, client_address: Any) -> None:
                with self.connections_lock:
                    self.accepted += 1
                    self.connections.add(request)
                super().process_request(request, client_address)

            def shutdown_request(self, request: socket.socket) -> None:
                with self.connections_lock:
                    self.connections.discard(request)
                super().shutdown_request(request)

            def close_connections(self) -> None:
                with self.connections_lock:
                    for connection in self.connections:
                        with contextlib.suppress(OSError):
                            connection.shutdown(socket.SHUT_RDWR)

        self.server = Listener(("127.0.0.1", port), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="onvif-camera")
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.server.close_connections()  # a stopped camera answers nothing, kept alive or not
        self.thread.join(5)


class OnvifCamera:
    """One ipycam ONVIF service; `url()` is its device address, `position()` its PTZ state."""

    def __init__(self, *, rtsp_port: int = 554, main: str = "live", sub: str = "scene") -> None:
        self.port = _free_port()
        self.config = CameraConfig(
            name="Watchfloor test camera",
            local_ip="127.0.0.1",
            onvif_port=self.port,
            rtsp_port=rtsp_port,
            main_stream_name=main,
            sub_stream_name=sub,
            main_width=1280,
            main_height=720,
            main_fps=25,
            username=USER,
            password=PASSWORD,
            **IDENTITY,
        )
        self.ptz: PTZController | None = None
        self._server: _Server | None = None

    def url(self, user: str = USER, password: str = PASSWORD) -> str:
        """The device service address with the given login in it."""
        return f"http://{user}:{password}@127.0.0.1:{self.port}/onvif/device_service"

    def start(self) -> None:
        """Serve the ONVIF services until stop()."""
        self.ptz = _PresetsInMemory(output_width=1280, output_height=720)
        camera = SimpleNamespace(config=self.config, ptz=self.ptz)
        camera.onvif = _DeclaredPrefixes(self.config, self.ptz)
        handler = type("Handler", (_KeepAliveHandler,), {"camera": camera})
        self._server = _Server(self.port, handler)

    @property
    def connections_accepted(self) -> int:
        """How many TCP connections the camera has accepted since start."""
        return self._server.server.accepted if self._server is not None else 0

    def drop_connections(self) -> None:
        """Close the kept-alive connections, as a camera does with idle ones; it goes on serving."""
        if self._server is not None:
            self._server.server.close_connections()

    def position(self) -> tuple[float, float, float]:
        """Pan, tilt and zoom as the camera's PTZ controller has them now."""
        assert self.ptz is not None
        status = self.ptz.get_status()
        return status["pan"], status["tilt"], status["zoom"]

    def stop(self) -> None:
        """Stop serving and stop the PTZ movement thread."""
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self.ptz is not None:
            self.ptz.stop()
            self.ptz = None


@pytest.fixture
def onvif_camera() -> Iterator[OnvifCamera]:
    """A running ONVIF camera (ipycam) with the test login."""
    camera = OnvifCamera()
    camera.start()
    try:
        yield camera
    finally:
        camera.stop()
