"""`watchfloor serve | demo | user add | audit verify | evidence verify | db upgrade`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from watchfloor.core.context import Role
from watchfloor.settings import Settings, load_settings


def _settings() -> Settings:
    try:
        return load_settings()
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(f"invalid settings: {exc}") from exc


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail.")
def main(verbose: bool) -> None:
    """Watchfloor: an open-source Real-Time Crime Center."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@main.command()
@click.option("--host", default=None, help="Address to listen on (default from settings).")
@click.option("--port", type=int, default=None, help="Port to listen on (default from settings).")
def serve(host: str | None, port: int | None) -> None:
    """Run Watchfloor (SQLite in the data directory unless WATCHFLOOR_DATABASE_URL is set)."""
    import uvicorn

    from watchfloor.app import build, create_app

    settings = _settings()
    wf = build(settings)
    click.echo(
        f"Watchfloor on http://{host or settings.host}:{port or settings.port} "
        f"(store: {wf.db.backend}, data: {settings.data_dir})"
    )
    uvicorn.run(
        create_app(wf),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        proxy_headers=False,
        server_header=False,
        ws="websockets-sansio",
    )


_POSITIVE = click.FloatRange(min=0, min_open=True)


@main.group(invoke_without_command=True)
@click.option("--port", type=int, default=8000, help="Port for the demo console and API.")
@click.option("--rate", type=_POSITIVE, default=3.5, help="City: new calls a minute, on average.")
@click.option("--time-factor", type=_POSITIVE, default=8.0, help="City: call-time compression.")
@click.option("--scenario", default=None, help="Replay a scripted incident (--list-scenarios).")
@click.option("--speed", type=_POSITIVE, default=1.0, help="Scenario replay speed (4: 4x).")
@click.option(
    "--lpr-rate",
    type=click.FloatRange(min=0),
    default=20.0,
    help="City: plate reads a second across its plate readers (0: no readers or hotlists).",
)
@click.option(
    "--no-city",
    is_flag=True,
    help="Run the scenario alone, without the city's calls (and so without plate readers).",
)
@click.option(
    "--tak-port",
    type=click.IntRange(min=0, max=65535),
    default=8087,
    help="TAK clients' CoT over TCP on 127.0.0.1 (ATAK/WinTAK/pytak; 0: no TAK server).",
)
@click.option("--list-scenarios", "list_only", is_flag=True, help="List scenarios and exit.")
@click.pass_context
def demo(
    ctx: click.Context,
    port: int,
    rate: float,
    time_factor: float,
    scenario: str | None,
    speed: float,
    lpr_rate: float,
    no_city: bool,
    tak_port: int,
    list_only: bool,
) -> None:
    """Run Watchfloor on SQLite with demo accounts and a simulated CAD feed."""
    if ctx.invoked_subcommand is not None:
        return
    from watchfloor.demo.scenarios import list_scenarios, load_scenario

    if list_only:
        for name in list_scenarios():
            click.echo(f"{name:<16} {load_scenario(name).title}")
        return
    if scenario is not None and scenario not in list_scenarios():
        known = ", ".join(list_scenarios())
        raise click.BadParameter(f"no scenario {scenario!r}; known: {known}", param_hint="scenario")
    if no_city and scenario is None:
        raise click.UsageError("--no-city needs --scenario: there would be nothing to feed")
    from watchfloor.demo.runner import DemoOptions, run_demo

    options = DemoOptions(
        port,
        rate,
        time_factor,
        scenario,
        speed,
        city=not no_city,
        lpr_rate=lpr_rate,
        tak_port=tak_port or None,
    )
    sys.exit(run_demo(options))


@demo.command("code")
@click.argument("username")
@click.option("--data-dir", type=click.Path(path_type=Path), default=None, help="Demo data dir.")
def demo_code(username: str, data_dir: Path | None) -> None:
    """Print the current 6-digit TOTP code of a demo account."""
    from watchfloor.demo.credentials import NoCredentials, account_named, demo_data_dir

    try:
        account = account_named(data_dir or demo_data_dir(), username)
    except (NoCredentials, KeyError) as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    click.echo(account.code())


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("add")
@click.argument("username")
@click.option(
    "--role", type=click.Choice([r.value for r in Role if r is not Role.FEED]), required=True
)
@click.option("--designator", default=None, help="RTCC unit designator (RT1-RT8, RT700 ...).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def user_add(username: str, role: str, designator: str | None, password_stdin: bool) -> None:
    """Create an account and print its TOTP provisioning URI (shown once)."""
    from watchfloor.auth.cli import add_user
    from watchfloor.core.errors import DomainError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        uri = add_user(_settings(), username, Role(role), designator, password)
    except DomainError as exc:
        reasons = [p.reason for p in exc.problems if p.reason != exc.message]
        raise click.ClickException("; ".join([exc.message, *reasons])) from exc
    click.echo(f"Created {role} {username}.")
    click.echo("Add the second factor to an authenticator app (shown once):")
    click.echo(uri)


@main.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Check the audit hash chain; exit 1 and name the first bad record if it was tampered with."""
    from watchfloor.audit.cli import format_result, verify_chain

    result = verify_chain(_settings())
    click.echo(format_result(result))
    sys.exit(0 if result.intact else 1)


def _evidence_group() -> click.Group:
    from watchfloor.domain.evidence.cli import evidence

    return evidence


main.add_command(_evidence_group())


@main.group()
def db() -> None:
    """The store."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations."""
    from watchfloor.db.migrate import upgrade

    settings = _settings()
    upgrade(settings.sqlalchemy_url())
    click.echo("database is at the newest revision")


@main.command()
def openapi() -> None:
    """Print the OpenAPI document (the console's API client is generated from it)."""
    import json
    import tempfile
    from pathlib import Path

    from watchfloor.app import build, create_app

    with tempfile.TemporaryDirectory() as scratch:
        settings = load_settings(data_dir=Path(scratch), database_url=None)
        app = create_app(build(settings, migrate=False))
        click.echo(json.dumps(app.openapi(), indent=1, sort_keys=True))
