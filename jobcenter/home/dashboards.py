"""What each role's home page shows: plain query functions `(session, user, ...) -> data`.

Every query goes through `jobcenter.core.authz.scope`, so a home page can only ever
count or list rows its reader may see. Aggregates are single SQL statements (SUM,
COUNT … GROUP BY), never Python loops over rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.catalog.models import Skill, TaskKind
from jobcenter.core import clock
from jobcenter.core.authz import scope
from jobcenter.core.enums import Role, Stream
from jobcenter.hours.models import HourEntry
from jobcenter.participants.models import Group, Instructor, Participant
from jobcenter.scheduling.models import (
    SLOT_HOLDING,
    Assignment,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)
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
class AnswerLine:
    """A participant's answer to an offer, for their instructor."""

    at: datetime
    participant_id: int
    participant_name: str
    accepted: bool
    reason: str
    note: str
    shift_id: int
    task_title: str
    starts_at: datetime
    ends_at: datetime
    # The slot is still open (nobody else has taken it since the decline).
    slot_open: bool = False


ANSWER_LIMIT = 8


def latest_answers(session: Session, user: Any, limit: int = ANSWER_LIMIT) -> list[AnswerLine]:
    """The latest answers to offers from the people the user may see (newest first)."""
    from jobcenter.scheduling.models import AssignmentEvent
    from jobcenter.scheduling.offers import decline_reason_label

    held = (
        sa.select(sa.func.count(Assignment.id))
        .where(Assignment.shift_id == Shift.id, Assignment.status.in_(SLOT_HOLDING))
        .correlate(Shift)
        .scalar_subquery()
    )
    rows = session.execute(
        scope(
            sa.select(
                AssignmentEvent,
                Assignment.decline_reason,
                Participant.id,
                User.first_name,
                User.last_name,
                Shift,
                Task.title,
                held,
            )
            .join(Assignment, AssignmentEvent.assignment_id == Assignment.id)
            .join(Participant, Assignment.participant_id == Participant.id)
            .join(User, Participant.user_id == User.id)
            .join(Shift, Assignment.shift_id == Shift.id)
            .join(Task, Shift.task_id == Task.id)
            .where(
                AssignmentEvent.from_status.in_(
                    (AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED)
                ),
                AssignmentEvent.to_status.in_(
                    (AssignmentStatus.ACCEPTED, AssignmentStatus.DECLINED)
                ),
            )
            .order_by(AssignmentEvent.at.desc(), AssignmentEvent.id.desc())
            .limit(limit),
            Assignment,
            user,
        )
    ).all()
    return [
        AnswerLine(
            at=event.at,
            participant_id=pid,
            participant_name=f"{first} {last}",
            accepted=event.to_status == AssignmentStatus.ACCEPTED,
            reason=(
                decline_reason_label(reason) if event.to_status == AssignmentStatus.DECLINED else ""
            ),
            note=(event.reason or "") if event.to_status == AssignmentStatus.DECLINED else "",
            shift_id=shift.id,
            task_title=title,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            slot_open=(
                event.to_status == AssignmentStatus.DECLINED
                and shift.status == ShiftStatus.PLANNED
                and int(holding or 0) < shift.slots
            ),
        )
        for event, reason, pid, first, last, shift, title, holding in rows
    ]


@dataclass
class InstructorOverview:
    groups: list[GroupLine]
    inbox: int
    week_start: date
    week_end: date
    shifts_this_week: list[ShiftLine]
    more_shifts_this_week: int
    answers: list[AnswerLine] = field(default_factory=list)
    # (participant id, name, group name) of the people in the instructor's groups.
    people: list[tuple[int, str, str]] = field(default_factory=list)

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
        answers=latest_answers(session, user),
        people=[
            (pid, f"{first} {last}", group_name)
            for pid, first, last, group_name in session.execute(
                scope(
                    sa.select(Participant.id, User.first_name, User.last_name, Group.name)
                    .join(User, Participant.user_id == User.id)
                    .join(Group, Participant.group_id == Group.id)
                    .where(Participant.anonymised_at.is_(None))
                    .order_by(Group.name, User.first_name, User.last_name, Participant.id),
                    Participant,
                    user,
                )
            )
        ],
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

# What a participant sees in their calendar (week and month): all but the planner's
# drafts and the offers they said no to.
IN_MY_CALENDAR = (
    AssignmentStatus.OFFERED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.ATTENDED,
    AssignmentStatus.ABSENT,
)
# How far back "how did it go?" asks about ended shifts.
FEEDBACK_DAYS = 14
OSM_SEARCH = "https://www.openstreetmap.org/search"


