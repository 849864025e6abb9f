"""`watchfloor demo` and `watchfloor demo code` through click, without starting a server."""

from __future__ import annotations

from pathlib import Path

import pyotp
import pytest
from click.testing import CliRunner

from watchfloor.cli import main
from watchfloor.demo import runner
from watchfloor.demo.credentials import DemoAccount, write_credentials
from watchfloor.demo.runner import DemoOptions

SECRET = pyotp.random_base32()


def _write(data_dir: Path) -> None:
    accounts = [DemoAccount("operator", "operator", "RT3", "pass", SECRET)]
    write_credentials(data_dir, accounts, "http://127.0.0.1:8000/")


def test_demo_code_prints_the_current_code_of_the_account(tmp_path: Path) -> None:
    _write(tmp_path)
    totp = pyotp.TOTP(SECRET)

    before = totp.now()
    result = CliRunner().invoke(main, ["demo", "code", "operator", "--data-dir", str(tmp_path)])
    after = totp.now()

    assert result.exit_code == 0, result.output
    assert result.output.strip() in {before, after}


def test_demo_code_reads_the_demo_data_dir_from_the_environment(tmp_path: Path) -> None:
    _write(tmp_path)

    result = CliRunner().invoke(
        main, ["demo", "code", "operator"], env={"WATCHFLOOR_DATA_DIR": str(tmp_path)}
    )

    assert result.exit_code == 0, result.output
    assert len(result.output.strip()) == 6


def test_demo_code_refuses_clearly_without_a_credentials_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "code", "operator", "--data-dir", str(tmp_path)])

    assert result.exit_code == 1
    assert "no demo credentials at" in result.output
    assert "start `watchfloor demo` first" in result.output


def test_demo_code_names_the_accounts_when_the_user_is_unknown(tmp_path: Path) -> None:
    _write(tmp_path)

    result = CliRunner().invoke(main, ["demo", "code", "mallory", "--data-dir", str(tmp_path)])

    assert result.exit_code == 1
    assert "the demo accounts are: operator" in result.output


def test_list_scenarios_names_each_with_its_title() -> None:
    result = CliRunner().invoke(main, ["demo", "--list-scenarios"])

    assert result.exit_code == 0
    assert result.output.startswith("shooting ")
    assert "Aleksanterinkatu" in result.output


def test_demo_runs_with_the_options_given(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[DemoOptions] = []

    def run_demo(options: DemoOptions) -> int:
        ran.append(options)
        return 0

    monkeypatch.setattr(runner, "run_demo", run_demo)

    result = CliRunner().invoke(
        main, ["demo", "--scenario", "shooting", "--speed", "4", "--no-city", "--port", "8123"]
    )

    assert result.exit_code == 0, result.output
    assert ran == [DemoOptions(port=8123, scenario="shooting", speed=4.0, city=False)]


def test_demo_takes_a_plate_read_rate_and_zero_turns_the_readers_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[DemoOptions] = []

    def run_demo(options: DemoOptions) -> int:
        ran.append(options)
        return 0

    monkeypatch.setattr(runner, "run_demo", run_demo)

    busy = CliRunner().invoke(main, ["demo", "--lpr-rate", "50"])
    quiet = CliRunner().invoke(main, ["demo", "--lpr-rate", "0"])
    negative = CliRunner().invoke(main, ["demo", "--lpr-rate", "-1"])

    assert busy.exit_code == 0, busy.output
    assert quiet.exit_code == 0, quiet.output
    assert [options.lpr_rate for options in ran] == [50.0, 0.0]
    assert [options.plate_readers for options in ran] == [True, False]
    assert negative.exit_code == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--no-city"], "--no-city needs --scenario"),
        (["--scenario", "nope"], "no scenario 'nope'"),
        (["--speed", "0"], "--speed"),
    ],
)
def test_demo_refuses_options_that_cannot_run(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["demo", *arguments])

    assert result.exit_code == 2
    assert message in result.output


def test_demo_runs_a_tak_server_on_its_port_and_zero_turns_it_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[DemoOptions] = []

    def run_demo(options: DemoOptions) -> int:
        ran.append(options)
        return 0

    monkeypatch.setattr(runner, "run_demo", run_demo)

    assert CliRunner().invoke(main, ["demo", "--tak-port", "18087"]).exit_code == 0
    assert CliRunner().invoke(main, ["demo", "--tak-port", "0"]).exit_code == 0

    assert [o.tak_port for o in ran] == [18087, None]
