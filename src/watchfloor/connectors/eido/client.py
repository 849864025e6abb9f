# STUB: replaced by the owning part; keeps the package importable meanwhile.
from typing import Any


class CadLinkClient:
    def __init__(self, *args: Any) -> None:
        self.args = args

    async def run(self) -> None:
        pass

    async def stop(self) -> None:
        pass