def map_url(address: str) -> str:
    """An OpenStreetMap search for the address: a plain link, no scripts on our page."""
    return f"{OSM_SEARCH}?{urlencode({'query': address})}"


@dataclass
class ContactPerson:
    name: str
    phone: str | None
    email: str | None

    @property
    def phone_href(self) -> str:
        return "tel:" + "".join(ch for ch in (self.phone or "") if ch.isdigit() or ch == "+")


@dataclass
class ParticipantShift:
    assignment_id: int
    shift_id: int
    starts_at: datetime
    ends_at: datetime
    task_title: str
    kind_name: str
    icon: str
    unit_name: str
    address: str
    status: AssignmentStatus
    shift_status: ShiftStatus
    what_to_bring: str = ""
    # An offer whose slots are all taken by people who said yes first.
    is_full: bool = False
    # Why the shift was called off: the instructor wrote it for the people on it (they
    # get it by e-mail too), or a system text stored as its msgid.
    cancel_reason: str | None = None

    @property
    def map_url(self) -> str:
        return map_url(self.address)

    @property
    def place(self) -> str:
        return ", ".join(p for p in (self.unit_name, self.address) if p)

    @property
    def is_offer(self) -> bool:
        return self.status == AssignmentStatus.OFFERED and self.shift_status == ShiftStatus.PLANNED

    @property
    def is_cancelled(self) -> bool:
        return self.shift_status == ShiftStatus.CANCELLED

    @property
    def local_day(self) -> date:
        return clock.to_local(self.starts_at).date()


@dataclass
class ParticipantOverview:
    is_participant: bool
    participant_id: int | None = None
    shifts: list[ParticipantShift] = field(default_factory=list)
    more_shifts: int = 0
    instructor: ContactPerson | None = None
    minutes_this_week: int = 0
    minutes_this_month: int = 0
    weekly_target_minutes: int | None = None
    to_rate: list[ParticipantShift] = field(default_factory=list)

    @property
    def offers(self) -> int:
        return sum(1 for s in self.shifts if s.is_offer)


def own_participant(session: Session, user: Any) -> Participant | None:
    """The participant record of a signed-in participant (None for anyone else)."""
    return session.scalar(scope(sa.select(Participant), Participant, user).limit(1))


def _taken_count():
    return (
        sa.select(sa.func.count(Assignment.id))
        .where(
            Assignment.shift_id == Shift.id,
            Assignment.status.in_(
                (AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)
            ),
        )
        .correlate(Shift)
        .scalar_subquery()
    )


def _my_shifts_stmt(user: Any, participant_id: int) -> sa.Select:
    return scope(
        sa.select(
            Assignment.id, Assignment.status, Shift, Task, TaskKind, Unit.name, _taken_count()
        )
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Task, Shift.task_id == Task.id)
        .join(TaskKind, Task.task_kind_id == TaskKind.id)
        .join(Unit, Task.unit_id == Unit.id)
        .where(Assignment.participant_id == participant_id)
        .order_by(Shift.starts_at, Shift.id),
        Assignment,
        user,
    )


def _participant_shifts(session: Session, stmt: sa.Select) -> list[ParticipantShift]:
    return [
        ParticipantShift(
            assignment_id=assignment_id,
            shift_id=shift.id,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            task_title=task.title,
            kind_name=kind.name(),
            icon=kind.icon or "task",
            unit_name=unit_name,
            address=", ".join(p for p in (task.site_address, task.site_city) if p),
            status=status,
            shift_status=shift.status,
            what_to_bring=task.what_to_bring or "",
            is_full=status == AssignmentStatus.OFFERED and int(taken or 0) >= shift.slots,
            cancel_reason=shift.cancel_reason if shift.status == ShiftStatus.CANCELLED else None,
        )
        for assignment_id, status, shift, task, kind, unit_name, taken in session.execute(stmt)
    ]


def group_instructor(session: Session, user: Any, participant: Participant) -> ContactPerson | None:
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
    if contact is None:
        return None
    return ContactPerson(
        name=f"{contact.first_name} {contact.last_name}", phone=contact.phone, email=contact.email
    )


def confirmed_minutes(session: Session, participant_id: int, first: date, last: date) -> int:
    """Confirmed paid task minutes of a person between two days (both included). The
    ledger's reversals carry negative minutes, so a plain SUM is the corrected total."""
    return int(
        session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(HourEntry.minutes), 0)).where(
                HourEntry.participant_id == participant_id,
                HourEntry.work_date >= first,
                HourEntry.work_date <= last,
            )
        )
        or 0
    )


