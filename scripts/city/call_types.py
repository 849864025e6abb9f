"""Watchfloor's own assignments for the derived call profile: APCO code, priority, durations.

None of this is in the source data. Codes are the APCO common incident types the EIDO connector
knows (src/watchfloor/connectors/eido/registry.py); "closest" marks a Minneapolis problem with no
obvious code, whose original text still travels as the incident type text.
"""

from __future__ import annotations

PRIORITY_RULES = {
    "1": "in-progress violence or threat to life: weapons, shots, shooting, stabbing, domestic "
    "or assault in progress, robbery, burglary in progress, pursuits, officer needs help, "
    "suicide attempt",
    "2": "possible violence or injury not confirmed in progress: fight, domestic (no weapon "
    "reported), unknown trouble, emotionally disturbed person, person down, overdose, injury "
    "crash, damage in progress, planned high-risk warrant entry, assisting EMS",
    "3": "no immediate danger, needs an officer soon: suspicious person or vehicle, "
    "disturbance, unwanted person, welfare check, intoxicated person, pick-up attempt",
    "4": "after-the-fact or routine: theft, traffic enforcement, property-damage crash, "
    "miscellaneous",
    "5": "administrative: directed patrol, report-only theft",
}

# Minneapolis CAD problem -> (APCO common incident type, priority, "exact" | "closest")
MAPPING: dict[str, tuple[str, int, str]] = {
    "Suspicious Person": ("SUSPIC", 3, "exact"),
    "Fight": ("FIGHT", 2, "exact"),
    "Disturbance": ("DISTURB", 3, "exact"),
    "Domestic Abuse-In Progress": ("DOMESTIC", 1, "exact"),
    "Suspicious Vehicle": ("SUSPIC", 3, "exact"),
    "Emotionally Disturb Person": ("WELFARE", 2, "closest"),
    "Assault in Progress": ("ASSAULT", 1, "exact"),
    "Unwanted Person": ("TRESPASS", 3, "closest"),
    "Unknown Trouble": ("DISTURB", 2, "closest"),
    "Traffic Law Enforcement": ("TRAFFIC", 4, "exact"),
    "Check the Welfare": ("WELFARE", 3, "exact"),
    "Person with a Gun": ("WEAPON", 1, "exact"),
    "Theft": ("THEFT", 4, "exact"),
    "Domestic": ("DOMESTIC", 2, "exact"),
    "Person with a Weapon": ("WEAPON", 1, "exact"),
    "Burglary Dwlng In Progress": ("BURG", 1, "exact"),
    "Damage Property-In Progress": ("VANDAL", 2, "exact"),
    "Officer Needs Help": ("ASSIST", 1, "closest"),
    "Chase on Foot": ("PURSUIT", 1, "exact"),
    "Miscellaneous": ("CITZAST", 4, "closest"),
    "Assist EMS Personnel": ("ASSIST", 2, "exact"),
    "Domestic with Weapons": ("DOMESTIC", 1, "exact"),
    "Down Outside-One": ("UNCON", 2, "closest"),
    "High Risk Warrant Entry": ("WARRANT", 2, "exact"),
    "Attempt Pick-Up": ("WARRANT", 3, "closest"),
    "Unknown Wireless/Cell Phone": ("911OPN", 2, "closest"),
    "Sound of Shots Fired": ("SHOTS", 1, "exact"),
    "Motor Vehicle Chase": ("PURSUIT", 1, "exact"),
    "Burglary Biz - In Progress": ("BURG", 1, "exact"),
    "Poss Personal Injury Acc": ("VEHACC", 2, "exact"),
    "Stabbing": ("STABBING", 1, "exact"),
    "Robbery of Person": ("ROBBERY", 1, "exact"),
    "Assist Other Agency": ("ASSIST", 3, "exact"),
    "Attempted Suicide": ("SUICIDE", 1, "exact"),
    "Shooting": ("SHOOTING", 1, "exact"),
    "Customer Trouble": ("DISTURB", 3, "closest"),
    "Directed Patrol": ("ADMIN", 5, "closest"),
    "Property Damage Accident": ("VEHACC", 4, "exact"),
    "Drunk/Intoxicated Person": ("INTOX", 3, "exact"),
    "Slumper": ("UNCON", 3, "closest"),
    "ShotSpotter Activation": ("SHOTS", 1, "exact"),
    "Theft - Report Only": ("THEFT", 5, "exact"),
    "Overdose-Accidental": ("OVERDOSE", 2, "exact"),
}

DURATIONS_NOTE = (
    "MODELLED, NOT DERIVED: the source data has no dispatch, travel or on-scene times. Mean "
    "real-world minutes per phase and priority are Watchfloor's assumptions, in the range "
    "published by large US agencies (P1 dispatched within a minute and on scene within about "
    "6; lower priorities wait longer in the queue). The simulator draws each phase from a gamma "
    "distribution (shape 2) with that mean and divides it by the demo's time factor."
)
# priority -> mean minutes for [dispatch, enroute, on_scene, clear, close]: received ->
# dispatched, dispatched -> en route, en route -> on scene, on scene -> cleared, cleared -> closed
DURATIONS: dict[str, list[float]] = {
    "1": [0.75, 0.5, 5.0, 40.0, 5.0],
    "2": [2.5, 1.0, 8.0, 35.0, 5.0],
    "3": [8.0, 1.5, 10.0, 25.0, 5.0],
    "4": [20.0, 2.0, 12.0, 20.0, 5.0],
    "5": [40.0, 2.0, 15.0, 15.0, 5.0],
}
# priority -> [fewest, most] units sent
UNITS: dict[str, list[int]] = {"1": [2, 3], "2": [1, 2], "3": [1, 1], "4": [1, 1], "5": [1, 1]}
