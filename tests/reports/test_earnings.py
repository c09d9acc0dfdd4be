"""Earnings this month (confirmed + planned) against the plan's ceiling."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.catalog.models import Rate, RateKind
from jobcenter.reports.earnings import close_to_ceiling, earned_cents_by_month, earnings_for
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from tests import factories as f
from tests.reports.conftest import TODAY
from tests.reports.helpers import hours_on, shift_on

S = AssignmentStatus


@pytest.fixture
def group(reference_data):
    return f.make_group()


@pytest.fixture
def wage_rises_on_28_november(session, reference_data):
    """The wage is 10.00 €/h until 27 November and 11.00 €/h from the 28th."""
    old = session.query(Rate).filter_by(kind=RateKind.WAGE).one()
    old.valid_to = date(2026, 11, 28)
    session.add(Rate(kind=RateKind.WAGE, cents_per_hour=1100, valid_from=date(2026, 11, 28)))
    session.flush()


def planned(person, day, status=S.CONFIRMED, minutes=240, **shift_kw):
    shift = shift_on(day, minutes=minutes, **shift_kw)
    return f.make_assignment(shift, person, status=status)


def test_confirmed_and_planned_earnings_each_at_the_wage_of_their_date(
    session, group, wage_rises_on_28_november
):
    person = f.make_participant(group, plan={"monthly_earnings_ceiling_cents": 15000})
    hours_on(person, date(2026, 11, 10), 300, wage_cents_per_hour=1000)
    planned(person, date(2026, 11, 27))  # 4 h × 10 €
    planned(person, date(2026, 11, 30), S.ACCEPTED)  # 4 h × 11 €
    e = earnings_for(session, [person.id], TODAY)[person.id]
    assert (e.confirmed_minutes, e.confirmed_cents) == (300, 5000)
    assert (e.planned_minutes, e.planned_cents) == (480, 4000 + 4400)
    assert (e.projected_cents, e.ceiling_cents, e.ceiling_left_cents) == (13400, 15000, 1600)
    assert e.percent_of_ceiling == 89


def test_offered_declined_cancelled_and_next_months_shifts_are_not_planned(session, group):
    person = f.make_participant(group)
    planned(person, date(2026, 11, 26), S.OFFERED)
    planned(person, date(2026, 11, 27), S.DECLINED)
    cancelled = shift_on(date(2026, 11, 29), status=ShiftStatus.CANCELLED, cancel_reason="Sade")
    f.make_assignment(cancelled, person, status=S.CONFIRMED)
    planned(person, date(2026, 12, 1))
    e = earnings_for(session, [person.id], TODAY)[person.id]
    assert (e.planned_minutes, e.planned_cents) == (0, 0)


def test_a_shift_with_confirmed_hours_is_not_counted_twice(session, group):
    person = f.make_participant(group)
    assignment = planned(person, date(2026, 11, 20))
    f.make_hour_entry(person, assignment.shift, minutes=200)
    e = earnings_for(session, [person.id], TODAY)[person.id]
    assert (e.confirmed_minutes, e.planned_minutes, e.projected_cents) == (200, 0, 3333)


def test_a_shift_just_after_local_midnight_belongs_to_its_helsinki_month(session, group):
    person = f.make_participant(group)
    # 00:30 on 1 December in Helsinki is still 30 November in UTC
    planned(person, date(2026, 12, 1), hour=0)
    e = earnings_for(session, [person.id], TODAY)[person.id]
    assert e.planned_minutes == 0
    december = earnings_for(session, [person.id], date(2026, 12, 1))[person.id]
    assert december.planned_minutes == 240


def test_earned_cents_by_month_groups_by_month_and_leaves_out_given_shifts(session, group):
    person = f.make_participant(group)
    hours_on(person, date(2026, 10, 30), 60)
    kept = hours_on(person, date(2026, 11, 2), 90)
    left_out = hours_on(person, date(2026, 11, 3), 60)
    earned = earned_cents_by_month(
        session,
        [person.id],
        date(2026, 10, 1),
        date(2026, 12, 1),
        exclude_shift_ids=[left_out.shift_id],
    )
    assert earned[person.id] == {"2026-10": 1000, "2026-11": 1500}
    assert kept.minutes == 90
    assert earned[12345]["2026-11"] == 0  # unknown people read as nothing earned


def test_close_to_ceiling_lists_people_at_eighty_percent_or_more_closest_first(session, group):
    near = f.make_participant(group, plan={"monthly_earnings_ceiling_cents": 5000})
    over = f.make_participant(group, plan={"monthly_earnings_ceiling_cents": 3000})
    far = f.make_participant(group, plan={"monthly_earnings_ceiling_cents": 50000})
    no_ceiling = f.make_participant(group)
    hours_on(near, date(2026, 11, 2), 240)  # 40 € of 50 € = 80 %
    hours_on(over, date(2026, 11, 2), 240)  # 40 € of 30 €
    hours_on(far, date(2026, 11, 2), 240)
    hours_on(no_ceiling, date(2026, 11, 2), 600)
    rows = close_to_ceiling(session, group.instructor.user, TODAY)
    assert [r.participant_id for r in rows] == [over.id, near.id]
    assert rows[0].earnings.over_ceiling
    assert rows[1].earnings.percent_of_ceiling == 80


def test_close_to_ceiling_shows_an_instructor_only_their_own_people(session, group):
    other = f.make_participant(f.make_group(), plan={"monthly_earnings_ceiling_cents": 1000})
    hours_on(other, date(2026, 11, 2), 240)
    assert close_to_ceiling(session, group.instructor.user, TODAY) == []
    assert [r.participant_id for r in close_to_ceiling(session, f.make_admin(), TODAY)] == [
        other.id
    ]
