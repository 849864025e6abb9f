"""A real ONVIF camera (ipycam, tests/support/onvif_camera.py) in its own process, as a camera
is its own device: its SOAP handling and PTZ movement thread must not share the measured
server's interpreter lock."""

from __future__ import annotations

import contextlib
import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from tests.support.onvif_camera import OnvifCamera


def _serve(pipe: Connection) -> None:
    camera = OnvifCamera()
    camera.start()
    try:
        pipe.send(camera.url())
        pipe.recv()  # until the bench says stop (or goes away)
    except EOFError:
        pass
    finally:
        camera.stop()


class OnvifPeer:
    """Start with `start()` (the device address), end with `stop()`."""

    def __init__(self) -> None:
        self._pipe: Connection | None = None
        self._process: BaseProcess | None = None

    def start(self, timeout_s: float = 60.0) -> str:
        """Start the camera's process; its device service address."""
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs,), daemon=True)
        self._process.start()
        theirs.close()
        self._pipe = ours
        try:
            if not ours.poll(timeout_s):
                raise EOFError
            return str(ours.recv())
        except EOFError:
            self.stop()
            raise RuntimeError("the ONVIF camera process did not start") from None

    def stop(self) -> None:
        """Stop the camera and wait for its process."""
        if self._pipe is not None:
            with contextlib.suppress(OSError):
                self._pipe.send("stop")
            self._pipe.close()
            self._pipe = None
        if self._process is not None:
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()
                self._process.join(5)
            self._process = None
