"""An owner's clip uploaded through the one-time answer link, end to end on localhost.

A served Watchfloor runs in its own process (so its memory is its own): it holds one listed
site, an incident, and a footage request made over the operator's route, whose upload token it
reads from the e-mail in its outbox. A second process, the owner's browser stand-in, sends a
generated MP4 (a valid `ftyp` box, then one `mdat` box) in the page's chunks through
`PUT /community/api/answer/files/{id}?offset=`, timed from creating the file until the last chunk
answers `stored` (hashed, type sniffed, stored as evidence); the SHA-256 it reports is checked
against hashlib's. The server's peak resident memory is taken from /proc (VmHWM, reset before
the upload). Baseline in the same run: copying and hashing the same file on the same disk.

`python -m bench.community_upload [--size-mb N]` runs it alone; `--serve` and `--upload` are
the two processes.
"""

from __future__ import annotations

import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import text
from tests.support.server import serving

from bench.community import (
    Registrations,
    bench_settings,
    centre,
    logon,
    registrations,
    store,
)
from bench.eido_ingest import Figure
from watchfloor.app import Watchfloor, build
from watchfloor.demo.cad_simulator import CadSimulator
from watchfloor.domain.community.vocabulary import RequestKind

FTYP = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
BLOCK = 1 << 20
TOKEN_IN_LINK = re.compile(r"/community/answer#t=([A-Za-z0-9_\-]+)")
MB = 1_000_000


def write_clip(path: Path, size: int) -> str:
    """A file of `size` bytes that sniffs as MP4; returns its SHA-256 (hex)."""
    head = FTYP + (1).to_bytes(4, "big") + b"mdat" + (size - len(FTYP)).to_bytes(8, "big")
    noise = os.urandom(BLOCK)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        written = 0
        while written < size:
            block = (head if written == 0 else written.to_bytes(8, "big")) + noise
            block = block[: min(BLOCK, size - written)]
            out.write(block)
            digest.update(block)
            written += len(block)
    return digest.hexdigest()


def copy_and_hash(source: Path, target: Path, chunk: int) -> dict[str, float]:
    """The disk's own pace: read, hash, write and fsync each chunk (as an upload must before it
    answers), and hashing alone from the page cache; MB/s."""
    began = time.perf_counter()
    digest = hashlib.sha256()
    with source.open("rb") as inp, target.open("wb") as out:
        while block := inp.read(chunk):
            digest.update(block)
            out.write(block)
            out.flush()
            os.fsync(out.fileno())
    copied = time.perf_counter() - began
    target.unlink()
    began = time.perf_counter()
    again = hashlib.sha256()
    with source.open("rb") as inp:
        while block := inp.read(chunk):
            again.update(block)
    hashed = time.perf_counter() - began
    size = source.stat().st_size
    return {
        "copy_hash_fsync_mb_per_s": round(size / MB / copied, 1),
        "sha256_only_mb_per_s": round(size / MB / hashed, 1),
    }


# --- the server process -------------------------------------------------------------------


