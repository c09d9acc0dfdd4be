"""Shifts from accepted tasks: one per working day, made once, on a rolling horizon.

- Days: the task's specific dates, or its weekly recurrence clipped to the task's
  first … last date (`jobcenter.units.posting.schedule_days`). Finnish public holidays
  (`holidays.Finland()`) give no shift unless the task includes public holidays.
- Start: the date's own start time, else the task's preferred start, on Helsinki's
  wall clock (09:00 stays 09:00 across daylight saving changes). End: start plus
  `shift_minutes` of real time. Slots: the task's headcount.
- Supervision (the rule): a task whose site supervises (`site_supervision`, e.g. a
  caretaker) gets shifts with `supervision_needed = 1` (the site covers levels 0–1:
  independent and reachable workers) and no instructor. Any other task gets
  `supervision_needed = 2`: an instructor is on site for the whole shift, and that
  instructor is the one whose group accepted the task. One-to-one supervision (3) is
  a person's need, decided when people are matched, not a property of the task.
- Made once: a day that already has a shift of the task (in any status: a shift an
  instructor cancelled is not brought back) gets none; the database's unique
  (task_id, starts_at) is the last guard when two generators race.
- Only from today on, and only shifts that start after now.
- Specific dates get all their shifts at once; recurring tasks get theirs up to the
  horizon (`extend_horizon`, run daily by the scheduler, SHIFT_HORIZON_WEEKS ahead).
- An accepted task moves to "scheduled" as soon as it has a shift.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.enums import SupervisionLevel
from jobcenter.scheduling import recurrence
from jobcenter.scheduling.models import Shift
from jobcenter.units.models import Task, TaskStatus

DEFAULT_HORIZON_WEEKS = 8
GENERATING_STATUSES = (TaskStatus.ACCEPTED, TaskStatus.SCHEDULED)


@dataclass(frozen=True)
class Occurrence:
    day: date
    starts_at: datetime
    ends_at: datetime


def savepoint(session: Session) -> AbstractContextManager[Any]:
    """A SAVEPOINT where it is safe. Python's sqlite3 driver (legacy transaction mode)
    opens no transaction before a SAVEPOINT, so releasing it would COMMIT early; on
    SQLite we do without (writers are serialised by the database lock anyway)."""
    if session.get_bind().dialect.name == "sqlite":
        return nullcontext()
    return session.begin_nested()


def horizon_end(weeks: int | None = None) -> date:
    """The last day the rolling horizon covers, counted from today."""
    return clock.today() + timedelta(weeks=weeks or DEFAULT_HORIZON_WEEKS)


def supervision_for(task: Task) -> tuple[int, int | None]:
    """(supervision_needed, instructor_id) of the task's shifts: see the module's rule."""
    if task.site_supervision:
        return SupervisionLevel.REACHABLE, None
    instructor_id = task.group.instructor_id if task.group is not None else None
    return SupervisionLevel.ON_SITE, instructor_id


def occurrences(task: Task, window_start: date, window_end: date | None) -> list[Occurrence]:
    """The shifts the task asks for between the two days (both included)."""
    from jobcenter.units.posting import schedule_days

    end = window_end
    if task.recurrence is None:
        end = None  # specific dates: all of them
    elif end is None:
        end = horizon_end()
    result = []
    for day, own_start in schedule_days(task, window_start, end):
        start = own_start or task.preferred_start
        if start is None:
            continue  # incomplete task: submission refuses this, so only old data
        starts_at = recurrence.local_start(day, start)
        result.append(
            Occurrence(day, starts_at, recurrence.end_after(starts_at, task.shift_minutes))
        )
    return result


def local_day_bounds(day: date) -> datetime:
    """Midnight at the start of `day` in Helsinki, in UTC."""
    return recurrence.local_start(day, time(0, 0)).astimezone(UTC)


def generate_for_task(
    session: Session,
    task: Task,
    until: date | None = None,
    *,
    actor: User | None = None,
) -> int:
    """Make the task's missing shifts from today up to `until` (recurring tasks; default
    the horizon) or all of them (specific dates). Returns how many were made."""
    if task.status not in GENERATING_STATUSES:
        return 0
    today = clock.today()
    now = clock.now()
    wanted = [o for o in occurrences(task, today, until) if o.starts_at > now]
    created = 0
    if wanted:
        taken = _days_with_shifts(session, task, today)
        level, instructor_id = supervision_for(task)
        new = [
            Shift(
                task_id=task.id,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                slots=task.headcount,
                supervision_needed=level,
                instructor_id=instructor_id if level >= SupervisionLevel.ON_SITE else None,
            )
            for o in wanted
            if o.day not in taken
        ]
        if new:
            try:
                with savepoint(session):
                    session.add_all(new)
                    session.flush()
                created = len(new)
            except IntegrityError:
                # Another generator made (some of) them at the same moment: make what
                # is still missing one by one.
                created = _one_by_one(session, task, wanted, level, instructor_id)
    if task.status == TaskStatus.ACCEPTED and _has_shift(session, task):
        from jobcenter.units import lifecycle

        lifecycle.mark_scheduled(session, task, actor)
    return created


def _one_by_one(
    session: Session, task: Task, wanted: list[Occurrence], level: int, instructor_id: int | None
) -> int:
    created = 0
    taken = _days_with_shifts(session, task, clock.today())
    for o in wanted:
        if o.day in taken:
            continue
        try:
            with savepoint(session):
                session.add(
                    Shift(
                        task_id=task.id,
                        starts_at=o.starts_at,
                        ends_at=o.ends_at,
                        slots=task.headcount,
                        supervision_needed=level,
                        instructor_id=instructor_id if level >= 2 else None,
                    )
                )
                session.flush()
            created += 1
        except IntegrityError:
            continue
    return created


def _days_with_shifts(session: Session, task: Task, since: date) -> set[date]:
    starts = session.scalars(
        sa.select(Shift.starts_at).where(
            Shift.task_id == task.id, Shift.starts_at >= local_day_bounds(since)
        )
    )
    return {clock.to_local(s).date() for s in starts}


def _has_shift(session: Session, task: Task) -> bool:
    return bool(session.scalar(sa.select(sa.exists().where(Shift.task_id == task.id))))


def extend_horizon(session: Session, until: date) -> dict[str, int]:
    """Make every accepted or scheduled task's missing shifts up to `until`.
    Idempotent: running it again makes nothing new. Returns counts:
    tasks (looked at), shifts_created, tasks_scheduled (accepted → scheduled)."""
    today = clock.today()
    task_ids = session.scalars(
        sa.select(Task.id)
        .where(
            Task.status.in_(GENERATING_STATUSES),
            sa.or_(Task.last_date.is_(None), Task.last_date >= today),
        )
        .order_by(Task.id)
    ).all()
    counts = {"tasks": 0, "shifts_created": 0, "tasks_scheduled": 0}
    for task_id in task_ids:
        task = session.get(Task, task_id)
        if task is None or task.status not in GENERATING_STATUSES:
            continue
        was_accepted = task.status == TaskStatus.ACCEPTED
        counts["tasks"] += 1
        counts["shifts_created"] += generate_for_task(session, task, until)
        if was_accepted and task.status == TaskStatus.SCHEDULED:
            counts["tasks_scheduled"] += 1
    return counts
