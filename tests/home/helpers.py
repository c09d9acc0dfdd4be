"""Test data for the home pages that the shared factories do not build yet."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from jobcenter.extensions import db
from jobcenter.hours.models import AttendanceRecord, HourEntry
from jobcenter.scheduling.models import Assignment


def confirmed_hours(
    assignment: Assignment,
    minutes: int,
    work_date: date | None = None,
    corrects: HourEntry | None = None,
) -> HourEntry:
    """An attendance record and its confirmed hour-ledger entry for `assignment`.

    With `corrects`, the record supersedes the corrected one and the ledger gets a
    reversal of the old entry before the new one, as a real correction does.
    """
    shift = assignment.shift
    record = AttendanceRecord(
        assignment_id=assignment.id,
        present=True,
        minutes=minutes,
        supersedes_id=corrects.attendance_record_id if corrects else None,
        correction_reason="Corrected hours" if corrects else None,
    )
    db.session.add(record)
    db.session.flush()
    if corrects is not None:
        _entry(assignment, record, -corrects.minutes, corrects.work_date, reverses=corrects)
    return _entry(assignment, record, minutes, work_date or shift.starts_at.date())


def _entry(
    assignment: Assignment,
    record: AttendanceRecord,
    minutes: int,
    work_date: date,
    reverses: HourEntry | None = None,
) -> HourEntry:
    shift = assignment.shift
    task = shift.task
    entry = HourEntry(
        attendance_record_id=record.id,
        reverses_id=reverses.id if reverses else None,
        participant_id=assignment.participant_id,
        shift_id=shift.id,
        work_date=work_date,
        minutes=minutes,
        stream=assignment.participant.stream,
        unit_id=task.unit_id,
        task_kind_id=task.task_kind_id,
        instructor_id=shift.instructor_id,
        wage_cents_per_hour=1000,
        price_cents_per_hour=1450,
        vat_percent=Decimal("25.50"),
    )
    db.session.add(entry)
    db.session.flush()
    return entry
