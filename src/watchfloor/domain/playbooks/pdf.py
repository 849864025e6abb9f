"""The after-action timeline as a PDF (fpdf2): title, incident summary, the entries as a table,
page numbers, and who generated it when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from watchfloor.domain.playbooks.schemas import AfterActionEntry

FONT = "Helvetica"
COLUMNS = (30.0, 40.0, 30.0, 90.0)  # at, what, who, summary: A4 less 10 mm margins
TIME_FORMAT = "%Y-%m-%d %H:%M:%SZ"


@dataclass(frozen=True)
class IncidentFacts:
    """The incident summary at the head of the report."""

    incident_id: str
    cad_number: str | None
    type_code: str
    type_text: str | None
    priority: int | None
    status: str
    address: str | None
    received_at: datetime
    closed_at: datetime | None


def latin1(text: str) -> str:
    """Text the PDF's core font can show (it has Latin-1 glyphs only)."""
    return text.encode("latin-1", "replace").decode("latin-1")


def when(moment: datetime | None) -> str:
    """A UTC time as the report prints it."""
    return moment.astimezone(UTC).strftime(TIME_FORMAT) if moment else "-"


class _Report(FPDF):
    """A4 portrait with a footer naming the generator, the time and the page."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._footer_text = latin1(footer_text)
        self.set_margins(10, 12, 10)
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 5, self._footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")


def render_after_action(
    incident: IncidentFacts,
    entries: Sequence[AfterActionEntry],
    generated_at: datetime,
    generated_by: str,
) -> bytes:
    """The PDF document."""
    pdf = _Report(f"Generated {when(generated_at)} by {generated_by}")
    pdf.set_title(latin1(f"After-action timeline {incident.cad_number or incident.incident_id}"))
    pdf.set_author(latin1(generated_by))
    pdf.set_creator("Watchfloor")
    pdf.set_creation_date(generated_at)
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, "After-action timeline", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _summary(pdf, incident, len(entries))
    _table(pdf, entries)
    return bytes(pdf.output())


def _summary(pdf: FPDF, incident: IncidentFacts, count: int) -> None:
    kind = incident.type_code + (f" - {incident.type_text}" if incident.type_text else "")
    priority = f"P{incident.priority}" if incident.priority is not None else "unknown"
    lines = [
        ("Incident", incident.cad_number or incident.incident_id),
        ("Watchfloor id", incident.incident_id),
        ("Type", kind),
        ("Priority", priority),
        ("Status", incident.status),
        ("Address", incident.address or "-"),
        ("Received", when(incident.received_at)),
        ("Closed", when(incident.closed_at)),
        ("Entries", str(count)),
    ]
    for label, value in lines:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(32, 6, label)
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(0, 6, latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)


def _table(pdf: FPDF, entries: Sequence[AfterActionEntry]) -> None:
    pdf.set_font(FONT, size=8)
    with pdf.table(col_widths=COLUMNS, text_align="LEFT", line_height=4.5) as table:
        heading = table.row()
        for title in ("Time (UTC)", "What", "Who", "Summary"):
            heading.cell(title)
        for entry in entries:
            row = table.row()
            row.cell(when(entry.at))
            row.cell(latin1(entry.kind))
            row.cell(latin1(entry.actor))
            row.cell(latin1(entry.summary))
