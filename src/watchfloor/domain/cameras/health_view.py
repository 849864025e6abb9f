"""A camera's view signature and how far today's view is from its reference view.

The signature is the sample's temporal median picture (passing cars and people drop out),
block-averaged to a 32x18 luma grid. Two views are compared by fitting today's grid as a
brightness-and-contrast change of the reference (least squares, gain kept within 0.5..2, so dusk,
auto-exposure and infrared switching are explained away) and measuring what the fit cannot
explain: the mean absolute residual over the mean absolute spread of today's picture, plus a floor
so that two featureless pictures stay close. 0 is the same view; near 1, nothing in common; a
camera turned or knocked off its mount scores well above the default threshold of 0.35."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

METHOD = "median-grid-32x18-v1"
GRID_WIDTH = 32
GRID_HEIGHT = 18
SPREAD_FLOOR = 8.0  # luma: what a featureless picture's spread counts as
MIN_GAIN, MAX_GAIN = 0.5, 2.0


@dataclass(frozen=True)
class ViewSignature:
    """A 32x18 grid of luma (row by row) summarising what a camera sees."""

    grid: tuple[float, ...]
    method: str = METHOD

    def to_json(self) -> dict[str, Any]:
        """The signature as stored."""
        return {"method": self.method, "grid": [round(v, 1) for v in self.grid]}

    @classmethod
    def from_json(cls, document: dict[str, Any] | None) -> ViewSignature | None:
        """A stored signature; None when absent or made by another method."""
        if not document or document.get("method") != METHOD:
            return None
        grid = document.get("grid")
        if not isinstance(grid, list) or len(grid) != GRID_WIDTH * GRID_HEIGHT:
            return None
        return cls(tuple(float(v) for v in grid))


def view_signature(stack: npt.NDArray[np.float32]) -> ViewSignature:
    """The signature of a sample's thumbnails (frames x height x width, luma)."""
    median = np.median(stack, axis=0)
    height, width = median.shape
    rows = np.array_split(np.arange(height), GRID_HEIGHT)
    cols = np.array_split(np.arange(width), GRID_WIDTH)
    grid = [float(median[np.ix_(r, c)].mean()) for r in rows for c in cols]
    return ViewSignature(tuple(grid))


def view_distance(reference: ViewSignature, today: ViewSignature) -> float:
    """How different today's view is from the reference: 0 (same) .. 1 (unrelated)."""
    ref = np.asarray(reference.grid, dtype=np.float64)
    now = np.asarray(today.grid, dtype=np.float64)
    ref_centred, now_centred = ref - ref.mean(), now - now.mean()
    variance = float((ref_centred**2).mean())
    gain = 1.0
    if variance > SPREAD_FLOOR**2:
        gain = float((ref_centred * now_centred).mean()) / variance
    gain = min(max(gain, MIN_GAIN), MAX_GAIN)
    residual = float(np.abs(now_centred - gain * ref_centred).mean())
    spread = float(np.abs(now_centred).mean())
    return min(1.0, residual / (spread + SPREAD_FLOOR))
