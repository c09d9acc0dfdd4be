"""Earnings from paid task hours against a person's monthly earnings ceiling.

- confirmed: the month's hour entries (each at the wage valid on its work date,
  reversals included), summed by the database;
- planned: shifts the person has accepted or that are confirmed for them this month
  and that have no confirmed hours yet, each at the wage valid on its date.

`earned_cents_by_month` is the one function the matching engine's loader and these
reports share for confirmed earnings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.catalog.models import RateKind
from jobcenter.core import clock
from jobcenter.core.authz import scope
from jobcenter.core.enums import Stream
from jobcenter.hours.models import HourEntry
from jobcenter.hours.valuation import load_rates, rate_valid_on
from jobcenter.participants.models import Participant, Plan
from jobcenter.reports import money
from jobcenter.reports.periods import Period, month_period
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus

# Assignments that will become paid hours unless something changes.
PLANNED_STATUSES = (AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED)
# Who an instructor should look at: projected earnings at least this share of the ceiling.
CLOSE_SHARE = Decimal("0.8")


def earned_cents_by_month(
    session: Session,
    participant_ids: Iterable[int],
    first: date,
    end: date,
    *,
    exclude_shift_ids: Iterable[int] = (),
) -> defaultdict[int, defaultdict[str, int]]:
    """Confirmed earnings per person and month ("YYYY-MM") for work dates in
    [first, end), leaving out the hours of `exclude_shift_ids` (shifts being planned
    again). One grouped query; rounded to cents once per person and month."""
    ids = list(participant_ids)
    earned: defaultdict[int, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    if not ids:
        return earned
    year = sa.extract("year", HourEntry.work_date)
    month = sa.extract("month", HourEntry.work_date)
    stmt = (
        sa.select(HourEntry.participant_id, year, month, money.wage_cent_minutes())
        .where(
            HourEntry.participant_id.in_(ids),
            HourEntry.work_date >= first,
            HourEntry.work_date < end,
        )
        .group_by(HourEntry.participant_id, year, month)
    )
    excluded = list(exclude_shift_ids)
    if excluded:
        stmt = stmt.where(HourEntry.shift_id.not_in(excluded))
    for pid, y, m, cent_minutes in session.execute(stmt):
        earned[pid][f"{int(y):04d}-{int(m):02d}"] += money.cents(cent_minutes)
    return earned


@dataclass
class Earnings:
    participant_id: int
    month: date
    confirmed_minutes: int = 0
    confirmed_cents: int = 0
    planned_minutes: int = 0
    planned_cents: int = 0
    ceiling_cents: int | None = None

    @property
    def projected_cents(self) -> int:
        return self.confirmed_cents + self.planned_cents

    @property
    def projected_minutes(self) -> int:
        return self.confirmed_minutes + self.planned_minutes

    @property
    def ceiling_left_cents(self) -> int | None:
        if self.ceiling_cents is None:
            return None
        return max(self.ceiling_cents - self.projected_cents, 0)

    @property
    def share_of_ceiling(self) -> Decimal | None:
        """Projected earnings as a share of the ceiling (1 = at the ceiling)."""
        if self.ceiling_cents is None:
            return None
        if self.ceiling_cents == 0:
            return Decimal(1) if self.projected_cents == 0 else Decimal(999)
        return Decimal(self.projected_cents) / Decimal(self.ceiling_cents)

    @property
    def percent_of_ceiling(self) -> int | None:
        share = self.share_of_ceiling
        return None if share is None else int((share * 100).to_integral_value())

    @property
    def over_ceiling(self) -> bool:
        return self.ceiling_cents is not None and self.projected_cents > self.ceiling_cents


class WageTable:
    """The wage valid on each day, from the few rate versions (loaded once), by the
    same rule that values confirmed hours (`hours.valuation`)."""

    def __init__(self, session: Session) -> None:
        self.rates = load_rates(session)

    def on(self, day: date) -> int:
        rate = rate_valid_on(self.rates, RateKind.WAGE, day)
        return int(rate.cents_per_hour) if rate is not None else 0


def _ceilings(session: Session, ids: list[int], period: Period) -> dict[int, int | None]:
    """Each person's ceiling from the plan in force during the month (the latest one)."""
    ceilings: dict[int, int | None] = {}
    for pid, ceiling in session.execute(
        sa.select(Plan.participant_id, Plan.monthly_earnings_ceiling_cents)
        .where(
            Plan.participant_id.in_(ids),
            Plan.start_date <= period.last,
            Plan.end_date >= period.first,
        )
        .order_by(Plan.participant_id, Plan.start_date)
    ):
        ceilings[pid] = ceiling
    return ceilings


