# STUB: replaced by the owning part; keeps the package importable meanwhile.
from typing import Any


class QuarantineService:
    def __init__(self, *args: Any) -> None:
        self.args = args
