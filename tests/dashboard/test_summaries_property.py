"""Property: after any sequence of ledger changes, the summed summaries give exactly the
figures aggregated straight from the ledger, for any date range.

Random sequences (fixed seeds, so a failure repeats) of confirmations, corrections,
absences, cancellations, declines, ratings and faces on shifts around a month boundary,
the start of summer time and midnight; after every few changes, random ranges are
compared figure by figure with `queries_ledger` (the definition)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytest

from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.dashboard import queries as q
from jobcenter.dashboard import queries_ledger as ledger
from jobcenter.dashboard.period import DateRange
from jobcenter.hours.models import AbsenceKind, AttendanceRecord, ShiftFeedback
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from jobcenter.units.models import TaskFeedback
from tests import factories

TODAY = datetime(2026, 4, 20, 12, 0, tzinfo=clock.HELSINKI)
FIRST_DAY = date(2026, 2, 20)
DAYS = 50  # 20 February – 10 April: a month boundary, DST (29 March), Easter
STARTS = (time(0, 30), time(9, 0), time(22, 0))  # early hours, day, across midnight


def _world(rng: random.Random):
    kinds = [factories.make_task_kind() for _ in range(2)]
    district = factories.make_district()
    groups = [factories.make_group() for _ in range(2)]
    plan = {"start_date": FIRST_DAY, "end_date": FIRST_DAY + timedelta(days=DAYS)}
    people = [
        factories.make_participant(
            groups[i % 2],
            stream=(Stream.DISABILITY, Stream.REHABILITATIVE)[i % 2],
            plan=plan | ({"monthly_earnings_ceiling_cents": 9000} if i < 2 else {}),
        )
        for i in range(4)
    ]
    tasks = [
        factories.make_task(
            task_kind=kinds[i % 2],
            group=groups[i % 2],
            district=district if i == 0 else None,
            headcount=2,
        )
        for i in range(3)
    ]
    starts = set()
    for _ in range(14):
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        task = rng.choice(tasks)
        starts.add((task, datetime.combine(day, rng.choice(STARTS), tzinfo=clock.HELSINKI)))
    shifts = [factories.make_shift(task, start) for task, start in sorted(starts, key=str)]
    return people, tasks, shifts


def _step(rng: random.Random, session, people, tasks, shifts, state) -> None:
    action = rng.choice(
        ("confirm", "confirm", "confirm", "correct", "absent", "cancel", "decline", "rate", "face")
    )
    shift = rng.choice(shifts)
    person = rng.choice(people)
    pair = (shift.id, person.id)
    if action == "confirm" and pair not in state["assigned"] and shift.status != "cancelled":
        state["assigned"][pair] = factories.make_hour_entry(
            person, shift, minutes=rng.choice((60, 180, 240)), wage_cents_per_hour=1500
        )
    elif action == "correct" and state["assigned"]:
        key = rng.choice(sorted(state["assigned"]))
        entry = state["assigned"][key]
        if entry is not None:
            _reversal, state["assigned"][key] = factories.correct_hour_entry(
                entry, rng.choice((0, 30, 200))
            )
    elif action == "absent" and pair not in state["assigned"]:
        assignment = factories.make_assignment(shift, person, AssignmentStatus.ABSENT)
        session.add(
            AttendanceRecord(
                assignment_id=assignment.id,
                present=False,
                absence_kind=rng.choice(list(AbsenceKind)),
            )
        )
        state["assigned"][pair] = None
    elif action == "cancel" and not any(k[0] == shift.id for k in state["assigned"]):
        shift.status = ShiftStatus.CANCELLED
        shift.cancel_reason = rng.choice(("Sade", "Tila oli varattu"))
    elif action == "decline" and pair not in state["assigned"]:
        factories.make_assignment(shift, person, rng.choice(list(AssignmentStatus)))
        state["assigned"][pair] = None
    elif action == "rate":
        task = rng.choice(tasks)
        if task.id not in state["rated"]:
            day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            given = datetime.combine(day, rng.choice(STARTS), tzinfo=clock.HELSINKI)
            session.add(TaskFeedback(task_id=task.id, rating=rng.randint(1, 5), created_at=given))
            state["rated"].add(task.id)
    elif action == "face":
        choices = [
            k for k, v in state["assigned"].items() if v is not None and k not in state["faces"]
        ]
        if choices:
            key = rng.choice(sorted(choices))
            entry = state["assigned"][key]
            record = session.get(AttendanceRecord, entry.attendance_record_id)
            session.add(ShiftFeedback(assignment_id=record.assignment_id, face=rng.randint(1, 3)))
            state["faces"].add(key)
    session.flush()


def _random_range(rng: random.Random) -> DateRange:
    first = FIRST_DAY - timedelta(days=5) + timedelta(days=rng.randrange(DAYS + 5))
    last = first + timedelta(days=rng.randrange(60))
    return DateRange(first, last)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summed_summaries_equal_the_ledger_after_random_changes(session, seed):
    rng = random.Random(seed)
    with clock.frozen(TODAY):
        people, tasks, shifts = _world(rng)
        session.commit()
        state: dict = {"assigned": {}, "rated": set(), "faces": set()}
        for _batch in range(6):
            for _ in range(rng.randint(2, 8)):
                _step(rng, session, people, tasks, shifts, state)
            session.commit()
            ranges = [_random_range(rng) for _ in range(3)]
            ranges.append(DateRange(FIRST_DAY, FIRST_DAY + timedelta(days=DAYS)))
            for r in ranges:
                assert q.dashboard(session, r, "en") == ledger.dashboard(session, r, "en"), r
                for by in q.DIMENSIONS:
                    assert q.hour_totals(session, r, by, "en") == ledger.hour_totals(
                        session, r, by, "en"
                    ), (r, by)
