"""Serve a built Watchfloor over real HTTP/WebSocket on 127.0.0.1 (an ephemeral port) inside the
test's own event loop, for tests that need a real socket: WebSocket clients and the browser."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn

from watchfloor.app import Watchfloor, create_app


@asynccontextmanager
async def serving(wf: Watchfloor) -> AsyncIterator[str]:
    """Run the app until the block ends; yields its base URL (http://127.0.0.1:PORT)."""
    # proto named: asyncio sets TCP_NODELAY only on IPPROTO_TCP sockets; without it each small
    # response can wait ~40 ms on the peer's delayed ACK (Nagle), as a real server never does.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(wf),
        log_level="warning",
        lifespan="on",
        server_header=False,
        ws="websockets-sansio",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if not server.started:
            raise RuntimeError("test server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=10)
        sock.close()
