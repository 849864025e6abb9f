"""An ONVIF event service that answers with recorded camera payloads (fixtures/*.xml), so the
real client path (onvif-zeep-async: WSDL, WS-Security, zeep parsing) runs against a vendor's
own bytes. No ONVIF implementation with an event service installs here (ipycam has none).

PullMessages answers come from the queue of fixture files, then empty answers. The plumbing
answers (GetServices, CreatePullPointSubscription, Renew, Unsubscribe) are written from the
event WSDL: no recording of them was found."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from defusedxml.ElementTree import fromstring

FIXTURES = Path(__file__).with_name("fixtures")
SOAP = "http://www.w3.org/2003/05/soap-envelope"
NAMESPACES = (
    'xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:tev="http://www.onvif.org/ver10/events/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema" '
    'xmlns:wsa="http://www.w3.org/2005/08/addressing" '
    'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"'
)


def _time(offset_s: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset_s)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _envelope(body: str) -> str:
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{declaration}<env:Envelope {NAMESPACES}><env:Body>{body}</env:Body></env:Envelope>"


def _fault(reason: str) -> str:
    return _envelope(
        "<env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code>"
        f'<env:Reason><env:Text xml:lang="en">{reason}</env:Text></env:Reason></env:Fault>'
    )


class RecordedEventCamera:
    """The event service; `pulls` holds the fixture names PullMessages answers with, in order."""

    def __init__(self, *pulls: str) -> None:
        self.pulls = list(pulls)
        self.failing_pulls = 0
        self.operations: list[str] = []
        self.base = ""
        self._runner: web.AppRunner | None = None
        self._subscriptions = 0

    async def start(self) -> None:
        """Serve on 127.0.0.1 and a free port."""
        app = web.Application()
        app.router.add_post("/{path:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        """Stop serving."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def url(self) -> str:
        """The device address, with a login (the recordings do not check it)."""
        return self.base.replace("http://", "http://viewer:rec-pass@") + "/onvif/device_service"

    async def _handle(self, request: web.Request) -> web.Response:
        envelope = fromstring(await request.read())
        body = envelope.find(f"{{{SOAP}}}Body")
        operation = body[0].tag.rsplit("}", 1)[-1] if body is not None and len(body) else ""
        self.operations.append(operation)
        answer, status = await self._answer(operation)
        return web.Response(
            text=answer, status=status, content_type="application/soap+xml", charset="utf-8"
        )

    async def _answer(self, operation: str) -> tuple[str, int]:
        if operation == "PullMessages":
            return await self._pull()
        answers: dict[str, Callable[[], str]] = {
            "GetSystemDateAndTime": self._date_and_time,
            "GetServices": self._services,
            "CreatePullPointSubscription": self._subscribe,
            "Renew": lambda: _envelope(
                f"<wsnt:RenewResponse><wsnt:TerminationTime>{_time(60)}</wsnt:TerminationTime>"
                f"<wsnt:CurrentTime>{_time()}</wsnt:CurrentTime></wsnt:RenewResponse>"
            ),
            "Unsubscribe": lambda: _envelope("<wsnt:UnsubscribeResponse/>"),
        }
        if operation not in answers:
            return _fault(f"Action not supported: {operation}"), 500
        return answers[operation](), 200

    async def _pull(self) -> tuple[str, int]:
        if self.failing_pulls:
            self.failing_pulls -= 1
            return _fault("Subscription expired"), 500
        if self.pulls:
            return (FIXTURES / self.pulls.pop(0)).read_text(encoding="utf-8"), 200
        await asyncio.sleep(0.1)  # a camera holds the pull open while it has nothing
        times = f"<tev:CurrentTime>{_time()}</tev:CurrentTime>"
        times += f"<tev:TerminationTime>{_time(60)}</tev:TerminationTime>"
        return _envelope(f"<tev:PullMessagesResponse>{times}</tev:PullMessagesResponse>"), 200

    def _date_and_time(self) -> str:
        now = datetime.now(UTC)
        return _envelope(
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
            f"<tt:UTCDateTime><tt:Time><tt:Hour>{now.hour}</tt:Hour><tt:Minute>{now.minute}"
            f"</tt:Minute><tt:Second>{now.second}</tt:Second></tt:Time><tt:Date><tt:Year>"
            f"{now.year}</tt:Year><tt:Month>{now.month}</tt:Month><tt:Day>{now.day}</tt:Day>"
            "</tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
        )

    def _services(self) -> str:
        entries = "".join(
            f"<tds:Service><tds:Namespace>{ns}</tds:Namespace><tds:XAddr>{self.base}{path}"
            "</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>5</tt:Minor></tds:Version>"
            "</tds:Service>"
            for ns, path in (
                ("http://www.onvif.org/ver10/device/wsdl", "/onvif/device_service"),
                ("http://www.onvif.org/ver10/events/wsdl", "/onvif/Events"),
            )
        )
        return _envelope(f"<tds:GetServicesResponse>{entries}</tds:GetServicesResponse>")

    def _subscribe(self) -> str:
        self._subscriptions += 1
        address = f"{self.base}/onvif/Subscription?Idx={self._subscriptions}"
        return _envelope(
            "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
            f"<wsa:Address>{address}</wsa:Address></tev:SubscriptionReference>"
            f"<wsnt:CurrentTime>{_time()}</wsnt:CurrentTime>"
            f"<wsnt:TerminationTime>{_time(60)}</wsnt:TerminationTime>"
            "</tev:CreatePullPointSubscriptionResponse>"
        )
