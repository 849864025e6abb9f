"""Write vendored JSON with one row per line: small diffs, still compact (build scripts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_rows(path: Path, header: dict[str, Any], key: str, rows: list[Any]) -> None:
    """{header..., key: [rows]} as JSON, the header members and each row on a line of its own."""
    lines = ["{"]
    lines += [f" {_compact(name)}:{_compact(value)}," for name, value in header.items()]
    lines.append(f" {_compact(key)}:[")
    lines += [f"  {_compact(row)}{',' if i < len(rows) - 1 else ''}" for i, row in enumerate(rows)]
    lines += [" ]", "}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json.loads(path.read_text(encoding="utf-8"))  # fail here, not in Watchfloor, if it is broken
