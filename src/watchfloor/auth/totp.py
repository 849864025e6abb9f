"""TOTP second factor (RFC 6238, 30 s steps, 6 digits) with replay protection."""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp

STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """A fresh base32 TOTP secret (160 bits)."""
    return str(pyotp.random_base32(32))


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    """The otpauth:// URI an authenticator app enrols from."""
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer))


def matching_step(secret: str, code: str, now: datetime, last_used: int | None) -> int | None:
    """The time step the code belongs to (±1 step of drift), unless already used or wrong."""
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        expected = str(totp.generate_otp(step))
        if hmac.compare_digest(expected.encode(), code.strip().encode()):
            # A code of a step at or before the last accepted one is a replay.
            if last_used is not None and step <= last_used:
                return None
            return step
    return None
