"""The dashboard's summaries stay equal to the ledger after every kind of change.

Each test reads the figures first (so the summaries exist), changes the ledger through
the application's own operations or the ORM, reads again and compares every figure of
the dashboard with the same figures aggregated straight from the ledger
(`queries_ledger`, the definition)."""

from __future__ import annotations

import threading
import time as time_module
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.core.enums import Stream
from jobcenter.dashboard import queries as q
from jobcenter.dashboard import queries_ledger as ledger
from jobcenter.dashboard import summaries
from jobcenter.dashboard.models import HourSummary, StaleDay
from jobcenter.dashboard.period import DateRange
from jobcenter.hours import attendance
from jobcenter.hours.models import AbsenceKind, AttendanceRecord, HourEntry, ShiftFeedback
from jobcenter.scheduling.models import Assignment, AssignmentStatus, ShiftStatus
from jobcenter.scheduling.operations import cancel_shifts
from jobcenter.units.models import TaskFeedback
from tests import factories
from tests.dashboard.conftest import FIRST, LAST, local

DAY = date(2026, 3, 10)  # a Tuesday inside the world's period
QUARTER = DateRange(FIRST, LAST)


@pytest.fixture(autouse=True)
def rates(reference_data):
    """Wages and prices in force, so that confirming attendance can value the hours."""


def same_as_ledger(session, *ranges: DateRange) -> q.DashboardData:
    session.commit()
    first = None
    for rng in ranges or (QUARTER,):
        fast = q.dashboard(session, rng, "en")
        assert fast == ledger.dashboard(session, rng, "en"), rng
        first = first or fast
    assert not summaries.has_stale(session)
    return first


def minutes(data: q.DashboardData, stream: Stream) -> int:
    return data.summary.minutes_by_stream[stream]


def setup(session, stream: Stream = Stream.DISABILITY):
    s = factories.make_attendance_setup(DAY, time(9, 0), 240, stream)
    session.commit()
    return s


def present(s, start_hour: int = 9, minutes: int = 240) -> attendance.Entry:
    start = local(DAY, start_hour)
    return attendance.Entry(present=True, start=start, end=start + timedelta(minutes=minutes))


def confirm(session, s, entry: attendance.Entry) -> AttendanceRecord:
    actor = s.instructor.user
    rec = attendance.record(session, actor, s.assignment, entry)
    attendance.confirm_record(session, actor, rec)
    session.commit()
    return rec


def test_summaries_equal_the_ledger_on_the_worlds_edge_ranges(world, session):
    same_as_ledger(
        session,
        QUARTER,
        DateRange(date(2026, 1, 31), date(2026, 1, 31)),  # a shift across midnight
        DateRange(date(2026, 2, 1), date(2026, 2, 1)),
        DateRange(date(2026, 3, 29), date(2026, 3, 29)),  # DST starts
        DateRange(date(2025, 12, 31), date(2026, 1, 1)),  # a year and month boundary
        DateRange(date(2026, 1, 15), date(2026, 2, 10)),  # two partial months
        DateRange(date(2025, 12, 1), date(2026, 4, 30)),  # whole months only
        DateRange(date(2025, 11, 20), date(2026, 4, 3)),  # whole months and both edges
    )


def test_confirming_a_days_attendance_adds_its_hours_to_the_summaries(session):
    s = setup(session)
    assert minutes(same_as_ledger(session), Stream.DISABILITY) == 0
    confirm(session, s, present(s))
    assert minutes(same_as_ledger(session), Stream.DISABILITY) == 240


def test_a_correction_replaces_the_hours_in_the_summaries(session):
    s = setup(session)
    rec = confirm(session, s, present(s))
    same_as_ledger(session)
    attendance.correct(session, s.instructor.user, rec, present(s, 10, 150), "Came late")
    session.commit()
    data = same_as_ledger(session)
    assert minutes(data, Stream.DISABILITY) == 150
    assert session.scalar(sa.select(sa.func.count()).select_from(HourEntry)) == 3


def test_a_correction_to_absent_counts_as_an_absence_and_removes_the_person(session):
    s = setup(session)
    rec = confirm(session, s, present(s))
    assert same_as_ledger(session).summary.participants_by_stream[Stream.DISABILITY] == 1
    absent = attendance.Entry(present=False, absence_kind=AbsenceKind.UNEXCUSED)
    attendance.correct(session, s.instructor.user, rec, absent, "Was not there")
    session.commit()
    data = same_as_ledger(session)
    assert data.summary.participants_by_stream[Stream.DISABILITY] == 0
    assert data.attendance.no_shows == 1


def test_hours_corrected_in_a_reopened_month_reach_the_summaries(session):
    s = setup(session)
    actor = s.instructor.user
    month = DAY.replace(day=1)
    absent = attendance.Entry(present=False, absence_kind=AbsenceKind.OTHER_EXCUSED)
    rec = confirm(session, s, absent)  # a month closes once every shift is confirmed
    same_as_ledger(session)
    attendance.close_month(session, actor, s.group, month)
    attendance.reopen_month(session, actor, s.group, month, "The shift was worked after all")
    session.commit()
    attendance.correct(session, actor, rec, present(s), "Came after all")
    session.commit()
    assert minutes(same_as_ledger(session), Stream.DISABILITY) == 240


