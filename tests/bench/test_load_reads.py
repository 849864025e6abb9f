"""The plate-read load client takes its feed token from the environment, whatever the token's
first character, and never carries it on its command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bench.client_env import BEARER_VAR

# secrets.token_urlsafe draws from A-Z a-z 0-9 - _: about one token in 64 starts with '-'
TOKEN = "-5atAuA5Bz0-Ky9FqNMcTc01aCubdGfHCi9a7FqRoQ8"


class _Intake(BaseHTTPRequestHandler):
    """Answers POST /api/lpr/reads as the intake does, noting each Authorization header."""

    seen: list[str] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        reads = json.loads(self.rfile.read(length))
        type(self).seen.append(self.headers.get("Authorization", ""))
        body = json.dumps({"accepted": len(reads), "hits": 0}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


@pytest.fixture
def intake() -> Iterator[str]:
    _Intake.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Intake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _bodies(tmp_path: Path) -> Path:
    path = tmp_path / "bodies.jsonl"
    batches = [
        [{"plate": f"ABC{i}{j}", "reader": "R1", "captured_at": "2026-11-23T00:00Z"} for j in "12"]
        for i in range(5)
    ]
    path.write_text("\n".join(json.dumps(batch) for batch in batches) + "\n")
    return path


def _command(url: str, bodies: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "bench.lpr.load_reads",
        "--url",
        url,
        "--bodies",
        str(bodies),
        "--duration",
        "0.5",
        "--concurrency",
        "1",
        "--settle",
        "0",
    ]


def test_a_token_starting_with_a_dash_reaches_the_intake(intake: str, tmp_path: Path) -> None:
    command = _command(intake, _bodies(tmp_path))
    done = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ | {BEARER_VAR: TOKEN},
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["accepted"] == result["sent"] > 0
    assert result["errors"] == 0
    assert _Intake.seen
    assert set(_Intake.seen) == {f"Bearer {TOKEN}"}
    assert TOKEN not in " ".join(command)


def test_the_client_refuses_to_run_without_a_token(intake: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != BEARER_VAR}
    command = _command(intake, _bodies(tmp_path))
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode != 0
    assert BEARER_VAR in done.stderr
    assert _Intake.seen == []
