"""The TAK server alone, without a store (for the bench and lab use):
`python -m watchfloor.fieldlink --host 127.0.0.1 --tcp-port N [--queue N]`. Prints one JSON line
with the bound ports when ready, then serves until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path

from watchfloor.core.clock import SystemClock
from watchfloor.fieldlink.server import TakServer
from watchfloor.settings_field import TakSettings


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m watchfloor.fieldlink", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tcp-port", type=int, default=None, help="plain TCP CoT (0 = any)")
    parser.add_argument("--tls-port", type=int, default=None, help="TLS CoT (0 = any)")
    parser.add_argument("--cert", type=Path, default=None, help="server certificate (PEM)")
    parser.add_argument("--key", type=Path, default=None, help="server private key (PEM)")
    parser.add_argument("--ca", type=Path, default=None, help="CA of client certificates")
    parser.add_argument("--queue", type=int, default=None, help="events queued per client")
    parser.add_argument("--max-event-bytes", type=int, default=None)
    parser.add_argument("--no-offer", action="store_true", help="do not offer TAK protocol v1")
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> TakSettings:
    """TakSettings from the command line; unset options keep their defaults."""
    values: dict[str, object] = {
        "host": args.host,
        "tcp_port": args.tcp_port,
        "tls_port": args.tls_port,
        "cert_file": args.cert,
        "key_file": args.key,
        "ca_file": args.ca,
        "queue_size": args.queue,
        "max_event_bytes": args.max_event_bytes,
    }
    if args.no_offer:
        values["offer_v1"] = False
    return TakSettings.model_validate({k: v for k, v in values.items() if v is not None})


async def serve(settings: TakSettings) -> None:
    """Run the server until a termination signal."""
    server = TakServer(settings, SystemClock())
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    ready = {"ready": True, "tcp_port": server.tcp_port, "tls_port": server.tls_port}
    print(json.dumps(ready), flush=True)
    await stop.wait()
    await server.stop()
    print(json.dumps({"stopped": True, **server.stats()}), flush=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _arguments(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    settings = settings_from(args)
    if settings.tcp_port is None and settings.tls_port is None:
        print("nothing to serve: give --tcp-port and/or --tls-port", file=sys.stderr)
        return 2
    asyncio.run(serve(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
