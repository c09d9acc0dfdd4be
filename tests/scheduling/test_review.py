"""Shifts to check after a task change, and an instructor's own changes to one shift."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from jobcenter.core import clock
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling import review
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from jobcenter.units.lifecycle import NotAllowed
from jobcenter.units.posting import update_task
from tests import factories
from tests.scheduling.conftest import LATER, T0, shift_on

A = AssignmentStatus
pytestmark = pytest.mark.usefixtures("english")
__all__ = ["LATER", "T0"]  # test_review_views and test_system_reasons import them from here


@pytest.fixture
def task_dates() -> list[str]:
    return ["2026-03-10", "2026-03-11"]


@pytest.fixture
def flagged(session, task, contact, group):
    """The shift of 10.3. with Anna confirmed, after the unit moved the task to 12:00."""
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        anna = factories.make_participant(email="anna@example.test", group=group)
        factories.make_assignment(shift, anna, A.CONFIRMED)
        update_task(session, task, actor=contact, values={"preferred_start": "12:00"})
    assert shift.needs_review
    return shift


def notices_to(session, email: str) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_address == email)))


def test_pending_change_shows_the_tasks_new_time_for_the_shifts_day(session, flagged):
    with clock.frozen(LATER):
        change = review.pending_change(session, flagged)

    assert clock.to_local(change.starts_at).hour == 12
    assert clock.to_local(flagged.starts_at).hour == 9
    assert change.time_differs(flagged)
    assert not change.day_removed


def test_moving_the_shift_takes_the_tasks_time_and_tells_the_people(session, flagged, group):
    instructor = group.instructor.user
    sequence = flagged.sequence
    with clock.frozen(LATER):
        told_before = len(notices_to(session, "anna@example.test"))
        review.move_to_task(session, flagged, instructor)

    assert clock.to_local(flagged.starts_at).hour == 12
    assert (flagged.needs_review, flagged.sequence) == (False, sequence + 1)
    assert len(notices_to(session, "anna@example.test")) == told_before + 1


def test_keeping_the_shift_clears_the_flag_and_changes_nothing_else(session, flagged, group):
    before = (flagged.starts_at, flagged.sequence)
    with clock.frozen(LATER):
        review.keep_as_is(session, flagged, group.instructor.user)

    assert flagged.needs_review is False
    assert (flagged.starts_at, flagged.sequence) == before
    actions = session.scalars(sa.select(AuditEvent.action)).all()
    assert "shift_review_kept" in actions


def test_a_day_the_task_no_longer_has_is_cancelled_when_the_change_is_taken(
    session, task, contact, group
):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 11)
        factories.make_assignment(shift, factories.make_participant(group=group), A.CONFIRMED)
        update_task(session, task, actor=contact, values={"dates": ["2026-03-10"]})
        assert shift.needs_review
        review.move_to_task(session, shift, group.instructor.user)

    assert shift.status == ShiftStatus.CANCELLED


def test_fewer_places_than_people_is_refused_and_the_shift_stays(session, task, contact, group):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        for _ in range(2):
            factories.make_assignment(shift, factories.make_participant(group=group), A.CONFIRMED)
        update_task(session, task, actor=contact, values={"headcount": "1"})
        with pytest.raises(DomainError, match="2 people are on the shift but the task now has 1"):
            review.move_to_task(session, shift, group.instructor.user)

    assert (shift.slots, shift.needs_review) == (2, True)


def test_moving_a_shift_without_a_waiting_change_is_refused(session, task, group):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        with pytest.raises(DomainError, match="no change waiting"):
            review.move_to_task(session, shift, group.instructor.user)


def test_cancelling_a_shift_needs_a_reason(session, task, group):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        with pytest.raises(ValidationFailed) as refused:
            review.cancel(session, shift, group.instructor.user, "  ")

    assert refused.value.errors == {"reason": ["Say why the shift is cancelled."]}
    assert shift.status == ShiftStatus.PLANNED


def test_cancelling_a_shift_tells_its_people_the_reason(session, task, group):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        anna = factories.make_participant(email="anna@example.test", group=group)
        factories.make_assignment(shift, anna, A.CONFIRMED)
        review.cancel(session, shift, group.instructor.user, "The lift is broken")

    assert (shift.status, shift.cancel_reason) == (ShiftStatus.CANCELLED, "The lift is broken")
    assert notices_to(session, "anna@example.test")


def test_a_started_shift_can_no_longer_be_changed(session, task, group):
    shift = shift_on(session, task, 10)
    started = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    with clock.frozen(started), pytest.raises(DomainError, match="already started"):
        review.cancel(session, shift, group.instructor.user, "Too late")


def test_another_groups_instructor_may_not_change_the_shift(session, task):
    stranger = factories.make_group().instructor.user
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        with pytest.raises(NotAllowed):
            review.cancel(session, shift, stranger, "Not mine")
