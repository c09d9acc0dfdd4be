"""The dashboard's figures, each one SQL aggregation `(session, DateRange, ...) -> rows`.

Everything is summed, counted and grouped in the database (GROUP BY, COUNT DISTINCT,
CASE buckets); Python only turns the few aggregated rows into dataclasses. Nothing here
is scoped by role: the dashboard is for managers and admins, who see every aggregate
(`jobcenter.hours.policies`); the one query that reaches people (`shift_people`) returns
first names and initials only, and its caller writes the audit log.

Definitions (the dashboard's help text says the same):
- *confirmed hours*: the hour ledger (`HourEntry`), dated by the shift's day in Helsinki
  (a shift across midnight counts on the day it starts); corrections are reversals with
  negative minutes, so a plain SUM is the corrected total;
- *active participant*: had confirmed hours in the range (net of corrections);
- *task done*: a task with confirmed hours in the range;
- *offered slot-hours*: slots × length of every shift in the range that was not cancelled
  (cancelled shifts are counted under cancellations); *filled*: slots held by someone who
  accepted or was confirmed (accepted, confirmed, attended or absent), at most the slots;
- *no-show*: an unexcused absence; rates are over the current attendance records
  (corrections replace what they supersede) of shifts in the range;
- *very satisfied*: a unit's rating 5 of 5 for a task, a participant's happy face (3 of 3).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.catalog.models import District, TaskKind
from jobcenter.core import clock, system_texts
from jobcenter.core.enums import Stream
from jobcenter.dashboard import summaries
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
    TaskSummary,
)
from jobcenter.dashboard.period import DateRange, local_midnight, month_start, next_month
from jobcenter.dashboard.summaries import FILLED, plan_on_entry_day
from jobcenter.dashboard.summaries import dialect as _dialect
from jobcenter.hours.models import AbsenceKind, HourEntry
from jobcenter.participants.models import Group, Instructor, Participant, Plan
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units.models import Task, Unit

DIMENSIONS = ("stream", "unit", "task_kind", "month", "instructor", "district")
STREAMS = (Stream.DISABILITY, Stream.REHABILITATIVE)  # the pilot report's order
NONE_KEY = "none"  # rows without an instructor or a district

# A participant is "close to" their monthly earnings ceiling from 80 % of it (as in
# jobcenter.reports.earnings.CLOSE_SHARE, the instructor's list).
CEILING_WARNING_SHARE = (8, 10)


def _month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def _date_buckets(column: Any, rng: DateRange) -> Any:
    """CASE mapping a date column inside the range to its month ('YYYY-MM')."""
    months = rng.months()
    if len(months) == 1:
        return sa.literal(_month_key(months[0]))
    return sa.case(
        *[(column < next_month(m), sa.literal(_month_key(m))) for m in months[:-1]],
        else_=sa.literal(_month_key(months[-1])),
    )


def _time_buckets(column: Any, rng: DateRange) -> Any:
    """CASE mapping a UTC timestamp inside the range to its month in Helsinki; the
    boundaries are local midnights, so DST changes put nothing in the wrong month."""
    months = rng.months()
    if len(months) == 1:
        return sa.literal(_month_key(months[0]))
    return sa.case(
        *[(column < local_midnight(next_month(m)), sa.literal(_month_key(m))) for m in months[:-1]],
        else_=sa.literal(_month_key(months[-1])),
    )


def _days_between(session: Session, first: Any, last: Any) -> Any:
    """Whole days from `first` to `last` (dates)."""
    if _dialect(session) == "postgresql":
        return last - first
    return sa.cast(sa.func.julianday(last) - sa.func.julianday(first), sa.Integer)


def _in_range(rng: DateRange) -> Any:
    return HourEntry.work_date.between(rng.first, rng.last)


def _shifts_in_range(rng: DateRange) -> Any:
    return sa.and_(Shift.starts_at >= rng.start_utc, Shift.starts_at < rng.end_utc)


def _kind_name(locale: str) -> Any:
    return getattr(TaskKind, f"name_{locale}", TaskKind.name_fi)


def _district_name(locale: str) -> Any:
    return getattr(District, f"name_{locale}", District.name_fi)


def _people_with_hours() -> Any:
    """COUNT(DISTINCT participant) over entries that add hours (not reversals)."""
    return sa.func.count(
        sa.distinct(sa.case((HourEntry.minutes > 0, HourEntry.participant_id), else_=None))
    )


@dataclass(frozen=True)
class RangeParts:
    """A range cut where the summaries are kept: its whole calendar months (first days
    of the first and the last, or None) and the partial months at its edges."""

    whole: tuple[date, date] | None
    edges: tuple[DateRange, ...]


def split_range(rng: DateRange, session: Session | None = None) -> RangeParts:
    """With a session, a partial month counts as whole when the ledger has no hours on
    its days outside the range (the current month up to today, typically): its month
    rows then hold exactly the range's part, and they are fewer to add up. Only for the
    summaries of the hour ledger; shifts and ratings (planned shifts ahead, ratings
    given later) are split without one."""
    whole, edges = [], []
    for month in rng.months():
        part = rng.month_range(month)
        if part is None:
            continue
        month_last = next_month(month) - timedelta(days=1)
        if (part.first == month and part.last == month_last) or (
            session is not None
            and not summaries.remember(
                session,
                ("ledger_has_hours_outside", part, month),
                lambda: _ledger_has_hours_outside(session, part, month, month_last),  # noqa: B023
            )
        ):
            whole.append(month)
        else:
            edges.append(part)
    return RangeParts((whole[0], whole[-1]) if whole else None, tuple(edges))


def _ledger_has_hours_outside(session: Session, part: DateRange, first: date, last: date) -> bool:
    """Whether any hour entry falls in the month [first, last] but outside `part`
    (an index lookup on the work date)."""
    outside = []
    if part.first > first:
        outside.append(HourEntry.work_date.between(first, part.first - timedelta(days=1)))
    if part.last < last:
        outside.append(HourEntry.work_date.between(part.last + timedelta(days=1), last))
    found = session.execute(sa.select(HourEntry.id).where(sa.or_(*outside)).limit(1)).first()
    return found is not None


def _summary_rows(model: Any, parts: RangeParts) -> Any:
    """The month rows of the whole months and the day rows of the edges."""
    conditions = []
    if parts.whole is not None:
        conditions.append(sa.and_(model.grain == MONTH, model.day.between(*parts.whole)))
    for edge in parts.edges:
        conditions.append(sa.and_(model.grain == DAY, model.day.between(edge.first, edge.last)))
    return sa.or_(*conditions) if conditions else sa.false()


def _person_minutes(session: Session, rng: DateRange) -> Any:
    """(stream, participant_id, minutes) rows covering the range: the month summaries
    for its whole months, the ledger for the days of its partial months."""
    parts = split_range(rng, session)
    pieces = []
    if parts.whole is not None:
        pieces.append(
            sa.select(
                PersonMonth.stream.label("stream"),
                PersonMonth.participant_id.label("participant_id"),
                PersonMonth.minutes.label("minutes"),
            ).where(PersonMonth.month.between(*parts.whole))
        )
    for edge in parts.edges:
        pieces.append(
            sa.select(
                sa.cast(HourEntry.stream, sa.String(20)).label("stream"),
                HourEntry.participant_id.label("participant_id"),
                sa.cast(HourEntry.minutes, sa.BigInteger).label("minutes"),
            ).where(_in_range(edge))
        )
    return (pieces[0] if len(pieces) == 1 else sa.union_all(*pieces)).subquery()


# ---------------------------------------------------------------- hour totals


@dataclass
class TotalRow:
    key: str  # what a drill-down link names: an id, a stream, a month 'YYYY-MM' or "none"
    label: str
    minutes: int


def hour_totals(session: Session, rng: DateRange, by: str, locale: str = "fi") -> list[TotalRow]:
    """Confirmed minutes per stream, unit, task kind, month, instructor or district.
    Streams and months come in order, the others largest first."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    summaries.ensure_fresh(session)
    h = HourSummary
    column = {
        "stream": h.stream,
        "month": h.month,
        "unit": h.unit_id,
        "task_kind": h.task_kind_id,
        "instructor": h.instructor_id,
        "district": h.district_id,
    }[by]
    found = session.execute(
        sa.select(column, sa.func.sum(h.minutes))
        .where(_summary_rows(h, split_range(rng, session)))
        .group_by(column)
    ).all()
    if by == "month":
        sums = {_month_key(key): int(m or 0) for key, m in found}
    else:
        sums = {key: int(m or 0) for key, m in found}
    if by in ("stream", "month"):
        labels = {key: str(key) for key in sums}
    else:
        labels = _labels(session, by, set(sums), locale)
    rows = [
        TotalRow(
            key=NONE_KEY if key is None else str(key),
            label=labels.get(key, ""),
            minutes=minutes,
        )
        for key, minutes in sums.items()
    ]
    return _ordered(by, rows)