async def _incident(wf: Watchfloor, http: httpx.AsyncClient) -> str:
    """One incident, through the EIDO intake as a CAD sends it."""
    _feed, token = await wf.auth.create_feed("bench-cad")
    document = CadSimulator(seed=3).next_document(wf.clock.now() - timedelta(hours=1))
    response = await http.post(
        "/api/intake/eido",
        content=orjson.dumps(document),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    response.raise_for_status()
    return str(response.json()[0]["incident_id"])


def _request_body(incident_id: str, made: Registrations, wf: Watchfloor) -> dict[str, Any]:
    now = wf.clock.now()
    return {
        "incident_id": incident_id,
        "camera_ids": [made.cameras[0]["id"]],
        "kind": RequestKind.PROPERTY_CRIME.value,
        "window_from": (now - timedelta(minutes=50)).isoformat(),
        "window_to": (now - timedelta(minutes=20)).isoformat(),
        "reason": "Bench: footage of the street during the reported break-in.",
    }


def upload_token(outbox: Path) -> str:
    """The upload token in the (only) request e-mail of the outbox."""
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        found = TOKEN_IN_LINK.search(body.get_content() if body is not None else "")
        if found:
            return found.group(1)
    raise RuntimeError(f"no answer link in {outbox}")


async def serve(data_dir: Path, handshake: Path) -> None:
    """Serve one footage request until stdin closes; its token goes into the handshake file."""
    url = f"sqlite:///{data_dir / 'upload.db'}"
    settings = bench_settings(data_dir / "server", url)
    wf = build(settings)
    made = registrations(1, seed=4, middle=centre())
    made.sites[0]["accepts"] = [kind.value for kind in RequestKind]
    made.cameras[0]["listed"] = True
    made.sites[0]["status"] = "active"
    await asyncio.to_thread(store, url, made)
    async with serving(wf) as base, httpx.AsyncClient(base_url=base, timeout=60) as http:
        incident_id = await _incident(wf, http)
        await logon(wf, http)
        response = await http.post(
            "/api/community/requests", json=_request_body(incident_id, made, wf)
        )
        if response.status_code != 201:
            raise RuntimeError(f"footage request refused: {response.text}")
        token = upload_token(settings.data_dir / "outbox")
        ready = {"base": base, "token": token, "pid": os.getpid()}
        await asyncio.to_thread(_write_whole, handshake, json.dumps(ready))
        await asyncio.to_thread(sys.stdin.read)  # until the bench closes our stdin
        async with wf.db.read_session() as session:
            stored = (await session.execute(text("SELECT count(*) FROM evidence_item"))).scalar()
        print(json.dumps({"evidence_items": stored}), flush=True)


def _write_whole(path: Path, content: str) -> None:
    # The bench polls for the file: it must never see it half written.
    partial = path.with_suffix(".partial")
    partial.write_text(content)
    partial.replace(path)


# --- the owner's process ------------------------------------------------------------------


def _csrf(http: httpx.Client, base: str) -> None:
    start = http.get("/community/api/start")
    start.raise_for_status()
    token = str(start.json()["csrf_token"])
    if "wfc_csrf" not in http.cookies:
        http.cookies.set("wfc_csrf", token)
    http.headers.update({"X-CSRF-Token": token, "Origin": base})


def upload(base: str, token: str, clip: Path) -> dict[str, object]:
    """Send the clip as the answer page does; what the server answered and how fast."""
    size = clip.stat().st_size
    with httpx.Client(base_url=base, timeout=300, headers={"X-Upload-Token": token}) as http:
        _csrf(http, base)
        view = http.get("/community/api/answer")
        view.raise_for_status()
        chunk = int(view.json()["chunk_bytes"])
        began = time.perf_counter()
        created = http.post(
            "/community/api/answer/files", json={"filename": clip.name, "size": size}
        )
        created.raise_for_status()
        last = _send_chunks(http, str(created.json()["id"]), clip, chunk)
        elapsed = time.perf_counter() - began
        finish = http.post("/community/api/answer/finish", json={"note": None})
    return {
        "size_bytes": size,
        "chunk_bytes": chunk,
        "chunks": -(-size // chunk),
        "elapsed_s": round(elapsed, 3),
        "mb_per_s": round(size / MB / elapsed, 1),
        "status": last["status"],
        "sha256": last["sha256"],
        "media_type": last["media_type"],
        "finish_status": finish.status_code,
    }


def _send_chunks(http: httpx.Client, file_id: str, clip: Path, chunk: int) -> dict[str, Any]:
    headers = {"Content-Type": "application/octet-stream"}
    offset, answer = 0, {}
    with clip.open("rb") as source:
        while block := source.read(chunk):
            response = http.put(
                f"/community/api/answer/files/{file_id}",
                params={"offset": offset},
                content=block,
                headers=headers,
            )
            if response.status_code != 200:
                raise RuntimeError(f"chunk at {offset} refused: {response.text[:300]}")
            offset += len(block)
            answer = response.json()
    return answer


# --- the bench: both processes and the server's memory -------------------------------------


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, KiB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def reset_peak(pid: int) -> bool:
    """Start VmHWM afresh from the present (Linux clear_refs 5); False where refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class RssSampler:
    """Samples a process's resident memory every few milliseconds (where VmHWM cannot reset)."""

    def __init__(self, pid: int, every_s: float = 0.01) -> None:
        self.pid, self.every_s, self.peak_kib = pid, every_s, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                resident = memory_kib(self.pid).get("VmRSS")
            except OSError:
                resident = None
            if resident is None:  # the process has exited (a zombie has no VmRSS)
                return
            self.peak_kib = max(self.peak_kib, resident)
            self._stop.wait(self.every_s)

    def stop(self) -> int:
        """Stop; the highest sample, KiB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kib


def _start_server(work: Path) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    handshake = work / "ready.json"
    command = [sys.executable, "-m", "bench.community_upload", "--serve", str(work)]
    server = subprocess.Popen(
        [*command, str(handshake)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 180
    while not handshake.is_file():
        if server.poll() is not None or time.monotonic() > deadline:
            _end(server)
            raise RuntimeError(f"the upload bench's server did not come up ({server.returncode})")
        time.sleep(0.1)
    ready: dict[str, Any] = json.loads(handshake.read_text())
    return server, ready


def _end(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        server.kill()
    server.communicate(timeout=60)


def _client(base: str, token: str, clip: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.community_upload", "--upload", base, token, str(clip)]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"the upload client failed: {done.stderr[-2000:]}")
    measured: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured


def measure(work: Path, size: int) -> dict[str, Any]:
    """Upload a clip of `size` bytes to a served Watchfloor in its own process."""
    work.mkdir(parents=True, exist_ok=True)
    clip = work / "clip.mp4"
    expected = write_clip(clip, size)
    server, ready = _start_server(work)
    sampler: RssSampler | None = None
    try:
        pid = int(ready["pid"])
        before = memory_kib(pid)["VmRSS"]
        reset = reset_peak(pid)
        sampler = RssSampler(pid)
        measured = _client(ready["base"], ready["token"], clip)
        sampled = sampler.stop()
        peak = memory_kib(pid)["VmHWM"] if reset else sampled
        out, _ = server.communicate(timeout=60)  # closes stdin: the server stops
    finally:
        if sampler is not None:
            sampler.stop()
        _end(server)
    baseline = copy_and_hash(clip, work / "copy.bin", int(measured["chunk_bytes"]))
    clip.unlink()
    return {
        **measured,
        "sha256_verified": measured["sha256"] == expected,
        "evidence_items": json.loads(out.strip().splitlines()[-1])["evidence_items"],
        "server_rss_before_mb": _mb(before),
        "server_peak_rss_mb": _mb(max(peak, sampled)),
        "server_peak_delta_mb": _mb(max(peak, sampled) - before),
        "peak_from": "VmHWM after clear_refs" if reset else "VmRSS sampled every 10 ms",
        "baseline": baseline,
    }


def _mb(kib: int) -> float:
    return round(kib * 1024 / MB, 1)


def figures(measured: dict[str, Any]) -> list[Figure]:
    """Throughput (goal >= 100 MB/s) and the server's peak memory (goal <= 100 MB)."""
    per_s, delta = float(measured["mb_per_s"]), float(measured["server_peak_delta_mb"])
    ok = measured["status"] == "stored" and measured["sha256_verified"]
    size = f"{int(measured['size_bytes']) // MB} MB"
    speed = {
        **measured,
        "goal": f"upload of a {size} clip with hashing >= 100 MB/s",
        "goal_met": ok and per_s >= 100,
    }
    memory = {
        "size_bytes": measured["size_bytes"],
        "server_rss_before_mb": measured["server_rss_before_mb"],
        "server_peak_rss_mb": measured["server_peak_rss_mb"],
        "peak_from": measured["peak_from"],
        "goal": "server peak memory during the upload <= 100 MB (streamed, not buffered)",
        "goal_met": ok and delta <= 100,
    }
    return [
        Figure("community_upload_mb_per_s", per_s, "MB/s", "sqlite", speed),
        Figure("community_upload_peak_rss_delta", delta, "MB", "sqlite", memory),
    ]


def run(data_dir: Path, size: int) -> list[Figure]:
    """Measure once and shape the figures."""
    return figures(measure(data_dir / "upload", size))


def main() -> None:
    """The two processes, or a run alone."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--serve", nargs=2, metavar=("WORK_DIR", "HANDSHAKE"))
    parser.add_argument("--upload", nargs=3, metavar=("BASE_URL", "TOKEN", "CLIP"))
    parser.add_argument("--size-mb", type=int, default=50)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(Path(args.serve[0]), Path(args.serve[1])))
    elif args.upload:
        base, token, clip = args.upload
        print(json.dumps(upload(base, token, Path(clip))))
    else:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="watchfloor-upload-") as tmp:
            for figure in run(Path(tmp), args.size_mb * MB):
                print(figure)


if __name__ == "__main__":
    main()
