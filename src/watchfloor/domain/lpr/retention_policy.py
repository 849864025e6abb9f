"""Retention policies: per-state presets from the ALPR statutes (shared/standards §10), or an
agency's own limits, and the check that the purge runs often enough for the shortest of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from watchfloor.settings import LprSettings


@dataclass(frozen=True)
class RetentionPolicy:
    """How long reads are kept under one jurisdiction's law, and where that comes from."""

    preset: str
    jurisdiction: str
    nonhit: timedelta
    hit: timedelta
    statute: str
    verification: str
    """The evidence tag of shared/standards: [V] primary text, [S] secondary, [K] unverified."""
    note: str = ""
    overridden: bool = False

    def rule(self, hit: bool) -> dict[str, Any]:
        """The rule as a receipt records it."""
        limit = self.hit if hit else self.nonhit
        return {
            "preset": self.preset,
            "limit": iso_duration(limit),
            "limit_s": int(limit.total_seconds()),
            "statute": self.statute,
            "verification": self.verification,
            "overridden": self.overridden,
        }


def _preset(
    code: str, jurisdiction: str, limit: timedelta, statute: str, tag: str, note: str = ""
) -> RetentionPolicy:
    return RetentionPolicy(code, jurisdiction, limit, limit, statute, tag, note)


_DAY = timedelta(days=1)
PRESETS: dict[str, RetentionPolicy] = {
    p.preset: p
    for p in (
        _preset(
            "NH", "New Hampshire", timedelta(minutes=3), "N.H. RSA 261:75-b", "[S statute copy]",
            "Reads purged within 3 minutes unless they lead to an arrest or citation or identify "
            "a vehicle of a missing or wanted person broadcast: Watchfloor keeps those when their "
            "alert carries a case number. The purge must run at least every 3 minutes.",
        ),
        _preset("ME", "Maine", 21 * _DAY, "Me. Rev. Stat. tit. 29-A, §2117-A", "[S NCSL]"),
        _preset(
            "VA", "Virginia", 21 * _DAY, "Va. Code §2.2-5517 (HB 2724, 2025)", "[K]",
            "7 days was reported for the 2015 bill [S]; verify the current Code §2.2-5517.",
        ),
        _preset(
            "CA", "California", 60 * _DAY, "Cal. Veh. Code §2413; Civ. Code §1798.90.5 et seq.",
            "[S]", "§2413's 60 days binds the CHP; SB 34 requires a usage and privacy policy, "
            "an access log and no sale or sharing outside law enforcement.",
        ),
        _preset("MN", "Minnesota", 60 * _DAY, "Minn. Stat. §13.824", "[K]"),
        _preset(
            "TN", "Tennessee", 90 * _DAY, "Tenn. Code Ann. §55-10-302", "[V]",
            "90 days for government agencies.",
        ),
        _preset(
            "MT", "Montana", 90 * _DAY, "Montana ALPR statute (section not in the standards sheet)",
            "[K]", "Verify the citation before relying on it.",
        ),
        _preset(
            "AR", "Arkansas", 150 * _DAY, "Ark. Code Ann. §12-12-1804", "[V]",
            "150 days for agencies (60 for private owners); hotlists refreshed every 24 h.",
        ),
        _preset(
            "NE", "Nebraska", 180 * _DAY, "Neb. Rev. Stat. §60-3204", "[V]",
            "Hotlists updated at the start of each shift; manual entries purged at its end.",
        ),
        _preset("UT", "Utah", 274 * _DAY, "Utah Code §41-6a-2004", "[K]", "9 months."),
        _preset(
            "CO", "Colorado", 365 * _DAY, "Colo. Rev. Stat. §24-72-113", "[S]",
            "Passive surveillance up to 1 year; up to 3 years when part of an investigation "
            "(a case link or a legal hold keeps those).",
        ),
        _preset("VT", "Vermont", 548 * _DAY, "23 V.S.A. §1607", "[K]", "18 months."),
        _preset("GA", "Georgia", 913 * _DAY, "O.C.G.A. §35-1-22", "[K]", "30 months."),
    )
}  # fmt: skip


def resolve_policy(settings: LprSettings) -> RetentionPolicy:
    """The policy the settings pick: a preset (its limits overridable) or 'custom'."""
    name = settings.retention_preset.strip()
    if name.lower() == "custom":
        if settings.nonhit_days is None or settings.hit_days is None:
            raise ValueError(
                "retention_preset 'custom' needs both nonhit_days and hit_days "
                "(WATCHFLOOR_LPR__NONHIT_DAYS, WATCHFLOOR_LPR__HIT_DAYS)"
            )
        base = RetentionPolicy("custom", "agency policy", _DAY, _DAY, "agency policy", "-")
    elif name.upper() in PRESETS:
        base = PRESETS[name.upper()]
    else:
        known = ", ".join(sorted(PRESETS))
        raise ValueError(f"unknown retention_preset {name!r}: use one of {known} or 'custom'")
    policy = base
    if settings.nonhit_days is not None or settings.hit_days is not None:
        policy = RetentionPolicy(
            base.preset,
            base.jurisdiction,
            _days(settings.nonhit_days, base.nonhit),
            _days(settings.hit_days, base.hit),
            base.statute,
            base.verification,
            base.note,
            overridden=base.preset != "custom",
        )
    _check_cadence(policy, settings.purge_every_s)
    return policy


def _days(days: int | None, default: timedelta) -> timedelta:
    return default if days is None else timedelta(days=days)


def _check_cadence(policy: RetentionPolicy, every_s: int) -> None:
    shortest = min(policy.nonhit, policy.hit).total_seconds()
    if 0 < shortest < every_s:
        raise ValueError(
            f"retention preset {policy.preset} keeps reads only {shortest:.0f} s but the purge "
            f"runs every {every_s} s: set purge_every_s to {int(shortest)} or less"
        )


def iso_duration(span: timedelta) -> str:
    """ISO 8601 duration of a whole number of seconds ('P60D', 'PT3M', 'PT90S')."""
    seconds = int(span.total_seconds())
    if seconds % 86_400 == 0:
        return f"P{seconds // 86_400}D"
    if seconds % 60 == 0:
        return f"PT{seconds // 60}M"
    return f"PT{seconds}S"
