"""A local NENA-STA-024 EIDO notifier for tests: a real WebSocket server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import ssl
import time
import uuid
from collections.abc import Callable
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.typing import Subprotocol

from watchfloor.connectors.eido.messages import (
    SUBPROTOCOL,
    EventResponse,
    Message,
    Notify,
    Subscribe,
    SubscribeResponse,
    Terminate,
    TerminateResponse,
    Unsubscribe,
    UnsubscribeResponse,
    decode,
    encode,
)


class CadServer:
    """Records what the subscriber sends, answers subscribe/renew/unsubscribe, pushes notify
    messages on demand, can drop the connection and can refuse subscriptions."""

    def __init__(self, *, expires: int | None = None, ssl_context: ssl.SSLContext | None = None):
        self.expires = expires
        self.refuse_next = 0
        self.answer_renewals = True
        self.subscribes: list[tuple[float, Subscribe]] = []
        self.unsubscribes: list[Unsubscribe] = []
        self.acks: list[EventResponse] = []
        self.terminate_acks: list[TerminateResponse] = []
        self.connected_at: list[float] = []
        self.subprotocols: list[str | None] = []
        self.subscription_id: str | None = None
        self._ssl = ssl_context
        self._server: Server | None = None
        self._connection: ServerConnection | None = None
        self.url = ""

    async def __aenter__(self) -> CadServer:
        self._server = await serve(
            self._handle,
            "127.0.0.1",
            0,
            subprotocols=[Subprotocol(SUBPROTOCOL)],
            ssl=self._ssl,
        )
        port = next(iter(self._server.sockets)).getsockname()[1]
        scheme = "wss" if self._ssl else "ws"
        self.url = f"{scheme}://127.0.0.1:{port}/IncidentData/ent"
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _handle(self, ws: ServerConnection) -> None:
        self._connection = ws
        self.connected_at.append(time.monotonic())
        self.subprotocols.append(ws.subprotocol)
        async for raw in ws:
            reply = self._answer(decode(raw))
            if reply is not None:
                await ws.send(encode(reply))

    def _answer(self, message: Message) -> Message | None:
        if isinstance(message, Subscribe):
            return self._subscribe(message)
        if isinstance(message, Unsubscribe):
            self.unsubscribes.append(message)
            self.subscription_id = None
            return UnsubscribeResponse(
                request_id=message.request_id, subscription_id=message.subscription_id
            )
        if isinstance(message, EventResponse):
            self.acks.append(message)
        elif isinstance(message, TerminateResponse):
            self.terminate_acks.append(message)
        return None

    def _subscribe(self, request: Subscribe) -> SubscribeResponse | None:
        self.subscribes.append((time.monotonic(), request))
        if self.refuse_next > 0:
            self.refuse_next -= 1
            return SubscribeResponse(
                request_id=request.request_id, status_code=403, status_text="Forbidden"
            )
        if request.subscription_id is not None:
            if not self.answer_renewals:
                return None
            if request.subscription_id != self.subscription_id:
                return SubscribeResponse(
                    request_id=request.request_id, status_code=481, status_text="No such"
                )
        else:
            self.subscription_id = str(uuid.uuid4())
        return SubscribeResponse(
            request_id=request.request_id,
            status_code=200,
            status_text="OK",
            subscription_id=self.subscription_id,
            expires=self.expires or request.expires,
            min_rate=request.min_rate,
        )

    async def notify(self, *eidos: Any) -> str:
        """Push one notification carrying the EIDOs; returns its transaction id."""
        assert self._connection is not None
        message = Notify(
            subscription_id=self.subscription_id,
            transaction_id=str(uuid.uuid4()),
            notification=list(eidos),
        )
        await self._connection.send(encode(message))
        assert message.transaction_id is not None
        return message.transaction_id

    async def terminate(self, reason: str = "Expired") -> None:
        """End the subscription from the notifier's side."""
        assert self._connection is not None
        message = Terminate(
            request_id=str(uuid.uuid4()), subscription_id=self.subscription_id, reason=reason
        )
        await self._connection.send(encode(message))

    def drop(self) -> None:
        """Cut the TCP connection without a closing handshake."""
        assert self._connection is not None
        self.subscription_id = None
        self._connection.transport.abort()


async def eventually(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    """Poll until condition() holds; TimeoutError after timeout seconds."""
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"condition not met within {timeout} s")
