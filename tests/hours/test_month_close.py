"""A group's month, once closed by its instructor, is locked: recording and
corrections are refused until it is reopened with a reason; entries written after a
reopening are flagged `after_month_close`. Closing marks public holidays on which no
service was organised."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.catalog.models import RateKind
from jobcenter.core import clock
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.hours import attendance
from jobcenter.hours.attendance import Entry
from jobcenter.hours.models import ActivityDay, ActivityDayStatus, HourEntry, MonthClosure
from jobcenter.participants.models import AvailabilityWindow
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from tests import factories

DAY = date(2026, 11, 18)
NOVEMBER = date(2026, 11, 1)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI)


@pytest.fixture(autouse=True)
def english(app):
    """Refusals are read in English here (outside a request the default is Finnish)."""
    with force_locale("en"):
        yield


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    return w


def confirmed(session, w):
    rec = factories.confirm_as_planned(session, w)
    return rec


def test_closing_a_month_refuses_recording_in_it(session, world):
    confirmed(session, world)
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    with pytest.raises(DomainError, match="closed"):
        attendance.record(
            session, world.user, world.assignment, attendance.planned_entry(world.shift)
        )


def test_closing_a_month_refuses_corrections_in_it(session, world):
    rec = confirmed(session, world)
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    with pytest.raises(DomainError, match="closed"):
        attendance.correct(
            session, world.user, rec, Entry(present=False, absence_kind="unexcused"), "x"
        )
    assert [e.minutes for e in session.scalars(sa.select(HourEntry))] == [240]


def test_reopening_needs_a_reason(session, world):
    confirmed(session, world)
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    with pytest.raises(ValidationFailed) as failed:
        attendance.reopen_month(session, world.user, world.group, NOVEMBER, " ")
    assert "reason" in failed.value.errors


def test_after_reopening_a_correction_is_allowed_and_flagged(session, world):
    rec = confirmed(session, world)
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    row = attendance.reopen_month(
        session, world.user, world.group, NOVEMBER, "Kelan raportissa virhe"
    )
    assert (row.reopened_by_id, row.reopen_reason) == (world.user.id, "Kelan raportissa virhe")
    attendance.correct(
        session, world.user, rec, Entry(present=False, absence_kind="own_illness"), "Sairas"
    )
    flags = [(e.minutes, e.after_month_close) for e in session.scalars(sa.select(HourEntry))]
    assert flags == [(240, False), (-240, True)]


def test_closing_again_after_reopening_locks_the_month_again(session, world):
    confirmed(session, world)
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    attendance.reopen_month(session, world.user, world.group, NOVEMBER, "Korjaus")
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    assert attendance.month_state(session, world.group.id, DAY) == (True, False)
    assert session.scalar(sa.select(sa.func.count()).select_from(MonthClosure)) == 1


def test_closing_twice_is_refused(session, world):
    confirmed(session, world)
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    with pytest.raises(DomainError, match="already closed"):
        attendance.close_month(session, world.user, world.group, NOVEMBER)


def test_reopening_an_open_month_is_refused(session, world):
    with pytest.raises(DomainError, match="not closed"):
        attendance.reopen_month(session, world.user, world.group, NOVEMBER, "x")


def test_a_month_that_has_not_begun_cannot_be_closed(session, world):
    with pytest.raises(DomainError, match="not over yet"):
        attendance.close_month(session, world.user, world.group, date(2026, 12, 1))


def test_only_the_groups_instructor_closes_its_month(session, world):
    stranger = factories.make_instructor().user
    with pytest.raises(DomainError) as refused:
        attendance.close_month(session, stranger, world.group, NOVEMBER)
    assert refused.value.status == 404


def test_the_lock_is_per_group_on_a_mixed_shift(session, world):
    other_group = factories.make_group()
    confirmed(session, world)
    guest = factories.make_assignment(world.shift, factories.make_participant(other_group))
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    rec = attendance.record(session, world.user, guest, attendance.planned_entry(world.shift))
    assert rec.assignment_id == guest.id


def test_the_previous_month_stays_open_when_one_is_closed(session, world):
    confirmed(session, world)
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    assert attendance.month_state(session, world.group.id, date(2026, 10, 30)) == (False, False)


def closures(session):
    return session.scalar(sa.select(sa.func.count()).select_from(MonthClosure))


def test_a_month_cannot_be_closed_on_its_last_day(session, world):
    confirmed(session, world)
    clock.freeze(datetime(2026, 11, 30, 23, 30, tzinfo=clock.HELSINKI))
    with pytest.raises(DomainError) as refused:
        attendance.close_month(session, world.user, world.group, NOVEMBER)
    assert refused.value.status == 409
    assert refused.value.message == (
        "The month November 2026 is not over yet. It can be closed from 1.12.2026, "
        "once all its attendance is confirmed."
    )
    assert closures(session) == 0


def test_a_month_can_be_closed_just_after_midnight_helsinki_time(session, world):
    confirmed(session, world)
    clock.freeze(datetime(2026, 11, 30, 22, 30, tzinfo=UTC))  # 00.30 on 1.12 in Helsinki
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    assert attendance.month_state(session, world.group.id, DAY) == (True, False)


def test_a_month_with_unconfirmed_attendance_cannot_be_closed_and_says_how_many(session, world):
    later = factories.make_shift_on(world.task, date(2026, 11, 24), instructor=world.instructor)
    drafted = factories.make_assignment(later, world.participant)
    attendance.record(session, world.user, drafted, attendance.planned_entry(later))
    with pytest.raises(DomainError) as refused:
        attendance.close_month(session, world.user, world.group, NOVEMBER)
    assert refused.value.status == 409
    assert refused.value.message == (
        "The month November 2026 cannot be closed yet: 2 shifts still have attendance that "
        "is not confirmed. Confirm them first (see Attendance missing)."
    )
    assert closures(session) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(ActivityDay)) == 0


def test_one_unconfirmed_shift_is_named_in_the_singular(session, world):
    block = attendance.close_block(session, world.group, NOVEMBER)
    assert block.unconfirmed == 1
    assert "1 shift still has attendance" in block.message


def test_cancelled_shifts_and_declined_people_do_not_keep_a_month_open(session, world):
    confirmed(session, world)
    cancelled = factories.make_shift_on(world.task, date(2026, 11, 20))
    cancelled.status, cancelled.cancel_reason = ShiftStatus.CANCELLED, "Sali suljettu"
    factories.make_assignment(cancelled, world.participant)
    declined = factories.make_shift_on(world.task, date(2026, 11, 23))
    factories.make_assignment(declined, world.participant, status=AssignmentStatus.DECLINED)
    session.flush()
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    assert closures(session) == 1


def test_another_groups_unconfirmed_attendance_does_not_keep_a_month_open(session, world):
    confirmed(session, world)
    other = factories.make_attendance_setup(date(2026, 11, 19))
    assert attendance.close_block(session, other.group, NOVEMBER).unconfirmed == 1
    attendance.close_month(session, world.user, world.group, NOVEMBER)
    assert closures(session) == 1


def test_parse_month_refuses_nonsense():
    assert attendance.parse_month("2026-11") == NOVEMBER
    for bad in ("2026-13", "11-2026", "", "2026-1", "1999-01"):
        with pytest.raises(ValidationFailed):
            attendance.parse_month(bad)


# ---------------------------------------------------------------- public holidays


@pytest.fixture
def january(session):
    clock.freeze(datetime(2027, 2, 1, 12, 0, tzinfo=clock.HELSINKI))
    factories.make_rate(RateKind.WAGE, 1000, date(2026, 1, 1))
    factories.make_rate(RateKind.PRICE, 1450, date(2026, 1, 1))
    w = factories.make_attendance_setup(date(2027, 1, 6), time(9, 0))  # Epiphany, worked
    user = w.instructor.user
    attendance.record(session, user, w.assignment, attendance.planned_entry(w.shift))
    attendance.confirm_shift(session, user, w.shift)
    return w


def test_closing_marks_weekday_holidays_as_service_not_organised(session, january):
    group = january.group
    participant = factories.make_participant(
        group, plan={"start_date": date(2026, 12, 1), "end_date": date(2027, 6, 30)}
    )
    attendance.close_month(session, group.instructor.user, group, date(2027, 1, 1))
    marked = session.scalars(
        sa.select(ActivityDay).where(ActivityDay.participant_id == participant.id)
    ).all()
    # New Year's Day (Friday) and Epiphany (Wednesday); no absence, nothing attended.
    assert sorted(d.day for d in marked) == [date(2027, 1, 1), date(2027, 1, 6)]
    assert {(d.status, d.absence_kind) for d in marked} == {(ActivityDayStatus.NOT_ORGANISED, None)}


def test_a_holiday_on_a_day_the_person_does_not_work_is_not_marked(session, january):
    group = january.group
    participant = factories.make_participant(
        group, plan={"start_date": date(2026, 12, 1), "end_date": date(2027, 6, 30)}
    )
    session.add(
        AvailabilityWindow(
            user_id=participant.user_id, weekday=0, start_time=time(8), end_time=time(16)
        )
    )
    attendance.close_month(session, group.instructor.user, group, date(2027, 1, 1))
    count = sa.select(sa.func.count()).where(ActivityDay.participant_id == participant.id)
    assert session.scalar(count) == 0


def test_a_holiday_that_was_worked_stays_attended_when_the_month_closes(session, january):
    user = january.instructor.user
    attendance.close_month(session, user, january.group, date(2027, 1, 1))
    worked = attendance.current_activity_day(session, january.participant.id, date(2027, 1, 6))
    new_year = attendance.current_activity_day(session, january.participant.id, date(2027, 1, 1))
    assert worked.status == ActivityDayStatus.ATTENDED
    assert new_year.status == ActivityDayStatus.NOT_ORGANISED
