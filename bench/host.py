"""What the host did besides the code while a figure was timed: the CPU time the hypervisor gave
to other guests, and what was read from its disks.

This machine is a shared virtual one: in some minutes its vCPUs wait on neighbours ("steal").
It also hands memory back to its host: file pages nobody touched for about a minute leave the
page cache (the kernel's DAMON reclaim), so a store's pages can come from the disk again. A
latency figure taken while either happened is slower for reasons outside the code, so the figures
timed against a goal say how much steal their run saw and how much it read from disk (Linux
/proc/stat and /proc/diskstats; None elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC_STAT = Path("/proc/stat")
PROC_DISKSTATS = Path("/proc/diskstats")
SYS_BLOCK = Path("/sys/block")
NOT_DISKS = ("loop", "ram", "zram", "dm-", "md", "sr")
"""Block devices whose reads are not the disk's own (memory, or stacked on another device)."""
SECTOR = 512


@dataclass(frozen=True)
class CpuTicks:
    """The host's CPU time so far, in clock ticks: all of it, and the part stolen."""

    total: int
    steal: int


def cpu_ticks(stat: Path = PROC_STAT) -> CpuTicks | None:
    """The all-CPU line of /proc/stat now (None where there is none)."""
    try:
        first = stat.read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    if not first or first[0] != "cpu" or len(first) < 9:
        return None
    # user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is already
    # counted in user and nice, so only the first eight make the total
    ticks = [int(v) for v in first[1:9]]
    return CpuTicks(total=sum(ticks), steal=ticks[7])


def steal_pct(before: CpuTicks | None, after: CpuTicks | None) -> float | None:
    """The share of the CPU time between two readings that was stolen, in percent."""
    if before is None or after is None or after.total <= before.total:
        return None
    return round(100 * (after.steal - before.steal) / (after.total - before.total), 2)


def disk_read_bytes(stats: Path = PROC_DISKSTATS, block: Path = SYS_BLOCK) -> int | None:
    """Bytes read from the host's disks so far (None where there is no reading)."""
    try:
        lines = stats.read_text().splitlines()
    except OSError:
        return None
    read = 0
    for line in lines:
        fields = line.split()
        if len(fields) < 6:
            continue
        name = fields[2]
        # whole disks only (those /sys/block lists): a partition's reads are its disk's too
        if name.startswith(NOT_DISKS) or not (block / name).exists():
            continue
        read += int(fields[5]) * SECTOR
    return read


def read_mib(before: int | None, after: int | None) -> float | None:
    """MiB read from the disks between two readings."""
    if before is None or after is None or after < before:
        return None
    return round((after - before) / 2**20, 1)


@dataclass(frozen=True)
class HostMark:
    """The host's counters at the start of a timed stretch."""

    ticks: CpuTicks | None
    disk_read: int | None


@dataclass(frozen=True)
class HostLoad:
    """What the host did during a timed stretch: the CPU share stolen, the MiB read from disk."""

    steal_pct: float | None
    disk_read_mib: float | None


def host_mark() -> HostMark:
    """The counters now, for `host_since` at the stretch's end."""
    return HostMark(cpu_ticks(), disk_read_bytes())


def host_since(mark: HostMark) -> HostLoad:
    """The steal and disk reads since the mark."""
    return HostLoad(steal_pct(mark.ticks, cpu_ticks()), read_mib(mark.disk_read, disk_read_bytes()))
