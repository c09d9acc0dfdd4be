"""Recording and confirming attendance: every kind and its effect on both faces of the
day (the activity day and the paid task hours), every refusal, rates valid on the day,
and who may record on a mixed-group shift."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.catalog.models import RateKind
from jobcenter.core import clock
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.hours import attendance
from jobcenter.hours.attendance import Entry
from jobcenter.hours.models import (
    AbsenceKind,
    ActivityDay,
    ActivityDayStatus,
    AttendanceRecord,
    HourEntry,
)
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from tests import factories

DAY = date(2026, 11, 18)  # a Wednesday
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)


@pytest.fixture(autouse=True)
def english(app):
    """Refusals are read in English here (outside a request the default is Finnish)."""
    with force_locale("en"):
        yield


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.HELSINKI)


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    return factories.make_paid_attendance_setup(DAY, price_vat="25.50")  # 09:00–13:00, supervised


def entries(session) -> list[HourEntry]:
    return list(session.scalars(sa.select(HourEntry).order_by(HourEntry.id)))


def days(session) -> list[ActivityDay]:
    return list(session.scalars(sa.select(ActivityDay).order_by(ActivityDay.id)))


def instructor_user(world):
    return world.instructor.user


def test_recording_present_as_planned_stores_an_unconfirmed_record_that_counts_nothing(
    session, world
):
    rec = attendance.record(
        session, instructor_user(world), world.assignment, attendance.planned_entry(world.shift)
    )
    assert (rec.present, rec.minutes, rec.late, rec.left_early) == (True, 240, False, False)
    assert rec.confirmed_at is None
    assert world.assignment.status == AssignmentStatus.ATTENDED
    assert entries(session) == []
    assert days(session) == []


def test_confirming_present_adds_paid_hours_valued_on_the_day_and_an_attended_day(session, world):
    user = instructor_user(world)
    attendance.record(session, user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, user, world.shift)
    [entry] = entries(session)
    assert entry.minutes == 240
    assert entry.work_date == DAY
    assert (entry.wage_cents_per_hour, entry.price_cents_per_hour) == (1000, 1450)
    assert entry.vat_percent == Decimal("25.50")
    assert entry.participant_id == world.participant.id
    assert entry.unit_id == world.task.unit_id
    assert entry.stream == world.participant.stream
    assert entry.instructor_id == world.instructor.id
    assert entry.after_month_close is False
    [day] = days(session)
    assert (day.day, day.status, day.absence_kind) == (DAY, ActivityDayStatus.ATTENDED, None)


def test_late_and_left_early_count_only_the_real_minutes(session, world):
    user = instructor_user(world)
    entry = Entry(present=True, start=at(9, 30), end=at(12, 15))
    rec = attendance.record(session, user, world.assignment, entry)
    attendance.confirm_shift(session, user, world.shift)
    assert (rec.minutes, rec.late, rec.left_early) == (165, True, True)
    assert [e.minutes for e in entries(session)] == [165]


def test_late_checkbox_is_kept_even_when_times_are_as_planned(session, world):
    entry = Entry(present=True, start=at(9), end=at(13), late=True)
    rec = attendance.record(session, instructor_user(world), world.assignment, entry)
    assert rec.late is True
    assert rec.left_early is False


@pytest.mark.parametrize("kind", list(AbsenceKind))
def test_each_absence_kind_gives_an_absent_day_of_that_kind_and_no_paid_hours(session, world, kind):
    user = instructor_user(world)
    attendance.record(session, user, world.assignment, Entry(present=False, absence_kind=kind))
    attendance.confirm_shift(session, user, world.shift)
    assert entries(session) == []
    [day] = days(session)
    assert (day.status, day.absence_kind) == (ActivityDayStatus.ABSENT, kind)
    assert world.assignment.status == AssignmentStatus.ABSENT


def test_attended_on_one_shift_and_absent_on_another_the_same_day_is_an_attended_day(
    session, world
):
    user = instructor_user(world)
    later = factories.make_shift_on(world.task, DAY, time(13, 30), 30, instructor=world.instructor)
    second = factories.make_assignment(later, world.participant)
    attendance.record(
        session, user, second, Entry(present=False, absence_kind=AbsenceKind.UNEXCUSED)
    )
    attendance.confirm_shift(session, user, later)
    attendance.record(session, user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, user, world.shift)
    current = attendance.current_activity_day(session, world.participant.id, DAY)
    assert current.status == ActivityDayStatus.ATTENDED
    assert current.supersedes_id is not None  # the absent version is kept, superseded
    assert [e.minutes for e in entries(session)] == [240]


def test_all_present_as_planned_records_everyone_not_yet_recorded(session, world):
    user = instructor_user(world)
    other = factories.make_participant(world.group)
    third = factories.make_participant(world.group)
    second = factories.make_assignment(world.shift, other)
    absent = factories.make_assignment(world.shift, third)
    attendance.record(
        session, user, absent, Entry(present=False, absence_kind=AbsenceKind.OWN_ILLNESS)
    )
    done = attendance.record_all_present(session, user, world.shift)
    assert {r.assignment_id for r in done} == {world.assignment.id, second.id}
    assert attendance.current_record(session, absent.id).present is False
    attendance.confirm_shift(session, user, world.shift)
    assert sorted(e.minutes for e in entries(session)) == [240, 240]


def test_recording_again_before_confirming_replaces_the_draft(session, world):
    user = instructor_user(world)
    attendance.record(session, user, world.assignment, attendance.planned_entry(world.shift))
    attendance.record(
        session, user, world.assignment, Entry(present=False, absence_kind=AbsenceKind.SICK_CHILD)
    )
    [rec] = session.scalars(sa.select(AttendanceRecord)).all()
    assert rec.present is False
    assert rec.absence_kind == AbsenceKind.SICK_CHILD


def test_a_rate_change_mid_month_values_each_day_at_its_own_rate(session):
    clock.freeze(NOW)
    factories.make_rate(RateKind.WAGE, 1000, date(2026, 1, 1), valid_to=date(2026, 11, 16))
    factories.make_rate(RateKind.WAGE, 1100, date(2026, 11, 16))
    factories.make_rate(RateKind.PRICE, 1450, date(2026, 1, 1), valid_to=date(2026, 11, 16))
    factories.make_rate(RateKind.PRICE, 1600, date(2026, 11, 16), vat_percent=Decimal("25.50"))
    before = factories.make_attendance_setup(date(2026, 11, 13))
    after = factories.make_shift_on(before.task, date(2026, 11, 17), instructor=before.instructor)
    second = factories.make_assignment(after, before.participant)
    user = before.instructor.user
    for shift, assignment in ((before.shift, before.assignment), (after, second)):
        attendance.record(session, user, assignment, attendance.planned_entry(shift))
        attendance.confirm_shift(session, user, shift)
    by_day = {e.work_date: e for e in entries(session)}
    assert by_day[date(2026, 11, 13)].wage_cents_per_hour == 1000
    assert by_day[date(2026, 11, 13)].price_cents_per_hour == 1450
    assert by_day[date(2026, 11, 13)].vat_percent == Decimal("0")
    assert by_day[date(2026, 11, 17)].wage_cents_per_hour == 1100
    assert by_day[date(2026, 11, 17)].price_cents_per_hour == 1600
    assert by_day[date(2026, 11, 17)].vat_percent == Decimal("25.50")


def test_confirming_without_a_valid_rate_is_refused(session):
    clock.freeze(NOW)
    world = factories.make_attendance_setup(DAY)
    user = world.instructor.user
    attendance.record(session, user, world.assignment, attendance.planned_entry(world.shift))
    with pytest.raises(DomainError, match="No wage or price"):
        attendance.confirm_shift(session, user, world.shift)


def test_a_holiday_shift_that_was_worked_is_an_attended_day(session):
    clock.freeze(datetime(2027, 1, 8, 12, 0, tzinfo=clock.HELSINKI))
    factories.make_rate(RateKind.WAGE, 1000, date(2026, 1, 1))
    factories.make_rate(RateKind.PRICE, 1450, date(2026, 1, 1))
    world = factories.make_attendance_setup(date(2027, 1, 6))  # Epiphany, a Wednesday
    user = world.instructor.user
    attendance.record(session, user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, user, world.shift)
    assert attendance.is_public_holiday(date(2027, 1, 6))
    [day] = days(session)
    assert day.status == ActivityDayStatus.ATTENDED


# ---------------------------------------------------------------- refusals


def test_a_shift_that_has_not_started_is_refused(session, world):
    clock.freeze(at(8, 45))
    with pytest.raises(DomainError, match="not started"):
        attendance.record(
            session, instructor_user(world), world.assignment, attendance.planned_entry(world.shift)
        )
    assert session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 0


def test_a_cancelled_shift_is_refused(session, world):
    world.shift.status = ShiftStatus.CANCELLED
    world.shift.cancel_reason = "Sade"
    with pytest.raises(DomainError, match="cancelled"):
        attendance.record(
            session, instructor_user(world), world.assignment, attendance.planned_entry(world.shift)
        )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ((13, 0), (9, 0), "end"),  # negative
        ((9, 0), (9, 0), "end"),  # zero length
        ((9, 10), (13, 0), "start"),  # not on a quarter hour
        ((9, 0), (12, 50), "end"),
    ],
)
def test_times_that_are_negative_empty_or_off_the_quarter_hour_are_refused(
    session, world, start, end, field
):
    entry = Entry(present=True, start=at(*start), end=at(*end))
    with pytest.raises(ValidationFailed) as failed:
        attendance.record(session, instructor_user(world), world.assignment, entry)
    assert field in failed.value.errors
    assert session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 0


def test_present_without_times_is_refused(session, world):
    with pytest.raises(ValidationFailed) as failed:
        attendance.record(session, instructor_user(world), world.assignment, Entry(present=True))
    assert set(failed.value.errors) == {"start", "end"}


def test_absent_without_a_kind_is_refused(session, world):
    with pytest.raises(ValidationFailed) as failed:
        attendance.record(session, instructor_user(world), world.assignment, Entry(present=False))
    assert "absence_kind" in failed.value.errors


def test_more_than_the_shift_plus_tolerance_needs_a_reason(session, world):
    entry = Entry(present=True, start=at(9), end=at(13, 45))  # 4 h 45 min > 4 h + 30 min
    with pytest.raises(ValidationFailed) as failed:
        attendance.record(session, instructor_user(world), world.assignment, entry)
    assert "note" in failed.value.errors


def test_exactly_the_shift_plus_tolerance_is_accepted(session, world):
    entry = Entry(present=True, start=at(9), end=at(13, 30))
    rec = attendance.record(session, instructor_user(world), world.assignment, entry)
    assert rec.minutes == 270


def test_more_than_the_tolerance_with_a_reason_is_accepted(session, world):
    clock.freeze(at(15))
    entry = Entry(present=True, start=at(9), end=at(14), note="Lumityöt venyivät.")
    rec = attendance.record(session, instructor_user(world), world.assignment, entry)
    assert (rec.minutes, rec.note) == (300, "Lumityöt venyivät.")


def test_the_tolerance_is_configurable(app, session, world):
    app.config["ATTENDANCE_TOLERANCE_MINUTES"] = 60
    try:
        entry = Entry(present=True, start=at(9), end=at(14))
        rec = attendance.record(session, instructor_user(world), world.assignment, entry)
    finally:
        app.config["ATTENDANCE_TOLERANCE_MINUTES"] = 30
    assert rec.minutes == 300


def test_recording_over_a_confirmed_record_is_refused(session, world):
    user = instructor_user(world)
    attendance.record(session, user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, user, world.shift)
    with pytest.raises(DomainError, match="already confirmed"):
        attendance.record(
            session, user, world.assignment, Entry(present=False, absence_kind="unexcused")
        )


def test_confirming_a_shift_with_someone_unrecorded_is_refused(session, world):
    user = instructor_user(world)
    other = factories.make_assignment(world.shift, factories.make_participant(world.group))
    attendance.record(session, user, world.assignment, attendance.planned_entry(world.shift))
    with pytest.raises(DomainError, match=other.participant.user.first_name):
        attendance.confirm_shift(session, user, world.shift)
    assert entries(session) == []


def test_declined_people_are_not_on_the_sheet(session, world):
    declined = factories.make_assignment(
        world.shift, factories.make_participant(world.group), status=AssignmentStatus.DECLINED
    )
    rows = attendance.recordable_assignments(session, instructor_user(world), world.shift)
    assert declined not in rows
    assert world.assignment in rows


# ---------------------------------------------------------------- who may record


def test_the_supervising_instructor_records_for_people_of_other_groups(session, world):
    other_group = factories.make_group()
    guest = factories.make_assignment(world.shift, factories.make_participant(other_group))
    rows = attendance.recordable_assignments(session, instructor_user(world), world.shift)
    assert guest in rows
    rec = attendance.record(
        session, instructor_user(world), guest, attendance.planned_entry(world.shift)
    )
    assert rec.recorded_by_id == instructor_user(world).id


def test_a_participants_own_instructor_records_on_a_shift_supervised_by_someone_else(
    session, world
):
    own = factories.make_group()
    guest = factories.make_assignment(world.shift, factories.make_participant(own))
    rows = attendance.recordable_assignments(session, own.instructor.user, world.shift)
    assert rows == [guest]  # not the supervisor's own people
    attendance.record(session, own.instructor.user, guest, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, own.instructor.user, world.shift)
    assert [e.participant_id for e in entries(session)] == [guest.participant_id]


def test_another_instructor_cannot_record(session, world):
    stranger = factories.make_instructor()
    assert attendance.recordable_assignments(session, stranger.user, world.shift) == []
    with pytest.raises(DomainError) as refused:
        attendance.record(
            session, stranger.user, world.assignment, attendance.planned_entry(world.shift)
        )
    assert refused.value.status == 404


@pytest.mark.parametrize("maker", [factories.make_manager, factories.make_admin])
def test_managers_and_admins_do_not_record(session, world, maker):
    with pytest.raises(DomainError):
        attendance.record(session, maker(), world.assignment, attendance.planned_entry(world.shift))


def test_a_participant_cannot_record_their_own_attendance(session, world):
    with pytest.raises(DomainError):
        attendance.record(
            session, world.participant.user, world.assignment, attendance.planned_entry(world.shift)
        )


def test_an_unsupervised_shift_is_recorded_by_the_group_instructor(session):
    clock.freeze(NOW)
    world = factories.make_attendance_setup(DAY, supervised=False)
    rows = attendance.recordable_assignments(session, world.instructor.user, world.shift)
    assert rows == [world.assignment]
    assert attendance.shifts_on(session, world.instructor.user, DAY) == [world.shift]
    assert attendance.shifts_on(session, factories.make_instructor().user, DAY) == []


def test_a_day_before_the_shift_lists_nothing_for_an_instructor_without_shifts(session, world):
    assert attendance.shifts_on(session, instructor_user(world), DAY - timedelta(days=1)) == []
    assert attendance.shifts_on(session, instructor_user(world), DAY) == [world.shift]


# ---------------------------------------------------------------- row scopes on mixed shifts


def _ids(session, model, user) -> list[int]:
    from jobcenter.core.authz import scope

    return list(session.scalars(scope(sa.select(model.id), model, user).order_by(model.id)))


def test_the_supervisor_sees_names_of_everyone_on_their_shift_but_not_more(session, world):
    from jobcenter.participants.policies import names_visible_on_shift

    guest = factories.make_participant(factories.make_group())
    factories.make_assignment(world.shift, guest)
    elsewhere = factories.make_participant(guest.group)
    visible = set(session.scalars(names_visible_on_shift(instructor_user(world))))
    assert visible == {world.participant.id, guest.id}
    assert elsewhere.id not in visible
    # The guest's other data stays with their own instructor.
    from jobcenter.participants.models import Participant

    assert guest.id not in _ids(session, Participant, instructor_user(world))


def test_declined_people_on_a_supervised_shift_are_not_named(session, world):
    from jobcenter.participants.policies import names_visible_on_shift

    declined = factories.make_participant(factories.make_group())
    factories.make_assignment(world.shift, declined, status=AssignmentStatus.DECLINED)
    assert declined.id not in set(session.scalars(names_visible_on_shift(instructor_user(world))))


def test_the_supervisor_sees_records_and_hours_of_their_shift_but_not_the_activity_day(
    session, world
):
    guest_group = factories.make_group()
    guest = factories.make_assignment(world.shift, factories.make_participant(guest_group))
    user = instructor_user(world)
    attendance.record(session, user, guest, attendance.planned_entry(world.shift))
    attendance.confirm_record(session, user, attendance.current_record(session, guest.id))
    assert len(_ids(session, AttendanceRecord, user)) == 1
    assert len(_ids(session, HourEntry, user)) == 1
    assert _ids(session, ActivityDay, user) == []
    own = guest_group.instructor.user
    assert len(_ids(session, ActivityDay, own)) == 1
    stranger = factories.make_instructor().user
    assert _ids(session, AttendanceRecord, stranger) == []
    assert _ids(session, HourEntry, stranger) == []