def _ordered(by: str, rows: list[TotalRow]) -> list[TotalRow]:
    """Totals without the zero ones: streams and months in order, others largest first."""
    rows = [r for r in rows if r.minutes]
    if by == "stream":
        order = {str(s): i for i, s in enumerate(STREAMS)}
        return sorted(rows, key=lambda r: order.get(r.key, 99))
    if by == "month":
        return sorted(rows, key=lambda r: r.key)
    return sorted(rows, key=lambda r: (-r.minutes, r.label))


# Above this many ids, names are read for the whole (small) catalogue table instead of
# an IN list whose parameters cost more to send than the rows.
LABELS_IN_LIST = 40


def _labels(session: Session, by: str, ids: set[Any], locale: str) -> dict[Any, str]:
    """Names of the units, task kinds, instructors or districts with these ids."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    if by == "instructor":
        key = Instructor.id
        stmt = sa.select(Instructor.id, User.first_name + " " + User.last_name).join(
            User, User.id == Instructor.user_id
        )
    else:
        model, label = {
            "unit": (Unit, Unit.name),
            "task_kind": (TaskKind, _kind_name(locale)),
            "district": (District, _district_name(locale)),
        }[by]
        key = model.id
        stmt = sa.select(model.id, label)
    if len(ids) <= LABELS_IN_LIST:
        stmt = stmt.where(key.in_(ids))
    return {
        key: "" if label is None else str(label)
        for key, label in session.execute(stmt)
        if key in ids
    }


@dataclass
class HourRollup:
    """Every hour total of the dashboard from one pass over the range's ledger."""

    totals: dict[str, list[TotalRow]]
    by_month_and_stream: list[tuple[str, dict[Stream, int]]]


