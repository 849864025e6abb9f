"""The simulated CAD writes documents the EIDO connector accepts, and calls progress in order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from watchfloor.connectors.eido.mapping import translate
from watchfloor.demo.cad_simulator import CadSimulator
from watchfloor.events.cad import LIFECYCLE
from watchfloor.settings import EidoSettings

START = datetime(2026, 11, 21, 14, 0, tzinfo=UTC)


def test_every_simulated_document_translates_and_statuses_only_move_forward() -> None:
    simulator = CadSimulator(seed=3, open_calls=10)
    last_status: dict[str, int] = {}
    for i in range(400):
        now = START + timedelta(seconds=i)
        report = translate(simulator.next_document(now), EidoSettings(), now)
        assert report.location is not None
        assert report.location.point is not None
        assert report.priority in {1, 2, 3, 4, 5}
        assert report.status is not None
        rank = LIFECYCLE.index(report.status)
        assert rank >= last_status.get(report.eido_id, 0)
        last_status[report.eido_id] = rank
    assert max(last_status.values()) == LIFECYCLE.index(LIFECYCLE[-1])


def _run(seed: int) -> list[dict[str, object]]:
    simulator = CadSimulator(seed=seed)
    return [simulator.next_document(START + timedelta(seconds=i)) for i in range(50)]


def test_same_seed_same_documents_other_seed_other_city() -> None:
    assert _run(9) == _run(9)
    assert _run(9) != _run(10)
