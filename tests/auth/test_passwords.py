"""Password rules per CJIS IA-5(1)(a): length, common list, username; argon2id at rest."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from watchfloor.app import Watchfloor
from watchfloor.auth.models import UserAccount
from watchfloor.auth.passwords import common_passwords, password_problem
from watchfloor.core.context import Role
from watchfloor.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "is too short: 8 characters at least"),
        ("password123", "is in the list of common passwords"),
        ("iloveyou", "is in the list of common passwords"),
        ("kestrel-jdoe-winter", "contains your username"),
    ],
)
async def test_weak_password_is_refused_with_its_reason(
    wf: Watchfloor, password: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        await wf.auth.create_user("jdoe", Role.ANALYST, None, password)
    assert refused.value.problems[0].pointer == "/password"
    assert refused.value.problems[0].reason == f"password {reason}"


def test_long_passphrases_with_spaces_are_allowed_untruncated() -> None:
    phrase = "the quick brown kestrel hovers over the ring road at 06:40 " * 4
    assert password_problem(phrase, "jdoe", 8, 256) is None
    assert password_problem("x" * 257, "jdoe", 8, 256) == "is too long: 256 characters at most"


def test_common_list_comes_from_zxcvbn() -> None:
    assert len(common_passwords()) > 10_000
    assert "qwerty" in common_passwords()


async def test_stored_hash_is_argon2id(wf: Watchfloor) -> None:
    password = "a long and quiet harbour at dusk"
    await wf.auth.create_user("jdoe", Role.ANALYST, None, password)
    async with wf.db.read_session() as session:
        user = await session.scalar(select(UserAccount).where(UserAccount.username == "jdoe"))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert password not in user.password_hash
