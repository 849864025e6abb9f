"""Registry values EIDO "*RegistryText" fields may carry: incident types, incident and unit status.

The NENA registries themselves were not reachable. Incident types use the APCO common incident
type codes (APCO ANS 2.103.1, which NENA's Incident Type registry points agencies at): the
first block was read in NIEM's published `apco` code list; the rest are background knowledge
of that list, not re-checked. Agencies add their own codes through
`EidoSettings.agency_incident_codes` (agency code -> common code), so a missing entry here is
a configuration fix, not a code change. Status words are matched without case, spaces, hyphens
or underscores, so "OnScene", "On Scene" and "on-scene" are the same word.
"""

from __future__ import annotations

import re

from watchfloor.events.cad import IncidentStatus, UnitStatus

UNKNOWN_TYPE = "UNKNOWN"

INCIDENT_TYPES: dict[str, str] = {
    # Read in NIEM's apco code list (APCO ANS 2.103.1-2012).
    "911H": "911 hang up",
    "911OPN": "911 open line",
    "ABDOM": "Abdominal pain or problems",
    "ABDUCTF": "Abduction by family member",
    "ABDUCTNF": "Abduction by non-family member",
    "ABUSE": "Abuse, child or elder",
    "ACCIND": "Industrial accident",
    "ADMIN": "Administrative",
    "AIR": "Aircraft",
    "ALIEN": "Immigration",
    "ALLERGIC": "Allergic reaction",
    "ALRBA": "Burglar alarm",
    # Background knowledge of the same list; not re-checked against the published text.
    "ALRFIRE": "Fire alarm",
    "ALRHU": "Hold-up alarm",
    "ALRMED": "Medical alarm",
    "ANIMAL": "Animal",
    "ASSAULT": "Assault",
    "ASSIST": "Assist other agency",
    "BOMB": "Bomb threat or device",
    "BREATH": "Breathing problems",
    "BURG": "Burglary",
    "CARDIAC": "Cardiac or respiratory arrest",
    "CHEST": "Chest pain",
    "CITZAST": "Citizen assist",
    "CIVIL": "Civil matter",
    "DISTURB": "Disturbance",
    "DOMESTIC": "Domestic violence",
    "DROWN": "Drowning",
    "DRUGS": "Drugs or narcotics",
    "DUI": "Driving under the influence",
    "EXPLOS": "Explosion",
    "FALL": "Fall",
    "FIGHT": "Fight",
    "FIRE": "Fire",
    "FIREBLDG": "Structure fire",
    "FIREVEH": "Vehicle fire",
    "FIREWILD": "Wildland fire",
    "FRAUD": "Fraud",
    "GAS": "Gas leak",
    "HAZMAT": "Hazardous materials",
    "HOMICIDE": "Homicide",
    "HOSTAGE": "Hostage",
    "INJURY": "Injured person",
    "INTOX": "Intoxicated person",
    "MEDICAL": "Medical",
    "MISSING": "Missing person",
    "NOISE": "Noise complaint",
    "OVERDOSE": "Overdose or poisoning",
    "PURSUIT": "Pursuit",
    "RESCUE": "Rescue",
    "ROBBERY": "Robbery",
    "SEXASLT": "Sexual assault",
    "SHOOTING": "Shooting",
    "SHOTS": "Shots fired",
    "STABBING": "Stabbing",
    "SUICIDE": "Suicide or attempt",
    "SUSPIC": "Suspicious circumstances",
    "THEFT": "Theft",
    "THREAT": "Threats",
    "TRAFFIC": "Traffic incident",
    "TRESPASS": "Trespassing",
    "UNCON": "Unconscious person",
    "VANDAL": "Vandalism",
    "VEHACC": "Vehicle accident",
    "VEHSTOL": "Stolen vehicle",
    "WARRANT": "Warrant service",
    "WEAPON": "Weapons",
    "WELFARE": "Welfare check",
}

_INCIDENT_STATUS: dict[str, IncidentStatus] = {
    **dict.fromkeys(
        ("new", "received", "created", "open", "pending", "queued", "waiting"),
        IncidentStatus.RECEIVED,
    ),
    **dict.fromkeys(("dispatched", "assigned", "notified"), IncidentStatus.DISPATCHED),
    **dict.fromkeys(("enroute", "responding"), IncidentStatus.EN_ROUTE),
    **dict.fromkeys(("onscene", "arrived", "atscene"), IncidentStatus.ON_SCENE),
    **dict.fromkeys(("cleared", "clear", "completed", "resolved"), IncidentStatus.CLEARED),
    **dict.fromkeys(("closed", "cancelled", "canceled", "archived"), IncidentStatus.CLOSED),
}

_UNIT_STATUS: dict[str, UnitStatus] = {
    "assigned": UnitStatus.ASSIGNED,
    "dispatched": UnitStatus.DISPATCHED,
    "enroute": UnitStatus.EN_ROUTE,
    "responding": UnitStatus.EN_ROUTE,
    "onscene": UnitStatus.ON_SCENE,
    "arrived": UnitStatus.ON_SCENE,
    "atscene": UnitStatus.ON_SCENE,
    "transporting": UnitStatus.TRANSPORTING,
    "transport": UnitStatus.TRANSPORTING,
    "athospital": UnitStatus.TRANSPORTING,
    "atdestination": UnitStatus.TRANSPORTING,
    "cleared": UnitStatus.CLEARED,
    "clear": UnitStatus.CLEARED,
    "available": UnitStatus.AVAILABLE,
    "inservice": UnitStatus.AVAILABLE,
    "availableonradio": UnitStatus.AVAILABLE,
    "availableinquarters": UnitStatus.AVAILABLE,
    "outofservice": UnitStatus.OUT_OF_SERVICE,
    "unavailable": UnitStatus.OUT_OF_SERVICE,
    "offduty": UnitStatus.OUT_OF_SERVICE,
}

_SEPARATORS = re.compile(r"[\s_\-.]+")


def _word(text: str) -> str:
    return _SEPARATORS.sub("", text).casefold()


def incident_type(code: str, agency_codes: dict[str, str]) -> str | None:
    """The common incident type code for a registry or agency code; None when unknown."""
    if code in INCIDENT_TYPES:
        return code
    upper = code.strip().upper()
    if upper in INCIDENT_TYPES:
        return upper
    return agency_codes.get(code)


def incident_status(word: str) -> IncidentStatus | None:
    """The lifecycle step a registry status word names; None when unknown."""
    return _INCIDENT_STATUS.get(_word(word))


def unit_status(word: str) -> UnitStatus:
    """The unit status a registry word names; UNKNOWN when the word is not in the table."""
    return _UNIT_STATUS.get(_word(word), UnitStatus.UNKNOWN)
