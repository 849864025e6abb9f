"""A real RTSP server for tests (GStreamer's gst-rtsp-server; the mounts are described in
src/watchfloor/demo/gst_cameras.py), on 127.0.0.1 and a free port; tests can kill it mid-stream
and start it again."""

from __future__ import annotations

import select
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.mosquitto import _free_port

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).parents[2] / "src/watchfloor/demo/gst_cameras.py"
START_TIMEOUT_S = 15.0


class RtspServer:
    """One gst-rtsp-server process; with a login, every mount needs basic authentication."""

    def __init__(self, login: tuple[str, str] | None = None) -> None:
        self.port = _free_port()
        self.login = login
        self._process: subprocess.Popen[bytes] | None = None

    def url(self, mount: str = "/live", *, credentials: tuple[str, str] | None = None) -> str:
        """The rtsp:// address of a mount, with user:password@ when given."""
        userinfo = f"{credentials[0]}:{credentials[1]}@" if credentials else ""
        return f"rtsp://{userinfo}127.0.0.1:{self.port}{mount}"

    def start(self) -> None:
        """Start the server and wait for its READY line."""
        args = [SYSTEM_PYTHON, str(SCRIPT), str(self.port), *(self.login or ())]
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._process = process
        assert process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            ready, _, _ = select.select([process.stdout], [], [], 0.2)
            if ready:
                line = process.stdout.readline()
                if line.strip() == b"READY":
                    return
                if not line:
                    break
            if process.poll() is not None:
                break
        self.kill()
        raise RuntimeError(f"gst-rtsp-server did not start on {self.port}")

    def kill(self) -> None:
        """Kill the server at once, as a power cut would (clients see the stream stop)."""
        if self._process is None:
            return
        self._process.send_signal(signal.SIGKILL)
        self._process.wait(5)
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._process = None

    def pause(self) -> None:
        """Freeze the server (SIGSTOP): connections stay open but no packet comes, a stall."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        """Let a paused server run on (SIGCONT)."""
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        """Kill and start again on the same port."""
        self.kill()
        self.start()

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs (benchmarks read its CPU time)."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None


@pytest.fixture
def rtsp_server() -> Iterator[RtspServer]:
    """A running RTSP server with every test mount, killed after the test."""
    if not Path(SYSTEM_PYTHON).exists() or not SCRIPT.exists():
        pytest.fail("the RTSP test server needs the system Python: scripts/require-system.sh video")
    server = RtspServer()
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def rtsp_server_with_login() -> Iterator[RtspServer]:
    """A running RTSP server whose mounts need viewer:secret, killed after the test."""
    server = RtspServer(("viewer", "secret"))
    server.start()
    try:
        yield server
    finally:
        server.kill()