def hour_rollup(session: Session, rng: DateRange, locale: str = "fi") -> HourRollup:
    """`hour_totals` for every dimension and `hours_by_month_and_stream`, with the same
    figures, from one statement over the hour summaries: minutes per (month, stream),
    per unit, per task kind, per instructor and per district (a few hundred rows)."""
    summaries.ensure_fresh(session)
    h = HourSummary
    where = _summary_rows(h, split_range(rng, session))
    no_month, no_stream, no_id = (
        sa.cast(sa.null(), sa.Date),
        sa.cast(sa.null(), sa.String),
        sa.cast(sa.null(), sa.Integer),
    )
    minutes = sa.func.sum(h.minutes)
    dims = (
        ("unit", h.unit_id),
        ("task_kind", h.task_kind_id),
        ("instructor", h.instructor_id),
        ("district", h.district_id),
    )
    if _dialect(session) == "postgresql":
        # One pass with GROUPING SETS; GROUPING() tells which set a row belongs to (an
        # instructor or district may be NULL in the data itself).
        flag = sa.case(
            (sa.func.grouping(h.month) == 0, sa.literal("month_stream")),
            *[(sa.func.grouping(column) == 0, sa.literal(by)) for by, column in dims],
        )
        key = sa.func.coalesce(h.unit_id, h.task_kind_id, h.instructor_id, h.district_id)
        statement = (
            sa.select(flag, h.month, h.stream, key, minutes)
            .where(where)
            .group_by(
                sa.func.grouping_sets(
                    sa.tuple_(h.month, h.stream), *[sa.tuple_(c) for _by, c in dims]
                )
            )
        )
    else:
        parts = [
            sa.select(sa.literal("month_stream"), h.month, h.stream, no_id, minutes)
            .where(where)
            .group_by(h.month, h.stream)
        ]
        for by, column in dims:
            parts.append(
                sa.select(sa.literal(by), no_month, no_stream, column, minutes)
                .where(where)
                .group_by(column)
            )
        statement = sa.union_all(*parts)
    sums: dict[str, dict[Any, int]] = {by: {} for by in DIMENSIONS}
    per_month_stream: dict[tuple[str, Any], int] = {}
    for by, month, stream, key, total in session.execute(statement):
        total = int(total or 0)
        if by == "month_stream":
            m = _month_key(month)
            per_month_stream[(m, stream)] = per_month_stream.get((m, stream), 0) + total
            sums["month"][m] = sums["month"].get(m, 0) + total
            sums["stream"][stream] = sums["stream"].get(stream, 0) + total
        else:
            sums[by][key] = sums[by].get(key, 0) + total
    return rollup_from_sums(session, rng, sums, per_month_stream, locale)


def rollup_from_sums(
    session: Session,
    rng: DateRange,
    sums: dict[str, dict[Any, int]],
    per_month_stream: dict[tuple[str, Any], int],
    locale: str,
) -> HourRollup:
    """Minutes already added up per dimension key (`sums[by][key]`) and per (month key,
    stream), as labelled rows in the page's order and as every month of the range per
    stream. Pure presentation of figures: the summaries' reading (here) and the ledger's
    (`queries_ledger`) each add up their own minutes and hand them to this."""
    totals: dict[str, list[TotalRow]] = {}
    for by in DIMENSIONS:
        if by in ("stream", "month"):
            labels = {key: str(key) for key in sums[by]}
        else:
            labels = _labels(session, by, set(sums[by]), locale)
        rows = [
            TotalRow(
                key=NONE_KEY if key is None else str(key),
                label=labels.get(key, ""),
                minutes=minutes,
            )
            for key, minutes in sums[by].items()
        ]
        totals[by] = _ordered(by, rows)
    by_month_and_stream = [
        (_month_key(m), {s: per_month_stream.get((_month_key(m), s), 0) for s in STREAMS})
        for m in rng.months()
    ]
    return HourRollup(totals=totals, by_month_and_stream=by_month_and_stream)


def minutes_by_stream(session: Session, rng: DateRange) -> dict[Stream, int]:
    totals = {row.key: row.minutes for row in hour_totals(session, rng, "stream")}
    return {s: int(totals.get(str(s), 0)) for s in STREAMS}


@dataclass
class PersonTotals:
    """Per-person confirmed minutes of a range, added up two ways."""

    participants_by_stream: dict[Stream, int]  # people whose minutes net to more than 0
    minutes_by_group: dict[Any, int]  # every person's minutes, by their current group


def person_totals(session: Session, rng: DateRange) -> PersonTotals:
    """One pass over the people's minutes of the range (month summaries and the ledger
    of partial months), for the participant counts and the groups' hours done."""
    summaries.ensure_fresh(session)
    rows = _person_minutes(session, rng).c
    per_person = (
        sa.select(rows.stream, rows.participant_id, sa.func.sum(rows.minutes).label("total"))
        .group_by(rows.stream, rows.participant_id)
        .subquery()
    )
    p = per_person.c
    stmt = (
        sa.select(
            p.stream,
            Participant.group_id,
            sa.func.count(sa.case((p.total > 0, 1), else_=None)),
            sa.func.sum(p.total),
        )
        .join(Participant, Participant.id == p.participant_id)
        .group_by(p.stream, Participant.group_id)
    )
    people: dict[str, int] = {}
    groups: dict[Any, int] = {}
    for stream, group_id, with_hours, total in session.execute(stmt):
        people[str(stream)] = people.get(str(stream), 0) + int(with_hours or 0)
        groups[group_id] = groups.get(group_id, 0) + int(total or 0)
    return PersonTotals({s: people.get(str(s), 0) for s in STREAMS}, groups)


def participants_by_stream(session: Session, rng: DateRange) -> dict[Stream, int]:
    """Distinct participants with confirmed hours (net of corrections) per stream."""
    return person_totals(session, rng).participants_by_stream


@dataclass
class KindDone:
    kind_id: int
    label: str
    icon: str | None
    tasks: int
    shifts: int
    minutes: int


# From about a quarter of a year on, joining the shifts (a merge along their primary
# key) beats looking each shift's task up by key; below it the lookups win (measured on
# the Helsinki dataset: a year 130 ms joined vs 280 ms looked up, a month 30 ms vs 47 ms).
JOIN_SHIFTS_FROM_DAYS = 92


