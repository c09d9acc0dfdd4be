"""Keeping the dashboard's summaries (`jobcenter.dashboard.models`) equal to the ledger.

One place, not every write path:

- **Marking.** A SQLAlchemy `after_flush` listener looks at the flushed hour entries,
  attendance records, assignments, shifts, feedback, plans, and the task and participant
  attributes the figures group by (a task's kind, unit and group; a participant's
  group), and appends the days they touch (a shift's day in Helsinki, an entry's work
  date, the day a rating was given) to `dashboard_stale_days` in the same transaction.
  Rows the database changes on its own (a deleted instructor or district is set to
  NULL in the ledger, a deleted task's shifts cascade) are found just before the flush.
  A task's group set with a Core UPDATE (task acceptance) is caught in `do_orm_execute`.
- **Rebuilding.** `ensure_fresh(session)` — called by every figure before it adds rows
  up — takes the stale rows (locked `FOR UPDATE` on PostgreSQL, so two readers never
  rebuild the same day at once and double-count), deletes those days' summary rows and
  aggregates them again from the ledger (INSERT … SELECT), then the month rows of their
  months, and removes the stale rows it read. Rebuilding a day is idempotent.
  When the caller's transaction has written nothing, the rebuild runs in its own short
  transaction and is committed at once (a GET request never commits); otherwise it runs
  inside the caller's transaction, which sees its own writes, and commits with it.
- **Everything at once.** `rebuild_all(session)` (CLI `flask jobcenter summaries
  rebuild`, and the demo loader, whose bulk inserts bypass the ORM) rebuilds every day
  that has shifts, hours or ratings.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, aliased

from jobcenter.catalog.models import District
from jobcenter.core import clock
from jobcenter.dashboard.models import (
    DAY,
    MONTH,
    AttendanceDay,
    CancellationDay,
    EarningsMonth,
    FillDay,
    HourSummary,
    PersonMonth,
    RatingDay,
    StaleDay,
    TaskSummary,
)
from jobcenter.dashboard.period import local_midnight, month_start, next_month
from jobcenter.hours.models import AttendanceRecord, HourEntry, ShiftFeedback
from jobcenter.participants.models import Instructor, Participant, Plan
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units.models import Task, TaskFeedback

FILLED = (
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.ATTENDED,
    AssignmentStatus.ABSENT,
)
VERY_SATISFIED_RATING = 5
HAPPY_FACE = 3
UNIT_SOURCE = "unit"
PARTICIPANT_SOURCE = "participant"
CHUNK = 500
WROTE = "dashboard_summaries_wrote"  # session.info: this transaction has flushed changes
READING = "dashboard_summaries_reading"  # session.info: inside `reading` (its memo)
PENDING = "dashboard_summaries_pending"  # session.info: days found before the flush
T = TypeVar("T")

# Rows whose insert, delete or change of these attributes moves a figure.
WATCHED: dict[type, tuple[str, ...]] = {
    HourEntry: (
        "work_date",
        "minutes",
        "stream",
        "unit_id",
        "task_kind_id",
        "instructor_id",
        "district_id",
        "participant_id",
        "shift_id",
        "wage_cents_per_hour",
    ),
    Shift: ("starts_at", "ends_at", "slots", "status", "cancel_reason", "task_id"),
    Assignment: ("shift_id", "status", "participant_id"),
    AttendanceRecord: ("assignment_id", "present", "absence_kind", "supersedes_id"),
    ShiftFeedback: ("assignment_id", "face"),
    TaskFeedback: ("task_id", "rating", "created_at"),
    Plan: ("participant_id", "start_date", "end_date", "monthly_earnings_ceiling_cents"),
}
# Rows whose change of these attributes regroups figures (names are joined at reading).
TASK_ATTRS = ("task_kind_id", "unit_id", "group_id")
WATCHED_UPDATES: dict[type, tuple[str, ...]] = {Task: TASK_ATTRS, Participant: ("group_id",)}


# ---------------------------------------------------------------- marking stale days


def local_day(value: datetime) -> date:
    return clock.to_local(value).date()


def _chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    items = sorted(v for v in set(values) if v is not None)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _history(obj: Any, name: str) -> tuple[list[Any], bool]:
    """(old and new values of an attribute, whether it changed in this flush)."""
    hist = sa.inspect(obj).attrs[name].history
    changed = bool(hist.added or hist.deleted)
    values = list(hist.added or ()) + list(hist.unchanged or ()) + list(hist.deleted or ())
    return [v for v in values if v is not None], changed


def _changed(obj: Any, names: Iterable[str]) -> bool:
    return any(_history(obj, n)[1] for n in names)


def _values(obj: Any, name: str) -> list[Any]:
    return _history(obj, name)[0]


def _shift_days(session: Session, shift_ids: Iterable[int]) -> set[date]:
    days: set[date] = set()
    for chunk in _chunks(shift_ids):
        days |= {
            local_day(s)
            for s in session.scalars(sa.select(Shift.starts_at).where(Shift.id.in_(chunk)))
        }
    return days


def _assignment_days(session: Session, assignment_ids: Iterable[int]) -> set[date]:
    days: set[date] = set()
    for chunk in _chunks(assignment_ids):
        days |= {
            local_day(s)
            for s in session.scalars(
                sa.select(Shift.starts_at)
                .join(Assignment, Assignment.shift_id == Shift.id)
                .where(Assignment.id.in_(chunk))
            )
        }
    return days


def _task_days(session: Session, task_ids: Iterable[int]) -> set[date]:
    """Days of a task's shifts and of its rating."""
    days: set[date] = set()
    for chunk in _chunks(task_ids):
        days |= {
            local_day(s)
            for s in session.scalars(
                sa.select(Shift.starts_at).where(Shift.task_id.in_(chunk)).distinct()
            )
        }
        days |= {
            local_day(s)
            for s in session.scalars(
                sa.select(TaskFeedback.created_at).where(TaskFeedback.task_id.in_(chunk))
            )
        }
    return days


