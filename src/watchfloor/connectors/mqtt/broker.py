"""Where an MQTT broker is, from an mqtt:// or mqtts:// URL."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass(frozen=True)
class BrokerAddress:
    """Where the broker is and how to log on, from an mqtt:// or mqtts:// URL."""

    host: str
    port: int
    tls: bool
    username: str | None = None
    password: str | None = None


def broker_address(url: str) -> BrokerAddress:
    """Parse `mqtt[s]://[user[:password]@]host[:port]` (ports 1883 and 8883 by default)."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        # The URL may hold a password: say what is wrong without repeating it.
        raise ValueError("the MQTT broker URL must be mqtt://host[:port] or mqtts://host[:port]")
    tls = parts.scheme == "mqtts"
    return BrokerAddress(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        tls=tls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )
