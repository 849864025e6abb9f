"""`watchfloor evidence verify PACKAGE.zip`: check a package with nothing but the archive."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from watchfloor.domain.evidence.schemas import VerifyReport
from watchfloor.domain.evidence.verify import verify_package


@click.group()
def evidence() -> None:
    """Video evidence."""


@evidence.command("verify")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
def evidence_verify(package: Path, as_json: bool) -> None:
    """Check an evidence package; exit 0 when every file matches, 1 naming what does not."""
    report = verify_package(package)
    if as_json:
        click.echo(json.dumps(report.model_dump(mode="json"), indent=1))
    else:
        click.echo(format_report(report))
    sys.exit(0 if report.ok else 1)


def format_report(report: VerifyReport) -> str:
    """The report as lines a person reads: a verdict, then each finding."""
    name = report.package or "package"
    if report.ok:
        return f"{name} intact: {report.files_checked} files match the manifest and SHA256SUMS"
    lines = [f"{name} FAILED verification"]
    lines += [
        f"  altered: {a.path} (does not match {a.against}; expected {a.expected}, got {a.actual})"
        for a in report.altered
    ]
    lines += [f"  missing: {path}" for path in report.missing]
    lines += [f"  unexpected: {path}" for path in report.unexpected]
    lines += [f"  disagrees: {text}" for text in report.disagreements]
    lines += [f"  problem: {text}" for text in report.problems]
    return "\n".join(lines)
