"""How footage requests fare: the supervisor's statistics for a period, and the public
transparency numbers (aggregate counts only, nothing about any one registrant or request)."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from watchfloor.audit.service import AuditEntry, AuditLog
from watchfloor.core.clock import Clock
from watchfloor.core.context import RequestContext
from watchfloor.core.errors import FieldProblem, InvalidInput
from watchfloor.db.engine import Database
from watchfloor.domain.community.models import CommunityCamera, CommunitySite, FootageRequest
from watchfloor.domain.community.request_schemas import MonthCount, RequestStats, Transparency
from watchfloor.domain.community.vocabulary import ANSWERED_STATUSES, RequestStatus, SiteStatus

DEFAULT_PERIOD = timedelta(days=30)
ANSWERED = [status.value for status in ANSWERED_STATUSES]


class RequestStatistics:
    """Counts over footage requests for supervisors and the public."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog, months: int) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._months = months

    async def for_period(
        self, since: datetime | None, until: datetime | None, context: RequestContext
    ) -> RequestStats:
        """Requests created in [since, until) and how they went (an audited read)."""
        until = until or self._clock.now()
        since = since or until - DEFAULT_PERIOD
        if since >= until:
            problem = FieldProblem("/since", "must be before until")
            raise InvalidInput("The period is empty.", [problem])
        async with self._db.session() as session:
            stats = await _stats(session, since, until)
            entry = AuditEntry(
                "community.stats.read",
                details={"since": since.isoformat(), "until": until.isoformat()},
            )
            await self._audit.record(session, context, entry)
        return stats

    async def transparency(self) -> Transparency:
        """The program's public numbers as they stand now."""
        now = self._clock.now()
        first = _month_start(now, self._months - 1)
        async with self._db.read_session() as session:
            registrations = await session.scalar(
                select(func.count(CommunitySite.id)).where(
                    CommunitySite.status == SiteStatus.ACTIVE.value
                )
            )
            cameras = await session.scalar(
                select(func.count(CommunityCamera.id)).where(CommunityCamera.listed.is_(True))
            )
            by_status = dict(
                (
                    await session.execute(
                        select(FootageRequest.status, func.count(FootageRequest.id)).group_by(
                            FootageRequest.status
                        )
                    )
                ).all()
            )
            recent = (
                await session.execute(
                    select(FootageRequest.created_at, FootageRequest.status).where(
                        FootageRequest.created_at >= first
                    )
                )
            ).all()
            months = _months(list(recent), now, self._months)
        uploaded = by_status.get(RequestStatus.UPLOADED.value, 0)
        declined = by_status.get(RequestStatus.DECLINED.value, 0)
        return Transparency(
            as_of=now,
            registrations=registrations or 0,
            cameras=cameras or 0,
            requests=sum(by_status.values()),
            answered=uploaded + declined,
            uploaded=uploaded,
            declined=declined,
            months=months,
        )


async def _stats(session: AsyncSession, since: datetime, until: datetime) -> RequestStats:
    rows = (
        await session.execute(
            select(
                FootageRequest.status,
                FootageRequest.opened_at,
                FootageRequest.created_at,
                FootageRequest.answered_at,
                FootageRequest.useful,
            ).where(FootageRequest.created_at >= since, FootageRequest.created_at < until)
        )
    ).all()
    statuses: Counter[str] = Counter()
    opened = useful = not_useful = 0
    hours: list[float] = []
    for status, opened_at, created_at, answered_at, verdict in rows:
        statuses[status] += 1
        opened += opened_at is not None
        useful += verdict is True
        not_useful += verdict is False
        if status in ANSWERED and answered_at is not None:
            hours.append((answered_at - created_at).total_seconds() / 3600)
    sent = sum(statuses.values())
    return RequestStats(
        since=since,
        until=until,
        sent=sent,
        opened=opened,
        uploaded=statuses[RequestStatus.UPLOADED.value],
        declined=statuses[RequestStatus.DECLINED.value],
        expired=statuses[RequestStatus.EXPIRED.value],
        withdrawn=statuses[RequestStatus.WITHDRAWN.value],
        useful=useful,
        not_useful=not_useful,
        answer_rate=round(len(hours) / sent, 4) if sent else 0.0,
        median_hours_to_answer=round(statistics.median(hours), 2) if hours else None,
    )


def _month_start(now: datetime, back: int) -> datetime:
    """The first instant of the month `back` months before now's."""
    index = now.year * 12 + now.month - 1 - back
    return now.replace(
        year=index // 12, month=index % 12 + 1, day=1, hour=0, minute=0, second=0, microsecond=0
    )


def _months(rows: list[tuple[datetime, str]], now: datetime, count: int) -> list[MonthCount]:
    """Requests and answers per calendar month, oldest first, empty months included."""
    keys = [_month_start(now, back).strftime("%Y-%m") for back in range(count - 1, -1, -1)]
    requests: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    for created_at, status in rows:
        key = created_at.strftime("%Y-%m")
        requests[key] += 1
        answered[key] += status in ANSWERED
    return [MonthCount(month=k, requests=requests[k], answered=answered[k]) for k in keys]
