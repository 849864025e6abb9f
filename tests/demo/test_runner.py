"""What `watchfloor demo` prints and which feeds it runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchfloor.auth.passwords import password_problem
from watchfloor.demo.cad_simulator import CadSimulator
from watchfloor.demo.credentials import DemoAccount
from watchfloor.demo.lpr_setup import LprDemo, fixed_readers, mobile_readers
from watchfloor.demo.runner import DEMO_ACCOUNTS, DemoOptions, banner, sources
from watchfloor.demo.scenarios.player import ScenarioPlayer
from watchfloor.domain.hotlists.schemas import HotlistOut
from watchfloor.settings import SecuritySettings

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
ACCOUNT = DemoAccount("operator", "operator", "RT3", "demo pass", "JBSWY3DPEHPK3PXP")


def test_the_banner_leads_with_the_console_then_logons_then_how_to_get_a_code() -> None:
    text = banner("http://127.0.0.1:8123", [ACCOUNT], DemoOptions(port=8123), Path("/srv/demo"))
    lines = [line for line in text.splitlines() if line]

    assert lines[0] == "Watchfloor demo console: http://127.0.0.1:8123/"
    assert "http://127.0.0.1:8123/wall" in lines[1]
    logon = next(i for i, line in enumerate(lines) if "JBSWY3DPEHPK3PXP" in line)
    code = next(i for i, line in enumerate(lines) if "watchfloor demo code <username>" in line)
    assert "'demo pass'" in lines[logon]
    assert logon < code
    assert "/srv/demo/demo-credentials.json" in lines[code]
    assert "© OpenStreetMap contributors" in text


def test_the_city_starts_busy_and_a_scenario_can_join_it_or_run_alone() -> None:
    both, first = sources(DemoOptions(scenario="shooting", speed=4), NOW)
    alone, nothing = sources(DemoOptions(scenario="shooting", city=False), NOW)

    assert [type(feed) for feed in both] == [CadSimulator, ScenarioPlayer]
    assert len(first) >= 10
    assert [type(feed) for feed in alone] == [ScenarioPlayer]
    assert nothing == []
    assert "Scenario: shooting at x4 speed." in banner(
        "u", [], DemoOptions(scenario="shooting", speed=4), Path("/d")
    )


@pytest.mark.parametrize(("username", "password"), [(a[0], a[3]) for a in DEMO_ACCOUNTS])
def test_every_demo_password_passes_the_password_policy(username: str, password: str) -> None:
    security = SecuritySettings()
    assert (
        password_problem(
            password, username, security.password_min_length, security.password_max_length
        )
        is None
    )


def test_plate_readers_run_in_the_city_unless_their_rate_is_zero() -> None:
    assert DemoOptions().plate_readers
    assert not DemoOptions(lpr_rate=0).plate_readers
    assert not DemoOptions(city=False, scenario="shooting").plate_readers  # they stand in the city
    assert "Plate readers: off" in banner("u", [], DemoOptions(lpr_rate=0), Path("/d"))


def test_the_banner_names_the_plate_readers_and_the_hotlists() -> None:
    hotlist = HotlistOut.model_validate(
        {
            "id": 1, "name": "NCIC extract (demo)", "kind": "ncic", "source_format": "ncic_fixed",
            "source_uri": "/d/hotlists/ncic-extract.txt", "refresh_every_minutes": 720,
            "max_age_minutes": 720, "default_reason": None, "active": True, "entry_count": 2000,
            "created_at": NOW, "created_by": "system:demo", "last_refreshed_at": NOW,
            "age_minutes": 1200.0, "stale": True, "last_import": None,
        }
    )  # fmt: skip
    lpr = LprDemo([*fixed_readers(), *mobile_readers()], [], [hotlist])

    text = banner("u", [ACCOUNT], DemoOptions(lpr_rate=20), Path("/d"), lpr)

    assert "Plate readers: 15 fixed at city cameras (HKI-LPR-01...) and 2 patrol cars" in text
    assert "about 20 reads a second" in text
    assert "'NCIC extract (demo)': 2000 entries, refreshed 20 h ago (STALE)" in text


def test_the_banner_names_the_tak_port_only_when_a_server_runs() -> None:
    on = banner("http://x", [ACCOUNT], DemoOptions(tak_port=18087), Path("/d"))
    off = banner("http://x", [ACCOUNT], DemoOptions(tak_port=None), Path("/d"))

    assert "TAK server: CoT over TCP at 127.0.0.1:18087" in on
    assert "TAK server" not in off