def tasks_done_by_kind(session: Session, rng: DateRange, locale: str = "fi") -> list[KindDone]:
    """Tasks (and shifts) with confirmed hours in the range, per task kind: the task
    summaries hold, per day or month, each task's shifts with hours (net of
    corrections) and their minutes; a task counts once however many days it ran."""
    summaries.ensure_fresh(session)
    t = TaskSummary
    per_task = (
        sa.select(
            t.task_kind_id.label("kind_id"),
            t.task_id.label("task_id"),
            sa.func.sum(t.shifts).label("shifts"),
            sa.func.sum(t.minutes).label("minutes"),
        )
        .where(_summary_rows(t, split_range(rng, session)))
        .group_by(t.task_kind_id, t.task_id)
        .subquery()
    )
    return kinds_of_tasks(session, per_task, locale)


def kinds_of_tasks(session: Session, per_task: sa.Subquery, locale: str) -> list[KindDone]:
    """Rows of one task each (`kind_id`, `task_id`, `shifts`, `minutes`: what the caller
    counted as done) per task kind, named in `locale`, most minutes first. The
    summaries' reading (here) and the ledger's (`queries_ledger`) each build their own
    rows of tasks and hand them to this."""
    k = per_task.c
    name = _kind_name(locale)
    stmt = (
        sa.select(
            k.kind_id,
            name,
            TaskKind.icon,
            sa.func.count(),
            sa.func.sum(k.shifts),
            sa.func.sum(k.minutes),
        )
        .join(TaskKind, TaskKind.id == k.kind_id)
        .group_by(k.kind_id, name, TaskKind.icon)
    )
    rows = [
        KindDone(int(k), str(label), icon, int(t), int(n), int(m))
        for k, label, icon, t, n, m in session.execute(stmt).all()
    ]
    return sorted(rows, key=lambda r: (-r.minutes, r.label))


@dataclass
class PilotSummary:
    """The pilot report's sentence: hours per stream and in total, participants per
    stream, and the kinds of tasks done."""

    range: DateRange
    minutes_by_stream: dict[Stream, int]
    participants_by_stream: dict[Stream, int]
    kinds_done: list[KindDone]

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes_by_stream.values())

    @property
    def total_participants(self) -> int:
        return sum(self.participants_by_stream.values())


def pilot_summary(session: Session, rng: DateRange, locale: str = "fi") -> PilotSummary:
    return PilotSummary(
        range=rng,
        minutes_by_stream=minutes_by_stream(session, rng),
        participants_by_stream=participants_by_stream(session, rng),
        kinds_done=tasks_done_by_kind(session, rng, locale),
    )


# ---------------------------------------------------------------- shifts filled


@dataclass
class FillRow:
    month: str  # 'YYYY-MM'
    shifts: int
    shifts_filled: int  # every slot filled
    offered_minutes: int  # slot-minutes
    filled_minutes: int

    @property
    def rate(self) -> float | None:
        return self.filled_minutes / self.offered_minutes if self.offered_minutes else None


def fill_by_month(session: Session, rng: DateRange) -> list[FillRow]:
    """Offered and filled slot-hours of the range's shifts (not cancelled), per month,
    added up from one summary row per day."""
    summaries.ensure_fresh(session)
    f = FillDay
    stmt = (
        sa.select(
            f.month,
            sa.func.sum(f.shifts),
            sa.func.sum(f.shifts_filled),
            sa.func.sum(f.offered_minutes),
            sa.func.sum(f.filled_minutes),
        )
        .where(_summary_rows(f, split_range(rng)))
        .group_by(f.month)
        .having(sa.func.sum(f.shifts) > 0)
        .order_by(f.month)
    )
    return [
        FillRow(_month_key(month), int(n), int(full or 0), int(offered or 0), int(filled or 0))
        for month, n, full, offered, filled in session.execute(stmt).all()
    ]


def fill_totals(rows: Sequence[FillRow]) -> FillRow:
    """The range's fill figures from its months (a sum of a dozen aggregated rows)."""
    return FillRow(
        month="",
        shifts=sum(r.shifts for r in rows),
        shifts_filled=sum(r.shifts_filled for r in rows),
        offered_minutes=sum(r.offered_minutes for r in rows),
        filled_minutes=sum(r.filled_minutes for r in rows),
    )


# ---------------------------------------------------------------- attendance


@dataclass
class AbsenceRow:
    kind: AbsenceKind | None  # None = present
    count: int


@dataclass
class Attendance:
    records: int
    by_kind: list[AbsenceRow]

    @property
    def absent(self) -> int:
        return sum(r.count for r in self.by_kind if r.kind is not None)

    def count(self, kind: AbsenceKind) -> int:
        return next((r.count for r in self.by_kind if r.kind == kind), 0)

    @property
    def no_shows(self) -> int:
        return self.count(AbsenceKind.UNEXCUSED)

    def rate(self, count: int) -> float | None:
        return count / self.records if self.records else None


@dataclass
class KindAttendance:
    kind_id: int
    label: str
    records: int
    absent: int
    no_shows: int

    @property
    def absence_rate(self) -> float | None:
        return self.absent / self.records if self.records else None

    @property
    def no_show_rate(self) -> float | None:
        return self.no_shows / self.records if self.records else None


