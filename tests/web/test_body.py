"""Reading a limited body keeps the head of an oversized one for quarantine."""

from __future__ import annotations

import pytest
from fastapi import Request

from watchfloor.web.body import BodyTooLarge, read_limited


def _request(chunks: list[bytes]) -> Request:
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    return Request({"type": "http", "method": "POST", "headers": []}, receive)


async def test_small_body_is_read_whole() -> None:
    assert await read_limited(_request([b"ab", b"cd"]), limit=10) == b"abcd"


@pytest.mark.parametrize("chunks", [[b"x" * 50], [b"x" * 5, b"y" * 45]])
async def test_oversized_body_keeps_its_head_even_in_one_chunk(chunks: list[bytes]) -> None:
    with pytest.raises(BodyTooLarge) as caught:
        await read_limited(_request(chunks), limit=10, keep=20)
    assert len(caught.value.head) == 20
    assert caught.value.size_seen == 50
