"""The community bench at tiny sizes: its generated registrations and clip, the e-mailed token it
reads, its memory probe, and both measurements end to end."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.community import (
    CITY_HALF_M,
    centre,
    percentiles,
    proximity,
    registrations,
)
from bench.community_upload import (
    RssSampler,
    figures,
    measure,
    memory_kib,
    reset_peak,
    upload_token,
    write_clip,
)

from watchfloor.core.geo import distance_m
from watchfloor.domain.community.postbox import Postbox


def test_registrations_have_one_to_three_cameras_a_site_within_the_city() -> None:
    middle = centre()
    made = registrations(600, seed=1, middle=middle)

    assert len(made.cameras) == 600
    per_site = {site["id"]: 0 for site in made.sites}
    for camera in made.cameras:
        per_site[camera["site_id"]] += 1
    assert set(per_site.values()) <= {1, 2, 3}
    assert 200 <= len(made.sites) <= 600
    assert 0.9 * 600 <= made.listed < 600  # a few paused sites
    assert all(
        distance_m(middle[0], middle[1], s["lat"], s["lon"]) <= CITY_HALF_M * 1.5
        for s in made.sites
    )
    assert registrations(600, seed=1, middle=middle) == made


def test_the_clip_sniffs_as_mp4_and_its_digest_is_hashlibs(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    digest = write_clip(clip, 3 * 1024 * 1024 + 17)

    data = clip.read_bytes()
    assert len(data) == 3 * 1024 * 1024 + 17
    assert data[4:12] == b"ftypisom"
    assert data[36:40] == b"mdat"
    assert int.from_bytes(data[40:48], "big") == len(data) - 32
    assert digest == hashlib.sha256(data).hexdigest()


async def test_the_upload_token_is_read_from_the_request_email(tmp_path: Path) -> None:
    postbox = Postbox(None, tmp_path / "outbox", "community@example.invalid")
    body = "Please look:\nhttps://wf.example/community/answer#t=AbC-12_x\nThanks"
    await postbox.send("owner@example.invalid", "Footage request", body)

    assert upload_token(tmp_path / "outbox") == "AbC-12_x"


def test_percentiles_are_nearest_rank() -> None:
    shares = percentiles([float(n) for n in range(1, 101)])

    assert (shares["p50"], shares["p95"], shares["p99"], shares["max"]) == (50, 95, 99, 100)


def test_the_peak_memory_probe_reads_and_resets_this_process() -> None:
    before = memory_kib(os.getpid())
    assert before["VmHWM"] >= before["VmRSS"] > 0
    ballast = bytearray(64 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    assert memory_kib(os.getpid())["VmHWM"] >= before["VmRSS"] + 60 * 1024
    del ballast
    if reset_peak(os.getpid()):
        assert memory_kib(os.getpid())["VmHWM"] < before["VmRSS"] + 60 * 1024


async def test_proximity_times_the_registry_the_route_and_the_sql_baseline(
    tmp_path: Path, database_url: str
) -> None:
    store = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    near, over_http = await proximity(tmp_path, database_url, store, cameras=400, queries=120)

    assert near.name == "community_near_p95"
    assert near.store == store
    assert near.detail["cameras"] == 400
    assert near.detail["queries"] == 120
    assert near.value > 0
    hits, baseline = (
        float(str(near.detail["mean_hits"])),
        float(str(near.detail["baseline_mean_hits"])),
    )
    assert abs(hits - baseline) <= 0.02  # the same cameras, up to a rounding at the very edge
    assert over_http.name == "community_near_http_p95"
    assert over_http.value > 0


def test_the_memory_sampler_stops_quietly_when_its_process_exits() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.3)"])
    sampler = RssSampler(child.pid, every_s=0.005)
    while child.poll() is None:  # the child exits; its sampler sees a zombie, then nothing
        time.sleep(0.01)
    time.sleep(0.05)

    assert sampler.stop() > 0  # sampled while it ran, and no exception escaped the thread


def test_a_small_clip_goes_up_stored_and_verified(tmp_path: Path) -> None:
    measured = measure(tmp_path, 20 * 1024 * 1024 + 5)

    assert measured["status"] == "stored"
    assert measured["sha256_verified"] is True
    assert measured["media_type"] == "video/mp4"
    assert measured["evidence_items"] == 1
    assert measured["finish_status"] == 200
    speed, memory = figures(measured)
    assert speed.value > 0
    assert speed.unit == "MB/s"
    assert memory.unit == "MB"
    assert float(str(memory.detail["server_peak_rss_mb"])) > 0