def attendance_figures(
    session: Session, rng: DateRange, locale: str = "fi"
) -> tuple[Attendance, list[KindAttendance]]:
    """Current attendance records of the range's shifts: overall by absence kind, and
    per task kind, from the daily summaries by (task kind, absence kind)."""
    summaries.ensure_fresh(session)
    a = AttendanceDay
    name = _kind_name(locale)
    stmt = (
        sa.select(a.task_kind_id, name, a.absence_kind, sa.func.sum(a.records))
        .join(TaskKind, TaskKind.id == a.task_kind_id)
        .where(_summary_rows(a, split_range(rng)))
        .group_by(a.task_kind_id, name, a.absence_kind)
    )
    overall: dict[AbsenceKind | None, int] = {}
    kinds: dict[int, KindAttendance] = {}
    for kind_id, label, raw, n in session.execute(stmt).all():
        absence = AbsenceKind(raw) if raw else None
        overall[absence] = overall.get(absence, 0) + int(n)
        line = kinds.setdefault(int(kind_id), KindAttendance(int(kind_id), str(label), 0, 0, 0))
        line.records += int(n)
        if absence is not None:
            line.absent += int(n)
        if absence == AbsenceKind.UNEXCUSED:
            line.no_shows += int(n)
    figures = Attendance(
        records=sum(overall.values()),
        by_kind=[AbsenceRow(kind, overall.get(kind, 0)) for kind in AbsenceKind],
    )
    return figures, sorted(kinds.values(), key=lambda r: (-r.records, r.label))


def attendance(session: Session, rng: DateRange) -> Attendance:
    return attendance_figures(session, rng)[0]


def attendance_by_task_kind(
    session: Session, rng: DateRange, locale: str = "fi"
) -> list[KindAttendance]:
    return attendance_figures(session, rng, locale)[1]


# ---------------------------------------------------------------- cancellations


@dataclass
class CancellationRow:
    key: str
    label: str
    shifts: int
    slot_minutes: int


def cancellations_by_unit(session: Session, rng: DateRange) -> list[CancellationRow]:
    summaries.ensure_fresh(session)
    c = CancellationDay
    stmt = (
        sa.select(Unit.id, Unit.name, sa.func.sum(c.shifts), sa.func.sum(c.slot_minutes))
        .select_from(c)
        .join(Unit, Unit.id == c.unit_id)
        .where(_summary_rows(c, split_range(rng)))
        .group_by(Unit.id, Unit.name)
    )
    rows = [
        CancellationRow(str(k), str(label), int(n), int(m or 0))
        for k, label, n, m in session.execute(stmt).all()
    ]
    return sorted(rows, key=lambda r: (-r.shifts, r.label))


def cancellations_by_reason(
    session: Session, rng: DateRange, locale: str = "fi"
) -> list[CancellationRow]:
    """Cancelled shifts per stored reason (the key); the label is the reason as the
    reader sees it: a system-written reason in `locale`, a person's words as written."""
    summaries.ensure_fresh(session)
    c = CancellationDay
    stmt = (
        sa.select(c.reason, sa.func.sum(c.shifts), sa.func.sum(c.slot_minutes))
        .where(_summary_rows(c, split_range(rng)))
        .group_by(c.reason)
    )
    rows = [
        CancellationRow(str(r), str(system_texts.shown_in(str(r), locale)), int(n), int(m or 0))
        for r, n, m in session.execute(stmt).all()
    ]
    return sorted(rows, key=lambda r: (-r.shifts, r.label))


# ---------------------------------------------------------------- plans' weekly targets


@dataclass
class GroupTarget:
    group_id: int
    group: str
    instructor: str
    participants: int  # with a plan with a weekly target in the range
    target_minutes: int  # the plans' weekly targets over the days of the range
    done_minutes: int
    weeks: float

    @property
    def gap_minutes(self) -> int:
        return self.target_minutes - self.done_minutes

    @property
    def share(self) -> float | None:
        return self.done_minutes / self.target_minutes if self.target_minutes else None


def group_targets(
    session: Session,
    rng: DateRange,
    today: date | None = None,
    people: PersonTotals | None = None,
) -> list[GroupTarget]:
    """Per group: the plans' weekly targets summed over the days each plan runs in the
    range (up to today: the future has no hours yet), against the confirmed hours of the
    group's participants on those days. `people`: the person totals of that part of
    the range when the caller has them already."""
    past = rng.until(today or clock.today())
    if past is None:
        return []
    summaries.ensure_fresh(session)
    done = (people if people is not None else person_totals(session, past)).minutes_by_group
    return targets_against_done(session, past, done)


def targets_against_done(
    session: Session, past: DateRange, done: dict[Any, int]
) -> list[GroupTarget]:
    """Per group: its plans' weekly targets over the days each plan runs in `past` (the
    range up to today), against `done`, the group's confirmed minutes on those days as
    the caller added them up (from the summaries here, from the ledger in
    `queries_ledger`). The targets come from the plans, which neither reading keeps a
    summary of."""
    first = sa.literal(past.first, sa.Date)
    last = sa.literal(past.last, sa.Date)
    overlap_first = sa.case((Plan.start_date > first, Plan.start_date), else_=first)
    overlap_last = sa.case((Plan.end_date < last, Plan.end_date), else_=last)
    days = _days_between(session, overlap_first, overlap_last) + 1
    targets = session.execute(
        sa.select(
            Participant.group_id,
            sa.func.count(sa.distinct(Participant.id)),
            sa.func.sum(Plan.weekly_target_minutes * days),
        )
        .join(Participant, Participant.id == Plan.participant_id)
        .where(
            Plan.start_date <= past.last,
            Plan.end_date >= past.first,
            Plan.weekly_target_minutes.isnot(None),
            Participant.anonymised_at.is_(None),
        )
        .group_by(Participant.group_id)
    ).all()
    names = {
        gid: (name, f"{first_name} {last_name}")
        for gid, name, first_name, last_name in session.execute(
            sa.select(Group.id, Group.name, User.first_name, User.last_name)
            .join(Instructor, Instructor.id == Group.instructor_id)
            .join(User, User.id == Instructor.user_id)
        ).all()
    }
    weeks = past.days / 7
    rows = []
    for gid, count, target_x7 in targets:
        name, instructor = names.get(gid, ("", ""))
        rows.append(
            GroupTarget(
                group_id=int(gid),
                group=name,
                instructor=instructor,
                participants=int(count),
                target_minutes=round(float(target_x7 or 0) / 7),
                done_minutes=int(done.get(gid) or 0),
                weeks=weeks,
            )
        )
    return sorted(rows, key=lambda r: (r.share if r.share is not None else 9, r.group))


