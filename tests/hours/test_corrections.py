"""Corrections never overwrite: a new record supersedes the old one with who, when and
why; the old hours are reversed by a negative entry referencing them and new hours
are added; the activity day follows with a superseding version."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

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
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)


@pytest.fixture(autouse=True)
def english(app):
    """Refusals are read in English here (outside a request the default is Finnish)."""
    with force_locale("en"):
        yield


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute), tzinfo=clock.HELSINKI)


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY, price_vat="25.50")
    w.record = factories.confirm_as_planned(session, w)
    return w


def entries(session) -> list[HourEntry]:
    return list(session.scalars(sa.select(HourEntry).order_by(HourEntry.id)))


def test_a_correction_supersedes_the_record_with_who_when_and_why(session, world):
    clock.freeze(datetime(2026, 11, 19, 10, 0, tzinfo=clock.HELSINKI))
    corrector = factories.make_group(world.instructor).instructor.user
    new = attendance.correct(
        session,
        corrector,
        world.record,
        Entry(present=True, start=at(9), end=at(12)),
        "Lähti tunnin aiemmin.",
    )
    assert new.supersedes_id == world.record.id
    assert new.correction_reason == "Lähti tunnin aiemmin."
    assert new.recorded_by_id == corrector.id
    assert new.confirmed_by_id == corrector.id
    assert new.recorded_at == clock.now()
    assert (new.minutes, new.left_early) == (180, True)
    assert world.record.minutes == 240  # the old version is untouched
    assert attendance.current_record(session, world.assignment.id) is new
    assert attendance.history(session, world.assignment.id) == [world.record, new]


def test_a_correction_reverses_the_old_hours_and_adds_new_ones(session, world):
    new = attendance.correct(
        session, world.user, world.record, Entry(present=True, start=at(9), end=at(12)), "Väärin"
    )
    original, reversal, replacement = entries(session)
    assert (original.minutes, original.attendance_record_id) == (240, world.record.id)
    assert (reversal.minutes, reversal.reverses_id) == (-240, original.id)
    assert reversal.wage_cents_per_hour == original.wage_cents_per_hour
    assert (replacement.minutes, replacement.attendance_record_id) == (180, new.id)
    assert sum(e.minutes for e in entries(session)) == 180


def test_a_correction_to_absent_leaves_no_paid_hours_and_an_absent_day(session, world):
    attendance.correct(
        session,
        world.user,
        world.record,
        Entry(present=False, absence_kind=AbsenceKind.OWN_ILLNESS),
        "Oli sairaana, kirjattiin väärälle henkilölle.",
    )
    assert [e.minutes for e in entries(session)] == [240, -240]
    assert world.assignment.status == AssignmentStatus.ABSENT
    day = attendance.current_activity_day(session, world.participant.id, DAY)
    assert (day.status, day.absence_kind) == (ActivityDayStatus.ABSENT, AbsenceKind.OWN_ILLNESS)
    assert day.correction_reason == "Oli sairaana, kirjattiin väärälle henkilölle."
    assert session.scalar(sa.select(sa.func.count()).select_from(ActivityDay)) == 2


def test_a_correction_from_absent_to_present_adds_hours_and_an_attended_day(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    user = w.instructor.user
    attendance.record(
        session, user, w.assignment, Entry(present=False, absence_kind=AbsenceKind.UNEXCUSED)
    )
    [rec] = attendance.confirm_shift(session, user, w.shift)
    attendance.correct(session, user, rec, attendance.planned_entry(w.shift), "Tuli myöhemmin.")
    assert [e.minutes for e in entries(session)] == [240]
    day = attendance.current_activity_day(session, w.participant.id, DAY)
    assert day.status == ActivityDayStatus.ATTENDED
    assert w.assignment.status == AssignmentStatus.ATTENDED


def test_a_chain_of_corrections_keeps_every_version_and_sums_to_the_latest(session, world):
    second = attendance.correct(
        session, world.user, world.record, Entry(present=True, start=at(9), end=at(12)), "Eka"
    )
    third = attendance.correct(
        session, world.user, second, Entry(present=True, start=at(9), end=at(11)), "Toka"
    )
    assert attendance.history(session, world.assignment.id) == [world.record, second, third]
    assert [e.minutes for e in entries(session)] == [240, -240, 180, -180, 120]
    assert sum(e.minutes for e in entries(session)) == 120
    reversed_ids = {e.reverses_id for e in entries(session) if e.reverses_id}
    assert len(reversed_ids) == 2


def test_correcting_an_old_version_is_refused(session, world):
    attendance.correct(
        session, world.user, world.record, Entry(present=True, start=at(9), end=at(12)), "Eka"
    )
    with pytest.raises(DomainError, match="latest"):
        attendance.correct(
            session, world.user, world.record, attendance.planned_entry(world.shift), "Toka"
        )


def test_a_correction_without_a_reason_is_refused(session, world):
    with pytest.raises(ValidationFailed) as failed:
        attendance.correct(
            session, world.user, world.record, attendance.planned_entry(world.shift), "  "
        )
    assert "reason" in failed.value.errors
    assert session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 1


def test_a_correction_with_bad_times_is_refused(session, world):
    with pytest.raises(ValidationFailed):
        attendance.correct(
            session, world.user, world.record, Entry(present=True, start=at(12), end=at(9)), "x"
        )


def test_an_unconfirmed_record_is_not_corrected_but_recorded_again(session):
    clock.freeze(NOW)
    w = factories.make_attendance_setup(DAY)
    rec = attendance.record(
        session, w.instructor.user, w.assignment, attendance.planned_entry(w.shift)
    )
    with pytest.raises(DomainError, match="not confirmed"):
        attendance.correct(session, w.instructor.user, rec, attendance.planned_entry(w.shift), "x")


def test_another_instructor_cannot_correct(session, world):
    stranger = factories.make_instructor().user
    with pytest.raises(DomainError) as refused:
        attendance.correct(
            session, stranger, world.record, attendance.planned_entry(world.shift), "x"
        )
    assert refused.value.status == 404


def test_a_reversal_keeps_the_original_rates_after_a_rate_change(session, world):
    from jobcenter.catalog.models import Rate

    for rate in session.scalars(sa.select(Rate)):
        rate.cents_per_hour += 500  # an admin fixed the rates afterwards
    attendance.correct(
        session, world.user, world.record, Entry(present=True, start=at(9), end=at(12)), "x"
    )
    original, reversal, replacement = entries(session)
    assert reversal.wage_cents_per_hour == original.wage_cents_per_hour == 1000
    assert replacement.wage_cents_per_hour == 1500
