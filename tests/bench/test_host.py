"""The host steal reading that timed figures carry: read from /proc/stat's all-CPU line."""

from __future__ import annotations

from pathlib import Path

from bench.host import CpuTicks, cpu_ticks, steal_pct

STAT = "cpu  {user} 20 900 3900 180 0 60 {steal} 7 3\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n"


def _stat(tmp_path: Path, user: int, steal: int) -> Path:
    path = tmp_path / f"stat-{user}-{steal}"
    path.write_text(STAT.format(user=user, steal=steal))
    return path


def test_the_ticks_are_the_all_cpu_line_without_the_guest_columns(tmp_path: Path) -> None:
    ticks = cpu_ticks(_stat(tmp_path, 3000, 360))
    # guest time (the last two columns) is already part of user and nice
    assert ticks == CpuTicks(total=3000 + 20 + 900 + 3900 + 180 + 0 + 60 + 360, steal=360)


def test_steal_is_the_stolen_share_of_the_time_between_two_readings(tmp_path: Path) -> None:
    before = cpu_ticks(_stat(tmp_path, 3000, 360))
    after = cpu_ticks(_stat(tmp_path, 3090, 370))  # 100 ticks later, 10 of them stolen
    assert steal_pct(before, after) == 10.0
    assert steal_pct(before, before) is None  # no time passed: no share


def test_a_host_without_the_file_or_with_another_format_has_no_reading(tmp_path: Path) -> None:
    assert cpu_ticks(tmp_path / "missing") is None
    odd = tmp_path / "odd"
    odd.write_text("intr 1 2 3\n")
    assert cpu_ticks(odd) is None
    assert steal_pct(None, CpuTicks(total=10, steal=1)) is None


def test_this_host_has_a_reading_that_moves_on() -> None:
    first = cpu_ticks()
    assert first is not None  # CI runs on Linux
    sum(i * i for i in range(200_000))  # some CPU time passes
    later = cpu_ticks()
    assert later is not None
    assert later.total >= first.total
    assert 0 <= later.steal <= later.total
