"""The TAK servers the fan-out bench compares: Watchfloor's own and peers from PyPI.

Each peer gets a throwaway venv under bench/data/peers/<name> with pinned versions. Every server
runs as its own process tree inside a sandbox where the machine allows one (`unshare`: a private
network namespace with only loopback, a private /opt, its own PID namespace so nothing outlives
it): FreeTAKServer writes to the hard-coded /opt/fts and binds 0.0.0.0, so it runs only there.
A peer that cannot be installed or started raises PeerUnavailable with the reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PEERS_DIR = Path(__file__).parent / "data" / "peers"
INSTALL_TIMEOUT_S = 900
SANDBOX = ("unshare", "--net", "--mount", "--pid", "--fork", "--kill-child", "--")
SANDBOX_SETUP = 'ip link set lo up && mount -t tmpfs tmpfs /opt && exec "$@"'
TAKY_CONF = """[taky]
hostname = localhost
bind_ip = 127.0.0.1
root_dir = {root}
[cot_server]
port = {port}
[dp_server]
upload_path = {root}/dp-user
[ssl]
enabled = false
"""


class PeerUnavailable(Exception):
    """A server that could not be installed or started; the message says why."""


@dataclass(frozen=True)
class ServerSpec:
    """One server under test: its name, version and what to install from PyPI."""

    name: str
    version: str
    pins: tuple[str, ...] = ()
    needs_sandbox: bool = False


def watchfloor_version() -> str:
    """The installed Watchfloor version."""
    try:
        return version("watchfloor")
    except PackageNotFoundError:
        return "unknown"


SPECS = {
    "watchfloor": ServerSpec("watchfloor", watchfloor_version()),
    "taky": ServerSpec("taky", "0.10", ("taky==0.10",)),
    "freetakserver": ServerSpec(
        "freetakserver",
        "2.2.1",
        ("freetakserver==2.2.1", "opentelemetry-sdk==1.24.0", "opentelemetry-api==1.24.0"),
        needs_sandbox=True,
    ),
}


def ensure_venv(spec: ServerSpec, root: Path = PEERS_DIR) -> Path:
    """The Python of spec's venv, created and pip-installed with its pins if not already."""
    if not spec.pins:
        return Path(sys.executable)
    home = root / spec.name
    python, stamp = home / "bin" / "python", home / ".pins"
    wanted = "\n".join(spec.pins)
    if python.exists() and stamp.is_file() and stamp.read_text() == wanted:
        return python
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(home)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *spec.pins],
            check=True,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
        )
    except subprocess.CalledProcessError as exc:
        raise PeerUnavailable(f"install failed: {_tail(exc.stderr or str(exc))}") from exc
    except subprocess.TimeoutExpired as exc:
        raise PeerUnavailable(f"install took over {INSTALL_TIMEOUT_S} s") from exc
    stamp.write_text(wanted)
    return python


def sandbox_available() -> bool:
    """Whether this machine lets us run a server in its own network, mount and PID namespaces."""
    if not (shutil.which("unshare") and shutil.which("nsenter") and shutil.which("ip")):
        return False
    probe = [*SANDBOX, "sh", "-c", SANDBOX_SETUP, "sh", "true"]
    try:
        return subprocess.run(probe, check=False, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def server_command(spec: ServerSpec, python: Path, port: int, workdir: Path) -> list[str]:
    """The command line that runs spec's server with plain-XML CoT on 127.0.0.1:port."""
    if spec.name == "watchfloor":
        return [str(python), "-m", "watchfloor.fieldlink", "--host", "127.0.0.1",
                "--tcp-port", str(port)]  # fmt: skip
    if spec.name == "taky":
        conf = workdir / "taky.conf"
        conf.write_text(TAKY_CONF.format(root=workdir, port=port))
        return [str(python.parent / "taky"), "-c", str(conf), "-l", "warning"]
    if spec.name == "freetakserver":
        return [str(python), "-m", "FreeTAKServer.controllers.services.FTS", "-CoTIP",
                "127.0.0.1", "-CoTPort", str(port)]  # fmt: skip
    raise PeerUnavailable(f"unknown server {spec.name}")


def descendants(root_pid: int) -> list[int]:
    """root_pid and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_mib(root_pid: int) -> float:
    """Resident memory of root_pid and its descendants (VmRSS summed), MiB."""
    total_kib = 0
    for pid in descendants(root_pid):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue
    return round(total_kib / 1024, 1)


def listening(pid: int, port: int) -> bool:
    """Whether the network namespace of pid has a TCP socket listening on port."""
    wanted = f":{port:04X}"
    for table in ("tcp", "tcp6"):
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[1].endswith(wanted) and fields[3] == "0A":
                return True
    return False


@dataclass
class RunningServer:
    """A started server: its process tree, port, and how to reach its network namespace."""

    spec: ServerSpec
    process: asyncio.subprocess.Process
    port: int
    sandboxed: bool
    log: Path

    def inner_pid(self) -> int:
        """A process inside the server's namespaces (the sandbox's first child, else the server)."""
        if not self.sandboxed:
            return self.process.pid
        below = descendants(self.process.pid)
        return below[1] if len(below) > 1 else -1  # not forked yet: no namespace to look in

    def enter(self) -> list[str]:
        """Command prefix that runs a program in the server's network namespace."""
        return ["nsenter", "-t", str(self.inner_pid()), "-n"] if self.sandboxed else []

    def rss_mib(self) -> float:
        """Resident memory of the server's process tree, MiB (the sandbox wrapper excluded)."""
        return rss_mib(self.inner_pid())


async def start_server(
    spec: ServerSpec, python: Path, port: int, workdir: Path, sandbox: bool, timeout_s: float
) -> RunningServer:
    """Start spec's server and wait until its CoT port listens (PeerUnavailable if not)."""
    if spec.needs_sandbox and not sandbox:
        raise PeerUnavailable("needs a throwaway sandbox (unshare network+mount namespaces)")
    await asyncio.to_thread(workdir.mkdir, parents=True, exist_ok=True)
    command = server_command(spec, python, port, workdir)
    if sandbox:
        command = [*SANDBOX, "sh", "-c", SANDBOX_SETUP, "sh", *command]
    log = workdir / "server.log"
    env = {**os.environ, "FTS_FIRST_START": "false", "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=workdir, env=env, stdout=sink, stderr=sink, start_new_session=True
        )
    running = RunningServer(spec, process, port, sandbox, log)
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout_s
    while not listening(running.inner_pid(), port):
        if process.returncode is not None or loop.time() > end:
            await stop_server(running)
            why = "exited" if process.returncode is not None else f"no port after {timeout_s} s"
            raise PeerUnavailable(f"{why}: {_tail(log.read_text(errors='replace'))}")
        await asyncio.sleep(0.2)
    return running


async def stop_server(running: RunningServer, grace_s: float = 5.0) -> None:
    """SIGTERM the server's process group, SIGKILL what is left after grace_s."""
    process = running.process
    if process.returncode is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace_s)
        except TimeoutError:
            _signal_group(process.pid, signal.SIGKILL)
            await process.wait()
    _signal_group(process.pid, signal.SIGKILL)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _tail(text: str, limit: int = 400) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return " | ".join(lines[-4:])[-limit:]
