"""Read-side queries for the unit's and the instructors' task pages.

Plain functions `(session, user, ...) -> rows`, each scoped through
`jobcenter.core.authz.scope`, so a page can never show a row outside the user's reach.
Aggregates (counts, hours and costs per month) are computed by the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.authz import scope
from jobcenter.core.enums import Role
from jobcenter.hours import attendance
from jobcenter.hours.models import HourEntry
from jobcenter.participants.models import Group, Instructor, Participant
from jobcenter.participants.policies import own_group_ids
from jobcenter.reports import money
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.scheduling.policies import UNIT_VISIBLE_STATUSES
from jobcenter.units.models import Task, TaskEvent, TaskFeedback, TaskStatus

S = TaskStatus

# The order in which a unit reads its tasks: what needs it first, history last.
STATUS_ORDER = (
    S.CHANGES_REQUESTED,
    S.DRAFT,
    S.DONE,
    S.SUBMITTED,
    S.ACCEPTED,
    S.SCHEDULED,
    S.CONFIRMED,
    S.REJECTED,
    S.CANCELLED,
)
# An instructor's pool: work accepted and not yet confirmed by the unit.
POOL_STATUSES = (S.ACCEPTED, S.SCHEDULED, S.DONE)


# ---------------------------------------------------------------- task lists


def status_counts(session: Session, user: Any) -> dict[TaskStatus, int]:
    """How many tasks the user sees in each status (statuses with none are left out)."""
    rows = session.execute(
        scope(sa.select(Task.status, sa.func.count(Task.id)).group_by(Task.status), Task, user)
    ).all()
    return {TaskStatus(status): int(count) for status, count in rows}


def tasks(session: Session, user: Any, status: TaskStatus | None = None) -> Sequence[Task]:
    """The user's tasks, newest change first, with their kind loaded."""
    stmt = (
        sa.select(Task)
        .options(selectinload(Task.task_kind))
        .order_by(Task.updated_at.desc(), Task.id.desc())
    )
    if status is not None:
        stmt = stmt.where(Task.status == status)
    return session.scalars(scope(stmt, Task, user)).all()


def _submitted_at():
    """When the task was last sent to the instructors (a correlated subquery)."""
    return (
        sa.select(sa.func.max(TaskEvent.at))
        .where(TaskEvent.task_id == Task.id, TaskEvent.to_status == S.SUBMITTED)
        .correlate(Task)
        .scalar_subquery()
    )


@dataclass
class InboxLine:
    task: Task
    submitted_at: datetime | None


def inbox(session: Session, user: Any) -> list[InboxLine]:
    """Submitted tasks waiting for an answer, the longest-waiting first."""
    submitted_at = _submitted_at().label("submitted_at")
    stmt = (
        sa.select(Task, submitted_at)
        .where(Task.status == S.SUBMITTED)
        .options(
            selectinload(Task.task_kind),
            selectinload(Task.unit),
            selectinload(Task.district),
            selectinload(Task.required_skills),
        )
        .order_by(submitted_at.asc(), Task.id.asc())
    )
    return [InboxLine(task, at) for task, at in session.execute(scope(stmt, Task, user)).all()]


def pool(session: Session, user: Any) -> Sequence[Task]:
    """Tasks accepted into the pool and not yet confirmed: for an instructor those of
    their own groups, for an admin all of them."""
    stmt = (
        sa.select(Task)
        .where(Task.status.in_(POOL_STATUSES))
        .options(selectinload(Task.task_kind), selectinload(Task.unit), selectinload(Task.group))
        .order_by(Task.first_date.asc().nulls_last(), Task.id)
    )
    if user.role == Role.INSTRUCTOR:
        stmt = stmt.where(Task.group_id.in_(own_group_ids(user)))
    return session.scalars(scope(stmt, Task, user)).all()


def shifts_needing_review(session: Session, user: Any) -> Sequence[Shift]:
    """Coming shifts whose task changed after people were confirmed on them."""
    stmt = (
        sa.select(Shift)
        .where(
            Shift.needs_review.is_(True),
            Shift.status == ShiftStatus.PLANNED,
            Shift.ends_at > clock.now(),
        )
        .options(selectinload(Shift.task).selectinload(Task.unit))
        .order_by(Shift.starts_at, Shift.id)
    )
    return session.scalars(scope(stmt, Shift, user)).all()


