"""The ONVIF service descriptions (WSDL), each parsed once for the process before cameras use it.

The library parses a kind of service's WSDL on its first use and caches it only once parsed, so
cameras opening the same kind together (a city's cameras at start) would each parse it: 0.1 to
0.2 s of CPU and tens of thousands of objects apiece, all at once. `parsed(kind)` lets the first
caller parse it and the others wait for that one."""

from __future__ import annotations

import asyncio
import logging
import weakref
from pathlib import Path

from onvif import ONVIFService  # type: ignore[import-untyped]
from onvif.definition import SERVICES  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

# Process-wide, as the library's cache is; a parse in progress belongs to its event loop.
_PARSED: set[str] = set()
_PARSING: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Future[None]]]
_PARSING = weakref.WeakKeyDictionary()


async def parsed(kind: str, wsdl_dir: str) -> None:
    """Until the WSDL of a kind of service (devicemgmt, media, ptz, events ...) is parsed and in
    the library's cache; the first caller parses it, the others wait."""
    if kind in _PARSED or kind not in SERVICES:
        return
    parsing = _PARSING.setdefault(asyncio.get_running_loop(), {})
    future = parsing.get(kind)
    if future is None:
        future = parsing[kind] = asyncio.ensure_future(_parse(kind, wsdl_dir))
    await asyncio.shield(future)
    _PARSED.add(kind)


async def _parse(kind: str, wsdl_dir: str) -> None:
    definition = SERVICES[kind]
    # A client of the kind, never called: building it parses the description into the cache.
    service = ONVIFService(
        "http://127.0.0.1/",
        None,
        None,
        str(Path(wsdl_dir) / definition["wsdl"]),
        no_cache=True,
        binding_name=f"{{{definition['ns']}}}{definition['binding']}",
    )
    try:
        await service.setup()
    except Exception as error:  # the camera's own opening then meets and reports it
        log.debug("ONVIF %s description not parsed ahead: %s", kind, type(error).__name__)
    finally:
        await service.close()
