"""HTTP intake of the sensor feeds: CAP 1.2 documents and sensor messages. Thin; each route
declares who may call it."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from watchfloor.core.context import Role
from watchfloor.domain.alerts.feeds import FEED_CAP, FEED_SENSOR, Accepted, AlertFeeds
from watchfloor.domain.alerts.schemas import AlertReceipt
from watchfloor.web.body import BodyTooLarge, read_limited
from watchfloor.web.policy import Principal, allow

router = APIRouter(tags=["alerts"])

Feeder = Annotated[Principal, allow(Role.FEED, Role.ADMIN)]


class FeedResult(BaseModel):
    """The alerts a payload raised or updated, and how many of its messages raised none."""

    alerts: list[AlertReceipt]
    ignored: int = Field(0, description="Ack/Error/Test CAP messages, clears of nothing ...")


def _feeds(request: Request) -> AlertFeeds:
    return cast(AlertFeeds, request.app.state.watchfloor.alert_feeds)


async def _body(request: Request, feeds: AlertFeeds, feed: str) -> bytes:
    limit: int = request.app.state.watchfloor.settings.sensor_feeds.max_message_bytes
    try:
        return await read_limited(request, limit)
    except BodyTooLarge as error:
        content_type = request.headers.get("content-type")
        await feeds.reject_oversized(feed, error.head, error.size_seen, content_type, error)


def _result(accepted: Accepted) -> FeedResult:
    return FeedResult(alerts=accepted.receipts, ignored=accepted.ignored)


@router.post("/api/alerts/cap", response_model=FeedResult)
async def post_cap(request: Request, principal: Feeder) -> FeedResult:
    """A CAP 1.2 alert (XML), validated against the OASIS schema: stored and answered with its
    alert, or refused (4xx naming the element) and quarantined."""
    feeds = _feeds(request)
    raw = await _body(request, feeds, FEED_CAP)
    content_type = request.headers.get("content-type")
    return _result(await feeds.accept_cap(raw, content_type, principal.context))


@router.post("/api/alerts/sensors", response_model=FeedResult)
async def post_sensors(request: Request, principal: Feeder) -> FeedResult:
    """One sensor message or a list: stored and answered with their alerts, or refused whole
    (4xx naming each bad field) and quarantined."""
    feeds = _feeds(request)
    raw = await _body(request, feeds, FEED_SENSOR)
    content_type = request.headers.get("content-type")
    return _result(await feeds.accept_sensors(raw, content_type, principal.context))