def group_choices(session: Session, user: Any) -> list[tuple[int, str]]:
    """Groups that may take a task: the instructor's own; for an admin every group,
    named with its instructor."""
    stmt = (
        sa.select(Group.id, Group.name, User.first_name, User.last_name)
        .join(Instructor, Group.instructor_id == Instructor.id)
        .join(User, Instructor.user_id == User.id)
        .order_by(Group.name, Group.id)
    )
    if user.role == Role.INSTRUCTOR:
        return [(gid, name) for gid, name, _f, _l in session.execute(
            stmt.where(Instructor.user_id == user.id)
        ).all()]  # fmt: skip
    if user.role == Role.ADMIN:
        return [
            (gid, f"{name} ({first} {last})") for gid, name, first, last in session.execute(stmt)
        ]
    return []


# ---------------------------------------------------------------- one task


@dataclass
class HistoryLine:
    at: datetime
    actor_name: str | None
    from_status: TaskStatus | None
    to_status: TaskStatus
    reason: str | None


def history(session: Session, task: Task) -> list[HistoryLine]:
    """The task's steps, oldest first: who, when, from, to and why."""
    rows = session.execute(
        sa.select(TaskEvent, User.first_name, User.last_name)
        .outerjoin(User, TaskEvent.actor_id == User.id)
        .where(TaskEvent.task_id == task.id)
        .order_by(TaskEvent.at, TaskEvent.id)
    ).all()
    return [
        HistoryLine(
            at=event.at,
            actor_name=f"{first} {last}" if first else None,
            from_status=event.from_status,
            to_status=event.to_status,
            reason=event.reason,
        )
        for event, first, last in rows
    ]


def feedback(session: Session, task: Task) -> TaskFeedback | None:
    return session.scalar(sa.select(TaskFeedback).where(TaskFeedback.task_id == task.id))


@dataclass
class ShiftPeople:
    """A coming shift as a unit may see it: who is coming by first name only, and the
    supervising instructor's name and phone."""

    id: int
    starts_at: datetime
    ends_at: datetime
    slots: int
    first_names: list[str]
    participant_ids: list[int]  # for the audit log, never shown
    instructor_name: str | None
    instructor_phone: str | None
    needs_review: bool


def coming_shifts(session: Session, task: Task, user: Any, limit: int = 20) -> list[ShiftPeople]:
    """The task's planned shifts that are not over, with the people confirmed on them
    (first names only) and the instructor's contact."""
    shifts = session.execute(
        scope(
            sa.select(Shift, User.first_name, User.last_name, User.phone)
            .outerjoin(Instructor, Shift.instructor_id == Instructor.id)
            .outerjoin(User, Instructor.user_id == User.id)
            .where(
                Shift.task_id == task.id,
                Shift.status == ShiftStatus.PLANNED,
                Shift.ends_at > clock.now(),
            )
            .order_by(Shift.starts_at, Shift.id)
            .limit(limit),
            Shift,
            user,
        )
    ).all()
    ids = [shift.id for shift, *_rest in shifts]
    names: dict[int, list[str]] = {i: [] for i in ids}
    people_ids: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        people = session.execute(
            sa.select(Assignment.shift_id, User.first_name, Participant.id)
            .join(Participant, Assignment.participant_id == Participant.id)
            .join(User, Participant.user_id == User.id)
            .where(Assignment.shift_id.in_(ids), Assignment.status.in_(UNIT_VISIBLE_STATUSES))
            .order_by(User.first_name)
        ).all()
        for shift_id, first_name, participant_id in people:
            names[shift_id].append(first_name)
            people_ids[shift_id].append(participant_id)
    return [
        ShiftPeople(
            id=shift.id,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            slots=shift.slots,
            first_names=names[shift.id],
            participant_ids=people_ids[shift.id],
            instructor_name=f"{first} {last}" if first else None,
            instructor_phone=phone,
            needs_review=shift.needs_review,
        )
        for shift, first, last, phone in shifts
    ]


@dataclass
class EndedShift:
    """A shift that is over, as counts and hours only (no one's name)."""

    id: int
    starts_at: datetime
    ends_at: datetime
    people: int  # attended
    minutes: int  # confirmed, net of corrections
    unconfirmed: bool  # someone expected on it has no confirmed attendance yet


@dataclass
class WorkDone:
    shifts: list[EndedShift]  # newest first, at most the limit
    total: int  # ended shifts in all
    minutes: int  # confirmed minutes of the whole task
    unconfirmed: int  # ended shifts whose attendance is not confirmed yet

    @property
    def more(self) -> int:
        return self.total - len(self.shifts)


