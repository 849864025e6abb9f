"""Hotlist index memory and match rate with a 1M-entry list, in a fresh process.

`python -m bench.lpr.hotlist_memory --entries N` prints one JSON line. Memory is what the index
keeps alive once its input is gone: tracemalloc's live bytes (exact, Python objects, plate strings
included) and the process's RSS growth (what the OS sees, includes allocator slack); peak is the
most held while building. Matching is timed in CPU seconds over probes drawn like reads (about
half a percent hit). Baseline, measured the same way in its own fresh process: a plain dict of
plate -> [(entry id, list id, state)] with exact lookups only.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.eido_ingest import Figure
from bench.lpr.population import REGIONS, HotlistEntry, Population, hotlist_entries, population

GOAL_MB = 200.0
MB = 2**20


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _measure_build(
    build: Callable[[list[HotlistEntry]], object], entries_of: Callable[[], list[HotlistEntry]]
) -> tuple[object, dict[str, float]]:
    """Build an index from fresh input; what it holds once the input is dropped."""
    gc.collect()
    rss0 = _rss()
    tracemalloc.start()
    entries = entries_of()
    started = time.process_time()
    index = build(entries)
    build_s = time.process_time() - started
    del entries
    gc.collect()
    live, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    facts = {
        "live_mb": round(live / MB, 1),
        "peak_mb": round(peak / MB, 1),
        "rss_growth_mb": round((_rss() - rss0) / MB, 1),
        "build_cpu_s_under_tracemalloc": round(build_s, 2),
    }
    return index, facts


def _probes(world: Population, count: int, seed: int) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    out: list[tuple[str, str | None]] = []
    for _ in range(count):
        index = int(rng.random() * world.known)
        out.append((world.plates[index], REGIONS[index % len(REGIONS)]))
    return out


def _rate(
    match: Callable[[str, str | None], Any], probes: list[tuple[str, str | None]]
) -> tuple[float, int]:
    hits = 0
    started = time.process_time()
    for plate, region in probes:
        if match(plate, region):
            hits += 1
    return len(probes) / (time.process_time() - started), hits


def _plain_dict(entries: list[HotlistEntry]) -> dict[str, list[tuple[int, int, str | None]]]:
    index: dict[str, list[tuple[int, int, str | None]]] = {}
    for entry_id, plate, state in entries:
        index.setdefault(plate, []).append((entry_id, 1, state))
    return index


def _plain_dict_facts(
    world: Population, count: int, seed: int, probes: list[tuple[str, str | None]]
) -> dict[str, Any]:
    plain, facts = _measure_build(_plain_dict, lambda: hotlist_entries(world, count, seed))
    assert isinstance(plain, dict)
    rate, hits = _rate(lambda plate, _region: plain.get(plate), probes)
    return {**facts, "matches_per_cpu_s": round(rate), "probe_hits": hits}


def _matcher_facts(
    world: Population, count: int, seed: int, probes: list[tuple[str, str | None]]
) -> dict[str, Any]:
    from watchfloor.domain.hotlists.matcher import HotlistMatcher

    def build(entries: list[HotlistEntry]) -> HotlistMatcher:
        matcher = HotlistMatcher()
        matcher.replace_list(1, entries)
        return matcher

    try:
        matcher, facts = _measure_build(build, lambda: hotlist_entries(world, count, seed))
    except NotImplementedError:
        return {"pending": "HotlistMatcher.replace_list is not implemented yet"}
    assert isinstance(matcher, HotlistMatcher)
    rate, hits = _rate(matcher.match, probes)
    return {**facts, "entries": len(matcher), "matches_per_cpu_s": round(rate), "probe_hits": hits}


def measure(index: str, count: int, seed: int, probes: int, plates: int) -> dict[str, Any]:
    """One index ("matcher" or the baseline "dict") over the seeded list, in this process."""
    world = population(plates, 10, seed)
    probe_list = _probes(world, probes, seed + 7)
    facts = _matcher_facts if index == "matcher" else _plain_dict_facts
    return facts(world, count, seed, probe_list)


def _in_fresh_process(index: str, count: int, probes: int, plates: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.lpr.hotlist_memory", "--index", index, "--entries",
               str(count), "--probes", str(probes), "--plates", str(plates)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def run(quick: bool) -> list[Figure]:
    """Measure each index in a fresh interpreter; the figures."""
    count, probes, plates = (100_000, 100_000, 40_000) if quick else (10**6, 10**6, 2 * 10**6)
    plain = _in_fresh_process("dict", count, probes, plates)
    matcher = _in_fresh_process("matcher", count, probes, plates)
    facts = {"entries": count, "probes": probes, "plain_dict": plain, "matcher": matcher}
    if "pending" in matcher:
        print(f"lpr hotlist memory: {matcher['pending']}", file=sys.stderr)
        return [Figure("lpr_hotlist_plain_dict_live", plain["live_mb"], "MB", "memory", facts)]
    detail = {
        **facts,
        "goal": f"<= {GOAL_MB:g} MB for {count:,} entries (live bytes the index keeps)",
        "goal_met": matcher["live_mb"] <= GOAL_MB,
        "note": "rss_growth_mb also counts the freed input list's allocator slack",
    }
    return [
        Figure("lpr_hotlist_index_memory", matcher["live_mb"], "MB", "memory", detail),
        Figure(
            "lpr_hotlist_match_rate",
            matcher["matches_per_cpu_s"],
            "matches/CPU-s",
            "memory",
            {"plain_dict_matches_per_cpu_s": plain["matches_per_cpu_s"], "probes": probes},
        ),
    ]


def main() -> None:
    """Entry point of the measuring process."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", choices=("matcher", "dict"), default="matcher")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=1_000_000)
    parser.add_argument("--plates", type=int, default=2_000_000, help="plates the readers see")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(measure(args.index, args.entries, args.seed, args.probes, args.plates)))


if __name__ == "__main__":
    main()
