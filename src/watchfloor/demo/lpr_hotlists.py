"""The demo's hotlists: a local "Demo BOLO" list of a few manual entries, and a synthetic NCIC
extract written to the demo data directory and imported through the hotlist service, so the
scheduled refresh re-reads the same file (and, as it has not changed, leaves the list stale).

Entries describe the plates the plate-read simulator sends; some describe the car wrongly or the
plate is on another car (stolen plates), so weakly corroborated alerts appear too.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from watchfloor.connectors.hotlists.ncic import LIST_CODES
from watchfloor.core.context import RequestContext
from watchfloor.demo.lpr_vehicles import (
    REGION,
    ListedVehicle,
    Vehicle,
    random_plate,
    random_vehicle,
    unlike,
)
from watchfloor.domain.hotlists.matcher import skeleton
from watchfloor.domain.hotlists.schemas import (
    HotlistIn,
    HotlistKind,
    HotlistOut,
    ImportStatus,
    ManualEntryIn,
)
from watchfloor.domain.hotlists.service import HotlistService
from watchfloor.events.lpr import ReasonCode, normalize_plate

BOLO_LIST = "Demo BOLO"
NCIC_LIST = "NCIC extract (demo)"
NCIC_FILE = "ncic-extract.txt"
NCIC_ENTRIES = 2000
NCIC_REFRESH_MINUTES = 12 * 60  # the FBI sends the extract twice a day
NCIC_MAX_AGE_MINUTES = 12 * 60
NCIC_ORI = "FIHKI0000"
# NCIC list code -> share of the extract (stolen vehicles dominate a real one).
NCIC_MIX: dict[str, int] = {
    "V": 50, "P": 12, "W": 10, "F": 6, "H": 6, "M": 4, "T": 4, "L": 3, "C": 3, "X": 2,
}  # fmt: skip
REPAINTED_SHARE = 0.08  # the car was repainted, or the entry has the colour wrong
OTHER_MAKE_SHARE = 0.04  # the entry has the make wrong
NO_STATE_SHARE = 0.04  # entries without a plate state (they match a read from any region)


@dataclass(frozen=True)
class Bolo:
    """A manual entry the demo supervisor makes: why, for how long, and how the car looks."""

    reason_code: ReasonCode
    reason: str
    hours: int
    case_number: str
    colour_wrong: bool = False


BOLOS = (
    Bolo(
        ReasonCode.BOLO,
        "Getaway car of the armed robbery at the Aleksanterinkatu jeweller's; two suspects, "
        "one armed. Do not stop alone.",
        24,
        "HKI-26-045120",
    ),
    Bolo(
        ReasonCode.WANTED_PERSON,
        "Registered keeper wanted on a district court warrant (aggravated assault).",
        72,
        "HKI-26-044871",
    ),
    Bolo(
        ReasonCode.MISSING_PERSON,
        "Missing man, 78, with dementia; drove off from home in Töölö this morning.",
        24,
        "HKI-26-045133",
    ),
    Bolo(
        ReasonCode.BOLO,
        "Hit-and-run on Bulevardi last night; damage to the front right. Witness: dark blue.",
        72,
        "HKI-26-045002",
        colour_wrong=True,
    ),
    Bolo(
        ReasonCode.STOLEN_VEHICLE,
        "Taken from a Kamppi car park overnight; owner reported it at 07:40.",
        168,
        "HKI-26-045098",
    ),
    Bolo(
        ReasonCode.PROTECTION_ORDER,
        "Respondent of a restraining order; protected person lives in Kruununhaka.",
        168,
        "HKI-26-043990",
    ),
)


class PlateBook:
    """Hands out plates no other demo plate can be mistaken for (distinct OCR skeletons)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.skeletons: set[str] = set()

    def new_plate(self) -> str:
        """A fresh plate, written "ABC-123"."""
        while True:
            plate = random_plate(self._rng)
            key = skeleton(normalize_plate(plate))
            if key not in self.skeletons:
                self.skeletons.add(key)
                return plate


def ncic_vehicles(rng: random.Random, book: PlateBook, count: int) -> list[ListedVehicle]:
    """Cars on the synthetic NCIC extract, with the car that really carries each plate."""
    codes, weights = list(NCIC_MIX), list(NCIC_MIX.values())
    listed: list[ListedVehicle] = []
    for _ in range(count):
        code = rng.choices(codes, weights)[0]
        reason = LIST_CODES[code].value
        entry = random_vehicle(rng)
        state = None if rng.random() < NO_STATE_SHARE else REGION
        actual = _actual(rng, entry, reason)
        listed.append(ListedVehicle(book.new_plate(), state, reason, NCIC_LIST, entry, actual))
    return listed


