"""The dashboard's figures aggregated straight from the ledger (hour entries, shifts,
assignments, attendance records, feedback) on every call: the definition.

`jobcenter.dashboard.queries` reads the maintained summaries instead
(`jobcenter.dashboard.summaries`) and must give exactly these figures for any range;
the tests compare the two on random ledgers. Kept callable for that, and for anyone
who wants to check the summaries against the ledger by hand. The definitions are in
`jobcenter.dashboard.queries`' docstring.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.catalog.models import District, TaskKind
from jobcenter.core import clock, system_texts
from jobcenter.core.enums import Stream
from jobcenter.dashboard.period import DateRange
from jobcenter.dashboard.queries import (
    CEILING_WARNING_SHARE,
    DIMENSIONS,
    JOIN_SHIFTS_FROM_DAYS,
    NONE_KEY,
    STREAMS,
    AbsenceRow,
    Attendance,
    CancellationRow,
    CeilingRow,
    DashboardData,
    FillRow,
    GroupTarget,
    HourRollup,
    KindAttendance,
    KindDone,
    PilotSummary,
    SatisfactionRow,
    TotalRow,
    _date_buckets,
    _district_name,
    _in_range,
    _kind_name,
    _month_key,
    _ordered,
    _shifts_in_range,
    _time_buckets,
    fill_totals,
    kinds_of_tasks,
    rollup_from_sums,
    satisfaction_totals,
    targets_against_done,
)
from jobcenter.dashboard.summaries import (
    FILLED,
    HAPPY_FACE,
    VERY_SATISFIED_RATING,
    current_records,
    minutes_between,
)
from jobcenter.hours.models import AbsenceKind, AttendanceRecord, HourEntry, ShiftFeedback
from jobcenter.participants.models import Group, Instructor, Participant, Plan
from jobcenter.scheduling.models import Assignment, Shift, ShiftStatus
from jobcenter.units.models import Task, TaskFeedback, Unit


def hour_totals(session: Session, rng: DateRange, by: str, locale: str = "fi") -> list[TotalRow]:
    """Confirmed minutes per stream, unit, task kind, month, instructor or district.
    Streams and months come in order, the others largest first."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    minutes = sa.func.coalesce(sa.func.sum(HourEntry.minutes), 0)
    if by == "stream":
        stmt = sa.select(HourEntry.stream, HourEntry.stream, minutes).group_by(HourEntry.stream)
    elif by == "month":
        bucket = _date_buckets(HourEntry.work_date, rng).label("month")
        stmt = sa.select(bucket, bucket, minutes).group_by(bucket)
    else:
        column, model, label = {
            "unit": (HourEntry.unit_id, Unit, Unit.name),
            "task_kind": (HourEntry.task_kind_id, TaskKind, _kind_name(locale)),
            "instructor": (HourEntry.instructor_id, Instructor, None),
            "district": (HourEntry.district_id, District, _district_name(locale)),
        }[by]
        # Sum per id first (one pass over the ledger), then name the few ids found.
        sums = (
            sa.select(column.label("key"), minutes.label("minutes"))
            .where(_in_range(rng))
            .group_by(column)
            .subquery()
        )
        if by == "instructor":
            label = User.first_name + " " + User.last_name
            stmt = (
                sa.select(sums.c.key, label, sums.c.minutes)
                .outerjoin(Instructor, Instructor.id == sums.c.key)
                .outerjoin(User, User.id == Instructor.user_id)
            )
        else:
            stmt = sa.select(sums.c.key, label, sums.c.minutes).outerjoin(
                model, model.id == sums.c.key
            )
    if by in ("stream", "month"):
        stmt = stmt.where(_in_range(rng))
    rows = [
        TotalRow(
            key=NONE_KEY if key is None else str(key),
            label="" if label is None else str(label),
            minutes=int(m or 0),
        )
        for key, label, m in session.execute(stmt).all()
    ]
    return _ordered(by, rows)


