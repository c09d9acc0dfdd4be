"""Wages: confirmed paid task hours × wage per participant and month.

Each hour entry carries the wage valid on its work date and corrections are reversal
entries, so the wage is one exact SQL sum per person (`jobcenter.reports.money`).
Entries added after the month was closed are counted and flagged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.core.authz import scope
from jobcenter.core.enums import Stream
from jobcenter.hours.models import HourEntry
from jobcenter.participants.models import Participant
from jobcenter.reports import money
from jobcenter.reports.periods import Period


@dataclass
class WageRow:
    participant_id: int
    first_name: str
    last_name: str
    stream: Stream
    minutes: int
    wage_cents: int
    late_corrections: int  # entries added after the month had been closed

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}"


@dataclass
class WagesReport:
    period: Period
    rows: list[WageRow]

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rows)

    @property
    def wage_cents(self) -> int:
        return sum(r.wage_cents for r in self.rows)

    @property
    def late_corrections(self) -> int:
        return sum(r.late_corrections for r in self.rows)


def wages_report(
    session: Session,
    user: Any,
    period: Period,
    *,
    group_id: int | None = None,
    participant_id: int | None = None,
) -> WagesReport:
    """People with confirmed hours in the period (within the user's scope)."""
    late = money.late_corrections_count()
    stmt = (
        sa.select(
            HourEntry.participant_id,
            User.first_name,
            User.last_name,
            Participant.stream,
            money.minutes_sum(),
            money.wage_cent_minutes(),
            late,
        )
        .join(Participant, Participant.id == HourEntry.participant_id)
        .join(User, User.id == Participant.user_id)
        .where(HourEntry.work_date >= period.first, HourEntry.work_date <= period.last)
        .group_by(
            HourEntry.participant_id,
            User.first_name,
            User.last_name,
            Participant.stream,
        )
        .order_by(User.last_name, User.first_name, HourEntry.participant_id)
    )
    if group_id is not None:
        stmt = stmt.where(Participant.group_id == group_id)
    if participant_id is not None:
        stmt = stmt.where(HourEntry.participant_id == participant_id)
    rows = [
        WageRow(
            participant_id=pid,
            first_name=first,
            last_name=last,
            stream=Stream(stream),
            minutes=int(minutes),
            wage_cents=money.cents(cent_minutes),
            late_corrections=int(late_count),
        )
        for pid, first, last, stream, minutes, cent_minutes, late_count in session.execute(
            scope(stmt, HourEntry, user)
        )
    ]
    return WagesReport(period=period, rows=rows)
