"""The hash chain: the one canonical form of a record and the hash over it.

Canonical form: a JSON object of the record's fields (below) plus `prev_hash`, keys sorted,
separators "," and ":", non-ASCII kept (UTF-8), no insignificant whitespace; `occurred_at` is
ISO 8601 UTC with six fractional digits and a "Z" suffix; absent values are null. The sequence
number is not hashed: a record's position is proven by its link (prev_hash) to its predecessor.
hash = lowercase hex SHA-256 of those UTF-8 bytes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_user_id",
    "actor_username",
    "actor_role",
    "actor_designator",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "reason",
    "case_number",
    "address",
    "user_agent",
    "request_id",
    "details",
)


def canonical_time(when: datetime) -> str:
    """ISO 8601 UTC with microseconds and a Z suffix."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the canonical form of a record's hashed fields and its predecessor's hash."""
    document = {name: fields.get(name) for name in HASHED_FIELDS}
    document["occurred_at"] = canonical_time(fields["occurred_at"])
    document["prev_hash"] = prev_hash
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