def earnings_for(
    session: Session, participant_ids: Iterable[int], month: date
) -> dict[int, Earnings]:
    """Confirmed and planned earnings in the month of `month` for each person."""
    ids = list(participant_ids)
    period = month_period(month)
    result = {pid: Earnings(pid, period.first) for pid in ids}
    if not ids:
        return result
    for pid, minutes, cent_minutes in session.execute(
        sa.select(HourEntry.participant_id, money.minutes_sum(), money.wage_cent_minutes())
        .where(
            HourEntry.participant_id.in_(ids),
            HourEntry.work_date >= period.first,
            HourEntry.work_date <= period.last,
        )
        .group_by(HourEntry.participant_id)
    ):
        result[pid].confirmed_minutes = int(minutes)
        result[pid].confirmed_cents = money.cents(cent_minutes)

    start, end = period.utc_bounds()
    recorded = sa.exists().where(
        HourEntry.shift_id == Assignment.shift_id,
        HourEntry.participant_id == Assignment.participant_id,
    )
    wages = WageTable(session)
    planned_cent_minutes: dict[int, int] = defaultdict(int)
    for pid, starts_at, ends_at in session.execute(
        sa.select(Assignment.participant_id, Shift.starts_at, Shift.ends_at)
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(
            Assignment.participant_id.in_(ids),
            Assignment.status.in_(PLANNED_STATUSES),
            Shift.status != ShiftStatus.CANCELLED,
            Shift.starts_at >= start,
            Shift.starts_at < end,
            ~recorded,
        )
    ):
        minutes = int((ends_at - starts_at).total_seconds() // 60)
        day = clock.to_local(_aware(starts_at)).date()
        result[pid].planned_minutes += minutes
        planned_cent_minutes[pid] += minutes * wages.on(day)
    for pid, cent_minutes in planned_cent_minutes.items():
        result[pid].planned_cents = money.cents(cent_minutes)
    for pid, ceiling in _ceilings(session, ids, period).items():
        result[pid].ceiling_cents = ceiling
    return result


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they are UTC like everything stored."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def participant_earnings(session: Session, participant: Participant, month: date) -> Earnings:
    return earnings_for(session, [participant.id], month)[participant.id]


@dataclass
class CeilingRow:
    participant_id: int
    first_name: str
    last_name: str
    stream: Stream
    earnings: Earnings

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}"


def close_to_ceiling(
    session: Session, user: Any, month: date, *, share: Decimal = CLOSE_SHARE
) -> list[CeilingRow]:
    """People in the user's scope whose projected earnings this month reach `share`
    (80 %) of their plan's ceiling, the closest first."""
    period = month_period(month)
    stmt = (
        sa.select(Participant.id, User.first_name, User.last_name, Participant.stream)
        .join(User, User.id == Participant.user_id)
        .where(
            sa.exists().where(
                Plan.participant_id == Participant.id,
                Plan.monthly_earnings_ceiling_cents.is_not(None),
                Plan.start_date <= period.last,
                Plan.end_date >= period.first,
            )
        )
    )
    people = session.execute(scope(stmt, Participant, user)).all()
    figures = earnings_for(session, [p[0] for p in people], period.first)
    rows = [
        CeilingRow(pid, first, last, Stream(stream), figures[pid])
        for pid, first, last, stream in people
        if figures[pid].share_of_ceiling is not None and figures[pid].share_of_ceiling >= share
    ]
    rows.sort(key=lambda r: (-(r.earnings.share_of_ceiling or 0), r.last_name, r.first_name))
    return rows


@dataclass
class DayHours:
    day: date
    minutes: int
    cents: int


def hours_by_day(session: Session, participant_id: int, month: date) -> list[DayHours]:
    """A person's confirmed hours and earnings per work day of the month (corrections
    included; days whose hours were all reversed are left out)."""
    period = month_period(month)
    minutes = money.minutes_sum()
    rows = session.execute(
        sa.select(HourEntry.work_date, minutes, money.wage_cent_minutes())
        .where(
            HourEntry.participant_id == participant_id,
            HourEntry.work_date >= period.first,
            HourEntry.work_date <= period.last,
        )
        .group_by(HourEntry.work_date)
        .having(minutes != 0)
        .order_by(HourEntry.work_date)
    ).all()
    return [DayHours(day, int(m), money.cents(c)) for day, m, c in rows]
