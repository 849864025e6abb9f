"""Helpers for the demo tests: post simulated documents through the real EIDO intake."""

from __future__ import annotations

from typing import Any

import orjson
from httpx import AsyncClient
from sqlalchemy import select

from tests.support.auth import feed_token
from watchfloor.app import Watchfloor
from watchfloor.domain.incidents.models import Incident

BATCH = 100


async def post_documents(
    wf: Watchfloor, client: AsyncClient, documents: list[dict[str, Any]]
) -> list[str]:
    """POST the documents in batches as a feed; returns every document's outcome."""
    token = await feed_token(wf, client)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    outcomes: list[str] = []
    for start in range(0, len(documents), BATCH):
        batch = documents[start : start + BATCH]
        response = await client.post(
            "/api/intake/eido", content=orjson.dumps(batch), headers=headers
        )
        assert response.status_code == 200, response.text
        outcomes += [result["outcome"] for result in response.json()]
    return outcomes


async def stored_incidents(wf: Watchfloor) -> dict[str, Incident]:
    """Every stored incident by EIDO $id."""
    async with wf.db.read_session() as session:
        rows = (await session.execute(select(Incident))).scalars().all()
    return {row.eido_id: row for row in rows}