def _face_days(session: Session, participant_ids: Iterable[int]) -> set[date]:
    """Days of the shifts a participant gave a face for (counted for their group)."""
    days: set[date] = set()
    for chunk in _chunks(participant_ids):
        days |= {
            local_day(s)
            for s in session.scalars(
                sa.select(Shift.starts_at)
                .join(Assignment, Assignment.shift_id == Shift.id)
                .join(ShiftFeedback, ShiftFeedback.assignment_id == Assignment.id)
                .where(Assignment.participant_id.in_(chunk))
            )
        }
    return days


def _plan_days(session: Session, spans: Iterable[tuple[int, date, date]]) -> set[date]:
    """One day in each month in which a plan change can move a person's earnings
    between plans: the months of their hours within the plan's old and new dates."""
    days: set[date] = set()
    for participant_id, first, last in spans:
        found = session.scalars(
            sa.select(HourEntry.work_date)
            .where(
                HourEntry.participant_id == participant_id, HourEntry.work_date.between(first, last)
            )
            .distinct()
        )
        days |= {month_start(d) for d in found}
    return days


def _ledger_days(session: Session, column: Any, ids: Iterable[int]) -> set[date]:
    days: set[date] = set()
    for chunk in _chunks(ids):
        days |= set(
            session.scalars(sa.select(HourEntry.work_date).where(column.in_(chunk)).distinct())
        )
    return days


def mark_days(session: Session, days: Iterable[date]) -> None:
    """Note days whose summaries must be rebuilt (in the caller's transaction)."""
    rows = [{"day": d} for d in sorted(set(days))]
    if rows:
        session.connection().execute(StaleDay.__table__.insert(), rows)


