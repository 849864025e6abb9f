"""The ONVIF service descriptions: cameras opening at once parse each WSDL once, not each."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import onvif.client  # type: ignore[import-untyped]
import pytest

from tests.support.onvif_camera import OnvifCamera
from watchfloor.connectors.onvif import documents
from watchfloor.connectors.onvif.device import OnvifDevice
from watchfloor.connectors.onvif.ptz import OnvifPtz


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The library's WSDL cache emptied for the test, and each parse counted by file."""
    counted: Counter[str] = Counter()
    # The library's own cache and ours, as a process that has opened no camera yet has them.
    monkeypatch.setattr(onvif.client, "_DOCUMENT_CACHE", {})
    monkeypatch.setattr(documents, "_PARSED", set())
    parse = onvif.client.DocumentWithDeferredLoad.original_load

    def counting(document: Any, url: str, *args: Any, **kwargs: Any) -> None:
        counted[url.rsplit("/", 1)[-1]] += 1
        parse(document, url, *args, **kwargs)

    monkeypatch.setattr(onvif.client.DocumentWithDeferredLoad, "original_load", counting)
    return counted


async def test_cameras_opening_together_parse_each_description_once(
    onvif_camera: OnvifCamera, parses: Counter[str]
) -> None:
    devices = [OnvifDevice.from_url(onvif_camera.url(), timeout_s=20) for _ in range(6)]
    try:
        heads = await asyncio.gather(*(OnvifPtz.first_profile(d) for d in devices))
        await asyncio.gather(*(head.absolute_move(0.1, 0.0, 0.0) for head in heads))
    finally:
        await asyncio.gather(*(d.close() for d in devices))
    assert parses == {"devicemgmt.wsdl": 1, "media.wsdl": 1, "ptz.wsdl": 1}


async def test_an_unknown_kind_of_service_is_left_to_the_library(parses: Counter[str]) -> None:
    await documents.parsed("no-such-service", "/nowhere")
    assert parses == {}
