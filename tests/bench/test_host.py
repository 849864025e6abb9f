"""The host steal reading that timed figures carry: read from /proc/stat's all-CPU line."""

from __future__ import annotations

from pathlib import Path

from bench.host import (
    CpuTicks,
    cpu_ticks,
    disk_read_bytes,
    host_mark,
    host_since,
    read_mib,
    steal_pct,
)

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


DISKSTATS = (
    " 254       0 vda {vda} 94162 {vda_sectors} 1295 8763 1527 601262 2384 1 53942 25232\n"
    " 254       1 vda1 3100000 90000 {part_sectors} 1200 8763 1527 601262 2384 0 5394 2523\n"
    "   7       0 loop0 520 0 {loop_sectors} 30 0 0 0 0 0 40 30\n"
    " 252       0 zram0 90 0 720 0 3 0 24 0 0 4 0\n"
)


def _disks(tmp_path: Path, vda_sectors: int) -> tuple[Path, Path]:
    stats = tmp_path / f"diskstats-{vda_sectors}"
    stats.write_text(
        DISKSTATS.format(vda=3173329, vda_sectors=vda_sectors, part_sectors=99, loop_sectors=7)
    )
    block = tmp_path / "block"
    for name in ("vda", "loop0", "zram0"):  # /sys/block lists whole devices, not partitions
        (block / name).mkdir(parents=True, exist_ok=True)
    return stats, block


def test_disk_reads_are_the_whole_disks_sectors_in_bytes(tmp_path: Path) -> None:
    stats, block = _disks(tmp_path, 316_308_858)
    # the partition, the loop device and the compressed-memory device are not counted again
    assert disk_read_bytes(stats, block) == 316_308_858 * 512


def test_disk_reads_between_two_readings_in_mib(tmp_path: Path) -> None:
    before = disk_read_bytes(*_disks(tmp_path, 1_000_000))
    after = disk_read_bytes(*_disks(tmp_path, 1_000_000 + 2 * 2048))  # 2 MiB of sectors later
    assert read_mib(before, after) == 2.0
    assert read_mib(after, before) is None  # counters that went back (a reset): no reading
    assert read_mib(None, after) is None
    assert disk_read_bytes(tmp_path / "missing", tmp_path) is None


def test_a_timed_stretch_on_this_host_has_its_steal_and_disk_reads() -> None:
    load = host_since(host_mark())
    assert load.steal_pct is None or 0 <= load.steal_pct <= 100
    assert load.disk_read_mib is not None  # this host is Linux
    assert load.disk_read_mib >= 0
