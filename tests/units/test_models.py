"""Database constraints on units and their tasks."""

from __future__ import annotations

from datetime import date, time

import pytest
import sqlalchemy as sa

from jobcenter.scheduling.models import Shift
from jobcenter.units.models import Task, TaskDate, TaskEvent, TaskFeedback, TaskStatus, Unit
from tests import factories
from tests.core.constraints import delete_row, refused, update_raw


def test_unit_name_is_unique(session):
    factories.make_unit(name="Kallion palvelukeskus")
    # The older case-sensitive constraint stays beside the lower(name) index (dropping
    # it would rebuild the table on SQLite); either may be the one that refuses.
    with refused(session, "uq_units_name", "uq_units_name_lower"):
        factories.make_unit(name="Kallion palvelukeskus")


def test_unit_name_differing_only_in_case_is_refused_by_the_database(session):
    factories.make_unit(name="Kallion palvelukeskus")
    with refused(session, "uq_units_name_lower"):
        factories.make_unit(name="KALLION Palvelukeskus")


def test_unit_of_unknown_kind_is_refused(session):
    unit = factories.make_unit()
    with refused(session, "ck_units_unit_kind"):
        update_raw(session, "units", unit.id, kind="government")


def test_deleting_a_unit_with_tasks_is_refused(session):
    task = factories.make_task()
    with refused(session, "fk_tasks_unit_id_units"):
        delete_row(session, Unit, task.unit_id)


def test_deleting_a_district_a_unit_is_in_is_refused(session):
    from jobcenter.catalog.models import District

    district = factories.make_district()
    factories.make_unit(district=district)
    with refused(session, "fk_units_district_id_districts"):
        delete_row(session, District, district.id)


def test_task_for_a_unit_that_does_not_exist_is_refused(session):
    unit = factories.make_unit()
    task = factories.make_task(unit=unit)
    with refused(session, "fk_tasks_unit_id_units"):
        update_raw(session, "tasks", task.id, unit_id=unit.id + 1000)


def test_task_with_headcount_zero_is_refused(session):
    unit = factories.make_unit()
    with refused(session, "ck_tasks_headcount_positive"):
        factories.make_task(unit=unit, headcount=0)


@pytest.mark.parametrize("minutes", [0, 1441], ids=["zero", "more_than_a_day"])
def test_task_shift_length_out_of_range_is_refused(session, minutes):
    unit = factories.make_unit()
    with refused(session, "ck_tasks_shift_minutes_range"):
        factories.make_task(unit=unit, shift_minutes=minutes)


def test_task_whose_last_date_is_before_its_first_is_refused(session):
    unit = factories.make_unit()
    with refused(session, "ck_tasks_date_window"):
        factories.make_task(unit=unit, first_date=date(2025, 3, 2), last_date=date(2025, 3, 1))


def test_task_on_a_single_day_is_stored(session):
    task = factories.make_task(first_date=date(2025, 3, 2), last_date=date(2025, 3, 2))
    session.commit()
    assert session.get(Task, task.id).last_date == date(2025, 3, 2)


@pytest.mark.parametrize("end", [time(9, 0), time(8, 0)], ids=["same_time", "earlier"])
def test_task_preferred_end_not_after_its_start_is_refused(session, end):
    unit = factories.make_unit()
    with refused(session, "ck_tasks_preferred_times"):
        factories.make_task(unit=unit, preferred_start=time(9, 0), preferred_end=end)


def test_task_status_outside_the_lifecycle_is_refused(session):
    task = factories.make_task()
    with refused(session, "ck_tasks_task_status"):
        update_raw(session, "tasks", task.id, status="archived")


def test_task_date_is_asked_for_once(session):
    task = factories.make_task()
    session.add(TaskDate(task=task, day=date(2025, 3, 2)))
    session.flush()
    with refused(session, "uq_task_dates_task_id_day"):
        session.add(TaskDate(task_id=task.id, day=date(2025, 3, 2)))


@pytest.mark.parametrize("rating", [0, 6])
def test_task_feedback_rating_outside_one_to_five_is_refused(session, rating):
    task = factories.make_task()
    with refused(session, "ck_task_feedback_rating_range"):
        session.add(TaskFeedback(task_id=task.id, rating=rating))


def test_task_gets_one_feedback_from_its_unit(session):
    task = factories.make_task()
    session.add(TaskFeedback(task_id=task.id, rating=5))
    session.flush()
    with refused(session, "uq_task_feedback_task_id"):
        session.add(TaskFeedback(task_id=task.id, rating=4))


def test_deleting_a_task_deletes_its_dates_events_feedback_and_shifts(session):
    task = factories.make_task()
    factories.make_shift(task=task)
    session.add_all(
        [
            TaskDate(task=task, day=date(2025, 3, 2)),
            TaskEvent(task=task, from_status=TaskStatus.SUBMITTED, to_status=TaskStatus.ACCEPTED),
            TaskFeedback(task_id=task.id, rating=5),
        ]
    )
    session.flush()
    delete_row(session, Task, task.id)
    session.commit()
    for model in (TaskDate, TaskEvent, TaskFeedback, Shift):
        assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model


def test_deleting_a_group_that_accepted_tasks_is_refused(session):
    from jobcenter.participants.models import Group

    group = factories.make_group()
    factories.make_task(group=group)
    with refused(session, "fk_tasks_group_id_groups"):
        delete_row(session, Group, group.id)
