"""Helpers for the live video tests: quick relay settings, reading a viewer, ffprobe, and
counting the upstream connections and reader threads the relays hold."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchfloor.connectors.rtsp.fmp4 import Fragment, describe_fragment, iter_boxes
from watchfloor.domain.video.status import RelayStatus
from watchfloor.domain.video.viewer import Viewer, is_init_segment
from watchfloor.settings import Settings, VideoSettings


def quick(settings: Settings, **changes: Any) -> VideoSettings:
    """Video settings that fail, retry and let go within a test's few seconds."""
    base = {
        "open_timeout_s": 2.0,
        "reconnect_initial_s": 0.2,
        "reconnect_max_s": 1.0,
        "relay_linger_s": 0.0,
        "relay_buffer_s": 10.0,
    }
    return settings.video.model_copy(update={**base, **changes})


@dataclass
class Seen:
    """What a viewer yielded, in order, with when (monotonic) each piece came."""

    statuses: list[RelayStatus] = field(default_factory=list)
    inits: list[bytes] = field(default_factory=list)
    fragments: list[bytes] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    first_fragment_at: float | None = None

    def add(self, item: RelayStatus | bytes) -> None:
        """Note one item."""
        if isinstance(item, RelayStatus):
            self.statuses.append(item)
            self.order.append(item.state)
        elif is_init_segment(item):
            self.inits.append(item)
            self.order.append("init")
        else:
            self.fragments.append(item)
            self.order.append("fragment")
            self.first_fragment_at = self.first_fragment_at or time.monotonic()


async def read_until(viewer: Viewer, seen: Seen, done: Any, timeout_s: float = 20.0) -> Seen:
    """Read the viewer into seen until done(seen) is true (or the viewer ends)."""

    async def run() -> None:
        async for item in viewer:
            seen.add(item)
            if done(seen):
                return

    await asyncio.wait_for(run(), timeout_s)
    return seen


def box_types(data: bytes) -> list[str]:
    """Top-level ISO BMFF box types of data."""
    return [box.type for box in iter_boxes(data)]


def first_fragment(path: Path) -> Fragment:
    """The first moof+mdat of an MP4 file, read."""
    data = path.read_bytes()
    boxes = list(iter_boxes(data))
    assert [b.type for b in boxes[:4]] == ["ftyp", "moov", "moof", "mdat"]
    return describe_fragment(data[boxes[2].start : boxes[3].end])


def ffprobe(path: Path) -> dict[str, Any]:
    """Debian ffprobe's view of a file's first video stream and format."""
    out = subprocess.run(
        [
            "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
            "-show_entries", "stream=codec_name,width,height,nb_read_frames:format=duration",
            "-of", "json", str(path),
        ],
        capture_output=True, check=True, timeout=30,
    )  # fmt: skip
    found: dict[str, Any] = json.loads(out.stdout)
    return {**found["streams"][0], **found["format"]}


def connections_to(port: int) -> int:
    """Established TCP connections from this machine to 127.0.0.1:port (from /proc/net/tcp)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    target = f"0100007F:{port:04X}"
    return sum(1 for row in rows if row.split()[2] == target and row.split()[3] == "01")


def relay_threads() -> list[threading.Thread]:
    """The relays' reader threads alive in this process."""
    return [t for t in threading.enumerate() if t.name.startswith("relay ")]
