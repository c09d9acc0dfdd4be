"""The instructors' week grid: their people by day, and the week's shifts by day.

An instructor sees their own groups' participants and the shifts in their row scope
(`authz.scope(Shift)`: supervised, their groups' tasks, shifts their people are on). An
admin sees any group, one group at a time (the first one unless they choose), so the
page never lists every participant in the city.

Filters (query string, all optional, bad values ignored): `group` (id), `unit` (id),
`site` (the site's street address), `week` (any day of the week, ISO date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session, joinedload

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.authz import MAX_DB_ID, scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Group, Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units.models import Task, Unit

A = AssignmentStatus
SHOWN = (A.OFFERED, A.ACCEPTED, A.CONFIRMED, A.ATTENDED, A.ABSENT)
STATUS_LABELS = {
    A.OFFERED: _l("Offered"),
    A.ACCEPTED: _l("Accepted"),
    A.CONFIRMED: _l("Confirmed"),
    A.ATTENDED: _l("Attended"),
    A.ABSENT: _l("Absent"),
}
MAX_SITE_LENGTH = 200


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _int_arg(args: Mapping[str, str], name: str) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_DB_ID else None


@dataclass(frozen=True)
class Filters:
    group_id: int | None = None
    unit_id: int | None = None
    site: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        site = (args.get("site") or "").strip()[:MAX_SITE_LENGTH] or None
        return cls(_int_arg(args, "group"), _int_arg(args, "unit"), site)

    def query(self, **extra: object) -> dict[str, object]:
        """Query-string values that keep these filters (for the previous/next links)."""
        values: dict[str, object] = {}
        if self.group_id:
            values["group"] = self.group_id
        if self.unit_id:
            values["unit"] = self.unit_id
        if self.site:
            values["site"] = self.site
        return values | extra


@dataclass
class PersonCell:
    shift: Shift
    status: AssignmentStatus

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))


@dataclass
class PersonRow:
    participant: Participant
    days: list[list[PersonCell]]

    @property
    def name(self) -> str:
        return self.participant.user.full_name


@dataclass
class ShiftRow:
    shift: Shift
    filled: int

    @property
    def cancelled(self) -> bool:
        return self.shift.status == ShiftStatus.CANCELLED

    @property
    def open_slots(self) -> int:
        return max(self.shift.slots - self.filled, 0)


@dataclass
class WeekGrid:
    monday: date
    days: list[date]
    groups: list[Group]
    group: Group | None
    units: list[Unit]
    sites: list[str]
    people: list[PersonRow]
    shifts_by_day: list[list[ShiftRow]]
    participant_ids: list[int] = field(default_factory=list)

    @property
    def previous_week(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.monday + timedelta(days=7)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def shift_count(self) -> int:
        return sum(len(day) for day in self.shifts_by_day)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.HELSINKI)


def build_week(session: Session, user: User, monday: date, filters: Filters) -> WeekGrid:
    days = [monday + timedelta(days=i) for i in range(7)]
    groups = list(
        session.scalars(scope(sa.select(Group), Group, user).order_by(Group.name, Group.id)).all()
    )
    chosen = next((g for g in groups if g.id == filters.group_id), None)
    if chosen is not None:
        selected = [chosen]
    elif user.role == Role.ADMIN:
        selected = groups[:1]
        chosen = selected[0] if selected else None
    else:
        selected = groups
    group_ids = [g.id for g in selected]

    people = list(
        session.scalars(
            sa.select(Participant)
            .join(User, Participant.user_id == User.id)
            .where(
                Participant.group_id.in_(group_ids),
                Participant.anonymised_at.is_(None),
                User.is_active_account.is_(True),
            )
            .options(joinedload(Participant.user))
            .order_by(User.last_name, User.first_name, Participant.id)
        ).all()
    )
    people_ids = [p.id for p in people]

    start, end = _local_midnight(days[0]), _local_midnight(days[-1] + timedelta(days=1))
    stmt = (
        scope(sa.select(Shift), Shift, user)
        .join(Task, Shift.task_id == Task.id)
        .where(Shift.starts_at >= start, Shift.starts_at < end)
    )
    group_instructors = {g.instructor_id for g in selected}
    related = sa.or_(
        Task.group_id.in_(group_ids),
        Shift.instructor_id.in_(group_instructors),
        Shift.id.in_(
            sa.select(Assignment.shift_id).where(
                Assignment.participant_id.in_(people_ids), Assignment.status.in_(SHOWN)
            )
        ),
    )
    stmt = stmt.where(related) if group_ids else stmt.where(sa.false())
    week_shifts = list(
        session.scalars(
            stmt.options(
                joinedload(Shift.task).joinedload(Task.task_kind),
                joinedload(Shift.task).joinedload(Task.unit),
                joinedload(Shift.instructor).joinedload(Instructor.user),
            ).order_by(Shift.starts_at, Shift.id)
        ).unique()
    )
    units = sorted({s.task.unit for s in week_shifts}, key=lambda u: (u.name, u.id))
    sites = sorted({s.task.site_address for s in week_shifts})
    shifts = [
        s
        for s in week_shifts
        if (filters.unit_id is None or s.task.unit_id == filters.unit_id)
        and (filters.site is None or s.task.site_address == filters.site)
    ]
    shift_ids = [s.id for s in shifts]

    filled: dict[int, int] = defaultdict(int)
    cells: dict[int, list[list[PersonCell]]] = {p.id: [[] for _ in days] for p in people}
    by_id = {s.id: s for s in shifts}
    if shift_ids:
        rows = session.execute(
            sa.select(Assignment.shift_id, Assignment.participant_id, Assignment.status).where(
                Assignment.shift_id.in_(shift_ids), Assignment.status.in_(SHOWN)
            )
        ).all()
        for shift_id, participant_id, status in rows:
            if status != A.OFFERED:
                filled[shift_id] += 1
            if participant_id in cells:
                shift = by_id[shift_id]
                index = (clock.to_local(shift.starts_at).date() - monday).days
                cells[participant_id][index].append(PersonCell(shift, status))
    for row in cells.values():
        for day in row:
            day.sort(key=lambda c: c.shift.starts_at)

    shifts_by_day: list[list[ShiftRow]] = [[] for _ in days]
    for s in shifts:
        index = (clock.to_local(s.starts_at).date() - monday).days
        shifts_by_day[index].append(ShiftRow(s, filled[s.id]))

    return WeekGrid(
        monday=monday,
        days=days,
        groups=groups,
        group=chosen,
        units=units,
        sites=sites,
        people=[PersonRow(p, cells[p.id]) for p in people],
        shifts_by_day=shifts_by_day,
        participant_ids=people_ids,
    )