# ---------------------------------------------------------------- earnings ceiling


@dataclass
class CeilingRow:
    month: str
    with_ceiling: int  # people with a ceiling who earned something that month
    close: int  # from 90 % of the ceiling up to it
    over: int  # at or over the ceiling


def ceiling_warnings(session: Session, rng: DateRange) -> list[CeilingRow]:
    """Per month: how many people with a monthly earnings ceiling in their plan earned
    (confirmed hours × the wage of the day) close to it or over it. Counts only. Whole
    months from the earnings summaries, the days of partial months from the ledger."""
    summaries.ensure_fresh(session)
    parts = split_range(rng, session)
    ceiling = Plan.monthly_earnings_ceiling_cents
    pieces = []
    if parts.whole is not None:
        e = EarningsMonth
        pieces.append(
            sa.select(
                e.month.label("month"),
                e.participant_id.label("participant_id"),
                ceiling.label("ceiling"),
                e.earned_x60.label("earned_x60"),
            )
            .join(Plan, Plan.id == e.plan_id)
            .where(e.month.between(*parts.whole), ceiling.isnot(None))
        )
    for edge in parts.edges:
        pieces.append(
            sa.select(
                sa.literal(month_start(edge.first), sa.Date).label("month"),
                HourEntry.participant_id.label("participant_id"),
                ceiling.label("ceiling"),
                sa.cast(HourEntry.minutes * HourEntry.wage_cents_per_hour, sa.BigInteger).label(
                    "earned_x60"
                ),
            )
            .join(Plan, plan_on_entry_day())
            .where(_in_range(edge), ceiling.isnot(None))
        )
    if not pieces:
        return []
    rows = (pieces[0] if len(pieces) == 1 else sa.union_all(*pieces)).subquery()
    per_person = (
        sa.select(
            rows.c.month,
            rows.c.participant_id,
            rows.c.ceiling,
            sa.func.sum(rows.c.earned_x60).label("earned_x60"),
        )
        .group_by(rows.c.month, rows.c.participant_id, rows.c.ceiling)
        .subquery()
    )
    p = per_person.c
    share_num, share_den = CEILING_WARNING_SHARE
    over = p.earned_x60 >= p.ceiling * 60
    close = sa.and_(p.earned_x60 * share_den >= p.ceiling * 60 * share_num, ~over)
    stmt = (
        sa.select(
            p.month,
            sa.func.count(sa.distinct(p.participant_id)),
            sa.func.count(sa.distinct(sa.case((close, p.participant_id), else_=None))),
            sa.func.count(sa.distinct(sa.case((over, p.participant_id), else_=None))),
        )
        .where(p.earned_x60 > 0)
        .group_by(p.month)
        .order_by(p.month)
    )
    return [
        CeilingRow(_month_key(m), int(n), int(c), int(o))
        for m, n, c, o in session.execute(stmt).all()
    ]


def participants_with_ceiling(first: date, last: date) -> sa.Select[Any]:
    """The ids of people whose plan during these days carries an earnings ceiling (a
    SELECT for the caller to use as a subquery: the ids never leave the database)."""
    return (
        sa.select(Plan.participant_id)
        .distinct()
        .join(Participant, Participant.id == Plan.participant_id)
        .where(
            Plan.monthly_earnings_ceiling_cents.isnot(None),
            Plan.start_date <= last,
            Plan.end_date >= first,
            Participant.anonymised_at.is_(None),
        )
    )


# ---------------------------------------------------------------- satisfaction


@dataclass
class SatisfactionRow:
    key: str  # group id or month 'YYYY-MM'
    label: str
    unit_ratings: int = 0
    units_very_satisfied: int = 0
    participant_ratings: int = 0
    participants_very_satisfied: int = 0

    @property
    def unit_share(self) -> float | None:
        return self.units_very_satisfied / self.unit_ratings if self.unit_ratings else None

    @property
    def participant_share(self) -> float | None:
        if not self.participant_ratings:
            return None
        return self.participants_very_satisfied / self.participant_ratings


