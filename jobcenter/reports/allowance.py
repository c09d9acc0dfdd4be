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

Kela's limits on the kept benefit are checked per *spell* (consecutive absences of
one kind, not ended by an attended day; a holiday does not end it): own illness keeps
it on the person's word for 3 days, from the 4th calendar day of the spell a medical
certificate is needed (flagged: the report cannot know whether one was given); a
sick child keeps it for up to 4 days, later days of the spell cost the benefit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from jobcenter.accounts.models import User
from jobcenter.catalog.models import StreamRule
from jobcenter.catalog.operations import in_force_clause
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
# Calendar days of a spell that need no certificate, and that keep the benefit.
OWN_WORD_DAYS = {AbsenceKind.OWN_ILLNESS: 3}
KEPT_DAYS = {AbsenceKind.SICK_CHILD: 4}
SPELL_KINDS = (*OWN_WORD_DAYS, *KEPT_DAYS)
# How far before the period a spell is looked for (it may have begun earlier).
SPELL_LOOKBACK_DAYS = 31
# Absences further apart than this (with no activity day between) are two spells.
SPELL_GAP_DAYS = 7


class AbsenceCheck(StrEnum):
    CERTIFICATE_NEEDED = "certificate_needed"  # own illness past the 3rd day
    OVER_LIMIT = "over_limit"  # sick child past the 4th day: the benefit is lost


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
    over_limit_days: int = 0  # sick-child days past the limit: counted as lost
    certificate_days: int = 0  # own-illness days that need a medical certificate

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def absent_days(self) -> int:
        return sum(self.absences.values())

    @property
    def benefit_kept_days(self) -> int:
        kept = sum(self.absences.get(kind, 0) for kind in BENEFIT_KEPT)
        return kept - self.over_limit_days

    @property
    def benefit_lost_days(self) -> int:
        lost = sum(self.absences.get(kind, 0) for kind in BENEFIT_LOST)
        return lost + self.over_limit_days


@dataclass
class AbsenceDay:
    participant_id: int
    first_name: str
    last_name: str
    day: date
    kind: AbsenceKind
    spell_day: int = 1  # calendar day of the spell (own illness, sick child)
    check: AbsenceCheck | None = None


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
                in_force_clause(StreamRule, day.day),
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
    absences = absence_days(session, user, period, group_id=group_id, participant_id=participant_id)
    by_person = {row.participant_id: row for row in rows}
    for item in absences:
        row = by_person.get(item.participant_id)
        if row is None:
            continue
        if item.check == AbsenceCheck.OVER_LIMIT:
            row.over_limit_days += 1
        elif item.check == AbsenceCheck.CERTIFICATE_NEEDED:
            row.certificate_days += 1
    return AllowanceReport(period=period, rows=rows, absence_days=absences)


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
    found = [
        AbsenceDay(pid, first, last, when, AbsenceKind(kind))
        for pid, first, last, when, kind in session.execute(stmt)
    ]
    _check_spells(session, user, period, found)
    return found


def _check_spells(session: Session, user: Any, period: Period, found: list[AbsenceDay]) -> None:
    """Number each own-illness and sick-child absence within its spell and flag the
    days past Kela's limits (see the module docstring)."""
    people = sorted({a.participant_id for a in found if a.kind in SPELL_KINDS})
    if not people:
        return
    wider = Period(period.first - timedelta(days=SPELL_LOOKBACK_DAYS), period.last)
    days = _scoped_days(user, wider).where(ActivityDay.participant_id.in_(people)).subquery()
    day = aliased(ActivityDay, days)
    history = session.execute(
        sa.select(day.participant_id, day.day, day.status, day.absence_kind).order_by(
            day.participant_id, day.day
        )
    ).all()
    spell_day: dict[tuple[int, date], int] = {}
    # The spell being followed: person, kind, its first day and its latest absence.
    current: tuple[int, AbsenceKind, date, date] | None = None
    for pid, when, status, kind in history:
        if current is not None and current[0] != pid:
            current = None
        if status == ActivityDayStatus.NOT_ORGANISED:
            continue  # a holiday neither ends nor counts in a spell
        if status != ActivityDayStatus.ABSENT or kind not in SPELL_KINDS:
            current = None
            continue
        kind = AbsenceKind(kind)
        if current is None or current[1] != kind or (when - current[3]).days > SPELL_GAP_DAYS:
            current = (pid, kind, when, when)
        current = (*current[:3], when)
        spell_day[(pid, when)] = (when - current[2]).days + 1
    for item in found:
        number = spell_day.get((item.participant_id, item.day))
        if number is None:
            continue
        item.spell_day = number
        if number > OWN_WORD_DAYS.get(item.kind, number):
            item.check = AbsenceCheck.CERTIFICATE_NEEDED
        elif number > KEPT_DAYS.get(item.kind, number):
            item.check = AbsenceCheck.OVER_LIMIT