def hour_rollup(session: Session, rng: DateRange, locale: str = "fi") -> HourRollup:
    """`hour_totals` for every dimension and `hours_by_month_and_stream`, with the same
    figures, from ONE aggregation of the ledger by (month, stream, unit, task kind,
    instructor, district) — some ten thousand rows for a Helsinki year, added up here
    per dimension — instead of one scan of ~300,000 ledger rows per dimension."""
    month = _date_buckets(HourEntry.work_date, rng).label("month")
    keys = (
        HourEntry.stream,
        HourEntry.unit_id,
        HourEntry.task_kind_id,
        HourEntry.instructor_id,
        HourEntry.district_id,
    )
    stmt = (
        sa.select(month, *keys, sa.func.sum(HourEntry.minutes))
        .where(_in_range(rng))
        .group_by(month, *keys)
    )
    sums: dict[str, dict[Any, int]] = {by: {} for by in DIMENSIONS}
    per_month_stream: dict[tuple[str, Any], int] = {}
    for m, stream, unit, kind, instructor, district, minutes in session.execute(stmt):
        minutes = int(minutes or 0)
        for by, key in (
            ("stream", stream),
            ("month", m),
            ("unit", unit),
            ("task_kind", kind),
            ("instructor", instructor),
            ("district", district),
        ):
            found = sums[by]
            found[key] = found.get(key, 0) + minutes
        per_month_stream[(m, stream)] = per_month_stream.get((m, stream), 0) + minutes
    return rollup_from_sums(session, rng, sums, per_month_stream, locale)


def minutes_by_stream(session: Session, rng: DateRange) -> dict[Stream, int]:
    totals = {row.key: row.minutes for row in hour_totals(session, rng, "stream")}
    return {s: int(totals.get(str(s), 0)) for s in STREAMS}


def participants_by_stream(session: Session, rng: DateRange) -> dict[Stream, int]:
    """Distinct participants with confirmed hours (net of corrections) per stream."""
    per_person = (
        sa.select(HourEntry.stream, HourEntry.participant_id)
        .where(_in_range(rng))
        .group_by(HourEntry.stream, HourEntry.participant_id)
        .having(sa.func.sum(HourEntry.minutes) > 0)
        .subquery()
    )
    counts = dict(
        session.execute(
            sa.select(per_person.c.stream, sa.func.count()).group_by(per_person.c.stream)
        ).all()
    )
    return {s: int(counts.get(s, 0)) for s in STREAMS}


def tasks_done_by_kind(session: Session, rng: DateRange, locale: str = "fi") -> list[KindDone]:
    """Tasks (and shifts) with confirmed hours in the range, per task kind: per shift
    first (hours net of corrections), then per (kind, task), so tasks are counted as
    groups rather than with a COUNT(DISTINCT) that sorts every shift of the range."""
    positive = sa.func.sum(HourEntry.minutes) > 0
    if rng.days >= JOIN_SHIFTS_FROM_DAYS:
        per_shift = (
            sa.select(
                HourEntry.shift_id.label("shift_id"),
                HourEntry.task_kind_id.label("kind_id"),
                sa.func.sum(HourEntry.minutes).label("minutes"),
            )
            .where(_in_range(rng))
            .group_by(HourEntry.shift_id, HourEntry.task_kind_id)
            .having(positive)
            .subquery()
        )
        rows = (
            sa.select(per_shift.c.kind_id, Shift.task_id, per_shift.c.minutes)
            .join(Shift, Shift.id == per_shift.c.shift_id)
            .subquery()
        )
    else:
        task_of_shift = (
            sa.select(Shift.task_id).where(Shift.id == HourEntry.shift_id).scalar_subquery()
        )
        rows = (
            sa.select(
                HourEntry.task_kind_id.label("kind_id"),
                task_of_shift.label("task_id"),
                sa.func.sum(HourEntry.minutes).label("minutes"),
            )
            .where(_in_range(rng))
            .group_by(HourEntry.shift_id, HourEntry.task_kind_id)
            .having(positive)
            .subquery()
        )
    s = rows.c
    per_task = (
        sa.select(
            s.kind_id.label("kind_id"),
            s.task_id.label("task_id"),
            sa.func.count().label("shifts"),
            sa.func.sum(s.minutes).label("minutes"),
        )
        .group_by(s.kind_id, s.task_id)
        .subquery()
    )
    return kinds_of_tasks(session, per_task, locale)


def pilot_summary(session: Session, rng: DateRange, locale: str = "fi") -> PilotSummary:
    return PilotSummary(
        range=rng,
        minutes_by_stream=minutes_by_stream(session, rng),
        participants_by_stream=participants_by_stream(session, rng),
        kinds_done=tasks_done_by_kind(session, rng, locale),
    )