def test_a_cancelled_shift_leaves_the_fill_rate_for_the_cancellations(session):
    s = setup(session)
    before = same_as_ledger(session)
    assert before.fill_total.shifts == 1
    cancel_shifts(session, [s.shift], reason="Sade")
    session.commit()
    data = same_as_ledger(session)
    assert data.fill_total.shifts == 0
    assert [(r.label, r.shifts) for r in data.cancellations_by_reason] == [("Sade", 1)]


def test_new_ratings_and_faces_reach_satisfaction_and_deleting_one_removes_it(session):
    s = setup(session)
    confirm(session, s, present(s))
    same_as_ledger(session)
    session.add(TaskFeedback(task_id=s.task.id, rating=5, created_at=local(DAY, 15)))
    feedback = ShiftFeedback(assignment_id=s.assignment.id, face=3)
    session.add(feedback)
    session.commit()
    total = same_as_ledger(session).satisfaction_total
    assert (total.unit_ratings, total.participant_ratings) == (1, 1)
    session.delete(feedback)
    session.commit()
    assert same_as_ledger(session).satisfaction_total.participant_ratings == 0


def test_moving_a_participant_to_another_group_moves_their_faces(session):
    s = setup(session)
    session.add(ShiftFeedback(assignment_id=s.assignment.id, face=3))
    session.commit()
    same_as_ledger(session)
    other = factories.make_group(s.instructor, name="Toinen")
    s.participant.group_id = other.id
    session.commit()
    data = same_as_ledger(session)
    assert [r.label for r in data.satisfaction_by_group] == ["Toinen"]


def test_a_task_of_another_kind_regroups_its_attendance(session):
    s = setup(session)
    confirm(session, s, present(s))
    same_as_ledger(session)
    kind = factories.make_task_kind(name_en="Snow work")
    s.task.task_kind_id = kind.id
    session.commit()
    data = same_as_ledger(session)
    assert [r.label for r in data.attendance_by_kind] == ["Snow work"]


def test_a_plan_with_a_ceiling_added_later_shows_in_the_ceiling_warnings(session):
    s = setup(session)
    confirm(session, s, present(s))
    whole_march = DateRange(date(2026, 3, 1), date(2026, 3, 31))
    assert same_as_ledger(session, whole_march).ceiling == []
    for plan in s.participant.plans:
        plan.monthly_earnings_ceiling_cents = 3000
    session.commit()
    data = same_as_ledger(session, whole_march, QUARTER)
    assert [(r.month, r.over) for r in data.ceiling] == [("2026-03", 1)]


def test_deleting_an_assignment_without_hours_updates_the_fill_rate(session):
    s = setup(session)
    assert same_as_ledger(session).fill_total.filled_minutes == 240
    session.delete(session.get(Assignment, s.assignment.id))
    session.commit()
    assert same_as_ledger(session).fill_total.filled_minutes == 0


def test_a_stale_day_is_rebuilt_by_the_next_reader_and_then_forgotten(session):
    s = setup(session)
    confirm(session, s, present(s))
    same_as_ledger(session)
    session.execute(sa.delete(HourSummary))
    summaries.mark_days(session, [DAY])
    session.commit()
    assert summaries.has_stale(session)
    assert minutes(same_as_ledger(session), Stream.DISABILITY) == 240
    assert session.scalar(sa.select(sa.func.count()).select_from(StaleDay)) == 0


def test_the_cli_rebuilds_every_summary_from_the_ledger(world, app, session):
    same_as_ledger(session)
    session.execute(sa.delete(HourSummary))
    session.commit()
    result = app.test_cli_runner().invoke(args=["jobcenter", "summaries", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the dashboard summaries of" in result.output
    data = same_as_ledger(session)
    assert minutes(data, Stream.DISABILITY) == 240 + 210 + 240


def test_the_cli_check_finds_summaries_that_differ_from_the_ledger(world, app, session):
    same_as_ledger(session)
    session.execute(sa.update(HourSummary).values(minutes=HourSummary.minutes + 1))
    session.commit()
    runner = app.test_cli_runner()
    with_range = ["jobcenter", "summaries", "check"]
    assert runner.invoke(args=with_range).exit_code != 0
    assert runner.invoke(args=["jobcenter", "summaries", "rebuild"]).exit_code == 0
    assert runner.invoke(args=with_range).exit_code == 0


def test_an_assignment_declined_after_acceptance_frees_its_slot(session):
    s = setup(session)
    same_as_ledger(session)
    s.assignment.status = AssignmentStatus.DECLINED
    session.commit()
    data = same_as_ledger(session)
    assert data.fill_total.filled_minutes == 0
    assert data.fill_total.shifts == 1
    assert s.shift.status != ShiftStatus.CANCELLED


def test_two_readers_rebuilding_the_same_stale_day_at_once_count_it_once(db, session):
    """The second reader waits for the first one's lock on the stale rows, then finds
    them gone: the day is rebuilt once, not twice (PostgreSQL; SQLite lets one writer
    in at a time anyway)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    s = setup(session)
    confirm(session, s, present(s))
    same_as_ledger(session)
    summaries.mark_days(session, [DAY])
    session.commit()
    engine, locked, rebuilt = db.engine, threading.Event(), {}

    def first() -> None:
        with Session(engine) as own:
            rebuilt["first"] = summaries._refresh_in(own)
            locked.set()
            time_module.sleep(0.5)  # the second reader arrives meanwhile
            own.commit()

    def second() -> None:
        locked.wait(10)
        with Session(engine) as own:
            rebuilt["second"] = summaries._refresh_in(own)
            own.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert rebuilt == {"first": 1, "second": 0}
    assert minutes(same_as_ledger(session), Stream.DISABILITY) == 240