def work_done(session: Session, task: Task, user: Any, limit: int = 20) -> WorkDone:
    """The task's shifts that are over (not cancelled), newest first: how many people
    worked, the confirmed hours from the hour ledger (reversals are negative entries, so
    a plain sum is the corrected figure) and whether attendance is still unconfirmed
    (the rule of the instructors' "Attendance missing" list, but over the task's whole
    life, not only that list's recent days). Counts and hours only."""
    now = clock.now()
    ended = scope(
        sa.select(Shift.id).where(
            Shift.task_id == task.id,
            Shift.status != ShiftStatus.CANCELLED,
            Shift.ends_at <= now,
        ),
        Shift,
        user,
    )
    rows = session.execute(
        ended.with_only_columns(Shift.id, Shift.starts_at, Shift.ends_at)
        .order_by(Shift.starts_at.desc(), Shift.id.desc())
        .limit(limit)
    ).all()
    total = session.scalar(sa.select(sa.func.count()).select_from(ended.subquery())) or 0
    pending = attendance.pending_assignments(now, lookback_days=None).subquery()
    unconfirmed_ids = sa.select(pending.c.shift_id).where(pending.c.shift_id.in_(ended)).distinct()
    unconfirmed = (
        session.scalar(sa.select(sa.func.count()).select_from(unconfirmed_ids.subquery())) or 0
    )
    task_shifts = scope(sa.select(Shift.id).where(Shift.task_id == task.id), Shift, user)
    task_minutes = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(HourEntry.minutes), 0)).where(
            HourEntry.shift_id.in_(task_shifts)
        )
    )
    ids = [row.id for row in rows]
    people: dict[int, int] = {}
    minutes: dict[int, int] = {}
    waiting: set[int] = set()
    if ids:
        people = dict(
            session.execute(
                sa.select(Assignment.shift_id, sa.func.count(Assignment.id))
                .where(
                    Assignment.shift_id.in_(ids),
                    Assignment.status == AssignmentStatus.ATTENDED,
                )
                .group_by(Assignment.shift_id)
            ).all()
        )
        minutes = dict(
            session.execute(
                sa.select(HourEntry.shift_id, sa.func.sum(HourEntry.minutes))
                .where(HourEntry.shift_id.in_(ids))
                .group_by(HourEntry.shift_id)
            ).all()
        )
        waiting = set(session.scalars(unconfirmed_ids.where(pending.c.shift_id.in_(ids))).all())
    return WorkDone(
        shifts=[
            EndedShift(
                id=row.id,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                people=int(people.get(row.id, 0)),
                minutes=int(minutes.get(row.id) or 0),
                unconfirmed=row.id in waiting,
            )
            for row in rows
        ],
        total=int(total),
        minutes=int(task_minutes or 0),
        unconfirmed=int(unconfirmed),
    )


# ---------------------------------------------------------------- hours and costs


@dataclass
class MonthCost:
    month: date  # first day of the month
    minutes: int
    net_cents: int
    vat_cents: int

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


@dataclass
class HoursAndCosts:
    year: int
    months: list[MonthCost]
    years: list[int]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.months)

    @property
    def net_cents(self) -> int:
        return sum(m.net_cents for m in self.months)

    @property
    def vat_cents(self) -> int:
        return sum(m.vat_cents for m in self.months)

    @property
    def gross_cents(self) -> int:
        return sum(m.gross_cents for m in self.months)


def hours_and_costs(session: Session, user: Any, year: int | None = None) -> HoursAndCosts:
    """Confirmed hours delivered to the user's unit per month of `year`, valued at the
    price and VAT each hour entry carries (those valid on its work date). Corrections
    are reversal entries, so the sums are the corrected figures. Net and VAT are summed
    exactly by the database and rounded to cents once per month."""
    year = year or clock.today().year
    y = sa.extract("year", HourEntry.work_date)
    m = sa.extract("month", HourEntry.work_date)
    stmt = (
        sa.select(
            m, money.minutes_sum(), money.price_cent_minutes(), money.vat_cent_minute_percents()
        )
        .where(HourEntry.work_date >= date(year, 1, 1), HourEntry.work_date < date(year + 1, 1, 1))
        .group_by(m)
        .order_by(m)
    )
    rows = session.execute(scope(stmt, HourEntry, user)).all()
    months = [
        MonthCost(
            month=date(year, int(month), 1),
            minutes=int(minutes or 0),
            net_cents=money.cents(net),
            vat_cents=money.vat_cents(vat),
        )
        for month, minutes, net, vat in rows
    ]
    years = sorted(
        {
            int(v)
            for v in session.scalars(scope(sa.select(y).distinct(), HourEntry, user)).all()
            if v is not None
        }
        | {clock.today().year},
        reverse=True,
    )
    return HoursAndCosts(year=year, months=months, years=years)
