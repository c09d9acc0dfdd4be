"""An independent checker of the generated history: it reads the rows back and
tests the domain's hard rules without any of the generator's code."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import date, time, timedelta

import holidays
import sqlalchemy as sa

from jobcenter.core.clock import HELSINKI
from jobcenter.core.enums import Stream
from jobcenter.models import (
    Assignment,
    AvailabilityWindow,
    Instructor,
    Participant,
    Plan,
    Shift,
    StreamRule,
)
from jobcenter.scheduling.models import SLOT_HOLDING, ShiftStatus

HOLDING = {s.value for s in SLOT_HOLDING}


def _rows(session):
    shifts = {
        row.id: row
        for row in session.execute(
            sa.select(
                Shift.id,
                Shift.starts_at,
                Shift.ends_at,
                Shift.slots,
                Shift.status,
                Shift.instructor_id,
            )
        )
    }
    assignments = session.execute(
        sa.select(
            Assignment.shift_id,
            Assignment.participant_id,
            Assignment.status,
            Assignment.is_orientation,
        )
    ).all()
    return shifts, assignments


def violations(session) -> list[str]:
    """Every broken rule as a sentence; an empty list means the history is sound."""
    problems: list[str] = []
    shifts, assignments = _rows(session)
    streams = dict(session.execute(sa.select(Participant.id, Participant.stream)).all())
    plans = defaultdict(list)
    for plan in session.scalars(sa.select(Plan)):
        plans[plan.participant_id].append(plan)
    user_of = dict(session.execute(sa.select(Participant.id, Participant.user_id)).all())
    windows = defaultdict(dict)
    for w in session.scalars(sa.select(AvailabilityWindow)):
        windows[w.user_id][w.weekday] = (w.start_time, w.end_time)
    capacity = dict(
        session.execute(sa.select(Instructor.id, Instructor.supervision_capacity)).all()
    )
    rules = {r.stream: r for r in session.scalars(sa.select(StreamRule))}

    years = {s.starts_at.astimezone(HELSINKI).year for s in shifts.values()}
    finnish_holidays = holidays.Finland(years=years or {2025})
    for shift in shifts.values():
        day = shift.starts_at.astimezone(HELSINKI).date()
        if day in finnish_holidays:
            problems.append(f"shift {shift.id} on the public holiday {day}")

    holders = defaultdict(list)
    per_person = defaultdict(list)
    for a in assignments:
        if a.status not in HOLDING:
            continue
        holders[a.shift_id].append(a)
        per_person[a.participant_id].append((shifts[a.shift_id], a))

    for shift_id, held in holders.items():
        shift = shifts[shift_id]
        if len(held) > shift.slots:
            problems.append(f"shift {shift_id} has {len(held)} people for {shift.slots} slots")
        if shift.status == ShiftStatus.CANCELLED:
            problems.append(f"cancelled shift {shift_id} still holds people")

    onsite = defaultdict(int)
    for person, items in per_person.items():
        items.sort(key=lambda item: item[0].starts_at)
        for (first, _), (second, _) in itertools.pairwise(items):
            if second.starts_at < first.ends_at:
                problems.append(
                    f"participant {person} on overlapping shifts {first.id}, {second.id}"
                )
        per_day = defaultdict(int)
        day_limit = {}
        per_week = defaultdict(lambda: [set(), 0])
        for shift, a in items:
            start = shift.starts_at.astimezone(HELSINKI)
            end = shift.ends_at.astimezone(HELSINKI)
            day = start.date()
            minutes = int((shift.ends_at - shift.starts_at).total_seconds() // 60)
            plan = next((p for p in plans[person] if p.start_date <= day <= p.end_date), None)
            if plan is None:
                problems.append(f"participant {person} works on {day} outside any plan")
                continue
            window = windows[user_of[person]].get(day.weekday())
            if window is None or start.time() < window[0] or end.time() > window[1]:
                problems.append(f"participant {person} works outside their window on {day}")
            level = max(plan.supervision_level, 2 if a.is_orientation else 0)
            if level >= 2:
                if shift.instructor_id is None:
                    problems.append(
                        f"shift {shift.id} lacks the instructor participant {person} needs"
                    )
                onsite[shift.id] += capacity.get(shift.instructor_id, 1) if level == 3 else 1
            per_day[day] += minutes
            day_limit[day] = plan.max_minutes_per_day
            week = per_week[day.isocalendar()[:2]]
            week[0].add(day)
            week[1] += minutes
            if minutes > plan.max_minutes_per_day:
                problems.append(f"participant {person} over their plan's hours on {day}")
        rule = rules.get(streams[person])
        for day, minutes in per_day.items():
            if minutes > day_limit[day]:
                problems.append(f"participant {person} over their plan's daily hours on {day}")
            if rule and rule.max_minutes_per_day and minutes > rule.max_minutes_per_day:
                problems.append(f"participant {person} works {minutes} min on {day}")
        for week, (days, minutes) in per_week.items():
            plan_days = max(p.days_per_week for p in plans[person])
            if len(days) > plan_days:
                problems.append(f"participant {person} works {len(days)} days in week {week}")
            if rule and rule.max_days_per_week and len(days) > rule.max_days_per_week:
                problems.append(f"participant {person} over the stream's days in week {week}")
            if rule and rule.max_minutes_per_week and minutes > rule.max_minutes_per_week:
                problems.append(f"participant {person} works {minutes} min in week {week}")

    for shift_id, load in onsite.items():
        instructor = shifts[shift_id].instructor_id
        if instructor is not None and load > capacity[instructor]:
            problems.append(f"shift {shift_id} supervises {load} over capacity")

    by_instructor = defaultdict(list)
    for shift in shifts.values():
        if shift.instructor_id is not None and shift.status != ShiftStatus.CANCELLED:
            by_instructor[shift.instructor_id].append(shift)
    for instructor, items in by_instructor.items():
        items.sort(key=lambda s: s.starts_at)
        for first, second in itertools.pairwise(items):
            if second.starts_at < first.ends_at:
                problems.append(
                    f"instructor {instructor} on overlapping shifts {first.id}, {second.id}"
                )
    return problems


def rehabilitative_weeks(session) -> list[tuple[int, int, int]]:
    """(participant, days, minutes) of every rehabilitative person's busiest week."""
    shifts, assignments = _rows(session)
    streams = dict(session.execute(sa.select(Participant.id, Participant.stream)).all())
    weeks = defaultdict(lambda: [set(), 0])
    for a in assignments:
        if a.status not in HOLDING or streams[a.participant_id] != Stream.REHABILITATIVE:
            continue
        shift = shifts[a.shift_id]
        day = shift.starts_at.astimezone(HELSINKI).date()
        week = weeks[(a.participant_id, day.isocalendar()[:2])]
        week[0].add(day)
        week[1] += int((shift.ends_at - shift.starts_at).total_seconds() // 60)
    return [(person, len(days), minutes) for (person, _), (days, minutes) in weeks.items()]


def orphan_foreign_keys(session) -> list[str]:
    """Rows whose foreign keys point nowhere, found with plain anti-joins."""
    from jobcenter.core.db import Base

    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent = fk.column.table.alias("parent_row")
            count = session.execute(
                sa.select(sa.func.count())
                .select_from(table)
                .where(
                    fk.parent.is_not(None),
                    ~sa.exists().where(parent.c[fk.column.name] == fk.parent),
                )
            ).scalar()
            if count:
                found.append(f"{table.name}.{fk.parent.name}: {count}")
    return found


def local_day(value) -> date:
    return value.astimezone(HELSINKI).date()


__all__ = [
    "local_day",
    "orphan_foreign_keys",
    "rehabilitative_weeks",
    "time",
    "timedelta",
    "violations",
]
