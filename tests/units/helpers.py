"""Shared data for the task page tests: a frozen Monday, English-speaking people."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from jobcenter.hours.models import AttendanceRecord, HourEntry
from jobcenter.scheduling.models import Assignment
from tests import factories

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2.3.2026 10:00 Helsinki


def next_week(days: int = 7) -> str:
    return (clock.today() + timedelta(days=days)).isoformat()


def unit_contact(**kw):
    return factories.make_unit_contact(locale=Locale.EN, **kw)


def instructor_with_group(**kw):
    instructor = factories.make_instructor(locale=Locale.EN, phone="040 123 4567", **kw)
    group = factories.make_group(instructor, name="Aamuryhmä")
    return instructor, group


def form_data(kind_id: int, **overrides) -> dict:
    """What the posting form sends for a valid one-date task."""
    data = {
        "title": "Ikkunoiden pesu",
        "description": "Aulan ikkunat",
        "task_kind_id": str(kind_id),
        "site_address": "Kontulankaari 1",
        "site_postal_code": "00940",
        "site_city": "Helsinki",
        "district_id": "",
        "headcount": "2",
        "shift_minutes": "4",
        "schedule": "dates",
        "dates-0": next_week(),
        "preferred_start": "09:00",
        "action": "draft",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def hour_entry(
    assignment: Assignment,
    minutes: int,
    work_date: date,
    price_cents: int,
    vat: str,
) -> HourEntry:
    """A confirmed hour-ledger entry valued at `price_cents` per hour and `vat` %."""
    record = AttendanceRecord(assignment_id=assignment.id, present=True, minutes=minutes)
    db.session.add(record)
    db.session.flush()
    task = assignment.shift.task
    entry = HourEntry(
        attendance_record_id=record.id,
        participant_id=assignment.participant_id,
        shift_id=assignment.shift_id,
        work_date=work_date,
        minutes=minutes,
        stream=assignment.participant.stream,
        unit_id=task.unit_id,
        task_kind_id=task.task_kind_id,
        instructor_id=assignment.shift.instructor_id,
        wage_cents_per_hour=1000,
        price_cents_per_hour=price_cents,
        vat_percent=Decimal(vat),
    )
    db.session.add(entry)
    db.session.flush()
    return entry
