"""GET /api/live: the console's WebSocket. Hello, catch-up (or resync), then live messages and
heartbeats; the session is re-checked on every heartbeat so a lock or logoff ends the stream."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from watchfloor.auth.tokens import SESSION_COOKIE
from watchfloor.core.context import Role
from watchfloor.core.errors import Forbidden, NotAuthenticated
from watchfloor.live.hub import Listener, LiveHub
from watchfloor.web.policy import Principal, SocketRoleCheck, allow_watch

router = APIRouter(tags=["live"])

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_FELL_BEHIND = 4409
Watcher = Annotated[
    SocketRoleCheck,
    allow_watch(SESSION_COOKIE, Role.OPERATOR, Role.SUPERVISOR, Role.ANALYST),
]


def same_origin(websocket: WebSocket) -> bool:
    """A browser's Origin must name this host (no cross-site WebSocket hijacking)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == websocket.headers.get("host", "").lower()


@router.websocket("/api/live")
async def live(
    websocket: WebSocket, check: Watcher, since: int | None = None, epoch: str | None = None
) -> None:
    """Stream queue and note changes to a console, catching up from `since` after a reconnect."""
    wf = websocket.app.state.watchfloor
    hub: LiveHub = wf.live
    await websocket.accept()
    if not same_origin(websocket):
        await websocket.close(CLOSE_FORBIDDEN, "cross_origin")
        return
    if not await _admitted(websocket, check):
        return
    attachment = hub.attach(since, epoch)
    try:
        await websocket.send_text(hub.hello().decode())
        if attachment.resync:
            await websocket.send_text(hub.resync().decode())
        for message in attachment.replay:
            await websocket.send_text(message.decode())
        await _stream(websocket, check, hub, attachment.listener, wf.settings.live_ping_s)
    except WebSocketDisconnect:
        pass
    finally:
        hub.detach(attachment.listener)


async def admitted(websocket: WebSocket, check: SocketRoleCheck) -> Principal | None:
    """The socket's person, or None after closing it with a code the console can read."""
    try:
        return await check.principal(websocket)
    except NotAuthenticated as error:
        await websocket.close(CLOSE_NOT_AUTHENTICATED, error.code)
    except Forbidden as error:
        await websocket.close(CLOSE_FORBIDDEN, error.code)
    return None


async def _admitted(websocket: WebSocket, check: SocketRoleCheck) -> bool:
    return await admitted(websocket, check) is not None


async def _stream(
    websocket: WebSocket, check: SocketRoleCheck, hub: LiveHub, listener: Listener, ping_s: float
) -> None:
    reader = asyncio.create_task(until_disconnect(websocket))
    writer = asyncio.create_task(_write(websocket, check, hub, listener, ping_s))
    try:
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (reader, writer):
            task.cancel()
        await asyncio.gather(reader, writer, return_exceptions=True)


async def until_disconnect(websocket: WebSocket) -> None:
    """Return when the client goes (consoles send nothing; reading only notices that)."""
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return


async def _write(
    websocket: WebSocket, check: SocketRoleCheck, hub: LiveHub, listener: Listener, ping_s: float
) -> None:
    loop = asyncio.get_running_loop()
    next_beat = loop.time() + ping_s
    while True:
        try:
            wait = max(0.0, next_beat - loop.time())
            message = await asyncio.wait_for(listener.outbox.get(), timeout=wait)
        except TimeoutError:
            message = None
        if listener.overflowed:
            await websocket.close(CLOSE_FELL_BEHIND, "fell_behind")
            return
        if message is not None:
            await websocket.send_text(message.decode())
        if loop.time() >= next_beat:
            # Busy or quiet, the session is re-checked on the beat: a lock ends the stream.
            if not await _admitted(websocket, check):
                return
            await websocket.send_text(hub.ping().decode())
            next_beat = loop.time() + ping_s
