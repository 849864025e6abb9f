"""Live video for the demo: GStreamer test-card cameras served over RTSP on 127.0.0.1 (when the
system has gst-rtsp-server), attached to the demo city's cameras nearest its centre, so an
operator can open live views, record, snapshot and see health problems (a frozen and a black
camera among them)."""

from __future__ import annotations

import logging
import select
import shutil
import socket
import subprocess
import time
from importlib import resources
from pathlib import Path

from pydantic import SecretStr

from watchfloor.core.context import RequestContext
from watchfloor.core.geo import distance_m
from watchfloor.domain.cameras.schemas import AccessLevel, CameraPatch, CameraStatus
from watchfloor.domain.cameras.service import CameraRegistry

log = logging.getLogger(__name__)
SYSTEM_PYTHON = "/usr/bin/python3"
MOUNTS = ("/live", "/scene", "/live", "/still", "/live", "/black")
"""Which test card each demo camera shows, nearest the centre first."""


class DemoCameras:
    """The RTSP test-card server process of the demo."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> str | None:
        """Start the server; its rtsp:// base address, or None when GStreamer is missing."""
        script = Path(str(resources.files("watchfloor").joinpath("demo/gst_cameras.py")))
        if not Path(SYSTEM_PYTHON).exists() or shutil.which("gst-inspect-1.0") is None:
            log.warning("no live video in the demo: scripts/require-system.sh video installs it")
            return None
        self.port = _free_port()
        self._process = subprocess.Popen(  # noqa: S603 - our own script, a fixed interpreter
            [SYSTEM_PYTHON, str(script), str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        if not _ready(self._process, 15.0):
            self.stop()
            log.warning("no live video in the demo: the test-card server did not start")
            return None
        return f"rtsp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop the server."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(5)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None


async def attach_streams(registry: CameraRegistry, base: str, context: RequestContext) -> list[str]:
    """Give the cameras nearest the city's centre a test-card stream and live access."""
    placed = [c for c in await registry.list() if c.lat is not None and c.lon is not None]
    if not placed:
        return []
    lat = sum(c.lat or 0.0 for c in placed) / len(placed)
    lon = sum(c.lon or 0.0 for c in placed) / len(placed)
    nearest = sorted(placed, key=lambda c: distance_m(lat, lon, c.lat or 0.0, c.lon or 0.0))
    codes = []
    for camera, mount in zip(nearest, MOUNTS, strict=False):
        patch = CameraPatch(
            stream_urls=[SecretStr(base + mount)],
            access_level=AccessLevel.LIVE,
            status=CameraStatus.ACTIVE,
            maintenance_contact="maintenance@city.example",
        )
        await registry.update(camera.code, patch, context)
        codes.append(camera.code)
    return codes


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _ready(process: subprocess.Popen[bytes], timeout_s: float) -> bool:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        readable, _, _ = select.select([process.stdout], [], [], 0.2)
        if readable and process.stdout.readline().strip() == b"READY":
            return True
    return False
