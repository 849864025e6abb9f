"""A TCP server that answers anything with random bytes (a "camera" sending garbage)."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator

import pytest


class GarbageServer:
    """Accepts connections on 127.0.0.1 and writes junk to each, until stopped."""

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="garbage-server")

    def url(self, path: str = "/stream") -> str:
        """An rtsp:// address on this server."""
        return f"rtsp://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        """Start serving."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self._stopped.set()
        self._thread.join(5)
        self._socket.close()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1.0)
                try:
                    connection.recv(4096)
                    connection.sendall(os.urandom(4096))
                except OSError:
                    pass


@pytest.fixture
def garbage_server() -> Iterator[GarbageServer]:
    """A running garbage server, stopped after the test."""
    server = GarbageServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