def mark_range(session: Session, first: date, last: date) -> None:
    mark_days(session, (first + timedelta(days=i) for i in range((last - first).days + 1)))


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Rows the database itself will change or remove: find their days now."""
    tasks = [o.id for o in session.deleted if isinstance(o, Task) and o.id is not None]
    instructors = [o.id for o in session.deleted if isinstance(o, Instructor)]
    districts = [o.id for o in session.deleted if isinstance(o, District)]
    if not (tasks or instructors or districts):
        return
    with session.no_autoflush:
        days = _task_days(session, tasks)
        days |= _ledger_days(session, HourEntry.instructor_id, instructors)
        days |= _ledger_days(session, HourEntry.district_id, districts)
    session.info.setdefault(PENDING, set()).update(days)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    """Append the days touched by this flush to the stale days."""
    if not (session.new or session.dirty or session.deleted):
        return
    session.info[WROTE] = True
    session.info.pop(READING, None)  # a write inside `reading`: check again before reading
    days: set[date] = set(session.info.pop(PENDING, ()))
    shift_ids: set[int] = set()
    assignment_ids: set[int] = set()
    task_ids: set[int] = set()
    participant_ids: set[int] = set()
    plan_spans: list[tuple[int, date, date]] = []
    for obj, dirty in (
        *((o, False) for o in session.new),
        *((o, True) for o in session.dirty),
        *((o, False) for o in session.deleted),
    ):
        cls = type(obj)
        attrs = WATCHED.get(cls)
        if attrs is None:
            attrs = WATCHED_UPDATES.get(cls)
            if attrs is None or not dirty:
                continue
        if dirty and not _changed(obj, attrs):
            continue
        if cls is HourEntry:
            days.update(_values(obj, "work_date"))
        elif cls is Shift:
            days.update(local_day(v) for v in _values(obj, "starts_at"))
        elif cls is Assignment:
            shift_ids.update(_values(obj, "shift_id"))
        elif cls in (AttendanceRecord, ShiftFeedback):
            assignment_ids.update(_values(obj, "assignment_id"))
        elif cls is TaskFeedback:
            days.update(local_day(v) for v in _values(obj, "created_at"))
        elif cls is Task:
            task_ids.add(obj.id)
        elif cls is Participant:
            participant_ids.add(obj.id)
        elif cls is Plan:
            people = _values(obj, "participant_id")
            starts, ends = _values(obj, "start_date"), _values(obj, "end_date")
            if starts and ends:
                plan_spans += [(p, min(starts), max(ends)) for p in people]
    days |= _shift_days(session, shift_ids)
    days |= _assignment_days(session, assignment_ids)
    days |= _task_days(session, task_ids)
    days |= _face_days(session, participant_ids)
    days |= _plan_days(session, plan_spans)
    mark_days(session, days)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_over(session: Session) -> None:
    session.info.pop(WROTE, None)
    session.info.pop(PENDING, None)


@event.listens_for(Session, "do_orm_execute")
def _bulk_task_update(state: Any) -> None:
    """A Core-style UPDATE of tasks that sets their group, kind or unit (task
    acceptance sets the group with a guarded UPDATE) moves figures too."""
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info[WROTE] = True
    if not state.is_update or state.bind_mapper is None:
        return
    if state.bind_mapper.class_ is not Task:
        return
    stmt = state.statement
    names = {getattr(k, "key", str(k)) for k in getattr(stmt, "_values", {}) or {}}
    if not names & set(TASK_ATTRS):
        return
    session = state.session
    where = stmt.whereclause if stmt.whereclause is not None else sa.true()
    with session.no_autoflush:
        ids = list(session.scalars(sa.select(Task.id).where(where)))
        days = _task_days(session, ids)
    if days:
        session.info[WROTE] = True
        mark_days(session, days)


# ---------------------------------------------------------------- rebuilding


# The SQL pieces below serve the rebuild here and the dashboard's own queries
# (`jobcenter.dashboard.queries`), so both count minutes and records alike.


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def minutes_between(session: Session, start: Any, end: Any) -> Any:
    """Whole minutes from `start` to `end` (timestamps), in SQL."""
    if dialect(session) == "postgresql":
        # date_part is double precision (exact for whole minutes); EXTRACT returns
        # numeric, whose arithmetic cost a fifth of the fill query.
        return sa.func.date_part("epoch", end - start) / 60
    return sa.func.round((sa.func.julianday(end) - sa.func.julianday(start)) * 1440)


def _whole(value: Any) -> Any:
    """A sum of whole minutes kept in floating point, as an exact integer."""
    return sa.cast(sa.func.round(sa.func.coalesce(value, 0)), sa.BigInteger)


def _day(value: date) -> Any:
    return sa.literal(value, sa.Date)


def current_records() -> Any:
    """SQL: the attendance record is the current one (no correction supersedes it)."""
    later = aliased(AttendanceRecord)
    return ~sa.exists(sa.select(later.id).where(later.supersedes_id == AttendanceRecord.id))


def plan_on_entry_day() -> Any:
    """SQL join condition: the participant's plan that covers the hour entry's work day."""
    return sa.and_(
        Plan.participant_id == HourEntry.participant_id,
        Plan.start_date <= HourEntry.work_date,
        Plan.end_date >= HourEntry.work_date,
    )


def _insert(session: Session, table: Any, columns: list[str], select: Any) -> None:
    session.execute(table.__table__.insert().from_select(columns, select))


def _rebuild_ledger_days(session: Session, days: list[date]) -> None:
    """Hour and task day rows of these days, grouped by the entry's work date."""
    for chunk in _chunks(days):
        for model in (HourSummary, TaskSummary):
            session.execute(sa.delete(model).where(model.grain == DAY, model.day.in_(chunk)))
        for d in chunk:
            on_day = HourEntry.work_date == d
            keys = (
                HourEntry.stream,
                HourEntry.unit_id,
                HourEntry.task_kind_id,
                HourEntry.instructor_id,
                HourEntry.district_id,
            )
            _insert(
                session,
                HourSummary,
                [
                    "grain",
                    "day",
                    "month",
                    "stream",
                    "unit_id",
                    "task_kind_id",
                    "instructor_id",
                    "district_id",
                    "minutes",
                    "entries",
                ],
                sa.select(
                    sa.literal(DAY),
                    _day(d),
                    _day(month_start(d)),
                    *keys,
                    sa.func.sum(HourEntry.minutes),
                    sa.func.count(),
                )
                .where(on_day)
                .group_by(*keys),
            )
            per_shift = (
                sa.select(
                    HourEntry.shift_id.label("shift_id"),
                    HourEntry.task_kind_id.label("kind_id"),
                    sa.func.sum(HourEntry.minutes).label("minutes"),
                )
                .where(on_day)
                .group_by(HourEntry.shift_id, HourEntry.task_kind_id)
                .having(sa.func.sum(HourEntry.minutes) > 0)
                .subquery()
            )
            _insert(
                session,
                TaskSummary,
                ["grain", "day", "month", "task_kind_id", "task_id", "shifts", "minutes"],
                sa.select(
                    sa.literal(DAY),
                    _day(d),
                    _day(month_start(d)),
                    per_shift.c.kind_id,
                    Shift.task_id,
                    sa.func.count(),
                    sa.func.sum(per_shift.c.minutes),
                )
                .join(Shift, Shift.id == per_shift.c.shift_id)
                .group_by(per_shift.c.kind_id, Shift.task_id),
            )


