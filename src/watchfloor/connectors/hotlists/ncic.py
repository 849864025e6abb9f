"""The NCIC LPR extract: fixed-width lines after one header line (layout as OpenALPR's importer
reads it; the FBI's own specification is law-enforcement-sensitive and not public).

    [0] list code   [0:10] NIC   [10:19] ORI   [19:27] date YYYYMMDD   [27:37] LIC
    [37:39] LIS     [39:43] LIY  [43:45] LIT   [45:49] VYR   [49:53] VMA   [53:56] VMO
    [56:58] VST     [58:] VCO

Dates and years are checked strictly: in a fixed-width file a malformed date is the usual sign
of a shifted line, whose plate field would be wrong too, so such a line is rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from watchfloor.connectors.hotlists.records import (
    BadField,
    HotlistRecord,
    LineProblem,
    Parsed,
    plate_of,
    state_of,
    text,
    year_of,
    yyyymmdd,
)
from watchfloor.events.lpr import ReasonCode

LIST_CODES: dict[str, ReasonCode] = {
    "A": ReasonCode.AMBER,
    "F": ReasonCode.FELONY_VEHICLE,
    "W": ReasonCode.WANTED_PERSON,
    "V": ReasonCode.STOLEN_VEHICLE,
    "P": ReasonCode.STOLEN_PLATE,
    "M": ReasonCode.MISSING_PERSON,
    "C": ReasonCode.SUPERVISED_RELEASE,
    "H": ReasonCode.PROTECTION_ORDER,
    "K": ReasonCode.PROTECTIVE_INTEREST,
    "L": ReasonCode.VIOLENT_PERSON,
    "R": ReasonCode.STOLEN_CANADIAN_VEHICLE,
    "T": ReasonCode.GANG,
    "X": ReasonCode.SEX_OFFENDER,
}
"""NCIC file/list code (first character of the NIC) -> Watchfloor's reason code."""

MIN_LENGTH = 39  # through LIS: list code, NIC, ORI, date, plate and plate state


def parse_ncic(lines: Iterable[str], default_reason: str | None = None) -> Iterator[Parsed]:
    """Records and problems of an NCIC extract, one per line after the header (blank lines are
    not entries and are skipped). default_reason is unused: every line carries its list code."""
    del default_reason
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1 or not line.strip():
            continue
        try:
            yield ncic_record(number, line)
        except BadField as problem:
            yield LineProblem(number, str(problem))


def ncic_record(number: int, line: str) -> HotlistRecord:
    """One fixed-width line as a record; BadField names what is wrong with it."""
    if len(line) < MIN_LENGTH:
        raise BadField(f"line has {len(line)} characters; at least {MIN_LENGTH} are needed")
    code = line[0]
    reason = LIST_CODES.get(code)
    if reason is None:
        raise BadField(f"unknown NCIC list code {code!r}")
    entered_at = yyyymmdd(line[19:27], "entry date")  # fields checked in layout order
    plate, written = plate_of(line[27:37])
    state = state_of(line[37:39])
    year_of(line[39:43], "plate expiry year (LIY)")
    return HotlistRecord(
        line=number,
        plate=plate,
        plate_raw=written,
        reason_code=reason.value,
        list_code=code,
        nic=_field(line[0:10]),
        ori=_field(line[10:19]),
        entered_at=entered_at,
        state=state,
        plate_type=_field(line[43:45]),
        vehicle_year=year_of(line[45:49], "vehicle year (VYR)"),
        make=_field(line[49:53]),
        model=_field(line[53:56]),
        style=_field(line[56:58]),
        colour=text(line[58:], "colour"),
    )


def _field(value: str) -> str | None:
    # A fixed-width field is never longer than its column: only trimming is needed.
    return value.strip() or None
