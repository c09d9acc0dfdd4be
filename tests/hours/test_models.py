"""Database constraints on attendance, hour entries, activity days, month closures
and participants' shift feedback: the records that wages, bills and Kela reports
are made from."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from jobcenter.core.clock import HELSINKI
from jobcenter.hours.models import (
    AbsenceKind,
    ActivityDay,
    ActivityDayStatus,
    AttendanceRecord,
    HourEntry,
    MonthClosure,
    ShiftFeedback,
)
from jobcenter.scheduling.models import Assignment, AssignmentStatus
from tests import factories
from tests.core.constraints import delete_row, refused


@pytest.fixture
def assignment(session) -> Assignment:
    return factories.make_assignment(status=AssignmentStatus.CONFIRMED)


def _present(assignment: Assignment, **kw) -> AttendanceRecord:
    values = {"assignment_id": assignment.id, "present": True, "minutes": 240}
    return AttendanceRecord(**(values | kw))


def _absent(assignment: Assignment, **kw) -> AttendanceRecord:
    values = {
        "assignment_id": assignment.id,
        "present": False,
        "absence_kind": AbsenceKind.OWN_ILLNESS,
    }
    return AttendanceRecord(**(values | kw))


def _entry(record: AttendanceRecord, assignment: Assignment, **kw) -> HourEntry:
    shift = assignment.shift
    values = {
        "attendance_record_id": record.id,
        "participant_id": assignment.participant_id,
        "shift_id": shift.id,
        "work_date": date(2025, 3, 3),
        "minutes": 240,
        "stream": assignment.participant.stream,
        "unit_id": shift.task.unit_id,
        "task_kind_id": shift.task.task_kind_id,
        "wage_cents_per_hour": 1000,
        "price_cents_per_hour": 1450,
        "vat_percent": Decimal("25.50"),
    }
    return HourEntry(**(values | kw))


def _stored(session, obj):
    session.add(obj)
    session.flush()
    return obj


def _day(assignment: Assignment, **kw) -> ActivityDay:
    values = {
        "participant_id": assignment.participant_id,
        "day": date(2025, 3, 3),
        "status": ActivityDayStatus.ATTENDED,
    }
    return ActivityDay(**(values | kw))


# Attendance: present with minutes, or absent with a kind of absence.


def test_present_attendance_with_minutes_is_stored(session, assignment):
    _stored(session, _present(assignment))
    session.commit()
    assert session.scalars(sa.select(AttendanceRecord.minutes)).one() == 240


def test_absence_with_its_kind_is_stored(session, assignment):
    _stored(session, _absent(assignment, absence_kind=AbsenceKind.SICK_CHILD))
    session.commit()
    assert session.scalars(sa.select(AttendanceRecord.absence_kind)).one() == AbsenceKind.SICK_CHILD


def test_present_attendance_with_an_absence_kind_is_refused(session, assignment):
    with refused(session, "ck_attendance_records_present_or_absent"):
        session.add(_present(assignment, absence_kind=AbsenceKind.OWN_ILLNESS))


def test_present_attendance_without_minutes_is_refused(session, assignment):
    with refused(session, "ck_attendance_records_present_or_absent"):
        session.add(_present(assignment, minutes=None))


def test_present_attendance_with_negative_minutes_is_refused(session, assignment):
    with refused(session, "ck_attendance_records_present_or_absent"):
        session.add(_present(assignment, minutes=-15))


def test_absence_without_its_kind_is_refused(session, assignment):
    with refused(session, "ck_attendance_records_present_or_absent"):
        session.add(_absent(assignment, absence_kind=None))


def test_attendance_ending_before_it_starts_is_refused(session, assignment):
    start = datetime(2025, 3, 3, 9, 0, tzinfo=HELSINKI)
    with refused(session, "ck_attendance_records_actual_times"):
        session.add(_present(assignment, actual_start=start, actual_end=start))


def test_attendance_correction_without_a_reason_is_refused(session, assignment):
    original = _stored(session, _present(assignment))
    with refused(session, "ck_attendance_records_correction_has_reason"):
        session.add(_present(assignment, minutes=180, supersedes_id=original.id))


def test_attendance_record_is_corrected_only_once(session, assignment):
    original = _stored(session, _present(assignment))
    _stored(session, _present(assignment, supersedes_id=original.id, correction_reason="late"))
    with refused(session, "uq_attendance_records_supersedes_id"):
        session.add(_present(assignment, supersedes_id=original.id, correction_reason="again"))


def test_deleting_an_assignment_with_attendance_is_refused(session, assignment):
    _stored(session, _present(assignment))
    with refused(session, "fk_attendance_records_assignment_id_assignments"):
        delete_row(session, Assignment, assignment.id)


# Hour entries: a ledger where only reversals are negative.


def test_hour_entry_with_negative_minutes_that_reverses_nothing_is_refused(session, assignment):
    record = _stored(session, _present(assignment))
    with refused(session, "ck_hour_entries_sign"):
        session.add(_entry(record, assignment, minutes=-60))


def test_reversal_with_positive_minutes_is_refused(session, assignment):
    record = _stored(session, _present(assignment))
    original = _stored(session, _entry(record, assignment))
    with refused(session, "ck_hour_entries_sign"):
        session.add(_entry(record, assignment, minutes=60, reverses_id=original.id))


def test_reversal_cancels_the_original_in_the_total(session, assignment):
    record = _stored(session, _present(assignment))
    original = _stored(session, _entry(record, assignment))
    _stored(session, _entry(record, assignment, minutes=-240, reverses_id=original.id))
    # Not committed: the test harness cannot yet empty a table holding a reversal
    # chain on SQLite (self-referencing ON DELETE RESTRICT; reported).
    assert session.scalar(sa.select(sa.func.sum(HourEntry.minutes))) == 0


def test_hour_entry_is_reversed_only_once(session, assignment):
    record = _stored(session, _present(assignment))
    original = _stored(session, _entry(record, assignment))
    _stored(session, _entry(record, assignment, minutes=-240, reverses_id=original.id))
    with refused(session, "uq_hour_entries_reverses_id"):
        session.add(_entry(record, assignment, minutes=-240, reverses_id=original.id))


def test_deleting_an_attendance_record_with_hour_entries_is_refused(session, assignment):
    record = _stored(session, _present(assignment))
    _stored(session, _entry(record, assignment))
    with refused(session, "fk_hour_entries_attendance_record_id_attendance_records"):
        delete_row(session, AttendanceRecord, record.id)


def test_deleting_a_shift_with_hour_entries_is_refused(session, assignment):
    from jobcenter.scheduling.models import Shift

    record = _stored(session, _present(assignment))
    _stored(session, _entry(record, assignment))
    # The shift's assignments cascade first, then their attendance refuses to go.
    with pytest.raises(sa.exc.IntegrityError):
        delete_row(session, Shift, assignment.shift_id)
    session.rollback()


# Activity days: the allowance face of a day.


@pytest.mark.parametrize(
    "status", [ActivityDayStatus.ATTENDED, ActivityDayStatus.NOT_ORGANISED], ids=str
)
def test_activity_day_with_an_absence_kind_when_not_absent_is_refused(session, assignment, status):
    with refused(session, "ck_activity_days_absence_kind_only_when_absent"):
        session.add(_day(assignment, status=status, absence_kind=AbsenceKind.UNEXCUSED))


def test_absent_activity_day_without_its_kind_is_refused(session, assignment):
    with refused(session, "ck_activity_days_absence_kind_only_when_absent"):
        session.add(_day(assignment, status=ActivityDayStatus.ABSENT))


def test_absent_activity_day_with_its_kind_is_stored(session, assignment):
    _stored(
        session,
        _day(assignment, status=ActivityDayStatus.ABSENT, absence_kind=AbsenceKind.JOB_INTERVIEW),
    )
    session.commit()
    assert session.scalars(sa.select(ActivityDay.absence_kind)).one() == AbsenceKind.JOB_INTERVIEW


def test_activity_day_correction_without_a_reason_is_refused(session, assignment):
    original = _stored(session, _day(assignment))
    with refused(session, "ck_activity_days_correction_has_reason"):
        session.add(
            _day(
                assignment,
                status=ActivityDayStatus.ABSENT,
                absence_kind=AbsenceKind.OWN_ILLNESS,
                supersedes_id=original.id,
            )
        )


def test_activity_day_is_corrected_only_once(session, assignment):
    original = _stored(session, _day(assignment))
    _stored(session, _day(assignment, supersedes_id=original.id, correction_reason="typo"))
    with refused(session, "uq_activity_days_supersedes_id"):
        session.add(_day(assignment, supersedes_id=original.id, correction_reason="again"))


# Month closures.


def test_month_is_closed_once_per_group(session, assignment):
    group_id = assignment.participant.group_id
    _stored(session, MonthClosure(group_id=group_id, month=date(2025, 3, 1)))
    with refused(session, "uq_month_closures_group_id_month"):
        session.add(MonthClosure(group_id=group_id, month=date(2025, 3, 1)))


def test_reopening_a_month_without_a_reason_is_refused(session, assignment):
    closure = _stored(
        session, MonthClosure(group_id=assignment.participant.group_id, month=date(2025, 3, 1))
    )
    with refused(session, "ck_month_closures_reopen"):
        closure.reopened_at = closure.closed_at + timedelta(days=2)


# The participant's three faces.


@pytest.mark.parametrize("face", [0, 4])
def test_shift_feedback_face_outside_one_to_three_is_refused(session, assignment, face):
    with refused(session, "ck_shift_feedback_face_range"):
        session.add(ShiftFeedback(assignment_id=assignment.id, face=face))


def test_participant_gives_one_feedback_per_shift(session, assignment):
    _stored(session, ShiftFeedback(assignment_id=assignment.id, face=3))
    with refused(session, "uq_shift_feedback_assignment_id"):
        session.add(ShiftFeedback(assignment_id=assignment.id, face=1))
