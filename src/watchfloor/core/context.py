"""Who or what caused something: the context every audit record and event carries."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Role(StrEnum):
    """The roles a Watchfloor account can hold."""

    OPERATOR = "operator"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"
    AUDITOR = "auditor"
    FEED = "feed"  # machine account of an inbound feed (a CAD): bearer token, intake routes only


class Actor(BaseModel):
    """A person (or system component) acting in Watchfloor."""

    model_config = ConfigDict(frozen=True)

    user_id: str | None = None
    username: str
    role: Role | None = None
    designator: str | None = None

    @classmethod
    def system(cls, component: str) -> Actor:
        """An actor for work Watchfloor does on its own (a feed, a scheduler)."""
        return cls(username=f"system:{component}")


class Origin(BaseModel):
    """Where a request came from."""

    model_config = ConfigDict(frozen=True)

    address: str | None = None
    user_agent: str | None = None


class RequestContext(BaseModel):
    """Actor, origin and request id of one unit of work."""

    model_config = ConfigDict(frozen=True)

    actor: Actor
    origin: Origin = Origin()
    request_id: str | None = None