def _rebuild_shift_day(session: Session, d: date) -> None:
    """Fill, attendance, cancellations and ratings of one day (shifts starting that
    day in Helsinki, ratings given that day)."""
    lo, hi = local_midnight(d), local_midnight(d + timedelta(days=1))
    grain, day, month = sa.literal(DAY), _day(d), _day(month_start(d))
    for model in (FillDay, AttendanceDay, CancellationDay, RatingDay):
        session.execute(sa.delete(model).where(model.grain == DAY, model.day == d))
    in_day = sa.and_(Shift.starts_at >= lo, Shift.starts_at < hi)
    minutes = minutes_between(session, Shift.starts_at, Shift.ends_at)

    offered = sa.and_(in_day, Shift.status != ShiftStatus.CANCELLED)
    held_slots = (
        sa.select(Assignment.shift_id.label("shift_id"), sa.func.count().label("filled"))
        .where(
            Assignment.status.in_(FILLED),
            Assignment.shift_id.in_(sa.select(Shift.id).where(offered)),
        )
        .group_by(Assignment.shift_id)
        .subquery()
    )
    per_shift = (
        sa.select(
            Shift.slots.label("slots"),
            minutes.label("minutes"),
            sa.func.coalesce(held_slots.c.filled, 0).label("filled"),
        )
        .outerjoin(held_slots, held_slots.c.shift_id == Shift.id)
        .where(offered)
        .subquery()
    )
    s = per_shift.c
    held = sa.case((s.filled > s.slots, s.slots), else_=s.filled)
    _insert(
        session,
        FillDay,
        ["grain", "day", "month", "shifts", "shifts_filled", "offered_minutes", "filled_minutes"],
        sa.select(
            grain,
            day,
            month,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((s.filled >= s.slots, 1), else_=0)), 0),
            _whole(sa.func.sum(s.slots * s.minutes)),
            _whole(sa.func.sum(held * s.minutes)),
        ).select_from(per_shift),
    )

    absence = sa.func.coalesce(AttendanceRecord.absence_kind, "")
    _insert(
        session,
        AttendanceDay,
        ["grain", "day", "month", "task_kind_id", "absence_kind", "records"],
        sa.select(grain, day, month, Task.task_kind_id, absence, sa.func.count())
        .select_from(AttendanceRecord)
        .join(Assignment, Assignment.id == AttendanceRecord.assignment_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Task, Task.id == Shift.task_id)
        .where(in_day, current_records())
        .group_by(Task.task_kind_id, absence),
    )

    reason = sa.func.coalesce(Shift.cancel_reason, "")
    _insert(
        session,
        CancellationDay,
        ["grain", "day", "month", "unit_id", "reason", "shifts", "slot_minutes"],
        sa.select(
            grain,
            day,
            month,
            Task.unit_id,
            reason,
            sa.func.count(),
            _whole(sa.func.sum(Shift.slots * minutes)),
        )
        .select_from(Shift)
        .join(Task, Task.id == Shift.task_id)
        .where(in_day, Shift.status == ShiftStatus.CANCELLED)
        .group_by(Task.unit_id, reason),
    )

    columns = ["grain", "day", "month", "source", "group_id", "ratings", "very"]
    very = sa.func.sum(sa.case((TaskFeedback.rating == VERY_SATISFIED_RATING, 1), else_=0))
    _insert(
        session,
        RatingDay,
        columns,
        sa.select(grain, day, month, sa.literal(UNIT_SOURCE), Task.group_id, sa.func.count(), very)
        .select_from(TaskFeedback)
        .join(Task, Task.id == TaskFeedback.task_id)
        .where(TaskFeedback.created_at >= lo, TaskFeedback.created_at < hi)
        .group_by(Task.group_id),
    )
    happy = sa.func.sum(sa.case((ShiftFeedback.face == HAPPY_FACE, 1), else_=0))
    _insert(
        session,
        RatingDay,
        columns,
        sa.select(
            grain,
            day,
            month,
            sa.literal(PARTICIPANT_SOURCE),
            Participant.group_id,
            sa.func.count(),
            happy,
        )
        .select_from(ShiftFeedback)
        .join(Assignment, Assignment.id == ShiftFeedback.assignment_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Participant, Participant.id == Assignment.participant_id)
        .where(in_day)
        .group_by(Participant.group_id),
    )


