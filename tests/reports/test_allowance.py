"""Allowance days per participant and period: hand-computed figures on small fixtures."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.catalog.models import StreamRule
from jobcenter.core.enums import Stream
from jobcenter.hours.models import AbsenceKind, ActivityDayStatus
from jobcenter.reports.allowance import AbsenceCheck, allowance_report
from jobcenter.reports.periods import make_period, month_period, two_week_period
from tests import factories as f

NOVEMBER = month_period(date(2026, 11, 1))
A = AbsenceKind


@pytest.fixture
def group(reference_data):
    return f.make_group()


@pytest.fixture
def admin(reference_data):
    return f.make_admin()


def row_of(report, person):
    return next(r for r in report.rows if r.participant_id == person.id)


def test_rehabilitative_attended_days_earn_the_stream_rules_nine_euros(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    for day in (2, 3, 4):
        f.make_activity_day(person, date(2026, 11, day))
    row = row_of(allowance_report(session, admin, NOVEMBER), person)
    assert (row.attended_days, row.earning_days, row.allowance_cents) == (3, 3, 2700)


def test_each_absence_kind_is_counted_and_earns_nothing(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    for offset, kind in enumerate(AbsenceKind):
        f.make_activity_day(person, date(2026, 11, 2 + offset), absence_kind=kind)
    row = row_of(allowance_report(session, admin, NOVEMBER), person)
    assert row.absences == {kind: 1 for kind in AbsenceKind}
    assert (row.attended_days, row.earning_days, row.allowance_cents) == (0, 0, 0)
    # own illness, sick child, job interview and public office keep the benefit
    assert (row.benefit_kept_days, row.benefit_lost_days) == (4, 2)


def test_a_public_holiday_is_neither_attended_nor_absent_and_earns_nothing(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    f.make_activity_day(person, date(2026, 12, 6), status=ActivityDayStatus.NOT_ORGANISED)
    f.make_activity_day(person, date(2026, 12, 7))
    row = row_of(allowance_report(session, admin, month_period(date(2026, 12, 1))), person)
    assert row.not_organised_days == 1
    assert (row.attended_days, row.absent_days, row.allowance_cents) == (1, 0, 900)


def test_only_the_latest_correction_of_a_day_counts_once(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    first = f.make_activity_day(person, date(2026, 11, 3))
    second = f.correct_activity_day(first, absence_kind=A.OWN_ILLNESS)
    f.correct_activity_day(second, absence_kind=A.SICK_CHILD)
    other = f.make_activity_day(person, date(2026, 11, 4), absence_kind=A.UNEXCUSED)
    f.correct_activity_day(other)  # corrected to attended
    row = row_of(allowance_report(session, admin, NOVEMBER), person)
    assert row.absences[A.SICK_CHILD] == 1
    assert row.absences[A.OWN_ILLNESS] == 0
    assert row.absences[A.UNEXCUSED] == 0
    assert (row.attended_days, row.absent_days, row.allowance_cents) == (1, 1, 900)


def test_disability_work_allowance_is_the_plans_daily_amount(session, group, admin):
    person = f.make_participant(
        group, stream=Stream.DISABILITY, plan={"daily_allowance_cents": 800}
    )
    for day in (9, 10, 11):
        f.make_activity_day(person, date(2026, 11, day))
    f.make_activity_day(person, date(2026, 11, 12), absence_kind=A.OWN_ILLNESS)
    row = row_of(allowance_report(session, admin, NOVEMBER), person)
    assert (row.attended_days, row.earning_days, row.allowance_cents) == (3, 3, 2400)


def test_disability_plan_without_allowance_has_attended_days_but_no_earning_days(
    session, group, admin
):
    person = f.make_participant(group, stream=Stream.DISABILITY)
    f.make_activity_day(person, date(2026, 11, 9))
    row = row_of(allowance_report(session, admin, NOVEMBER), person)
    assert (row.attended_days, row.earning_days, row.allowance_cents) == (1, 0, 0)


def test_a_change_of_the_daily_amount_mid_period_values_each_day_at_its_own_rule(
    session, group, admin
):
    rule = session.query(StreamRule).filter_by(stream=Stream.REHABILITATIVE).one()
    rule.valid_to = date(2026, 11, 16)
    session.add(
        StreamRule(
            stream=Stream.REHABILITATIVE,
            valid_from=date(2026, 11, 16),
            daily_allowance_cents=1000,
            min_days_per_week=1,
            max_days_per_week=4,
        )
    )
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    f.make_activity_day(person, date(2026, 11, 13))
    f.make_activity_day(person, date(2026, 11, 16))
    row = row_of(allowance_report(session, admin, NOVEMBER), person)
    assert row.allowance_cents == 900 + 1000


def test_two_week_period_includes_its_fourteenth_day_and_not_the_fifteenth(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    for day in (date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 15), date(2026, 11, 16)):
        f.make_activity_day(person, day)
    period = two_week_period(date(2026, 11, 2))
    assert (period.first, period.last) == (date(2026, 11, 2), date(2026, 11, 15))
    assert row_of(allowance_report(session, admin, period), person).attended_days == 2


def test_month_period_runs_from_the_first_to_the_last_day_of_the_month(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    for day in (date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1)):
        f.make_activity_day(person, day)
    period = make_period(NOVEMBER.kind, date(2026, 11, 17))
    assert (period.first, period.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert row_of(allowance_report(session, admin, period), person).attended_days == 2


def test_people_with_a_plan_but_no_days_are_listed_with_zeros(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    row = row_of(allowance_report(session, admin, NOVEMBER), person)
    assert (row.attended_days, row.absent_days, row.allowance_cents) == (0, 0, 0)


def test_absence_days_list_each_absence_with_its_date_and_kind(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE, first_name="Aino")
    f.make_activity_day(person, date(2026, 11, 5), absence_kind=A.JOB_INTERVIEW)
    f.make_activity_day(person, date(2026, 11, 6))
    report = allowance_report(session, admin, NOVEMBER)
    assert [(d.first_name, d.day, d.kind) for d in report.absence_days] == [
        ("Aino", date(2026, 11, 5), A.JOB_INTERVIEW)
    ]


def test_an_instructor_sees_only_their_own_groups_people(session, group):
    mine = f.make_participant(group, stream=Stream.REHABILITATIVE)
    theirs = f.make_participant(f.make_group(), stream=Stream.REHABILITATIVE)
    f.make_activity_day(mine, date(2026, 11, 2))
    f.make_activity_day(theirs, date(2026, 11, 2))
    report = allowance_report(session, group.instructor.user, NOVEMBER)
    assert [r.participant_id for r in report.rows] == [mine.id]


def test_an_instructor_asking_for_another_group_gets_no_rows(session, group):
    other = f.make_group()
    person = f.make_participant(other, stream=Stream.REHABILITATIVE)
    f.make_activity_day(person, date(2026, 11, 2), absence_kind=A.UNEXCUSED)
    report = allowance_report(session, group.instructor.user, NOVEMBER, group_id=other.id)
    assert report.rows == []
    assert report.absence_days == []


def test_a_participant_sees_only_their_own_row(session, group):
    me = f.make_participant(group, stream=Stream.REHABILITATIVE)
    f.make_participant(group, stream=Stream.REHABILITATIVE)
    report = allowance_report(session, me.user, NOVEMBER)
    assert [r.participant_id for r in report.rows] == [me.id]


def test_managers_and_unit_contacts_see_no_allowance_rows(session, group):
    f.make_activity_day(f.make_participant(group), date(2026, 11, 2))
    for user in (f.make_manager(), f.make_unit_contact()):
        assert allowance_report(session, user, NOVEMBER).rows == []


def test_own_illness_past_the_third_day_of_a_spell_needs_a_certificate(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    for day in (2, 3, 5, 6):  # Mon, Tue, Thu, Fri: not scheduled on Wednesday
        f.make_activity_day(person, date(2026, 11, day), absence_kind=A.OWN_ILLNESS)
    report = allowance_report(session, admin, NOVEMBER)
    assert [(d.day.day, d.spell_day, d.check) for d in report.absence_days] == [
        (2, 1, None),
        (3, 2, None),
        (5, 4, AbsenceCheck.CERTIFICATE_NEEDED),
        (6, 5, AbsenceCheck.CERTIFICATE_NEEDED),
    ]
    row = row_of(report, person)
    assert (row.certificate_days, row.benefit_kept_days) == (2, 4)


def test_an_attended_day_ends_the_spell(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    f.make_activity_day(person, date(2026, 11, 2), absence_kind=A.OWN_ILLNESS)
    f.make_activity_day(person, date(2026, 11, 3), absence_kind=A.OWN_ILLNESS)
    f.make_activity_day(person, date(2026, 11, 4))
    f.make_activity_day(person, date(2026, 11, 5), absence_kind=A.OWN_ILLNESS)
    f.make_activity_day(person, date(2026, 11, 6), absence_kind=A.OWN_ILLNESS)
    report = allowance_report(session, admin, NOVEMBER)
    assert [d.spell_day for d in report.absence_days] == [1, 2, 1, 2]
    assert all(d.check is None for d in report.absence_days)


def test_a_sick_child_keeps_the_benefit_for_four_days_only(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    for day in range(2, 7):  # Monday to Friday
        f.make_activity_day(person, date(2026, 11, day), absence_kind=A.SICK_CHILD)
    report = allowance_report(session, admin, NOVEMBER)
    assert [d.check for d in report.absence_days] == [None] * 4 + [AbsenceCheck.OVER_LIMIT]
    row = row_of(report, person)
    assert (row.benefit_kept_days, row.benefit_lost_days) == (4, 1)


def test_a_spell_begun_before_the_period_is_counted_from_its_first_day(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    for day in (date(2026, 10, 29), date(2026, 10, 30), date(2026, 11, 2)):
        f.make_activity_day(person, day, absence_kind=A.OWN_ILLNESS)
    report = allowance_report(session, admin, NOVEMBER)
    assert [(d.day, d.spell_day, d.check) for d in report.absence_days] == [
        (date(2026, 11, 2), 5, AbsenceCheck.CERTIFICATE_NEEDED)
    ]


def test_absences_more_than_a_week_apart_are_separate_spells(session, group, admin):
    person = f.make_participant(group, stream=Stream.REHABILITATIVE)
    f.make_activity_day(person, date(2026, 11, 2), absence_kind=A.SICK_CHILD)
    f.make_activity_day(person, date(2026, 11, 16), absence_kind=A.SICK_CHILD)
    report = allowance_report(session, admin, NOVEMBER)
    assert [d.spell_day for d in report.absence_days] == [1, 1]
