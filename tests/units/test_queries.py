"""Read-side queries of the task pages: scoped rows and the unit's hours and costs."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from jobcenter.core import clock
from jobcenter.units import queries
from jobcenter.units.models import TaskStatus
from tests import factories
from tests.units.helpers import T0, hour_entry, instructor_with_group, unit_contact

_DAYS = itertools.count(1)


@pytest.fixture(autouse=True)
def monday(app):
    with clock.frozen(T0):
        yield


@pytest.fixture
def ledger(app, session):
    yield
    from jobcenter.hours.models import AttendanceRecord, HourEntry

    session.rollback()
    session.query(HourEntry).delete()
    session.query(AttendanceRecord).delete()
    session.commit()


def _assignment(task, group):
    """A confirmed person on a shift of its own (shifts of a task start at distinct times)."""
    shift = factories.make_shift(task, starts_at=clock.now() + timedelta(days=next(_DAYS)))
    return factories.make_assignment(shift, factories.make_participant(group))


def hours_world(session):
    """Unit A: January 4 h + 1.5 h at 14.50 €/h, VAT 24 %; February 3 h at 15.00 €/h,
    VAT 25.5 %; December 2025 1 h. Unit B: 10 h in February."""
    contact = unit_contact()
    other = unit_contact()
    _instructor, group = instructor_with_group()
    ours = factories.make_task(contact.unit, group=group, status=TaskStatus.SCHEDULED)
    theirs = factories.make_task(other.unit, group=group, status=TaskStatus.SCHEDULED)
    hour_entry(_assignment(ours, group), 240, date(2026, 1, 12), 1450, "24.00")
    hour_entry(_assignment(ours, group), 90, date(2026, 1, 31), 1450, "24.00")
    hour_entry(_assignment(ours, group), 180, date(2026, 2, 2), 1500, "25.50")
    hour_entry(_assignment(ours, group), 60, date(2025, 12, 30), 1400, "24.00")
    hour_entry(_assignment(theirs, group), 600, date(2026, 2, 3), 1500, "25.50")
    session.commit()
    return contact


def test_hours_and_costs_sum_each_month_at_the_price_and_vat_of_each_entry(session, ledger):
    contact = hours_world(session)

    report = queries.hours_and_costs(session, contact, 2026)

    january, february = report.months
    assert (january.month, january.minutes) == (date(2026, 1, 1), 330)
    # 5.5 h × 14.50 € = 79.75 €; VAT 24 % = 19.14 €
    assert (january.net_cents, january.vat_cents, january.gross_cents) == (7975, 1914, 9889)
    # 3 h × 15.00 € = 45.00 €; VAT 25.5 % = 11.475 € → 11.48 €
    assert (february.net_cents, february.vat_cents, february.gross_cents) == (4500, 1148, 5648)
    assert (report.minutes, report.net_cents, report.vat_cents, report.gross_cents) == (
        510, 12475, 3062, 15537,
    )  # fmt: skip
    assert report.years == [2026, 2025]


def test_hours_and_costs_count_reversals_as_corrections(session, ledger):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_task(contact.unit, group=group, status=TaskStatus.SCHEDULED)
    assignment = _assignment(task, group)
    original = hour_entry(assignment, 240, date(2026, 1, 12), 1450, "24.00")
    from jobcenter.hours.models import AttendanceRecord, HourEntry

    correction = AttendanceRecord(
        assignment_id=assignment.id, present=True, minutes=180,
        supersedes_id=original.attendance_record_id, correction_reason="Lähti aiemmin",
    )  # fmt: skip
    session.add(correction)
    session.flush()
    columns = {
        c: getattr(original, c)
        for c in ("participant_id", "shift_id", "work_date", "stream", "unit_id",
                  "task_kind_id", "wage_cents_per_hour", "price_cents_per_hour", "vat_percent")
    }  # fmt: skip
    session.add(HourEntry(attendance_record_id=correction.id, reverses_id=original.id,
                          minutes=-240, **columns))  # fmt: skip
    session.add(HourEntry(attendance_record_id=correction.id, minutes=180, **columns))
    session.commit()

    (january,) = queries.hours_and_costs(session, contact, 2026).months

    assert (january.minutes, january.net_cents) == (180, 4350)
    session.query(HourEntry).filter(HourEntry.reverses_id.is_not(None)).delete()
    session.commit()


def test_hours_page_shows_the_units_monthly_figures(client, login, session, ledger):
    contact = hours_world(session)
    login(contact)

    page = client.get("/hours-and-costs?year=2026").get_data(as_text=True)

    january = page.split("January 2026", 1)[1].split("</tr>", 1)[0]
    assert [cell in january for cell in ("5.5", "79.75", "19.14", "98.89")] == [True] * 4
    footer = page.split("<tfoot>", 1)[1]
    assert [cell in footer for cell in ("8.5", "124.75", "30.62", "155.37")] == [True] * 4
    assert "December" not in page


def test_tasks_of_a_unit_are_scoped_to_its_contacts(session):
    contact = unit_contact()
    other = unit_contact()
    factories.make_posted_task(contact, title="Meidän")
    factories.make_posted_task(other, title="Heidän")
    session.commit()

    assert [t.title for t in queries.tasks(session, contact)] == ["Meidän"]
    assert queries.status_counts(session, contact) == {TaskStatus.SUBMITTED: 1}


def test_group_choices_are_the_instructors_own_groups(session):
    instructor, group = instructor_with_group()
    _other, _others_group = instructor_with_group()
    admin = factories.make_admin()

    assert queries.group_choices(session, instructor.user) == [(group.id, group.name)]
    assert len(queries.group_choices(session, admin)) == 2


def test_coming_shifts_skip_shifts_that_are_over(session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_task(contact.unit, group=group, status=TaskStatus.SCHEDULED)
    factories.make_shift(task, starts_at=clock.now() - timedelta(days=2))
    future = factories.make_shift(task, starts_at=clock.now() + timedelta(days=2))

    assert [s.id for s in queries.coming_shifts(session, task, contact)] == [future.id]