# Tables whose month rows add up their day rows: (model, keys, summed columns).
ROLL_UP: tuple[tuple[Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        HourSummary,
        ("stream", "unit_id", "task_kind_id", "instructor_id", "district_id"),
        ("minutes", "entries"),
    ),
    (TaskSummary, ("task_kind_id", "task_id"), ("shifts", "minutes")),
    (FillDay, (), ("shifts", "shifts_filled", "offered_minutes", "filled_minutes")),
    (AttendanceDay, ("task_kind_id", "absence_kind"), ("records",)),
    (CancellationDay, ("unit_id", "reason"), ("shifts", "slot_minutes")),
    (RatingDay, ("source", "group_id"), ("ratings", "very")),
)


def _rebuild_months(session: Session, months: list[date]) -> None:
    """Month rows: added up from the month's day rows; people and earnings (which
    cannot be added up over days) from the month's ledger."""
    for chunk in _chunks(months):
        for model, keys, sums in ROLL_UP:
            session.execute(sa.delete(model).where(model.grain == MONTH, model.month.in_(chunk)))
            group = [getattr(model, k) for k in keys]
            _insert(
                session,
                model,
                ["grain", "day", "month", *keys, *sums],
                sa.select(
                    sa.literal(MONTH),
                    model.month,
                    model.month,
                    *group,
                    *(sa.func.sum(getattr(model, c)) for c in sums),
                )
                .where(model.grain == DAY, model.month.in_(chunk))
                .group_by(model.month, *group),
            )
        for model in (PersonMonth, EarningsMonth):
            session.execute(sa.delete(model).where(model.month.in_(chunk)))
        for m in chunk:
            in_month = HourEntry.work_date.between(m, next_month(m) - timedelta(days=1))
            _insert(
                session,
                PersonMonth,
                ["month", "stream", "participant_id", "minutes"],
                sa.select(
                    _day(m),
                    HourEntry.stream,
                    HourEntry.participant_id,
                    sa.func.sum(HourEntry.minutes),
                )
                .where(in_month)
                .group_by(HourEntry.stream, HourEntry.participant_id),
            )
            _insert(
                session,
                EarningsMonth,
                ["month", "participant_id", "plan_id", "earned_x60"],
                earnings_select(in_month, _day(m)),
            )


def earnings_select(condition: Any, month: Any) -> sa.Select:
    """Minutes × wage per (month, participant, plan with a ceiling covering the day)."""
    return (
        sa.select(
            month,
            HourEntry.participant_id,
            Plan.id,
            sa.func.sum(HourEntry.minutes * HourEntry.wage_cents_per_hour),
        )
        .join(Plan, plan_on_entry_day())
        .where(condition, Plan.monthly_earnings_ceiling_cents.isnot(None))
        .group_by(HourEntry.participant_id, Plan.id)
    )


