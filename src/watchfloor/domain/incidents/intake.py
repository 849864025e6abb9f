# STUB: replaced by the owning part; keeps the package importable meanwhile.
from typing import Any


class IncidentIntake:
    def __init__(self, *args: Any) -> None:
        self.args = args

    async def accept_document(self, raw: bytes, source: str) -> None:
        pass