def fill_by_month(session: Session, rng: DateRange) -> list[FillRow]:
    """Offered and filled slot-hours of the range's shifts (not cancelled), per month."""
    # Held slots counted per shift straight from the (shift_id, status) index, then
    # joined to the range's shifts: no grouping of shifts by all their columns.
    offered = sa.and_(_shifts_in_range(rng), Shift.status != ShiftStatus.CANCELLED)
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
            _time_buckets(Shift.starts_at, rng).label("month"),
            Shift.slots.label("slots"),
            minutes_between(session, Shift.starts_at, Shift.ends_at).label("minutes"),
            sa.func.coalesce(held_slots.c.filled, 0).label("filled"),
        )
        .outerjoin(held_slots, held_slots.c.shift_id == Shift.id)
        .where(offered)
        .subquery()
    )
    s = per_shift.c
    held = sa.case((s.filled > s.slots, s.slots), else_=s.filled)
    stmt = (
        sa.select(
            s.month,
            sa.func.count(),
            sa.func.sum(sa.case((s.filled >= s.slots, 1), else_=0)),
            sa.func.sum(s.slots * s.minutes),
            sa.func.sum(held * s.minutes),
        )
        .group_by(s.month)
        .order_by(s.month)
    )
    return [
        FillRow(str(month), int(n), int(full or 0), int(offered or 0), int(filled or 0))
        for month, n, full, offered, filled in session.execute(stmt).all()
    ]


def attendance_figures(
    session: Session, rng: DateRange, locale: str = "fi"
) -> tuple[Attendance, list[KindAttendance]]:
    """Current attendance records of the range's shifts: overall by absence kind, and
    per task kind. One aggregation by (task kind, absence kind); both views add it up."""
    name = _kind_name(locale)
    stmt = (
        sa.select(Task.task_kind_id, name, AttendanceRecord.absence_kind, sa.func.count())
        .select_from(AttendanceRecord)
        .join(Assignment, Assignment.id == AttendanceRecord.assignment_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Task, Task.id == Shift.task_id)
        .join(TaskKind, TaskKind.id == Task.task_kind_id)
        .where(_shifts_in_range(rng), current_records())
        .group_by(Task.task_kind_id, name, AttendanceRecord.absence_kind)
    )
    overall: dict[AbsenceKind | None, int] = {}
    kinds: dict[int, KindAttendance] = {}
    for kind_id, label, absence, n in session.execute(stmt).all():
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


