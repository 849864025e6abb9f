"""How much of the host's CPU time the hypervisor gave to other guests while a figure was timed.

This machine is a shared virtual one: in some minutes its vCPUs wait on neighbours ("steal").
A latency figure taken while steal was high is slower for reasons outside the code, so the
figures that are timed against a goal say how much steal their run saw (Linux /proc/stat;
None elsewhere)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC_STAT = Path("/proc/stat")


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
