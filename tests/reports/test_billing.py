"""Billing: confirmed hours × price (+ VAT) per unit and month, with the tasks behind."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.reports.billing import billing_report
from jobcenter.reports.periods import month_period
from jobcenter.units.queries import hours_and_costs
from tests import factories as f
from tests.reports.helpers import hours_on

NOVEMBER = month_period(date(2026, 11, 1))


@pytest.fixture
def person(reference_data):
    return f.make_participant()


def test_net_and_vat_per_task_and_unit(session, person):
    unit = f.make_unit(name="Kirjasto")
    windows = f.make_task(unit, title="Ikkunat")
    boxes = f.make_task(unit, title="Muutto")
    hours_on(person, date(2026, 11, 3), 240, windows)
    hours_on(person, date(2026, 11, 4), 120, boxes)
    [bill] = billing_report(session, f.make_admin(), NOVEMBER).units
    # 6 h × 14.50 € = 87.00 €; VAT 25.5 % = 22.185 € → 22.19 €
    assert (bill.minutes, bill.net_cents, bill.vat_cents, bill.gross_cents) == (
        360,
        8700,
        2219,
        10919,
    )
    assert [(ln.title, ln.minutes, ln.net_cents, ln.vat_cents) for ln in bill.lines] == [
        ("Ikkunat", 240, 5800, 1479),
        ("Muutto", 120, 2900, 740),
    ]


def test_a_vat_change_mid_month_bills_each_hour_at_its_own_rate(session, person):
    task = f.make_task()
    hours_on(person, date(2026, 11, 3), 240, task, vat_percent="24.00")
    hours_on(person, date(2026, 11, 20), 240, task, vat_percent="25.50")
    [bill] = billing_report(session, f.make_admin(), NOVEMBER).units
    # 58.00 € × 24 % = 13.92 €; 58.00 € × 25.5 % = 14.79 €
    assert (bill.net_cents, bill.vat_cents) == (11600, 1392 + 1479)


def test_reversed_hours_are_not_billed(session, person):
    entry = hours_on(person, date(2026, 11, 3), 240)
    f.correct_hour_entry(entry, 60)
    [bill] = billing_report(session, f.make_admin(), NOVEMBER).units
    assert (bill.minutes, bill.net_cents) == (60, 1450)
    assert [ln.minutes for ln in bill.lines] == [60]


def test_the_units_own_hours_and_costs_page_shows_the_same_month_totals(session, person):
    contact = f.make_unit_contact()
    task = f.make_task(contact.unit)
    hours_on(person, date(2026, 11, 3), 95, task, vat_percent="24.00")
    hours_on(person, date(2026, 11, 25), 37, task)
    [bill] = billing_report(session, contact, NOVEMBER).units
    [month] = [m for m in hours_and_costs(session, contact, 2026).months if m.month.month == 11]
    assert (bill.minutes, bill.net_cents, bill.vat_cents) == (
        month.minutes,
        month.net_cents,
        month.vat_cents,
    )


def test_a_unit_contact_sees_only_their_own_unit(session, person):
    contact = f.make_unit_contact()
    hours_on(person, date(2026, 11, 3), 60, f.make_task(contact.unit))
    hours_on(person, date(2026, 11, 3), 60, f.make_task())
    report = billing_report(session, contact, NOVEMBER)
    assert [b.unit_id for b in report.units] == [contact.unit_id]


def test_a_unit_contact_asking_for_another_unit_gets_nothing(session, person):
    contact = f.make_unit_contact()
    other = f.make_task()
    hours_on(person, date(2026, 11, 3), 60, other)
    assert billing_report(session, contact, NOVEMBER, unit_id=other.unit_id).units == []


def test_hours_of_other_months_are_not_billed(session, person):
    task = f.make_task()
    hours_on(person, date(2026, 10, 31), 60, task)
    hours_on(person, date(2026, 12, 1), 60, task)
    assert billing_report(session, f.make_manager(), NOVEMBER).units == []


def test_hours_added_after_the_month_was_closed_are_flagged_per_unit_and_task(session, person):
    task = f.make_task(title="Ikkunat")
    hours_on(person, date(2026, 11, 3), 60, task)
    hours_on(person, date(2026, 11, 4), 60, task, after_month_close=True)
    [bill] = billing_report(session, f.make_admin(), NOVEMBER).units
    assert bill.late_corrections == 1
    assert [ln.late_corrections for ln in bill.lines] == [1]
