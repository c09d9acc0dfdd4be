"""Shifts from accepted tasks: days, times over DST, holidays, supervision, idempotence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.scheduling import generation
from jobcenter.scheduling.models import Shift, ShiftStatus
from jobcenter.units import lifecycle
from jobcenter.units.models import TaskStatus
from tests import factories

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2.3.2026 10:00 Helsinki


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def group(session):
    return factories.make_group()


def accepted(group, *, generate=True, **values):
    task = factories.make_posted_task(**values)
    lifecycle.accept(factories.db.session, task, group.instructor.user, group, generate=generate)
    return task


def shifts_of(session, task):
    return list(
        session.scalars(sa.select(Shift).where(Shift.task_id == task.id).order_by(Shift.starts_at))
    )


def local(shift):
    return clock.to_local(shift.starts_at)


def test_one_shift_per_date_with_its_start_end_and_slots(session, group):
    with clock.frozen(T0):
        task = accepted(
            group,
            dates=["2026-03-10", {"day": "2026-03-12", "start_time": "12:30"}],
            preferred_start="09:00",
            shift_minutes="180",
            headcount="3",
        )
    shifts = shifts_of(session, task)
    assert [(local(s).date(), local(s).time()) for s in shifts] == [
        (date(2026, 3, 10), time(9, 0)),
        (date(2026, 3, 12), time(12, 30)),
    ]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=180) for s in shifts)
    assert all(s.slots == 3 and s.status == ShiftStatus.PLANNED for s in shifts)
    assert task.status == TaskStatus.SCHEDULED


def test_without_site_supervision_the_groups_instructor_is_on_site(session, group):
    with clock.frozen(T0):
        task = accepted(group)
    [shift] = shifts_of(session, task)
    assert (shift.supervision_needed, shift.instructor_id) == (2, group.instructor_id)


def test_with_site_supervision_the_site_covers_reachable_level_and_no_instructor(session, group):
    with clock.frozen(T0):
        task = accepted(group, site_supervision="on")
    [shift] = shifts_of(session, task)
    assert (shift.supervision_needed, shift.instructor_id) == (1, None)


def test_weekly_shifts_keep_their_local_start_over_the_spring_dst_change(session, group):
    with clock.frozen(datetime(2026, 3, 16, 8, 0, tzinfo=UTC)):
        task = accepted(
            group,
            dates=[],
            recurrence="FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4",
            first_date="2026-03-21",
            preferred_start="09:00",
        )
    shifts = shifts_of(session, task)
    assert [local(s).date().day for s in shifts] == [21, 22, 28, 29]
    assert {local(s).time() for s in shifts} == {time(9, 0)}
    assert [s.starts_at.astimezone(UTC).hour for s in shifts] == [7, 7, 7, 6]


def test_weekly_shifts_keep_their_local_start_over_the_autumn_dst_change(session, group):
    with clock.frozen(datetime(2026, 10, 12, 8, 0, tzinfo=UTC)):
        task = accepted(
            group,
            dates=[],
            recurrence="FREQ=WEEKLY;BYDAY=SU;UNTIL=20261101",
            first_date="2026-10-18",
            preferred_start="08:00",
        )
    shifts = shifts_of(session, task)
    assert [local(s).date() for s in shifts] == [
        date(2026, 10, 18),
        date(2026, 10, 25),
        date(2026, 11, 1),
    ]
    assert {local(s).time() for s in shifts} == {time(8, 0)}
    assert [s.starts_at.astimezone(UTC).hour for s in shifts] == [5, 6, 6]
    assert all(s.ends_at - s.starts_at == timedelta(hours=4) for s in shifts)


def test_midsummer_gives_no_shift(session, group):
    # Midsummer Eve Friday 19.6.2026 and Midsummer Day Saturday 20.6.2026.
    with clock.frozen(datetime(2026, 6, 1, 8, 0, tzinfo=UTC)):
        task = accepted(
            group,
            dates=[],
            recurrence="FREQ=WEEKLY;BYDAY=FR,SA;UNTIL=20260627",
            first_date="2026-06-12",
        )
    assert [local(s).date() for s in shifts_of(session, task)] == [
        date(2026, 6, 12),
        date(2026, 6, 13),
        date(2026, 6, 26),
        date(2026, 6, 27),
    ]


def test_independence_day_gives_no_shift(session, group):
    # 6.12.2026 is a Sunday.
    with clock.frozen(datetime(2026, 11, 23, 8, 0, tzinfo=UTC)):
        task = accepted(
            group,
            dates=[],
            recurrence="FREQ=WEEKLY;BYDAY=SU;COUNT=3",
            first_date="2026-11-29",
        )
    assert [local(s).date() for s in shifts_of(session, task)] == [
        date(2026, 11, 29),
        date(2026, 12, 13),
    ]


def test_holidays_give_shifts_when_the_unit_asks_for_them(session, group):
    with clock.frozen(datetime(2026, 11, 23, 8, 0, tzinfo=UTC)):
        task = accepted(
            group,
            dates=[],
            recurrence="FREQ=WEEKLY;BYDAY=SU;COUNT=3",
            first_date="2026-11-29",
            include_public_holidays="yes",
        )
    assert date(2026, 12, 6) in [local(s).date() for s in shifts_of(session, task)]


def test_recurrence_is_clipped_to_the_tasks_last_day(session, group):
    with clock.frozen(T0):
        task = accepted(
            group,
            dates=[],
            recurrence="FREQ=WEEKLY;BYDAY=TU",
            first_date="2026-03-03",
            last_date="2026-03-17",
        )
    assert [local(s).date().day for s in shifts_of(session, task)] == [3, 10, 17]


def test_open_ended_recurrence_gets_shifts_up_to_the_horizon_only(session, group):
    with clock.frozen(T0):
        task = accepted(group, dates=[], recurrence="FREQ=WEEKLY;BYDAY=WE", first_date="2026-03-04")
        days = [local(s).date() for s in shifts_of(session, task)]
    assert days[0] == date(2026, 3, 4)
    assert days[-1] <= T0.date() + timedelta(weeks=8)
    assert len(days) == 8


def test_extending_the_horizon_twice_creates_the_same_rows(session, group):
    with clock.frozen(T0):
        task = accepted(
            group, generate=False, dates=[], recurrence="FREQ=WEEKLY;BYDAY=MO,TH",
            first_date="2026-03-05",
        )  # fmt: skip
        first = generation.extend_horizon(session, date(2026, 4, 30))
        rows = [(s.id, s.starts_at) for s in shifts_of(session, task)]
        second = generation.extend_horizon(session, date(2026, 4, 30))
    # 9 Thursdays and 8 Mondays, less Easter Monday 6.4.2026.
    assert first == {"tasks": 1, "shifts_created": 16, "tasks_scheduled": 1}
    assert second == {"tasks": 1, "shifts_created": 0, "tasks_scheduled": 0}
    assert [(s.id, s.starts_at) for s in shifts_of(session, task)] == rows
    assert task.status == TaskStatus.SCHEDULED


def test_the_horizon_rolls_forward_day_by_day(session, group):
    with clock.frozen(T0):
        task = accepted(group, dates=[], recurrence="FREQ=WEEKLY;BYDAY=MO", first_date="2026-03-09")
        before = len(shifts_of(session, task))
    with clock.frozen(T0 + timedelta(weeks=1)):
        counts = generation.extend_horizon(session, generation.horizon_end(8))
    assert counts["shifts_created"] == 1
    assert len(shifts_of(session, task)) == before + 1


def test_no_shift_is_made_in_the_past(session, group):
    with clock.frozen(T0):
        task = accepted(group, generate=False, dates=["2026-03-03", "2026-03-05"])
    with clock.frozen(datetime(2026, 3, 4, 8, 0, tzinfo=UTC)):
        generation.generate_for_task(session, task)
    assert [local(s).date() for s in shifts_of(session, task)] == [date(2026, 3, 5)]


def test_a_shift_that_started_already_today_is_not_made(session, group):
    with clock.frozen(T0):
        task = accepted(group, generate=False, dates=["2026-03-03"], preferred_start="09:00")
    with clock.frozen(datetime(2026, 3, 3, 7, 30, tzinfo=UTC)):  # 09:30 Helsinki
        assert generation.generate_for_task(session, task) == 0
    assert task.status == TaskStatus.ACCEPTED


def test_a_cancelled_shift_is_not_brought_back(session, group):
    with clock.frozen(T0):
        task = accepted(group, dates=["2026-03-10", "2026-03-11"])
        shift = shifts_of(session, task)[0]
        shift.status = ShiftStatus.CANCELLED
        shift.cancel_reason = "Myrsky."
        session.flush()
        assert generation.extend_horizon(session, date(2026, 4, 30))["shifts_created"] == 0
    assert len(shifts_of(session, task)) == 2


@pytest.mark.parametrize("submit", [False, True])
def test_tasks_not_accepted_get_no_shifts(session, submit):
    with clock.frozen(T0):
        task = factories.make_posted_task(submit=submit)
        assert generation.generate_for_task(session, task) == 0
        assert generation.extend_horizon(session, date(2026, 4, 30))["shifts_created"] == 0
    assert shifts_of(session, task) == []


def test_cancelled_tasks_get_no_new_shifts(session, group):
    with clock.frozen(T0):
        task = accepted(group, dates=[], recurrence="FREQ=WEEKLY;BYDAY=MO", first_date="2026-03-09")
        lifecycle.cancel(session, task, task.unit.contacts[0], "Remontti.")
        before = len(shifts_of(session, task))
    with clock.frozen(T0 + timedelta(weeks=2)):
        assert generation.extend_horizon(session, generation.horizon_end(8))["tasks"] == 0
    assert len(shifts_of(session, task)) == before


def test_extend_horizon_job_uses_the_configured_weeks(app, session, group):
    from jobcenter.scheduling.jobs import extend_horizon

    app.config["SHIFT_HORIZON_WEEKS"] = 2
    try:
        with clock.frozen(T0):
            task = accepted(
                group, generate=False, dates=[], recurrence="FREQ=WEEKLY;BYDAY=TU",
                first_date="2026-03-03",
            )  # fmt: skip
            result = extend_horizon(session)
    finally:
        del app.config["SHIFT_HORIZON_WEEKS"]
    assert result["until"] == "2026-03-16"
    assert [local(s).date().day for s in shifts_of(session, task)] == [3, 10]
