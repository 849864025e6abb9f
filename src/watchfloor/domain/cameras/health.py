"""What a probe of a camera means: pure measures over a sample's grayscale thumbnails (frozen,
dark or covered, moved, slow) and the camera's health status derived from its problems.

Frozen: thumbnails are block-averaged to 32x18 and the mean picture of the sample's first half is
compared with that of its second half (mean absolute luma difference). Averaging over space and
time cancels sensor noise, compression flicker and small animated areas such as a burnt-in clock,
so only a real change of the picture counts; below `frozen_max_change` the picture is frozen.

Dark or covered: the mean luma is below `black_max_luma` (dark), or the picture is nearly
uniform (spatial spread below COVERED_MAX_SPREAD: a lens covered by a hand, a bag, paint).

Moved: see `health_view.py` (the view signature and its distance to the reference view)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from watchfloor.domain.cameras.health_view import ViewSignature, view_distance, view_signature

COVERED_MAX_SPREAD = 4.0  # luma standard deviation of a nearly uniform picture
LOW_FPS_RATIO = 0.5  # measured below half the declared rate is slow
MIN_FPS = 1.0  # below one frame a second is slow whatever the camera declares

Thumbnail = npt.NDArray[np.uint8]


class HealthStatus(StrEnum):
    """A camera's health as the map shows it."""

    UNKNOWN = "unknown"  # never probed
    OK = "ok"
    DEGRADED = "degraded"
    OFFLINE = "offline"


class CameraProblem(StrEnum):
    """Why a camera is not healthy, in words a maintainer can act on."""

    UNREACHABLE = "unreachable"
    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    NO_VIDEO = "no_video"
    GARBAGE = "garbage"
    TIMEOUT = "timeout"
    ENDED = "stream_stopped"
    SIGNAL_LOSS = "signal_loss"
    FROZEN = "frozen"
    BLACK = "black"
    COVERED = "covered"
    MOVED = "moved"
    LOW_FPS = "low_fps"
    TAMPER_SCENE_CHANGE = "tamper_scene_change"
    TAMPER_TOO_DARK = "tamper_too_dark"
    TAMPER_TOO_BLURRY = "tamper_too_blurry"


OFFLINE_PROBLEMS = frozenset(
    {
        CameraProblem.UNREACHABLE,
        CameraProblem.UNAUTHORIZED,
        CameraProblem.NOT_FOUND,
        CameraProblem.NO_VIDEO,
        CameraProblem.GARBAGE,
        CameraProblem.TIMEOUT,
        CameraProblem.ENDED,
        CameraProblem.SIGNAL_LOSS,
    }
)

DESCRIPTIONS: dict[CameraProblem, str] = {
    CameraProblem.UNREACHABLE: "the camera does not answer on the network",
    CameraProblem.UNAUTHORIZED: "the camera refuses the stored user name or password",
    CameraProblem.NOT_FOUND: "the camera has no stream at the stored address",
    CameraProblem.NO_VIDEO: "the stream carries no video",
    CameraProblem.GARBAGE: "the stream sends data that does not decode as video",
    CameraProblem.TIMEOUT: "the stream sends no video in time",
    CameraProblem.ENDED: "the stream stops shortly after it starts",
    CameraProblem.SIGNAL_LOSS: "the camera reports loss of its video signal",
    CameraProblem.FROZEN: "the picture does not change (frozen image)",
    CameraProblem.BLACK: "the picture is black or too dark",
    CameraProblem.COVERED: "the picture is uniform (lens covered or obstructed)",
    CameraProblem.MOVED: "the view differs from the camera's reference view (moved or turned)",
    CameraProblem.LOW_FPS: "the frame rate is far below what the camera declares",
    CameraProblem.TAMPER_SCENE_CHANGE: "the camera reports tampering: the scene changed",
    CameraProblem.TAMPER_TOO_DARK: "the camera reports tampering: the picture is too dark",
    CameraProblem.TAMPER_TOO_BLURRY: "the camera reports tampering: the picture is blurred",
}


@dataclass(frozen=True)
class Thresholds:
    """When a measure means a problem (from settings.video)."""

    frozen_max_change: float
    black_max_luma: float
    moved_threshold: float


@dataclass(frozen=True)
class PictureMeasures:
    """What the thumbnails of one sample show."""

    change: float
    luma: float
    spread: float
    signature: ViewSignature


def measure(thumbnails: Sequence[Thumbnail]) -> PictureMeasures:
    """Change, brightness, spread and view signature of a sample (at least one thumbnail)."""
    if not thumbnails:
        raise ValueError("a sample has at least one thumbnail")
    stack = np.stack([t.astype(np.float32) for t in thumbnails])
    return PictureMeasures(
        change=picture_change(stack),
        luma=float(stack.mean()),
        spread=float(np.median(stack.std(axis=(1, 2)))),
        signature=view_signature(stack),
    )


def picture_change(stack: npt.NDArray[np.float32]) -> float:
    """Mean absolute luma difference between the sample's first-half and second-half mean
    pictures, on 32x18 block averages (0 for a single thumbnail)."""
    if len(stack) < 2:
        return 0.0
    frames, height, width = stack.shape
    blocks = stack[:, : height - height % 2, : width - width % 2]
    blocks = blocks.reshape(frames, height // 2, 2, width // 2, 2).mean(axis=(2, 4))
    half = frames // 2
    return float(np.abs(blocks[:half].mean(axis=0) - blocks[half:].mean(axis=0)).mean())


def picture_problems(
    measures: PictureMeasures, reference: ViewSignature | None, limits: Thresholds
) -> tuple[list[CameraProblem], float | None]:
    """The problems the picture shows, and the moved score when there is a reference."""
    if measures.luma < limits.black_max_luma:
        return [CameraProblem.BLACK], None
    if measures.spread < COVERED_MAX_SPREAD:
        return [CameraProblem.COVERED], None
    problems = []
    if measures.change < limits.frozen_max_change:
        problems.append(CameraProblem.FROZEN)
    moved = None if reference is None else view_distance(reference, measures.signature)
    if moved is not None and moved > limits.moved_threshold:
        problems.append(CameraProblem.MOVED)
    return problems, moved


def is_slow(fps: float, declared_fps: float | None) -> bool:
    """Whether the measured frame rate is far below the declared one (or below 1 fps)."""
    if fps < MIN_FPS:
        return True
    return declared_fps is not None and fps < declared_fps * LOW_FPS_RATIO


def status_of(problems: Iterable[CameraProblem]) -> HealthStatus:
    """Offline when the camera cannot be watched, degraded when it can but badly, else ok."""
    found = set(problems)
    if found & OFFLINE_PROBLEMS:
        return HealthStatus.OFFLINE
    return HealthStatus.DEGRADED if found else HealthStatus.OK


def ordered(problems: Iterable[CameraProblem | str]) -> list[CameraProblem]:
    """Problems without repeats, in the order of CameraProblem (stable for comparisons)."""
    found = {CameraProblem(p) for p in problems}
    return [p for p in CameraProblem if p in found]
