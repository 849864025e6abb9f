"""Memorized secrets per CJIS IA-5(1)(a): length and common-password checks, argon2id hashing."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from watchfloor.core.errors import FieldProblem, InvalidInput

_HASHER = PasswordHasher()  # argon2id, random 16-byte salt per hash
# A fixed hash to verify against when the account does not exist, so timing reveals nothing.
_DUMMY_HASH = _HASHER.hash("watchfloor dummy password")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-password list shipped inside zxcvbn, loaded once."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def password_problem(password: str, username: str, min_length: int, max_length: int) -> str | None:
    """Why a chosen password is refused, or None when it is acceptable."""
    if len(password) < min_length:
        return f"is too short: {min_length} characters at least"
    if len(password) > max_length:
        return f"is too long: {max_length} characters at most"
    if not password.isprintable():
        return "contains characters that are not printable"
    if password.lower() in common_passwords():
        return "is in the list of common passwords"
    if username and username.lower() in password.lower():
        return "contains your username"
    return None


def check_password(
    password: str, username: str, min_length: int, max_length: int, pointer: str = "/password"
) -> None:
    """Raise InvalidInput naming the reason when the password is refused."""
    problem = password_problem(password, username, min_length, max_length)
    if problem is not None:
        raise InvalidInput(f"password {problem}", [FieldProblem(pointer, f"password {problem}")])


def hash_password(password: str) -> str:
    """An argon2id hash ($argon2id$...) of the password."""
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """True when password matches the hash; a missing hash still costs one verification."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