def satisfaction(
    session: Session, rng: DateRange
) -> tuple[list[SatisfactionRow], list[SatisfactionRow]]:
    """(per group, per month), from the daily rating summaries: a unit's rating counts
    for the group that took the task, in the month it was given; a participant's face
    for the participant's group, in the month of the shift."""
    summaries.ensure_fresh(session)
    names = dict(session.execute(sa.select(Group.id, Group.name)).all())
    groups: dict[Any, SatisfactionRow] = {}
    months: dict[str, SatisfactionRow] = {}

    r = RatingDay
    where = _summary_rows(r, split_range(rng))
    n, very = sa.func.sum(r.ratings), sa.func.sum(r.very)
    if _dialect(session) == "postgresql":
        # One pass: per (source, group) and per (source, month); GROUPING() tells which
        # (a group id may be NULL in the data itself).
        stmt = (
            sa.select(sa.func.grouping(r.month) == 0, r.source, r.group_id, r.month, n, very)
            .where(where)
            .group_by(
                sa.func.grouping_sets(sa.tuple_(r.source, r.group_id), sa.tuple_(r.source, r.month))
            )
        )
    else:
        no_group, no_month = sa.cast(sa.null(), sa.Integer), sa.cast(sa.null(), sa.Date)
        stmt = sa.union_all(
            sa.select(sa.false(), r.source, r.group_id, no_month, n, very)
            .where(where)
            .group_by(r.source, r.group_id),
            sa.select(sa.true(), r.source, no_group, r.month, n, very)
            .where(where)
            .group_by(r.source, r.month),
        )
    for by_month, source, gid, month, count, very_count in session.execute(stmt).all():
        if by_month:
            key = _month_key(month)
            if key not in months:
                months[key] = SatisfactionRow(key=key, label=key)
            row = months[key]
        else:
            if gid not in groups:
                key = NONE_KEY if gid is None else str(gid)
                groups[gid] = SatisfactionRow(key=key, label=names.get(gid, ""))
            row = groups[gid]
        if source == summaries.UNIT_SOURCE:
            row.unit_ratings += int(count)
            row.units_very_satisfied += int(very_count or 0)
        else:
            row.participant_ratings += int(count)
            row.participants_very_satisfied += int(very_count or 0)
    # Groups may share a name: the id keeps the order the same from one request to the next.
    by_group = sorted(
        groups.values(),
        key=lambda r: (r.key == NONE_KEY, r.label, int(r.key) if r.key.isdigit() else 0),
    )
    return by_group, sorted(months.values(), key=lambda r: r.key)


def satisfaction_by_group(session: Session, rng: DateRange) -> list[SatisfactionRow]:
    return satisfaction(session, rng)[0]


def satisfaction_by_month(session: Session, rng: DateRange) -> list[SatisfactionRow]:
    return satisfaction(session, rng)[1]


def satisfaction_totals(rows: Sequence[SatisfactionRow]) -> SatisfactionRow:
    return SatisfactionRow(
        key="",
        label="",
        unit_ratings=sum(r.unit_ratings for r in rows),
        units_very_satisfied=sum(r.units_very_satisfied for r in rows),
        participant_ratings=sum(r.participant_ratings for r in rows),
        participants_very_satisfied=sum(r.participants_very_satisfied for r in rows),
    )


# ---------------------------------------------------------------- drill-down


def dimension_filter(by: str, key: str, rng: DateRange) -> tuple[Any, DateRange] | None:
    """The WHERE clause on hour entries behind one total, and the range it covers (a
    month narrows it); None when the key names nothing of that dimension."""
    if by == "stream":
        if key not in {str(s) for s in Stream}:
            return None
        return HourEntry.stream == Stream(key), rng
    if by == "month":
        try:
            year, month = (int(p) for p in key.split("-"))
            part = rng.month_range(date(year, month, 1))
        except ValueError:
            return None
        if len(key) != 7 or part is None:
            return None
        return sa.true(), part
    column = {
        "unit": HourEntry.unit_id,
        "task_kind": HourEntry.task_kind_id,
        "instructor": HourEntry.instructor_id,
        "district": HourEntry.district_id,
    }.get(by)
    if column is None:
        return None
    if key == NONE_KEY and by in ("instructor", "district"):
        return column.is_(None), rng
    if not key.isdigit() or not 0 < int(key) <= 2**31 - 1:
        return None
    return column == int(key), rng


@dataclass
class TaskLine:
    task_id: int
    title: str
    unit: str
    kind: str
    shifts: int
    people: int
    minutes: int


def tasks_behind(
    session: Session, rng: DateRange, condition: Any, locale: str = "fi"
) -> list[TaskLine]:
    """The tasks whose confirmed hours make up a total, with their hours."""
    kind = _kind_name(locale)
    stmt = (
        sa.select(
            Task.id,
            Task.title,
            Unit.name,
            kind,
            sa.func.count(sa.distinct(HourEntry.shift_id)),
            _people_with_hours(),
            sa.func.sum(HourEntry.minutes),
        )
        .select_from(HourEntry)
        .join(Shift, Shift.id == HourEntry.shift_id)
        .join(Task, Task.id == Shift.task_id)
        .join(Unit, Unit.id == Task.unit_id)
        .join(TaskKind, TaskKind.id == Task.task_kind_id)
        .where(_in_range(rng), condition)
        .group_by(Task.id, Task.title, Unit.name, kind)
    )
    rows = [
        TaskLine(int(i), str(t), str(u), str(k), int(s), int(p), int(m or 0))
        for i, t, u, k, s, p, m in session.execute(stmt).all()
    ]
    return sorted(rows, key=lambda r: (-r.minutes, r.title))


@dataclass
class ShiftLine:
    shift_id: int
    starts_at: Any
    ends_at: Any
    status: ShiftStatus
    cancel_reason: str | None
    slots: int
    filled: int
    people_with_hours: int
    minutes: int


