"""TLS with required client certificates (mutual x509, as TAK servers do on 8089): pytak with a
client certificate gets in and routes; no certificate or a foreign CA is refused."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest

from tests.support.cad_server import eventually
from tests.support.tak import (
    PytakClient,
    RawTakClient,
    TakCerts,
    make_certs,
    not_control,
    running_server,
    sa_event,
)
from watchfloor.core.clock import ManualClock
from watchfloor.core.health import HealthState
from watchfloor.fieldlink.certs import client_tls_context, create_ca, create_client_cert
from watchfloor.fieldlink.server import TakServer


def _tls(certs: TakCerts) -> dict[str, Any]:
    return {
        "tcp_port": None,
        "tls_port": 0,
        "cert_file": certs.server.cert,
        "key_file": certs.server.key,
        "ca_file": certs.ca.cert,
    }


def _pytak_tls(server: TakServer, certs: TakCerts, name: str) -> PytakClient:
    device = certs.another_client(name)
    config = PytakClient.config_for(
        f"tls://127.0.0.1:{server.tls_port}",
        PYTAK_TLS_CLIENT_CERT=str(device.cert),
        PYTAK_TLS_CLIENT_KEY=str(device.key),
        PYTAK_TLS_CLIENT_CAFILE=str(certs.ca.cert),
    )
    return PytakClient(config)


# pytak 7.6.1 builds its context with ssl.OP_NO_TLSv1 (deprecated in Python, still works)
@pytest.mark.filterwarnings("ignore:ssl.OP_NO_SSL:DeprecationWarning")
async def test_pytak_clients_with_certificates_route_over_tls(
    clock: ManualClock, tmp_path: Path
) -> None:
    certs = make_certs(tmp_path)
    async with running_server(clock, **_tls(certs)) as server:
        assert server.tcp_port is None
        alpha = await _pytak_tls(server, certs, "ALPHA-1").connect()
        bravo = await _pytak_tls(server, certs, "BRAVO-2").connect()
        await bravo.next_event()  # the offer: bravo is through the handshake

        await alpha.send(sa_event("ANDROID-alpha", "ALPHA-1", clock.now(), lat=38.7))

        got = await bravo.next_event(not_control)
        assert (got.uid, got.lat) == ("ANDROID-alpha", 38.7)
        assert (await server.health()).state == HealthState.OK
        subjects = {c.cert_subject for c in server.clients()}
        assert subjects == {"O=Watchfloor,CN=ALPHA-1", "O=Watchfloor,CN=BRAVO-2"}
        assert all(c.secure for c in server.clients())
        await alpha.close()
        await bravo.close()


async def test_a_client_without_a_certificate_is_refused(
    clock: ManualClock, tmp_path: Path
) -> None:
    certs = make_certs(tmp_path)
    async with running_server(clock, **_tls(certs)) as server:
        try:
            client = await RawTakClient.connect(
                server.tls_port or 0, tls=client_tls_context(certs.ca.cert, None)
            )
        except (ssl.SSLError, ConnectionError):
            pass  # refused during the handshake (TLS 1.2)
        else:  # TLS 1.3: the refusal arrives on the first read
            with pytest.raises((ssl.SSLError, ConnectionError)):
                await client.next_event()
            await client.close()
        assert server.clients() == []
        assert server.stats()["connections"] == 0
        await eventually(lambda: server.stats()["tls_refused"] == 1)
        report = await server.health()
        assert report.state == HealthState.DEGRADED
        assert "TLS handshake from 127.0.0.1" in (report.detail or "")


async def test_a_certificate_from_another_ca_is_refused(clock: ManualClock, tmp_path: Path) -> None:
    certs = make_certs(tmp_path / "ours")
    rogue_ca = create_ca(tmp_path / "rogue", "Rogue CA")
    rogue = create_client_cert(rogue_ca, tmp_path / "rogue", "MALLORY")
    async with running_server(clock, **_tls(certs)) as server:
        try:
            client = await RawTakClient.connect(
                server.tls_port or 0, tls=client_tls_context(certs.ca.cert, rogue)
            )
        except (ssl.SSLError, ConnectionError):
            pass
        else:
            with pytest.raises((ssl.SSLError, ConnectionError)):
                await client.next_event()
            await client.close()
        assert server.stats()["connections"] == 0
        await eventually(lambda: server.stats()["tls_refused"] == 1)


def test_tls_needs_certificate_files() -> None:
    from pydantic import ValidationError

    from watchfloor.settings_field import TakSettings

    with pytest.raises(ValidationError, match="cert_file"):
        TakSettings(tls_port=8089)