def _actual(rng: random.Random, entry: Vehicle, reason: str) -> Vehicle:
    if reason == ReasonCode.STOLEN_PLATE:
        return unlike(entry, rng, make=True, colour=True)  # the plate is on another car
    draw = rng.random()
    if draw < REPAINTED_SHARE:
        return unlike(entry, rng, make=False, colour=True)
    if draw < REPAINTED_SHARE + OTHER_MAKE_SHARE:
        return unlike(entry, rng, make=True, colour=False)
    return entry


def ncic_extract(listed: Sequence[ListedVehicle], rng: random.Random, today: datetime) -> str:
    """The extract in NCIC's fixed-width layout: a header line, then one line per entry."""
    lines = [f"NCIC LPR EXTRACT (WATCHFLOOR DEMO, SYNTHETIC) {today:%Y%m%d%H%M}"]
    code_of = {reason.value: code for code, reason in LIST_CODES.items()}
    for number, vehicle in enumerate(listed, start=1):
        entered = today - timedelta(days=rng.randint(1, 900))
        lines.append(ncic_line(code_of[vehicle.reason_code], number, vehicle, entered))
    return "\n".join(lines) + "\n"


def ncic_line(code: str, number: int, vehicle: ListedVehicle, entered: datetime) -> str:
    """One fixed-width entry: NIC, ORI, date, LIC, LIS, LIY, LIT, VYR, VMA, VMO, VST, VCO."""
    car = vehicle.listed
    return "".join(
        (
            f"{code}{number:09d}",
            NCIC_ORI,
            f"{entered:%Y%m%d}",
            vehicle.normalised.ljust(10),
            (vehicle.state or "").ljust(2),
            f"{entered.year + 2}",
            "PC",
            f"{car.year}",
            car.model.ncic_make.ljust(4),
            car.model.ncic_model.ljust(3),
            car.model.ncic_style.ljust(2),
            car.colour.ncic,
        )
    )


def bolo_vehicles(rng: random.Random, book: PlateBook) -> list[tuple[Bolo, ListedVehicle]]:
    """The cars of the demo BOLO entries (the entry's description, and the car itself)."""
    out: list[tuple[Bolo, ListedVehicle]] = []
    for bolo in BOLOS:
        actual = random_vehicle(rng)
        entry = unlike(actual, rng, make=False, colour=True) if bolo.colour_wrong else actual
        reason = bolo.reason_code.value
        vehicle = ListedVehicle(book.new_plate(), REGION, reason, BOLO_LIST, entry, actual, True)
        out.append((bolo, vehicle))
    return out


async def create_ncic_list(
    hotlists: HotlistService, landing: Path, extract: str, context: RequestContext
) -> HotlistOut:
    """Write the extract into the directory extracts land in, and import it (waiting)."""
    path = (landing / NCIC_FILE).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(extract, encoding="ascii")
    created = await hotlists.create_list(
        HotlistIn(
            name=NCIC_LIST,
            kind=HotlistKind.NCIC,
            source_format="ncic_fixed",
            source_uri=str(path),
            refresh_every_minutes=NCIC_REFRESH_MINUTES,
            max_age_minutes=NCIC_MAX_AGE_MINUTES,
        ),
        context,
    )
    imported = await hotlists.refresh_now(created.id, context, wait=True)
    if imported.status != ImportStatus.SUCCEEDED:
        raise RuntimeError(f"the demo NCIC extract did not import: {imported.message}")
    return await hotlists.get_list(created.id)


async def create_bolo_list(
    hotlists: HotlistService,
    entries: Sequence[tuple[Bolo, ListedVehicle]],
    context: RequestContext,
    now: datetime,
) -> HotlistOut:
    """The local BOLO list and its manual entries, each with its reason and expiry."""
    created = await hotlists.create_list(
        HotlistIn(
            name=BOLO_LIST,
            kind=HotlistKind.LOCAL,
            source_format="manual",
            max_age_minutes=NCIC_MAX_AGE_MINUTES,
            default_reason=ReasonCode.BOLO,
        ),
        context,
    )
    for bolo, vehicle in entries:
        await hotlists.add_entry(created.id, manual_entry(bolo, vehicle, now), context)
    return await hotlists.get_list(created.id)


def manual_entry(bolo: Bolo, vehicle: ListedVehicle, now: datetime) -> ManualEntryIn:
    """The manual entry a supervisor types for this BOLO."""
    car = vehicle.listed
    return ManualEntryIn(
        plate=vehicle.plate,
        state=vehicle.state,
        reason_code=bolo.reason_code,
        reason=bolo.reason,
        expires_at=now + timedelta(hours=bolo.hours),
        case_number=bolo.case_number,
        make=car.model.make,
        model=car.model.name,
        colour=car.colour.word,
        vehicle_year=car.year,
    )