def task_shifts(session: Session, rng: DateRange, task_id: int) -> list[ShiftLine]:
    """A task's shifts that start in the range, with slots filled and confirmed hours."""
    filled = (
        sa.select(sa.func.count(Assignment.id))
        .where(Assignment.shift_id == Shift.id, Assignment.status.in_(FILLED))
        .correlate(Shift)
        .scalar_subquery()
    )
    hours = (
        sa.select(
            HourEntry.shift_id.label("shift_id"),
            sa.func.sum(HourEntry.minutes).label("minutes"),
            _people_with_hours().label("people"),
        )
        .where(HourEntry.shift_id.in_(sa.select(Shift.id).where(Shift.task_id == task_id)))
        .group_by(HourEntry.shift_id)
        .subquery()
    )
    stmt = (
        sa.select(
            Shift.id,
            Shift.starts_at,
            Shift.ends_at,
            Shift.status,
            Shift.cancel_reason,
            Shift.slots,
            filled,
            sa.func.coalesce(hours.c.people, 0),
            sa.func.coalesce(hours.c.minutes, 0),
        )
        .outerjoin(hours, hours.c.shift_id == Shift.id)
        .where(Shift.task_id == task_id, _shifts_in_range(rng))
        .order_by(Shift.starts_at, Shift.id)
    )
    return [
        ShiftLine(int(i), s, e, st, reason, int(slots), int(f or 0), int(p), int(m))
        for i, s, e, st, reason, slots, f, p, m in session.execute(stmt).all()
    ]


@dataclass
class PersonLine:
    participant_id: int
    display_name: str  # first name and the initial of the last name
    status: AssignmentStatus
    minutes: int


def shift_people(session: Session, shift_id: int) -> list[PersonLine]:
    """Who held a slot on the shift, as little as a manager needs: first name, initial,
    the assignment's status and the confirmed minutes. The caller audits each person."""
    hours = (
        sa.select(
            HourEntry.participant_id.label("participant_id"),
            sa.func.sum(HourEntry.minutes).label("minutes"),
        )
        .where(HourEntry.shift_id == shift_id)
        .group_by(HourEntry.participant_id)
        .subquery()
    )
    stmt = (
        sa.select(
            Participant.id,
            User.first_name,
            User.last_name,
            Participant.anonymised_at,
            Assignment.status,
            sa.func.coalesce(hours.c.minutes, 0),
        )
        .select_from(Assignment)
        .join(Participant, Participant.id == Assignment.participant_id)
        .join(User, User.id == Participant.user_id)
        .outerjoin(hours, hours.c.participant_id == Participant.id)
        .where(
            Assignment.shift_id == shift_id,
            sa.or_(Assignment.status.in_(FILLED), hours.c.minutes.isnot(None)),
        )
        .order_by(User.first_name, Participant.id)
    )
    out = []
    for pid, first, last, anonymised, status, minutes in session.execute(stmt).all():
        name = "" if anonymised else f"{first} {last[:1]}.".strip() if last else first
        out.append(PersonLine(int(pid), name, status, int(minutes)))
    return out


@dataclass
class DashboardData:
    """Everything the dashboard page shows for a range."""

    range: DateRange
    summary: PilotSummary
    totals: dict[str, list[TotalRow]]
    fill: list[FillRow]
    fill_total: FillRow
    attendance: Attendance
    attendance_by_kind: list[KindAttendance]
    cancellations_by_unit: list[CancellationRow]
    cancellations_by_reason: list[CancellationRow]
    group_targets: list[GroupTarget]
    ceiling: list[CeilingRow]
    satisfaction_by_group: list[SatisfactionRow]
    satisfaction_by_month: list[SatisfactionRow]
    satisfaction_total: SatisfactionRow
    hours_by_month_and_stream: list[tuple[str, dict[Stream, int]]] = field(default_factory=list)


def hours_by_month_and_stream(
    session: Session, rng: DateRange
) -> list[tuple[str, dict[Stream, int]]]:
    """Every month of the range (empty ones too) with its confirmed minutes per stream."""
    summaries.ensure_fresh(session)
    h = HourSummary
    found = {
        (_month_key(m), s): int(n or 0)
        for m, s, n in session.execute(
            sa.select(h.month, h.stream, sa.func.sum(h.minutes))
            .where(_summary_rows(h, split_range(rng, session)))
            .group_by(h.month, h.stream)
        ).all()
    }
    return [
        (_month_key(m), {s: found.get((_month_key(m), s), 0) for s in STREAMS})
        for m in rng.months()
    ]


def dashboard(session: Session, rng: DateRange, locale: str = "fi") -> DashboardData:
    with summaries.reading(session):
        return _dashboard(session, rng, locale)


def _dashboard(session: Session, rng: DateRange, locale: str) -> DashboardData:
    people = person_totals(session, rng)
    past = rng.until(clock.today())
    fill = fill_by_month(session, rng)
    by_group, by_month = satisfaction(session, rng)
    hours = hour_rollup(session, rng, locale)
    totals = hours.totals
    kinds = tasks_done_by_kind(session, rng, locale)
    overall, by_kind = attendance_figures(session, rng, locale)
    summary = PilotSummary(
        range=rng,
        minutes_by_stream={
            s: next((r.minutes for r in totals["stream"] if r.key == str(s)), 0) for s in STREAMS
        },
        participants_by_stream=people.participants_by_stream,
        kinds_done=kinds,
    )
    return DashboardData(
        range=rng,
        summary=summary,
        totals=totals,
        fill=fill,
        fill_total=fill_totals(fill),
        attendance=overall,
        attendance_by_kind=by_kind,
        cancellations_by_unit=cancellations_by_unit(session, rng),
        cancellations_by_reason=cancellations_by_reason(session, rng, locale),
        group_targets=group_targets(session, rng, people=people if past == rng else None),
        ceiling=ceiling_warnings(session, rng),
        satisfaction_by_group=by_group,
        satisfaction_by_month=by_month,
        satisfaction_total=satisfaction_totals(by_group),
        hours_by_month_and_stream=hours.by_month_and_stream,
    )


def month_days(month: str) -> tuple[date, date]:
    year, m = (int(p) for p in month.split("-"))
    first = date(year, m, 1)
    return first, next_month(first) - timedelta(days=1)
