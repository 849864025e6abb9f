"""Imports every domain's tables so the metadata is complete (for migrations and checks)."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "watchfloor.audit.models",
    "watchfloor.auth.models",
    "watchfloor.domain.incidents.models",
    "watchfloor.domain.quarantine.models",
    "watchfloor.domain.lpr.models",
    "watchfloor.domain.hotlists.models",
    "watchfloor.domain.cameras.models",
    "watchfloor.domain.cameras.health_models",
    "watchfloor.domain.evidence.models",
    "watchfloor.domain.cameras.viewing_models",
    "watchfloor.domain.alerts.models",
    "watchfloor.correlation.models",
    "watchfloor.domain.units.models",
    "watchfloor.domain.units.avl_models",
    "watchfloor.domain.premises.models",
    "watchfloor.domain.playbooks.models",
    "watchfloor.domain.geofences.models",
    "watchfloor.fieldlink.models",
    "watchfloor.domain.community.models",
)


def import_all_models() -> None:
    """Import each module that defines tables."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