def participant_overview(session: Session, user: Any) -> ParticipantOverview:
    """The participant's home ("My shifts"): next shifts first, offers to answer, hours
    done this week and month against the plan, ended shifts to rate, the instructor."""
    from jobcenter.hours.models import ShiftFeedback

    participant = own_participant(session, user)
    if participant is None:
        return ParticipantOverview(is_participant=False)
    now = clock.now()
    upcoming = _my_shifts_stmt(user, participant.id).where(
        Assignment.status.in_(UPCOMING_FOR_PARTICIPANT),
        Shift.status == ShiftStatus.PLANNED,
        Shift.ends_at > now,
    )
    shifts = _participant_shifts(session, upcoming.limit(PARTICIPANT_SHIFT_LIMIT))
    total = int(
        session.scalar(sa.select(sa.func.count()).select_from(upcoming.order_by(None).subquery()))
        or 0
    )
    rated = sa.select(ShiftFeedback.assignment_id)
    to_rate = _participant_shifts(
        session,
        _my_shifts_stmt(user, participant.id)
        .where(
            Assignment.status.in_((AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)),
            Shift.status != ShiftStatus.CANCELLED,
            Shift.ends_at <= now,
            Shift.ends_at > now - timedelta(days=FEEDBACK_DAYS),
            Assignment.id.not_in(rated),
        )
        .limit(3),
    )
    today = clock.today()
    monday, sunday = week_of(today)
    month_start = today.replace(day=1)
    month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    plan = participant.plan_on(today)
    return ParticipantOverview(
        is_participant=True,
        participant_id=participant.id,
        shifts=shifts,
        more_shifts=max(0, total - len(shifts)),
        instructor=group_instructor(session, user, participant),
        minutes_this_week=confirmed_minutes(session, participant.id, monday, sunday),
        minutes_this_month=confirmed_minutes(session, participant.id, month_start, month_end),
        weekly_target_minutes=plan.weekly_target_minutes if plan else None,
        to_rate=list(reversed(to_rate)),
    )


def participant_calendar(
    session: Session, user: Any, first: date, last: date
) -> tuple[list[ParticipantShift], int]:
    """The participant's shifts from `first` to `last` (Helsinki days, both included)
    and their confirmed minutes in that time."""
    participant = own_participant(session, user)
    if participant is None:
        return [], 0
    stmt = _my_shifts_stmt(user, participant.id).where(
        Assignment.status.in_(IN_MY_CALENDAR),
        Shift.starts_at >= _local_midnight(first),
        Shift.starts_at < _local_midnight(last + timedelta(days=1)),
    )
    return _participant_shifts(session, stmt), confirmed_minutes(
        session, participant.id, first, last
    )


@dataclass
class ShiftDetail:
    line: ParticipantShift
    assignment: Assignment
    shift: Shift
    task: Task
    instructor: ContactPerson | None
    site_contact: ContactPerson | None
    decline_reason: str | None
    feedback: Any = None  # ShiftFeedback | None
    can_rate: bool = False


def participant_shift(session: Session, user: Any, shift_id: int) -> ShiftDetail | None:
    """One of the participant's own shifts (None when it is not theirs)."""
    from jobcenter.hours.models import ShiftFeedback
    from jobcenter.scheduling.offers import can_give_feedback

    participant = own_participant(session, user)
    if participant is None:
        return None
    lines = _participant_shifts(
        session, _my_shifts_stmt(user, participant.id).where(Shift.id == shift_id).limit(1)
    )
    if not lines:
        return None
    line = lines[0]
    assignment = session.get(Assignment, line.assignment_id)
    shift = assignment.shift
    task = shift.task
    supervisor = None
    if shift.instructor is not None:
        person = shift.instructor.user
        supervisor = ContactPerson(
            f"{person.first_name} {person.last_name}", person.phone, person.email
        )
    else:
        supervisor = group_instructor(session, user, participant)
    site = None
    if task.site_contact_name or task.site_contact_phone:
        site = ContactPerson(task.site_contact_name, task.site_contact_phone or None, None)
    feedback = session.scalar(
        sa.select(ShiftFeedback).where(ShiftFeedback.assignment_id == assignment.id)
    )
    return ShiftDetail(
        line=line,
        assignment=assignment,
        shift=shift,
        task=task,
        instructor=supervisor,
        site_contact=site,
        decline_reason=assignment.decline_reason,
        feedback=feedback,
        can_rate=feedback is None and can_give_feedback(assignment),
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
