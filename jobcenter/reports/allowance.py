"""Allowance days per participant and period, for the organiser's absence reports
to Kela (form TT3) and for the work allowance of the disability stream.

Only the latest version of each activity day counts: a correction supersedes the
record before it, so every person and day is counted once. Per DOMAIN.md:

- an *attended* day earns the day's compensation: in the rehabilitative stream the
  stream rule's amount valid on that day (9 €, kulukorvaus / toimintaraha); in the
  disability stream the work allowance of the person's plan in force on that day
  (työosuusraha, 0–12 €);
- an absence for own illness, a sick child, a job interview or a public office keeps
  the benefit but earns nothing; any other absence (other excused, unexcused) costs
  the day's benefit;
- a public holiday is "service not organised": neither attended nor absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from jobcenter.accounts.models import User
from jobcenter.catalog.models import StreamRule
from jobcenter.core.authz import scope
from jobcenter.core.enums import Stream
from jobcenter.hours.models import AbsenceKind, ActivityDay, ActivityDayStatus
from jobcenter.participants.models import Participant, Plan
from jobcenter.reports.periods import Period

# Absences that keep the day's benefit (but earn no compensation), and those that cost it.
BENEFIT_KEPT = (
    AbsenceKind.OWN_ILLNESS,
    AbsenceKind.SICK_CHILD,
    AbsenceKind.JOB_INTERVIEW,
    AbsenceKind.PUBLIC_OFFICE,
)
BENEFIT_LOST = (AbsenceKind.OTHER_EXCUSED, AbsenceKind.UNEXCUSED)
ABSENCE_ORDER = (*BENEFIT_KEPT, *BENEFIT_LOST)


@dataclass
class AllowanceRow:
    participant_id: int
    first_name: str
    last_name: str
    stream: Stream
    attended_days: int = 0
    not_organised_days: int = 0
    absences: dict[AbsenceKind, int] = field(default_factory=dict)
    earning_days: int = 0
    allowance_cents: int = 0

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def absent_days(self) -> int:
        return sum(self.absences.values())

    @property
    def benefit_kept_days(self) -> int:
        return sum(self.absences.get(kind, 0) for kind in BENEFIT_KEPT)

    @property
    def benefit_lost_days(self) -> int:
        return sum(self.absences.get(kind, 0) for kind in BENEFIT_LOST)


@dataclass
class AbsenceDay:
    participant_id: int
    first_name: str
    last_name: str
    day: date
    kind: AbsenceKind


@dataclass
class AllowanceReport:
    period: Period
    rows: list[AllowanceRow]
    absence_days: list[AbsenceDay]

    def total(self, attribute: str) -> int:
        return sum(getattr(row, attribute) for row in self.rows)

    def total_absences(self, kind: AbsenceKind) -> int:
        return sum(row.absences.get(kind, 0) for row in self.rows)


def latest_activity_days() -> sa.Select:
    """Activity days that no correction has superseded (one per person and day)."""
    newer = aliased(ActivityDay)
    return sa.select(ActivityDay).where(~sa.exists().where(newer.supersedes_id == ActivityDay.id))


def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _scoped_days(user: Any, period: Period) -> sa.Select:
    return scope(latest_activity_days(), ActivityDay, user).where(
        ActivityDay.day >= period.first, ActivityDay.day <= period.last
    )


def allowance_report(
    session: Session,
    user: Any,
    period: Period,
    *,
    group_id: int | None = None,
    participant_id: int | None = None,
) -> AllowanceReport:
    """One row per participant in the user's scope (of one group, or one person) who had
    a plan during the period or an activity day in it, with the period's figures."""
    days = _scoped_days(user, period).subquery()
    day = aliased(ActivityDay, days)
    amount = sa.case(
        (day.status != ActivityDayStatus.ATTENDED, sa.literal(0)),
        (
            Participant.stream == Stream.REHABILITATIVE,
            sa.func.coalesce(StreamRule.daily_allowance_cents, 0),
        ),
        else_=sa.func.coalesce(Plan.daily_allowance_cents, 0),
    )
    attended = day.status == ActivityDayStatus.ATTENDED
    figures = (
        sa.select(
            day.participant_id.label("participant_id"),
            _count(attended).label("attended"),
            _count(day.status == ActivityDayStatus.NOT_ORGANISED).label("not_organised"),
            _count(sa.and_(attended, amount > 0)).label("earning"),
            sa.func.coalesce(sa.func.sum(amount), 0).label("cents"),
            *(
                _count(
                    sa.and_(day.status == ActivityDayStatus.ABSENT, day.absence_kind == kind)
                ).label(f"absent_{kind.value}")
                for kind in ABSENCE_ORDER
            ),
        )
        .join(Participant, Participant.id == day.participant_id)
        .outerjoin(
            StreamRule,
            sa.and_(
                StreamRule.stream == Participant.stream,
                StreamRule.valid_from <= day.day,
                sa.or_(StreamRule.valid_to.is_(None), StreamRule.valid_to > day.day),
            ),
        )
        .outerjoin(
            Plan,
            sa.and_(
                Plan.participant_id == day.participant_id,
                Plan.start_date <= day.day,
                Plan.end_date >= day.day,
            ),
        )
        .group_by(day.participant_id)
        .subquery()
    )
    had_plan = sa.exists().where(
        Plan.participant_id == Participant.id,
        Plan.start_date <= period.last,
        Plan.end_date >= period.first,
    )
    stmt = (
        sa.select(Participant.id, User.first_name, User.last_name, Participant.stream, figures)
        .join(User, User.id == Participant.user_id)
        .outerjoin(figures, figures.c.participant_id == Participant.id)
        .where(sa.or_(had_plan, figures.c.participant_id.is_not(None)))
        .order_by(User.last_name, User.first_name, Participant.id)
    )
    if group_id is not None:
        stmt = stmt.where(Participant.group_id == group_id)
    if participant_id is not None:
        stmt = stmt.where(Participant.id == participant_id)
    rows = []
    for record in session.execute(scope(stmt, Participant, user)).mappings():
        rows.append(
            AllowanceRow(
                participant_id=record["id"],
                first_name=record["first_name"],
                last_name=record["last_name"],
                stream=Stream(record["stream"]),
                attended_days=int(record["attended"] or 0),
                not_organised_days=int(record["not_organised"] or 0),
                earning_days=int(record["earning"] or 0),
                allowance_cents=int(record["cents"] or 0),
                absences={kind: int(record[f"absent_{kind.value}"] or 0) for kind in ABSENCE_ORDER},
            )
        )
    return AllowanceReport(
        period=period,
        rows=rows,
        absence_days=absence_days(
            session, user, period, group_id=group_id, participant_id=participant_id
        ),
    )


def absence_days(
    session: Session,
    user: Any,
    period: Period,
    *,
    group_id: int | None = None,
    participant_id: int | None = None,
) -> list[AbsenceDay]:
    """Each absence in the period with its date and kind, as Kela's form asks."""
    days = _scoped_days(user, period).where(ActivityDay.status == ActivityDayStatus.ABSENT)
    days = days.subquery()
    day = aliased(ActivityDay, days)
    stmt = (
        sa.select(day.participant_id, User.first_name, User.last_name, day.day, day.absence_kind)
        .join(Participant, Participant.id == day.participant_id)
        .join(User, User.id == Participant.user_id)
        .order_by(User.last_name, User.first_name, day.participant_id, day.day)
    )
    if group_id is not None:
        stmt = stmt.where(Participant.group_id == group_id)
    if participant_id is not None:
        stmt = stmt.where(Participant.id == participant_id)
    return [
        AbsenceDay(pid, first, last, when, AbsenceKind(kind))
        for pid, first, last, when, kind in session.execute(stmt)
    ]
