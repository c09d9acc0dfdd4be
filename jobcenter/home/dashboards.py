"""What each role's home page shows: plain query functions `(session, user, ...) -> data`.

Every query goes through `jobcenter.core.authz.scope`, so a home page can only ever
count or list rows its reader may see. Aggregates are single SQL statements (SUM,
COUNT … GROUP BY), never Python loops over rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.catalog.models import Skill, TaskKind
from jobcenter.core import clock
from jobcenter.core.authz import scope
from jobcenter.core.enums import Role, Stream
from jobcenter.hours.models import HourEntry
from jobcenter.participants.models import Group, Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units.models import Task, TaskStatus, Unit

# How many shifts a home page lists before saying "and N more".
SHIFT_LIST_LIMIT = 10
PARTICIPANT_SHIFT_LIMIT = 5

# Lifecycle order for the unit's "tasks by status" (DOMAIN.md).
TASK_STATUS_ORDER = (
    TaskStatus.DRAFT,
    TaskStatus.SUBMITTED,
    TaskStatus.CHANGES_REQUESTED,
    TaskStatus.ACCEPTED,
    TaskStatus.SCHEDULED,
    TaskStatus.DONE,
    TaskStatus.CONFIRMED,
    TaskStatus.REJECTED,
    TaskStatus.CANCELLED,
)

# Assignments a participant should see on their home page: still ahead of them.
UPCOMING_FOR_PARTICIPANT = (
    AssignmentStatus.OFFERED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
)

# Assignments that mean "this person is coming".
COMING = (AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.HELSINKI)


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the calendar week containing `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


# ---------------------------------------------------------------- admin


@dataclass
class AdminOverview:
    users_by_role: list[tuple[Role, int]]
    inactive_users: int
    active_units: int
    inactive_units: int
    active_task_kinds: int
    active_skills: int

    @property
    def total_users(self) -> int:
        return sum(n for _role, n in self.users_by_role)


def admin_overview(session: Session, user: Any) -> AdminOverview:
    by_role = dict(
        session.execute(
            scope(
                sa.select(User.role, sa.func.count(User.id))
                .where(User.is_active_account.is_(True))
                .group_by(User.role),
                User,
                user,
            )
        ).all()
    )
    inactive_users = session.scalar(
        scope(
            sa.select(sa.func.count(User.id)).where(User.is_active_account.is_(False)), User, user
        )
    )
    units = dict(
        session.execute(
            scope(
                sa.select(Unit.is_active, sa.func.count(Unit.id)).group_by(Unit.is_active),
                Unit,
                user,
            )
        ).all()
    )
    kinds = session.scalar(
        scope(
            sa.select(sa.func.count(TaskKind.id)).where(TaskKind.is_active.is_(True)),
            TaskKind,
            user,
        )
    )
    skills = session.scalar(
        scope(sa.select(sa.func.count(Skill.id)).where(Skill.is_active.is_(True)), Skill, user)
    )
    role_order = (Role.PARTICIPANT, Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.MANAGER, Role.ADMIN)
    return AdminOverview(
        users_by_role=[(role, int(by_role.get(role, 0))) for role in role_order],
        inactive_users=int(inactive_users or 0),
        active_units=int(units.get(True, 0)),
        inactive_units=int(units.get(False, 0)),
        active_task_kinds=int(kinds or 0),
        active_skills=int(skills or 0),
    )


# ---------------------------------------------------------------- manager


@dataclass
class ManagerOverview:
    year: int
    minutes_by_stream: list[tuple[Stream, int]]
    units_served: int
    participants_with_hours: int

    @property
    def total_minutes(self) -> int:
        return sum(m for _s, m in self.minutes_by_stream)


def manager_overview(session: Session, user: Any, year: int | None = None) -> ManagerOverview:
    """Confirmed paid task hours this year by stream, from the hour ledger.

    The ledger's reversals carry negative minutes, so a plain SUM is the corrected
    total. Rows count only for units the reader may see.
    """
    year = year or clock.today().year
    visible_units = scope(sa.select(Unit.id), Unit, user)
    in_year = sa.and_(
        HourEntry.work_date >= date(year, 1, 1),
        HourEntry.work_date <= date(year, 12, 31),
        HourEntry.unit_id.in_(visible_units),
    )
    sums = dict(
        session.execute(
            sa.select(HourEntry.stream, sa.func.coalesce(sa.func.sum(HourEntry.minutes), 0))
            .where(in_year)
            .group_by(HourEntry.stream)
        ).all()
    )
    units_served = session.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(HourEntry.unit_id)
            .where(in_year)
            .group_by(HourEntry.unit_id)
            .having(sa.func.sum(HourEntry.minutes) > 0)
            .subquery()
        )
    )
    people = session.scalar(
        sa.select(sa.func.count()).select_from(
            sa.select(HourEntry.participant_id)
            .where(in_year)
            .group_by(HourEntry.participant_id)
            .having(sa.func.sum(HourEntry.minutes) > 0)
            .subquery()
        )
    )
    return ManagerOverview(
        year=year,
        minutes_by_stream=[
            (Stream.DISABILITY, int(sums.get(Stream.DISABILITY, 0))),
            (Stream.REHABILITATIVE, int(sums.get(Stream.REHABILITATIVE, 0))),
        ],
        units_served=int(units_served or 0),
        participants_with_hours=int(people or 0),
    )


# ---------------------------------------------------------------- shifts (staff views)


@dataclass
class ShiftLine:
    id: int
    starts_at: datetime
    ends_at: datetime
    task_title: str
    unit_name: str
    address: str
    kind_name: str
    icon: str
    slots: int
    coming: int


def _coming_count():
    return (
        sa.select(sa.func.count(Assignment.id))
        .where(Assignment.shift_id == Shift.id, Assignment.status.in_(COMING))
        .correlate(Shift)
        .scalar_subquery()
    )


def _shift_lines(session: Session, stmt: sa.Select) -> list[ShiftLine]:
    rows = session.execute(stmt).all()
    return [
        ShiftLine(
            id=shift.id,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            task_title=task.title,
            unit_name=unit_name,
            address=", ".join(p for p in (task.site_address, task.site_city) if p),
            kind_name=kind.name(),
            icon=kind.icon or "task",
            slots=shift.slots,
            coming=int(coming or 0),
        )
        for shift, task, kind, unit_name, coming in rows
    ]


def _upcoming_shifts(user: Any, until: datetime | None, limit: int) -> sa.Select:
    stmt = (
        sa.select(Shift, Task, TaskKind, Unit.name, _coming_count())
        .join(Task, Shift.task_id == Task.id)
        .join(TaskKind, Task.task_kind_id == TaskKind.id)
        .join(Unit, Task.unit_id == Unit.id)
        .where(Shift.status == ShiftStatus.PLANNED, Shift.ends_at > clock.now())
        .order_by(Shift.starts_at, Shift.id)
        .limit(limit)
    )
    if until is not None:
        stmt = stmt.where(Shift.starts_at < until)
    return scope(stmt, Shift, user)


def _count_upcoming(session: Session, user: Any, until: datetime | None) -> int:
    stmt = sa.select(sa.func.count(Shift.id)).where(
        Shift.status == ShiftStatus.PLANNED, Shift.ends_at > clock.now()
    )
    if until is not None:
        stmt = stmt.where(Shift.starts_at < until)
    return int(session.scalar(scope(stmt, Shift, user)) or 0)


# ---------------------------------------------------------------- instructor


@dataclass
class GroupLine:
    id: int
    name: str
    participants: int


@dataclass
class InstructorOverview:
    groups: list[GroupLine]
    inbox: int
    week_start: date
    week_end: date
    shifts_this_week: list[ShiftLine]
    more_shifts_this_week: int

    @property
    def participants(self) -> int:
        return sum(g.participants for g in self.groups)


def instructor_overview(session: Session, user: Any) -> InstructorOverview:
    groups = session.execute(
        scope(
            sa.select(Group.id, Group.name, sa.func.count(Participant.id))
            .outerjoin(
                Participant,
                sa.and_(Participant.group_id == Group.id, Participant.anonymised_at.is_(None)),
            )
            .group_by(Group.id, Group.name)
            .order_by(Group.name),
            Group,
            user,
        )
    ).all()
    inbox = session.scalar(
        scope(
            sa.select(sa.func.count(Task.id)).where(Task.status == TaskStatus.SUBMITTED),
            Task,
            user,
        )
    )
    monday, sunday = week_of(clock.today())
    week_end = _local_midnight(sunday + timedelta(days=1))
    lines = _shift_lines(session, _upcoming_shifts(user, week_end, SHIFT_LIST_LIMIT))
    total = _count_upcoming(session, user, week_end)
    return InstructorOverview(
        groups=[GroupLine(id=g, name=name, participants=int(n)) for g, name, n in groups],
        inbox=int(inbox or 0),
        week_start=monday,
        week_end=sunday,
        shifts_this_week=lines,
        more_shifts_this_week=max(0, total - len(lines)),
    )


# ---------------------------------------------------------------- unit contact


@dataclass
class UnitOverview:
    unit_name: str
    tasks_by_status: list[tuple[TaskStatus, int]]
    upcoming_shifts: list[ShiftLine]
    more_shifts: int

    @property
    def total_tasks(self) -> int:
        return sum(n for _s, n in self.tasks_by_status)


def unit_overview(session: Session, user: Any) -> UnitOverview:
    counts = dict(
        session.execute(
            scope(sa.select(Task.status, sa.func.count(Task.id)).group_by(Task.status), Task, user)
        ).all()
    )
    unit_name = session.scalar(scope(sa.select(Unit.name), Unit, user).limit(1)) or ""
    lines = _shift_lines(session, _upcoming_shifts(user, None, SHIFT_LIST_LIMIT))
    total = _count_upcoming(session, user, None)
    return UnitOverview(
        unit_name=unit_name,
        tasks_by_status=[(s, int(counts[s])) for s in TASK_STATUS_ORDER if counts.get(s)],
        upcoming_shifts=lines,
        more_shifts=max(0, total - len(lines)),
    )


# ---------------------------------------------------------------- participant


@dataclass
class ParticipantShift:
    starts_at: datetime
    ends_at: datetime
    task_title: str
    kind_name: str
    icon: str
    unit_name: str
    address: str
    status: AssignmentStatus


@dataclass
class ContactPerson:
    name: str
    phone: str | None
    email: str | None


@dataclass
class ParticipantOverview:
    is_participant: bool
    shifts: list[ParticipantShift] = field(default_factory=list)
    instructor: ContactPerson | None = None
    minutes_this_month: int = 0


def participant_overview(session: Session, user: Any) -> ParticipantOverview:
    participant = session.scalar(scope(sa.select(Participant), Participant, user).limit(1))
    if participant is None:
        return ParticipantOverview(is_participant=False)
    rows = session.execute(
        scope(
            sa.select(Assignment.status, Shift, Task, TaskKind, Unit.name)
            .join(Shift, Assignment.shift_id == Shift.id)
            .join(Task, Shift.task_id == Task.id)
            .join(TaskKind, Task.task_kind_id == TaskKind.id)
            .join(Unit, Task.unit_id == Unit.id)
            .where(
                Assignment.participant_id == participant.id,
                Assignment.status.in_(UPCOMING_FOR_PARTICIPANT),
                Shift.status == ShiftStatus.PLANNED,
                Shift.ends_at > clock.now(),
            )
            .order_by(Shift.starts_at, Shift.id)
            .limit(PARTICIPANT_SHIFT_LIMIT),
            Assignment,
            user,
        )
    ).all()
    shifts = [
        ParticipantShift(
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            task_title=task.title,
            kind_name=kind.name(),
            icon=kind.icon or "task",
            unit_name=unit_name,
            address=", ".join(p for p in (task.site_address, task.site_city) if p),
            status=status,
        )
        for status, shift, task, kind, unit_name in rows
    ]
    contact = session.execute(
        scope(
            sa.select(User.first_name, User.last_name, User.phone, User.email)
            .join(Instructor, Instructor.user_id == User.id)
            .join(Group, Group.instructor_id == Instructor.id)
            .where(Group.id == participant.group_id),
            Instructor,
            user,
        )
    ).first()
    today = clock.today()
    month_start = today.replace(day=1)
    minutes = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(HourEntry.minutes), 0)).where(
            HourEntry.participant_id == participant.id,
            HourEntry.work_date >= month_start,
            HourEntry.work_date <= today,
        )
    )
    return ParticipantOverview(
        is_participant=True,
        shifts=shifts,
        instructor=(
            ContactPerson(
                name=f"{contact.first_name} {contact.last_name}",
                phone=contact.phone,
                email=contact.email,
            )
            if contact
            else None
        ),
        minutes_this_month=int(minutes or 0),
    )


# ---------------------------------------------------------------- dispatch


def home_for(session: Session, user: Any) -> tuple[str, dict[str, Any]]:
    """The template and data of `user`'s home page."""
    if user.role == Role.ADMIN:
        return "home/admin.html", {"overview": admin_overview(session, user)}
    if user.role == Role.MANAGER:
        return "home/manager.html", {"overview": manager_overview(session, user)}
    if user.role == Role.INSTRUCTOR:
        return "home/instructor.html", {"overview": instructor_overview(session, user)}
    if user.role == Role.UNIT_CONTACT:
        return "home/unit.html", {"overview": unit_overview(session, user)}
    return "home/participant.html", {"overview": participant_overview(session, user)}
