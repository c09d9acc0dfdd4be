"""Earnings from paid task hours against a person's monthly earnings ceiling.

- confirmed: the month's hour entries (each at the wage valid on its work date,
  reversals included), summed by the database;
- planned: shifts the person has accepted or that are confirmed for them this month
  and that have no confirmed hours yet, each at the wage valid on its date.

`earned_cents_by_month` is the one function the matching engine's loader and these
reports share for confirmed earnings.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
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

    def runs(self, period: Period) -> list[tuple[date, int]]:
        """(first day, wage) of each stretch of the period with one wage: one pair in
        the usual month, more when a rate changes inside it."""
        runs: list[tuple[date, int]] = []
        for offset in range((period.last - period.first).days + 1):
            day = period.first + timedelta(days=offset)
            wage = self.on(day)
            if not runs or runs[-1][1] != wage:
                runs.append((day, wage))
        return runs

    def at_start_of(self, starts_at: Any, period: Period) -> sa.ColumnElement[Any]:
        """SQL for the wage valid on the local day a shift starting at `starts_at` (a UTC
        timestamp inside the period) is on: a constant when one wage covers the period,
        else a CASE over the local midnights where it changes."""
        runs = self.runs(period)
        if len(runs) == 1:
            return sa.literal(runs[0][1], sa.BigInteger)
        return sa.case(
            *[
                (starts_at < _local_midnight(next_first), sa.literal(wage, sa.BigInteger))
                for (_first, wage), (next_first, _next) in itertools.pairwise(runs)
            ],
            else_=sa.literal(runs[-1][1], sa.BigInteger),
        )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.HELSINKI)


def _shift_minutes(session: Session) -> sa.ColumnElement[Any]:
    """A shift's whole minutes (rounded down), as `(ends_at - starts_at) // 60 s`."""
    if session.get_bind().dialect.name == "postgresql":
        seconds = sa.func.date_part("epoch", Shift.ends_at - Shift.starts_at)
        return sa.cast(sa.func.floor(seconds / 60), sa.BigInteger)
    seconds = sa.func.strftime("%s", Shift.ends_at) - sa.func.strftime("%s", Shift.starts_at)
    return sa.cast(seconds, sa.BigInteger) / 60


People = Iterable[int] | sa.Select[Any]


def _people(session: Session, participants: People) -> tuple[Any, list[int] | None]:
    """A test `among(column)` for "the column is one of the people", and the ids when
    given as a list. On PostgreSQL the people are one array (a list is one parameter; a
    SELECT is read once into an array), which the planner can match against an index
    as it would a list of constants; elsewhere an IN list or an IN (SELECT ...)."""
    ids = None if isinstance(participants, sa.Select) else list(participants)
    if session.get_bind().dialect.name != "postgresql":
        chosen = participants if ids is None else ids
        return (lambda column: column.in_(chosen)), ids
    if ids is None:
        people = participants.cte("people")
        array: Any = sa.select(sa.func.array_agg(people.c[0])).scalar_subquery()
    else:
        array = sa.literal(ids)
    array = sa.cast(array, postgresql.ARRAY(sa.Integer))
    return (lambda column: column == sa.any_(array)), ids


def earnings_for(session: Session, participants: People, month: date) -> dict[int, Earnings]:
    """Confirmed and planned earnings in the month of `month` for each person.

    `participants`: ids, or a SELECT of ids (then the result holds the people it
    selects). One statement: confirmed hours summed per person, planned shifts summed
    per person at the wage of their days (`WageTable.at_start_of`), and the ceiling of
    the plan in force during the month (the latest one)."""
    period = month_period(month)
    among, ids = _people(session, participants)
    result = {pid: Earnings(pid, period.first) for pid in ids or ()}
    if ids is not None and not ids:
        return result
    confirmed = (
        sa.select(
            HourEntry.participant_id.label("participant_id"),
            money.minutes_sum().label("minutes"),
            money.wage_cent_minutes().label("cent_minutes"),
        )
        .where(
            among(HourEntry.participant_id),
            HourEntry.work_date >= period.first,
            HourEntry.work_date <= period.last,
        )
        .group_by(HourEntry.participant_id)
        .subquery()
    )
    start, end = period.utc_bounds()
    recorded = sa.exists().where(
        HourEntry.shift_id == Assignment.shift_id,
        HourEntry.participant_id == Assignment.participant_id,
    )
    minutes = _shift_minutes(session)
    wage = WageTable(session).at_start_of(Shift.starts_at, period)
    planned = (
        sa.select(
            Assignment.participant_id.label("participant_id"),
            sa.func.sum(minutes).label("minutes"),
            sa.func.sum(minutes * wage).label("cent_minutes"),
        )
        .join(Shift, Shift.id == Assignment.shift_id)
        .where(
            among(Assignment.participant_id),
            Assignment.status.in_(PLANNED_STATUSES),
            Shift.status != ShiftStatus.CANCELLED,
            Shift.starts_at >= start,
            Shift.starts_at < end,
            ~recorded,
        )
        .group_by(Assignment.participant_id)
        .subquery()
    )
    ceiling = (
        sa.select(Plan.monthly_earnings_ceiling_cents)
        .where(
            Plan.participant_id == Participant.id,
            Plan.start_date <= period.last,
            Plan.end_date >= period.first,
        )
        .order_by(Plan.start_date.desc(), Plan.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            Participant.id,
            confirmed.c.minutes,
            confirmed.c.cent_minutes,
            planned.c.minutes,
            planned.c.cent_minutes,
            ceiling,
        )
        .outerjoin(confirmed, confirmed.c.participant_id == Participant.id)
        .outerjoin(planned, planned.c.participant_id == Participant.id)
        .where(among(Participant.id))
    )
    for pid, c_minutes, c_cents, p_minutes, p_cents, ceiling_cents in session.execute(stmt):
        result[pid] = Earnings(
            pid,
            period.first,
            confirmed_minutes=int(c_minutes or 0),
            confirmed_cents=money.cents(c_cents),
            planned_minutes=int(p_minutes or 0),
            planned_cents=money.cents(p_cents),
            ceiling_cents=ceiling_cents,
        )
    return result


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
