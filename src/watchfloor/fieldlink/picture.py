"""The current picture a TAK server keeps: the latest event per uid until it goes stale, each held
with its wire encodings so a late joiner gets bytes already made."""

from __future__ import annotations

from datetime import datetime

from watchfloor.connectors.tak.cot import CotEvent, cot_xml, to_proto
from watchfloor.connectors.tak.framing import frame_proto


class Encoded:
    """One event and its wire forms, each made at most once and shared by every recipient."""

    __slots__ = ("_v1", "_xml", "event")

    def __init__(self, event: CotEvent, xml: bytes | None = None, v1: bytes | None = None) -> None:
        self.event = event
        self._xml = xml
        self._v1 = v1

    def xml(self) -> bytes:
        """The event as a streaming XML `<event>`."""
        if self._xml is None:
            self._xml = cot_xml(self.event)
        return self._xml

    def v1(self) -> bytes:
        """The event as a TAK protocol v1 streaming frame."""
        if self._v1 is None:
            self._v1 = frame_proto(to_proto(self.event))
        return self._v1

    def wire(self, protocol: str) -> bytes:
        """The bytes for a client speaking `protocol` ("xml" or "v1")."""
        return self.v1() if protocol == "v1" else self.xml()


class Picture:
    """Latest event per uid (a newer `time` supersedes), bounded: the least recently updated go
    first when full."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._tracks: dict[str, Encoded] = {}

    def __len__(self) -> int:
        return len(self._tracks)

    def put(self, item: Encoded, now: datetime) -> bool:
        """Keep `item` as its uid's latest unless it is stale already or older than the one held."""
        event = item.event
        if event.stale <= now:
            return False
        tracks = self._tracks
        held = tracks.pop(event.uid, None)
        if held is not None and held.event.time > event.time:
            tracks[event.uid] = held
            return False
        tracks[event.uid] = item
        if len(tracks) > self.cap:
            del tracks[next(iter(tracks))]
        return True

    def expire(self, now: datetime) -> int:
        """Drop every track whose `stale` has passed; returns how many went."""
        gone = [uid for uid, item in self._tracks.items() if item.event.stale <= now]
        for uid in gone:
            del self._tracks[uid]
        return len(gone)

    def current(self, now: datetime) -> list[Encoded]:
        """The unexpired tracks, least recently updated first."""
        return [item for item in self._tracks.values() if item.event.stale > now]

    def remove(self, uid: str) -> bool:
        """Forget one uid (a `t-x-d-d` delete)."""
        return self._tracks.pop(uid, None) is not None
