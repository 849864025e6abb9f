# STUB: replaced by the owning part; keeps the package importable meanwhile.
from typing import Any


class AuditLog:
    def __init__(self, *args: Any) -> None:
        self.args = args
