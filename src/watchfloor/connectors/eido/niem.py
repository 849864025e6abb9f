"""Lenient readers for the NIEM parts of an EIDO (ncPersonComponent, ncVehicleComponent).

NIEM JSON comes in many shapes: plain strings, {"value": ...} wrappers, one-element lists,
"nc:" / "j:" prefixed keys. These helpers take the first text they can find and never reject.
"""

from __future__ import annotations

import re
from typing import Any

_WRAPPERS = ("value", "@value", "#text", "$", "IdentificationID")
_YEAR = re.compile(r"\b(\d{4})\b")


def _key(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def text(value: Any) -> str | None:
    """The text a NIEM value carries, or None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return next((t for t in map(text, value) if t), None)
    if isinstance(value, dict):
        for name, item in value.items():
            if _key(name) in _WRAPPERS and (found := text(item)):
                return found
    return None


def find(value: Any, names: tuple[str, ...]) -> Any:
    """The first value under one of names, searching nested objects and lists depth-first."""
    if isinstance(value, list):
        for item in value:
            if (found := find(item, names)) is not None:
                return found
        return None
    if not isinstance(value, dict):
        return None
    for name, item in value.items():
        if _key(name) in names:
            return item
    for item in value.values():
        if isinstance(item, dict | list) and (found := find(item, names)) is not None:
            return found
    return None


def find_text(value: Any, names: tuple[str, ...]) -> str | None:
    """The text of the first value under one of names."""
    return text(find(value, names))


def person_name(person: Any) -> str | None:
    """A display name from nc:PersonType (PersonName: full name, else given/middle/surname)."""
    name = find(person, ("PersonName",))
    if name is None:
        return None
    if not isinstance(name, dict | list):
        return text(name)
    full = find_text(name, ("PersonFullName",))
    if full:
        return full
    parts = (
        find_text(name, (key,)) for key in ("PersonGivenName", "PersonMiddleName", "PersonSurName")
    )
    return " ".join(p for p in parts if p) or text(name)


def vehicle_fields(vehicle: Any) -> dict[str, Any]:
    """Plate, plate state, make, model, colour, year and description from nc:VehicleType."""
    plate = find(
        vehicle,
        ("ConveyanceRegistrationPlateIdentification", "VehicleLicensePlateID", "LicensePlate"),
    )
    state = find(plate, ("IdentificationJurisdiction",)) if isinstance(plate, dict) else None
    year_text = find_text(
        vehicle, ("ItemModelYearDate", "VehicleModelYearDate", "ConveyanceModelYearDate")
    )
    year_match = _YEAR.search(year_text or "")
    return {
        "plate": text(plate),
        "plate_state": text(state)
        or find_text(
            state,
            ("LocationStateUSPostalServiceCode", "LocationStateName", "JurisdictionText"),
        ),
        "make": find_text(vehicle, ("VehicleMakeCode", "ItemMakeName", "VehicleMake")),
        "model": find_text(vehicle, ("VehicleModelCode", "ItemModelName", "VehicleModel")),
        "color": find_text(
            vehicle,
            ("VehicleColorPrimaryCode", "ItemColorDescriptionText", "VehicleColor"),
        ),
        "year": int(year_match.group(1)) if year_match else None,
        "description": find_text(
            vehicle, ("ConveyanceDescriptionText", "ItemDescriptionText", "VehicleDescriptionText")
        ),
    }
