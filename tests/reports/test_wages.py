"""Wages: confirmed paid task hours × wage per participant and month."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.reports.periods import month_period
from jobcenter.reports.wages import wages_report
from tests import factories as f
from tests.reports.helpers import hours_on

NOVEMBER = month_period(date(2026, 11, 1))


@pytest.fixture
def group(reference_data):
    return f.make_group()


def test_wage_is_the_sum_of_minutes_times_each_entrys_wage(session, group):
    person = f.make_participant(group)
    hours_on(person, date(2026, 11, 10), 240, wage_cents_per_hour=1000)
    # the wage rose on 16 November: entries carry the wage valid on their date
    hours_on(person, date(2026, 11, 17), 90, wage_cents_per_hour=1100)
    report = wages_report(session, f.make_admin(), NOVEMBER)
    [row] = report.rows
    assert (row.minutes, row.wage_cents) == (330, 4000 + 1650)


def test_a_correction_counts_only_the_corrected_minutes(session, group):
    person = f.make_participant(group)
    entry = hours_on(person, date(2026, 11, 10), 240)
    f.correct_hour_entry(entry, 120)
    [row] = wages_report(session, f.make_admin(), NOVEMBER).rows
    assert (row.minutes, row.wage_cents) == (120, 2000)


def test_hours_outside_the_month_are_left_out(session, group):
    person = f.make_participant(group)
    hours_on(person, date(2026, 10, 31), 60)
    hours_on(person, date(2026, 11, 1), 60)
    hours_on(person, date(2026, 11, 30), 60)
    hours_on(person, date(2026, 12, 1), 60)
    [row] = wages_report(session, f.make_admin(), NOVEMBER).rows
    assert row.minutes == 120


def test_odd_minutes_are_rounded_to_cents_once_per_person(session, group):
    person = f.make_participant(group)
    for day in (2, 3, 4):
        hours_on(person, date(2026, 11, day), 1, wage_cents_per_hour=1000)  # 16.67 c each
    [row] = wages_report(session, f.make_admin(), NOVEMBER).rows
    assert row.wage_cents == 50


def test_entries_after_the_month_was_closed_are_flagged(session, group):
    person = f.make_participant(group)
    hours_on(person, date(2026, 11, 3), 60)
    hours_on(person, date(2026, 11, 4), 60, after_month_close=True)
    [row] = wages_report(session, f.make_admin(), NOVEMBER).rows
    assert row.late_corrections == 1


def test_one_correction_after_the_month_was_closed_counts_once(session, group):
    person = f.make_participant(group)
    entry = hours_on(person, date(2026, 11, 3), 240)
    f.correct_hour_entry(entry, 180, after_month_close=True)  # a reversal and a new entry
    [row] = wages_report(session, f.make_admin(), NOVEMBER).rows
    assert (row.minutes, row.late_corrections) == (180, 1)


def test_an_instructor_sees_wages_of_their_own_groups_only(session, group):
    mine = f.make_participant(group)
    theirs = f.make_participant(f.make_group())
    hours_on(mine, date(2026, 11, 3))
    hours_on(theirs, date(2026, 11, 3))
    rows = wages_report(session, group.instructor.user, NOVEMBER).rows
    assert [r.participant_id for r in rows] == [mine.id]


def test_the_group_filter_narrows_a_managers_report(session, group):
    mine = f.make_participant(group)
    hours_on(mine, date(2026, 11, 3))
    hours_on(f.make_participant(f.make_group()), date(2026, 11, 3))
    rows = wages_report(session, f.make_manager(), NOVEMBER, group_id=group.id).rows
    assert [r.participant_id for r in rows] == [mine.id]