def cancellations_by_unit(session: Session, rng: DateRange) -> list[CancellationRow]:
    minutes = minutes_between(session, Shift.starts_at, Shift.ends_at)
    stmt = (
        sa.select(Unit.id, Unit.name, sa.func.count(), sa.func.sum(Shift.slots * minutes))
        .select_from(Shift)
        .join(Task, Task.id == Shift.task_id)
        .join(Unit, Unit.id == Task.unit_id)
        .where(_shifts_in_range(rng), Shift.status == ShiftStatus.CANCELLED)
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
    minutes = minutes_between(session, Shift.starts_at, Shift.ends_at)
    reason = sa.func.coalesce(Shift.cancel_reason, "")
    stmt = (
        sa.select(reason, sa.func.count(), sa.func.sum(Shift.slots * minutes))
        .where(_shifts_in_range(rng), Shift.status == ShiftStatus.CANCELLED)
        .group_by(reason)
    )
    rows = [
        CancellationRow(str(r), str(system_texts.shown_in(str(r), locale)), int(n), int(m or 0))
        for r, n, m in session.execute(stmt).all()
    ]
    return sorted(rows, key=lambda r: (-r.shifts, r.label))


def group_targets(session: Session, rng: DateRange, today: date | None = None) -> list[GroupTarget]:
    """Per group: the plans' weekly targets summed over the days each plan runs in the
    range (up to today: the future has no hours yet), against the confirmed hours of the
    group's participants on those days."""
    past = rng.until(today or clock.today())
    if past is None:
        return []
    done = dict(
        session.execute(
            sa.select(Participant.group_id, sa.func.sum(HourEntry.minutes))
            .join(Participant, Participant.id == HourEntry.participant_id)
            .where(_in_range(past))
            .group_by(Participant.group_id)
        ).all()
    )
    return targets_against_done(session, past, done)


def ceiling_warnings(session: Session, rng: DateRange) -> list[CeilingRow]:
    """Per month: how many people with a monthly earnings ceiling in their plan earned
    (confirmed hours × the wage of the day) close to it or over it. Counts only."""
    month = _date_buckets(HourEntry.work_date, rng).label("month")
    per_person = (
        sa.select(
            month,
            HourEntry.participant_id,
            Plan.monthly_earnings_ceiling_cents.label("ceiling"),
            sa.func.sum(HourEntry.minutes * HourEntry.wage_cents_per_hour).label("earned_x60"),
        )
        .join(
            Plan,
            sa.and_(
                Plan.participant_id == HourEntry.participant_id,
                Plan.start_date <= HourEntry.work_date,
                Plan.end_date >= HourEntry.work_date,
            ),
        )
        .where(_in_range(rng), Plan.monthly_earnings_ceiling_cents.isnot(None))
        .group_by(month, HourEntry.participant_id, Plan.monthly_earnings_ceiling_cents)
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
        CeilingRow(str(m), int(n), int(c), int(o)) for m, n, c, o in session.execute(stmt).all()
    ]


def _unit_ratings(rng: DateRange, *keys: Any) -> sa.Select:
    """Units' ratings of tasks given in the range, grouped by `keys`."""
    very = sa.func.sum(sa.case((TaskFeedback.rating == VERY_SATISFIED_RATING, 1), else_=0))
    return (
        sa.select(*keys, sa.func.count(), very)
        .select_from(TaskFeedback)
        .join(Task, Task.id == TaskFeedback.task_id)
        .where(TaskFeedback.created_at >= rng.start_utc, TaskFeedback.created_at < rng.end_utc)
        .group_by(*keys)
    )


def _participant_ratings(rng: DateRange, *keys: Any) -> sa.Select:
    """Participants' faces for shifts in the range, grouped by `keys`."""
    happy = sa.func.sum(sa.case((ShiftFeedback.face == HAPPY_FACE, 1), else_=0))
    return (
        sa.select(*keys, sa.func.count(), happy)
        .select_from(ShiftFeedback)
        .join(Assignment, Assignment.id == ShiftFeedback.assignment_id)
        .join(Shift, Shift.id == Assignment.shift_id)
        .join(Participant, Participant.id == Assignment.participant_id)
        .where(_shifts_in_range(rng))
        .group_by(*keys)
    )


def satisfaction(
    session: Session, rng: DateRange
) -> tuple[list[SatisfactionRow], list[SatisfactionRow]]:
    """(per group, per month), from one aggregation per source by (group, month): a
    unit's rating counts for the group that took the task, in the month it was given; a
    participant's face for the participant's group, in the month of the shift."""
    names = dict(session.execute(sa.select(Group.id, Group.name)).all())
    groups: dict[Any, SatisfactionRow] = {}
    months: dict[str, SatisfactionRow] = {}

    def rows_for(gid: Any, month: str) -> tuple[SatisfactionRow, SatisfactionRow]:
        if gid not in groups:
            key = NONE_KEY if gid is None else str(gid)
            groups[gid] = SatisfactionRow(key=key, label=names.get(gid, ""))
        if month not in months:
            months[month] = SatisfactionRow(key=month, label=month)
        return groups[gid], months[month]

    unit_month = _time_buckets(TaskFeedback.created_at, rng).label("month")
    for gid, month, n, very in session.execute(_unit_ratings(rng, Task.group_id, unit_month)).all():
        for r in rows_for(gid, month):
            r.unit_ratings += int(n)
            r.units_very_satisfied += int(very or 0)
    shift_month = _time_buckets(Shift.starts_at, rng).label("month")
    for gid, month, n, happy in session.execute(
        _participant_ratings(rng, Participant.group_id, shift_month)
    ).all():
        for r in rows_for(gid, month):
            r.participant_ratings += int(n)
            r.participants_very_satisfied += int(happy or 0)
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


def hours_by_month_and_stream(
    session: Session, rng: DateRange
) -> list[tuple[str, dict[Stream, int]]]:
    """Every month of the range (empty ones too) with its confirmed minutes per stream."""
    month = _date_buckets(HourEntry.work_date, rng).label("month")
    found = {
        (m, s): int(n or 0)
        for m, s, n in session.execute(
            sa.select(month, HourEntry.stream, sa.func.sum(HourEntry.minutes))
            .where(_in_range(rng))
            .group_by(month, HourEntry.stream)
        ).all()
    }
    return [
        (_month_key(m), {s: found.get((_month_key(m), s), 0) for s in STREAMS})
        for m in rng.months()
    ]


def dashboard(session: Session, rng: DateRange, locale: str = "fi") -> DashboardData:
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
        participants_by_stream=participants_by_stream(session, rng),
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
        group_targets=group_targets(session, rng),
        ceiling=ceiling_warnings(session, rng),
        satisfaction_by_group=by_group,
        satisfaction_by_month=by_month,
        satisfaction_total=satisfaction_totals(by_group),
        hours_by_month_and_stream=hours.by_month_and_stream,
    )
