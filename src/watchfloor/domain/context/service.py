"""Context packets served to people: assembled fresh, every read audited."""

from __future__ import annotations

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.context import RequestContext
from watchfloor.domain.context.assembler import ContextAssembler
from watchfloor.domain.context.schemas import ContextPacket


class ContextDesk:
    """Serves packets over the API; who read which subject's packet goes to the audit log."""

    def __init__(self, assembler: ContextAssembler, audit: AuditLog) -> None:
        self.assembler = assembler
        self._audit = audit

    async def incident(self, incident_id: str, context: RequestContext) -> ContextPacket:
        """The packet of an incident (an audited read)."""
        packet = await self.assembler.for_incident(incident_id)
        await self._audit.record_alone(context, _read("incident", incident_id))
        return packet

    async def alert(self, alert_id: str, context: RequestContext) -> ContextPacket:
        """The packet of an alert (an audited read)."""
        packet = await self.assembler.for_alert(alert_id)
        await self._audit.record_alone(context, _read("alert", alert_id))
        return packet


def _read(kind: str, subject_id: str) -> AuditEntry:
    return AuditEntry(
        "context.read", object_type=kind, object_id=subject_id, reason=f"{kind} {subject_id}"
    )