def rebuild_days(session: Session, days: Iterable[date]) -> None:
    """Rebuild the summaries of these days and of their months, in the session's
    transaction (flushes only)."""
    days = sorted(set(days))
    if not days:
        return
    _rebuild_ledger_days(session, days)
    for d in days:
        _rebuild_shift_day(session, d)
    _rebuild_months(session, sorted({month_start(d) for d in days}))


def _take_stale(session: Session) -> tuple[list[int], list[date]]:
    """The stale rows, locked so that a concurrent rebuild waits and then finds them
    gone instead of rebuilding (and double-counting) the same days."""
    rows = session.execute(
        sa.select(StaleDay.id, StaleDay.day).order_by(StaleDay.id).with_for_update()
    ).all()
    return [r[0] for r in rows], sorted({r[1] for r in rows})


def _refresh_in(session: Session) -> int:
    ids, days = _take_stale(session)
    if not ids:
        return 0
    rebuild_days(session, days)
    for chunk in _chunks(ids):
        session.execute(sa.delete(StaleDay).where(StaleDay.id.in_(chunk)))
    return len(days)


def has_stale(session: Session) -> bool:
    return session.execute(sa.select(StaleDay.id).limit(1)).first() is not None


def ensure_fresh(session: Session) -> int:
    """Rebuild the stale days before figures are read; returns how many were rebuilt.
    Inside `reading` that was done once at its start."""
    if READING in session.info or not has_stale(session):
        return 0
    if session.info.get(WROTE):
        # This transaction has written: rebuild where its own writes are visible; the
        # caller's commit keeps the rebuild (or its rollback drops both).
        return _refresh_in(session)
    with Session(bind=session.get_bind()) as own:
        rebuilt = _refresh_in(own)
        own.commit()
    return rebuilt


@contextmanager
def reading(session: Session) -> Iterator[None]:
    """Many figures read as one: the summaries are brought up to date once, at the
    start, instead of before each figure, and a lookup the figures repeat (`remember`)
    is done once. Only for reading: a flush inside ends it (the next figure checks the
    stale days again)."""
    ensure_fresh(session)
    session.info[READING] = {}
    try:
        yield
    finally:
        session.info.pop(READING, None)


def remember(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per key inside `reading`; every time outside it."""
    memo = session.info.get(READING)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def source_days(session: Session) -> tuple[date, date] | None:
    """The first and last day that has shifts, hours or ratings."""
    shifts = session.execute(
        sa.select(sa.func.min(Shift.starts_at), sa.func.max(Shift.starts_at))
    ).one()
    hours = session.execute(
        sa.select(sa.func.min(HourEntry.work_date), sa.func.max(HourEntry.work_date))
    ).one()
    ratings = session.execute(
        sa.select(sa.func.min(TaskFeedback.created_at), sa.func.max(TaskFeedback.created_at))
    ).one()
    days = [local_day(v) for v in (*shifts, *ratings) if v is not None]
    days += [v for v in hours if v is not None]
    if not days:
        return None
    return min(days), max(days)


SOURCE_MODELS = (
    Shift,
    Assignment,
    AttendanceRecord,
    HourEntry,
    Task,
    TaskFeedback,
    ShiftFeedback,
    Participant,
    Plan,
)
SUMMARY_MODELS = (
    HourSummary,
    TaskSummary,
    PersonMonth,
    EarningsMonth,
    FillDay,
    AttendanceDay,
    CancellationDay,
    RatingDay,
)


def rebuild_all(session: Session) -> int:
    """Every summary rebuilt from the ledger (flushes only); returns the days rebuilt."""
    session.flush()
    if dialect(session) == "postgresql":
        # After a bulk load the planner's statistics still describe empty tables, and
        # the per-day aggregations would be planned as nested loops over everything.
        for model in SOURCE_MODELS:
            session.execute(sa.text(f"ANALYZE {model.__tablename__}"))
    ids, _days = _take_stale(session)
    for model in SUMMARY_MODELS:
        session.execute(sa.delete(model))
    span = source_days(session)
    if span is not None:
        first, last = span
        rebuild_days(session, (first + timedelta(days=i) for i in range((last - first).days + 1)))
    for chunk in _chunks(ids):
        session.execute(sa.delete(StaleDay).where(StaleDay.id.in_(chunk)))
    return 0 if span is None else (span[1] - span[0]).days + 1
