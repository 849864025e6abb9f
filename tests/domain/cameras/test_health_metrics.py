"""The pure measures of camera health on synthetic thumbnails: frozen, dark, covered, moved,
slow, and the status their problems make."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from watchfloor.domain.cameras.health import (
    CameraProblem,
    HealthStatus,
    Thresholds,
    is_slow,
    measure,
    picture_problems,
    status_of,
)
from watchfloor.domain.cameras.health_view import ViewSignature, view_distance

LIMITS = Thresholds(frozen_max_change=0.5, black_max_luma=16.0, moved_threshold=0.35)
RNG = np.random.default_rng(5)


def _scene(shift: int = 0) -> npt.NDArray[np.uint8]:
    """A textured 64x36 view (bars and a gradient), shifted right by shift pixels."""
    x = np.arange(64)
    row = 60 + 40 * ((x // 8) % 3) + x
    picture = np.tile(row, (36, 1)) + np.arange(36)[:, None] * 2
    return np.roll(picture, shift, axis=1).clip(0, 255).astype(np.uint8)


def _noisy(picture: npt.NDArray[np.uint8], sigma: float = 2.0) -> npt.NDArray[np.uint8]:
    noise = RNG.normal(0, sigma, picture.shape)
    return (picture + noise).clip(0, 255).astype(np.uint8)


def _moving(frames: int = 20) -> list[npt.NDArray[np.uint8]]:
    """The scene with a bright square crossing it."""
    out = []
    for i in range(frames):
        picture = _scene().copy()
        picture[10:22, 2 + 2 * i : 14 + 2 * i] = 250
        out.append(_noisy(picture))
    return out


def test_a_live_picture_has_no_problem() -> None:
    measures = measure(_moving())
    problems, moved = picture_problems(measures, measures.signature, LIMITS)
    assert problems == []
    assert moved is not None
    assert moved < 0.05


def test_a_frozen_picture_is_frozen_even_with_noise() -> None:
    # sigma 1 on a 64x36 thumbnail is sigma 10 on the full picture: a noisy sensor
    frames = [_noisy(_scene(), sigma=1.0) for _ in range(20)]
    problems, _ = picture_problems(measure(frames), None, LIMITS)
    assert problems == [CameraProblem.FROZEN]


def test_a_dark_picture_is_black_and_a_uniform_one_covered() -> None:
    dark = [np.full((36, 64), 8, np.uint8) for _ in range(5)]
    grey = [_noisy(np.full((36, 64), 140, np.uint8), sigma=1.0) for _ in range(5)]
    assert picture_problems(measure(dark), None, LIMITS)[0] == [CameraProblem.BLACK]
    assert picture_problems(measure(grey), None, LIMITS)[0] == [CameraProblem.COVERED]


def test_a_turned_camera_is_moved_but_a_darker_day_is_not() -> None:
    reference = measure(_moving()).signature
    turned = measure([_noisy(_scene(shift=20)) for _ in range(10)]).signature
    dusk = measure([(_scene() * 0.6).astype(np.uint8) for _ in range(10)]).signature
    assert view_distance(reference, turned) > LIMITS.moved_threshold
    assert view_distance(reference, dusk) < 0.1


def test_a_signature_survives_storage_and_another_method_is_ignored() -> None:
    signature = measure([_scene()]).signature
    again = ViewSignature.from_json(signature.to_json())
    assert again is not None
    assert view_distance(signature, again) < 0.01
    assert ViewSignature.from_json({"method": "other", "grid": []}) is None
    assert ViewSignature.from_json(None) is None


def test_slow_streams_and_statuses() -> None:
    assert not is_slow(14.8, 15.0)
    assert is_slow(5.0, 15.0)
    assert is_slow(0.5, None)
    assert status_of([]) == HealthStatus.OK
    assert status_of([CameraProblem.FROZEN]) == HealthStatus.DEGRADED
    assert status_of([CameraProblem.FROZEN, CameraProblem.UNREACHABLE]) == HealthStatus.OFFLINE
    assert status_of([CameraProblem.SIGNAL_LOSS]) == HealthStatus.OFFLINE
