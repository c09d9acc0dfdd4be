"""Database constraints on instructors, groups, participants and their plans."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core.enums import Role
from jobcenter.participants.models import (
    AvailabilityWindow,
    DayAway,
    Group,
    Instructor,
    Participant,
    Plan,
    Preference,
    TaskKindPreference,
)
from tests import factories
from tests.core.constraints import delete_row, refused, update_raw


def _plan(participant: Participant, **kw) -> Plan:
    values = {
        "participant_id": participant.id,
        "start_date": date(2025, 1, 1),
        "end_date": date(2025, 6, 30),
        "days_per_week": 3,
        "min_minutes_per_day": 240,
        "max_minutes_per_day": 360,
        "supervision_level": 1,
    }
    return Plan(**(values | kw))


@pytest.fixture
def participant(session) -> Participant:
    return factories.make_participant()


def test_instructor_with_zero_capacity_is_refused(session):
    user = factories.make_user(Role.INSTRUCTOR)
    with refused(session, "ck_instructors_capacity_positive"):
        factories.make_instructor(capacity=0, user=user)


def test_instructor_working_in_no_stream_is_refused(session):
    instructor = factories.make_instructor()
    with refused(session, "ck_instructors_at_least_one_stream"):
        instructor.works_rehabilitative = False
        instructor.works_disability = False


def test_user_is_at_most_one_instructor(session):
    instructor = factories.make_instructor()
    with refused(session, "uq_instructors_user_id"):
        session.add(Instructor(user_id=instructor.user_id, supervision_capacity=2))


def test_group_names_are_unique_per_instructor(session):
    group = factories.make_group(name="Aamuryhmä")
    with refused(session, "uq_groups_instructor_id_name"):
        factories.make_group(instructor=group.instructor, name="Aamuryhmä")


def test_two_instructors_may_name_their_groups_alike(session):
    factories.make_group(name="Aamuryhmä")
    factories.make_group(name="Aamuryhmä")
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(Group)) == 2


def test_deleting_an_instructor_with_groups_is_refused(session):
    group = factories.make_group()
    with refused(session, "fk_groups_instructor_id_instructors"):
        delete_row(session, Instructor, group.instructor_id)


def test_deleting_a_group_with_participants_is_refused(session, participant):
    with refused(session, "fk_participants_group_id_groups"):
        delete_row(session, Group, participant.group_id)


def test_user_is_at_most_one_participant(session, participant):
    with refused(session, "uq_participants_user_id"):
        session.add(
            Participant(
                user_id=participant.user_id,
                group_id=participant.group_id,
                stream=participant.stream,
            )
        )


def test_participant_stream_outside_the_vocabulary_is_refused(session, participant):
    with refused(session, "ck_participants_stream"):
        update_raw(session, "participants", participant.id, stream="voluntary")


def test_plan_ending_before_it_starts_is_refused(session, participant):
    with refused(session, "ck_plans_period"):
        session.add(_plan(participant, start_date=date(2025, 2, 1), end_date=date(2025, 1, 31)))


def test_plan_of_a_single_day_is_stored(session, participant):
    session.add(_plan(participant, start_date=date(2025, 2, 1), end_date=date(2025, 2, 1)))
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 2


@pytest.mark.parametrize("days", [0, 8])
def test_plan_days_per_week_outside_one_to_seven_are_refused(session, participant, days):
    with refused(session, "ck_plans_days_per_week"):
        session.add(_plan(participant, days_per_week=days))


@pytest.mark.parametrize(
    ("min_minutes", "max_minutes"),
    [(361, 360), (-1, 360), (240, 1441)],
    ids=["minimum_above_maximum", "negative_minimum", "more_than_a_day"],
)
def test_plan_minutes_per_day_out_of_range_are_refused(
    session, participant, min_minutes, max_minutes
):
    with refused(session, "ck_plans_minutes_per_day"):
        session.add(
            _plan(participant, min_minutes_per_day=min_minutes, max_minutes_per_day=max_minutes)
        )


@pytest.mark.parametrize("level", [-1, 4])
def test_plan_supervision_level_outside_zero_to_three_is_refused(session, participant, level):
    with refused(session, "ck_plans_supervision_level"):
        session.add(_plan(participant, supervision_level=level))


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_plan_supervision_levels_zero_to_three_are_stored(session, participant, level):
    session.add(_plan(participant, supervision_level=level))
    session.commit()
    levels = session.scalars(sa.select(Plan.supervision_level).order_by(Plan.id)).all()
    assert levels[-1] == level


def test_plan_negative_weekly_target_is_refused(session, participant):
    with refused(session, "ck_plans_weekly_target"):
        session.add(_plan(participant, weekly_target_minutes=-60))


def test_plan_negative_earnings_ceiling_is_refused(session, participant):
    with refused(session, "ck_plans_ceiling_nonnegative"):
        session.add(_plan(participant, monthly_earnings_ceiling_cents=-1))


def test_plan_negative_daily_allowance_is_refused(session, participant):
    with refused(session, "ck_plans_allowance_nonnegative"):
        session.add(_plan(participant, daily_allowance_cents=-1))


def test_deleting_a_participant_deletes_their_plans(session):
    participant = factories.make_participant()
    delete_row(session, Participant, participant.id)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 0


def test_deleting_a_district_that_is_a_plan_home_is_refused(session, participant):
    from jobcenter.catalog.models import District

    district = factories.make_district()
    participant.plans[0].home_district_id = district.id
    session.flush()
    with refused(session, "fk_plans_home_district_id_districts"):
        delete_row(session, District, district.id)


def test_task_kind_is_preferred_or_avoided_once_per_plan(session, participant):
    kind = factories.make_task_kind()
    plan = participant.plans[0]
    session.add(TaskKindPreference(plan_id=plan.id, task_kind_id=kind.id, preference="prefer"))
    session.flush()
    with refused(session, "pk_plan_task_kind_preferences"):
        session.add(
            TaskKindPreference(plan_id=plan.id, task_kind_id=kind.id, preference=Preference.AVOID)
        )


def test_task_kind_preference_outside_prefer_or_avoid_is_refused(session, participant):
    kind = factories.make_task_kind()
    plan = participant.plans[0]
    session.add(TaskKindPreference(plan_id=plan.id, task_kind_id=kind.id, preference="prefer"))
    session.flush()
    with refused(session, "ck_plan_task_kind_preferences_preference"):
        session.execute(
            sa.text("UPDATE plan_task_kind_preferences SET preference = 'love' WHERE plan_id = :p"),
            {"p": plan.id},
        )
        session.flush()


@pytest.mark.parametrize("weekday", [-1, 7])
def test_availability_weekday_outside_monday_to_sunday_is_refused(session, participant, weekday):
    with refused(session, "ck_availability_windows_weekday"):
        session.add(
            AvailabilityWindow(
                user_id=participant.user_id,
                weekday=weekday,
                start_time=time(9, 0),
                end_time=time(15, 0),
            )
        )


@pytest.mark.parametrize("end", [time(9, 0), time(8, 0)], ids=["same_time", "earlier"])
def test_availability_window_ending_before_it_starts_is_refused(session, participant, end):
    with refused(session, "ck_availability_windows_times"):
        session.add(
            AvailabilityWindow(
                user_id=participant.user_id, weekday=0, start_time=time(9, 0), end_time=end
            )
        )


def test_day_away_is_recorded_once_per_day(session, participant):
    day = date(2025, 3, 3)
    session.add(DayAway(user_id=participant.user_id, day=day))
    session.flush()
    with refused(session, "uq_days_away_user_id_day"):
        session.add(DayAway(user_id=participant.user_id, day=day, note="dentist"))


def test_day_away_on_another_day_is_stored(session, participant):
    day = date(2025, 3, 3)
    session.add(DayAway(user_id=participant.user_id, day=day))
    session.add(DayAway(user_id=participant.user_id, day=day + timedelta(days=1)))
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(DayAway)) == 2
