"""NENA-STA-024.1a-2023 EIDO conveyance messages (WebSocket subscribe/notify), as JSON.

Each message is a JSON object with one member naming its kind: "subscribe",
"subscribeResponse", "event" (the notification, carrying EIDOs in "notification"),
"eventResponse", "unsubscribe", "unsubscribeResponse", "terminate", "terminateResponse".
Names follow the public EidoLib / Ng911CadIfLib implementation of §2.1.5-2.1.6; the NENA
PDF itself was not available.
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

SUBPROTOCOL = "emergency-ent1.0"
OK = 200


def new_id() -> str:
    """A fresh request or transaction id."""
    return str(uuid.uuid4())


class Message(BaseModel):
    """Base of every conveyance message: camelCase on the wire, unknown members ignored."""

    model_config = ConfigDict(
        extra="ignore", frozen=True, alias_generator=to_camel, populate_by_name=True
    )


class Subscribe(Message):
    """§2.1.5.1: subscribe to new-incident EIDOs, or renew (subscriptionId set, no rates)."""

    request_id: str = Field(default_factory=new_id)
    request_type: str = "EIDO"
    request_sub_type: str = "new"
    subscription_id: str | None = None
    expires: int | None = None
    min_rate: int | None = None
    max_rate: int | None = None


class SubscribeResponse(Message):
    """The notifier's answer: 200 accepted, with the subscription id and negotiated expires."""

    request_id: str | None = None
    status_code: int
    status_text: str = ""
    subscription_id: str | None = None
    expires: int | None = None
    min_rate: int | None = None
    max_rate: int | None = None


class Notify(Message):
    """An event notification carrying zero or more EIDOs (zero: a min-rate keep-alive)."""

    subscription_id: str | None = None
    transaction_id: str | None = None
    notification: list[Any] = []


class EventResponse(Message):
    """The subscriber's acknowledgement of one notification."""

    transaction_id: str | None
    status_code: int = OK
    status_text: str = "OK"


class Unsubscribe(Message):
    """End a subscription."""

    request_id: str = Field(default_factory=new_id)
    subscription_id: str


class UnsubscribeResponse(Message):
    """The notifier's answer to unsubscribe."""

    request_id: str | None = None
    subscription_id: str | None = None
    status_code: int = OK
    status_text: str = ""


class Terminate(Message):
    """The notifier ends a subscription (expiry, shutdown)."""

    request_id: str | None = None
    subscription_id: str | None = None
    reason: str | None = None


class TerminateResponse(Message):
    """The subscriber's acknowledgement of terminate."""

    request_id: str | None = None
    subscription_id: str | None = None
    status_code: int = OK
    status_text: str = "OK"


KINDS: dict[str, type[Message]] = {
    "subscribe": Subscribe,
    "subscribeResponse": SubscribeResponse,
    "event": Notify,
    "eventResponse": EventResponse,
    "unsubscribe": Unsubscribe,
    "unsubscribeResponse": UnsubscribeResponse,
    "terminate": Terminate,
    "terminateResponse": TerminateResponse,
}
_NAMES = {model: name for name, model in KINDS.items()}


class ProtocolError(ValueError):
    """A message that is not JSON or not one of the conveyance messages."""


def encode(message: Message) -> str:
    """The wire text of a message: {"<kind>": {...}} without unset optional members."""
    body = message.model_dump(by_alias=True, exclude_none=True)
    return orjson.dumps({_NAMES[type(message)]: body}).decode()


def decode(raw: str | bytes) -> Message:
    """The message a wire text carries; ProtocolError when it is none of the known kinds."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ProtocolError(f"not JSON: {exc}") from None
    if not isinstance(data, dict) or len(data) != 1:
        raise ProtocolError("a message is an object with exactly one member")
    ((name, body),) = data.items()
    model = KINDS.get(name)
    if model is None:
        raise ProtocolError(f"unknown message kind {name!r}")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise ProtocolError(f"bad {name}: {exc.errors()[0]['msg']}") from None
