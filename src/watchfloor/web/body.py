"""Reading a request body with a size limit, keeping what was read for quarantine."""

from __future__ import annotations

from fastapi import Request

from watchfloor.core.errors import PayloadTooLarge


class BodyTooLarge(PayloadTooLarge):
    """PayloadTooLarge that carries the first bytes read, for the quarantine record."""

    def __init__(self, limit: int, head: bytes, size_seen: int) -> None:
        super().__init__(f"body is larger than {limit} bytes")
        self.head = head
        self.size_seen = size_seen


async def read_limited(request: Request, limit: int, keep: int = 64 * 1024) -> bytes:
    """The whole body, or BodyTooLarge once more than limit bytes arrive."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        chunks.append(chunk)
        if size > limit:
            raise BodyTooLarge(limit, b"".join(chunks)[:keep], size)
    return b"".join(chunks)
