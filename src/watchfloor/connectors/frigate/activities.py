"""Frigate's messages as alert reports, one alert per activity (the way Frigate's own review
items group tracked objects), never one per frame.

- A review item and all its updates share source_ref = the review id; its `end` ends the alert.
- An events message about a tracked object that a review lists (`data.detections`) merges into
  that review's alert (source_ref = the review id) and adds the object's label, score and zones.
- With reviews (Frigate 0.14 and later, `reviews=True`), an object no review lists yet makes no
  report: the review that will list it carries the activity (Frigate sends it alongside, often
  just after the object's first message).
- Without reviews (older Frigate, `reviews=False`), each tracked object is its own activity:
  source_ref = the event id, ended by its `end` message.
- False positives make no report.

The review and object memberships live in memory (bounded); `remember` restores them from the
open alerts at start. Reports name the Frigate camera as subject; mapping it to a Watchfloor
camera is the domain's work.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from watchfloor.connectors.frigate.messages import (
    EventMessage,
    ReviewItem,
    ReviewMessage,
    TrackedObject,
    when,
)
from watchfloor.events.alerts import AlertKind, AlertReport

SOURCE = "alerts-frigate"
MAX_REMEMBERED = 5000


class FrigateActivities:
    """Which review (activity) each tracked object belongs to, and the latest of each review."""

    def __init__(self, *, reviews: bool = True, limit: int = MAX_REMEMBERED) -> None:
        self.reviews = reviews
        self._limit = limit
        self._reviews: OrderedDict[str, ReviewItem] = OrderedDict()
        self._review_of: OrderedDict[str, str] = OrderedDict()

    def on_review(self, message: ReviewMessage) -> AlertReport:
        """The report of a review item's new/update/end message."""
        review = message.after
        self._keep(self._reviews, review.id, review)
        for event_id in review.data.detections:
            self._keep(self._review_of, event_id, review.id)
        ended = message.type == "end" or review.end_time is not None
        return _review_report(review, ended, _review_details(review))

    def on_event(self, message: EventMessage) -> AlertReport | None:
        """The report of a tracked object's message, or None when it makes none."""
        tracked = message.after
        if tracked.false_positive:
            return None
        review_id = self._review_of.get(tracked.id)
        review = self._reviews.get(review_id) if review_id else None
        if review is not None:
            details = _review_details(review) | {"event": _object_details(tracked)}
            return _review_report(review, False, details)
        if self.reviews:
            return None
        return _object_report(tracked, message.type == "end" or tracked.end_time is not None)

    def remember(self, details: dict[str, Any]) -> None:
        """Restore a review from the details of its open alert."""
        try:
            review = ReviewItem.model_validate(details.get("review") or {})
        except ValueError:
            return
        self._keep(self._reviews, review.id, review)
        for event_id in review.data.detections:
            self._keep(self._review_of, event_id, review.id)

    def _keep(self, store: OrderedDict[str, Any], key: str, value: Any) -> None:
        store[key] = value
        store.move_to_end(key)
        while len(store) > self._limit:
            store.popitem(last=False)


def _title(labels: list[str], camera: str, zones: list[str]) -> str:
    title = f"{', '.join(labels) or 'activity'} on {camera}"
    return (title + f" in {', '.join(zones)}" if zones else title)[:300]


def _review_report(review: ReviewItem, ended: bool, details: dict[str, Any]) -> AlertReport:
    return AlertReport(
        kind=AlertKind.ANALYTICS,
        source=SOURCE,
        source_ref=review.id,
        occurred_at=when(review.start_time),
        title=_title(review.data.objects, review.camera, review.data.zones),
        severity=review.severity,
        subject=review.camera,
        ended=ended,
        details=details,
    )


def _review_details(review: ReviewItem) -> dict[str, Any]:
    return {
        "analytics": "frigate",
        "camera_name": review.camera,
        "review_id": review.id,
        "severity": review.severity,
        "objects": review.data.objects,
        "zones": review.data.zones,
        "audio": review.data.audio,
        "detections": review.data.detections,
        "started_at": when(review.start_time).isoformat(),
        "ended_at": when(review.end_time).isoformat() if review.end_time else None,
        "review": review.model_dump(mode="json"),
    }


def _object_details(tracked: TrackedObject) -> dict[str, Any]:
    return {
        "id": tracked.id,
        "label": tracked.label,
        "score": tracked.score,
        "top_score": tracked.top_score,
        "current_zones": tracked.current_zones,
        "entered_zones": tracked.entered_zones,
        "has_snapshot": tracked.has_snapshot,
        "has_clip": tracked.has_clip,
        "stationary": tracked.stationary,
    }


def _object_report(tracked: TrackedObject, ended: bool) -> AlertReport:
    details = {
        "analytics": "frigate",
        "camera_name": tracked.camera,
        "event": _object_details(tracked),
        "started_at": when(tracked.start_time).isoformat(),
        "ended_at": when(tracked.end_time).isoformat() if tracked.end_time else None,
    }
    return AlertReport(
        kind=AlertKind.ANALYTICS,
        source=SOURCE,
        source_ref=tracked.id,
        occurred_at=when(tracked.start_time),
        title=_title([tracked.label], tracked.camera, tracked.entered_zones),
        subject=tracked.camera,
        ended=ended,
        details=details,
    )
