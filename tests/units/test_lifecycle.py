"""The task state machine: every transition, every refusal, and the history it keeps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling.models import Shift
from jobcenter.units import lifecycle
from jobcenter.units.lifecycle import NotAllowed
from jobcenter.units.models import Task, TaskFeedback, TaskStatus
from tests import factories

S = TaskStatus
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2.3.2026 10:00 Helsinki
AFTER_THE_WORK = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english_on_monday(app):
    with clock.frozen(T0), force_locale("en"):
        yield


@pytest.fixture
def contact(session):
    return factories.make_unit_contact()


@pytest.fixture
def group(session):
    return factories.make_group()


@pytest.fixture
def instructor(group):
    return group.instructor.user


@pytest.fixture
def submitted(contact):
    return factories.make_posted_task(contact, submit=True)


@pytest.fixture
def scheduled(session, contact, group, instructor):
    task = factories.make_posted_task(contact, submit=True, dates=["2026-03-09", "2026-03-10"])
    lifecycle.accept(session, task, instructor, group)
    assert task.status == S.SCHEDULED
    return task


def history(task):
    return [(e.from_status, e.to_status) for e in task.events]


def outbox(session):
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def force_status(session, task, status):
    task.status = status
    task.status_reason = "Syy."  # the database wants a reason for rejected and cancelled
    session.flush()


# ---------------------------------------------------------------- submit


def test_unit_contact_submits_a_draft(session, contact):
    task = factories.make_posted_task(contact, submit=False)
    event = lifecycle.submit(session, task, contact)
    assert task.status == S.SUBMITTED
    assert (event.actor_id, event.from_status, event.to_status) == (
        contact.id,
        S.DRAFT,
        S.SUBMITTED,
    )
    assert event.at == T0
    assert session.get(Task, task.id).status == S.SUBMITTED


def test_contact_of_another_unit_cannot_submit(session, contact):
    task = factories.make_posted_task(contact, submit=False)
    with pytest.raises(NotAllowed, match="Only the unit's own contacts"):
        lifecycle.submit(session, task, factories.make_unit_contact())
    assert task.status == S.DRAFT


def test_instructor_cannot_submit_a_units_task(session, contact, instructor):
    task = factories.make_posted_task(contact, submit=False)
    with pytest.raises(NotAllowed):
        lifecycle.submit(session, task, instructor)


def test_submitting_an_accepted_task_is_refused(session, scheduled, contact):
    with pytest.raises(DomainError) as exc:
        lifecycle.submit(session, scheduled, contact)
    assert exc.value.message == (
        "Only a draft or a task sent back for changes can be submitted. This task is scheduled."
    )
    assert not isinstance(exc.value, NotAllowed)


def test_an_inactive_unit_cannot_submit(session, contact):
    task = factories.make_posted_task(contact, submit=False)
    contact.unit.is_active = False
    with pytest.raises(DomainError, match="can no longer order work"):
        lifecycle.submit(session, task, contact)


# ---------------------------------------------------------------- answers


def test_instructor_accepts_into_own_group_and_shifts_make_it_scheduled(
    session, submitted, group, instructor
):
    lifecycle.accept(session, submitted, instructor, group.id)
    assert submitted.group_id == group.id
    assert submitted.status == S.SCHEDULED
    assert history(submitted)[-2:] == [(S.SUBMITTED, S.ACCEPTED), (S.ACCEPTED, S.SCHEDULED)]
    assert session.scalar(sa.select(sa.func.count()).where(Shift.task_id == submitted.id)) == 1


def test_accepting_tells_the_units_contacts(session, submitted, contact, group, instructor):
    colleague = factories.make_unit_contact(unit=contact.unit)
    factories.make_unit_contact(unit=contact.unit, is_active_account=False)
    lifecycle.accept(session, submitted, instructor, group)
    assert sorted(m.to_address for m in outbox(session)) == sorted([contact.email, colleague.email])


def test_accepted_task_stays_accepted_while_no_shift_is_within_the_horizon(
    session, contact, group, instructor
):
    task = factories.make_posted_task(
        contact,
        dates=[],
        recurrence="FREQ=WEEKLY;BYDAY=MO",
        first_date="2026-08-03",
    )
    lifecycle.accept(session, task, instructor, group)
    assert task.status == S.ACCEPTED


def test_admin_accepts_into_any_group(session, submitted, group):
    lifecycle.accept(session, submitted, factories.make_admin(), group)
    assert submitted.group_id == group.id


def test_instructor_cannot_accept_into_another_instructors_group(session, submitted, group):
    someone_else = factories.make_instructor().user
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.accept(session, submitted, someone_else, group)
    assert exc.value.errors == {"group_id": ["Choose one of your own groups."]}
    assert submitted.status == S.SUBMITTED


@pytest.mark.parametrize("group_value", [None, "", "999999", "abc"])
def test_accepting_needs_a_real_group(session, submitted, instructor, group_value):
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.accept(session, submitted, instructor, group_value)
    assert exc.value.errors == {"group_id": ["Choose the group that will do the work."]}


@pytest.mark.parametrize(
    "who",
    [
        factories.make_unit_contact,
        factories.make_manager,
        lambda: factories.make_participant().user,
    ],
)
def test_only_instructors_and_admins_answer_tasks(session, submitted, group, who):
    user = who()
    with pytest.raises(NotAllowed):
        lifecycle.accept(session, submitted, user, group)
    with pytest.raises(NotAllowed):
        lifecycle.reject(session, submitted, user, "Ei käy.")
    with pytest.raises(NotAllowed):
        lifecycle.request_changes(session, submitted, user, "Muuta.")
    assert submitted.status == S.SUBMITTED


def test_the_units_own_contact_cannot_accept_its_task(session, submitted, contact, group):
    with pytest.raises(NotAllowed, match="Only instructors can accept"):
        lifecycle.accept(session, submitted, contact, group)


def test_accepting_a_draft_is_refused(session, contact, group, instructor):
    task = factories.make_posted_task(contact, submit=False)
    with pytest.raises(
        DomainError, match=r"Only a submitted task can be accepted\. This task is draft"
    ):
        lifecycle.accept(session, task, instructor, group)


def test_instructor_rejects_with_a_reason(session, submitted, instructor):
    event = lifecycle.reject(session, submitted, instructor, "  Työ korvaisi palkattua työtä.  ")
    assert submitted.status == S.REJECTED
    assert submitted.status_reason == "Työ korvaisi palkattua työtä."
    assert (event.reason, event.actor_id) == ("Työ korvaisi palkattua työtä.", instructor.id)
    [notice] = outbox(session)
    assert "Työ korvaisi palkattua työtä." in notice.body


@pytest.mark.parametrize("transition", [lifecycle.reject, lifecycle.request_changes])
def test_rejecting_or_asking_changes_needs_a_reason(session, submitted, instructor, transition):
    with pytest.raises(ValidationFailed) as exc:
        transition(session, submitted, instructor, "   ")
    assert exc.value.errors == {"reason": ["Write a reason. The unit will see it."]}
    assert submitted.status == S.SUBMITTED
    assert outbox(session) == []


def test_rejecting_a_rejected_task_is_refused(session, submitted, instructor):
    lifecycle.reject(session, submitted, instructor, "Ei.")
    with pytest.raises(DomainError, match="This task is rejected"):
        lifecycle.reject(session, submitted, instructor, "Ei vieläkään.")


def test_changes_requested_then_edited_and_resubmitted(session, submitted, contact, instructor):
    lifecycle.request_changes(session, submitted, instructor, "Montako ikkunaa?")
    assert (submitted.status, submitted.status_reason) == (S.CHANGES_REQUESTED, "Montako ikkunaa?")
    lifecycle.submit(session, submitted, contact)
    assert submitted.status == S.SUBMITTED
    assert history(submitted) == [
        (None, S.DRAFT),
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.CHANGES_REQUESTED),
        (S.CHANGES_REQUESTED, S.SUBMITTED),
    ]


def test_a_second_answer_to_the_same_task_loses_the_race(session, submitted, instructor):
    # Someone else rejected the task after this request loaded it.
    session.execute(
        sa.update(Task)
        .where(Task.id == submitted.id)
        .values(status=S.REJECTED, status_reason="Ei.")
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(DomainError, match="Someone else changed this task"):
        lifecycle.request_changes(session, submitted, instructor, "Muuta.")


# ---------------------------------------------------------------- scheduled, done, confirmed


def test_scheduling_needs_a_shift(session, submitted, group, instructor):
    lifecycle.accept(session, submitted, instructor, group, generate=False)
    with pytest.raises(DomainError, match="no shifts yet"):
        lifecycle.mark_scheduled(session, submitted, instructor)
    assert submitted.status == S.ACCEPTED


def test_unit_marks_done_once_the_shifts_are_over(session, scheduled, contact):
    with clock.frozen(AFTER_THE_WORK):
        event = lifecycle.mark_done(session, scheduled, contact)
    assert scheduled.status == S.DONE
    assert event.at == AFTER_THE_WORK


def test_supervising_instructor_marks_done(session, scheduled, instructor):
    with clock.frozen(AFTER_THE_WORK):
        lifecycle.mark_done(session, scheduled, instructor)
    assert scheduled.status == S.DONE


def test_another_instructor_cannot_mark_done(session, scheduled):
    with clock.frozen(AFTER_THE_WORK), pytest.raises(NotAllowed):
        lifecycle.mark_done(session, scheduled, factories.make_instructor().user)


def test_marking_done_is_refused_while_shifts_are_ahead(session, scheduled, contact):
    with pytest.raises(DomainError) as exc:
        lifecycle.mark_done(session, scheduled, contact)
    assert exc.value.message.startswith("The task still has 2 shifts that are not over.")
    assert scheduled.status == S.SCHEDULED


def test_marking_an_accepted_task_done_is_refused(session, submitted, contact, group, instructor):
    lifecycle.accept(session, submitted, instructor, group, generate=False)
    with pytest.raises(DomainError, match="Only a scheduled task can be marked done"):
        lifecycle.mark_done(session, submitted, contact)


def test_unit_confirms_with_feedback(session, scheduled, contact):
    with clock.frozen(AFTER_THE_WORK):
        lifecycle.mark_done(session, scheduled, contact)
        lifecycle.confirm(session, scheduled, contact, rating="5", comment="Ikkunat loistavat!")
    assert scheduled.status == S.CONFIRMED
    feedback = session.scalar(sa.select(TaskFeedback))
    assert (feedback.task_id, feedback.rating, feedback.comment, feedback.given_by_id) == (
        scheduled.id,
        5,
        "Ikkunat loistavat!",
        contact.id,
    )


@pytest.mark.parametrize("rating", ["0", "6", "hyvä", True])
def test_feedback_rating_must_be_one_to_five(session, scheduled, contact, rating):
    with clock.frozen(AFTER_THE_WORK):
        lifecycle.mark_done(session, scheduled, contact)
        with pytest.raises(ValidationFailed) as exc:
            lifecycle.confirm(session, scheduled, contact, rating=rating)
    assert exc.value.errors == {"rating": ["Choose a rating from 1 to 5."]}
    assert scheduled.status == S.DONE


def test_instructor_cannot_confirm_for_the_unit(session, scheduled, contact, instructor):
    with clock.frozen(AFTER_THE_WORK):
        lifecycle.mark_done(session, scheduled, contact)
        with pytest.raises(NotAllowed):
            lifecycle.confirm(session, scheduled, instructor)


def test_confirming_before_done_is_refused(session, scheduled, contact):
    with pytest.raises(DomainError, match="Only a task marked done can be confirmed"):
        lifecycle.confirm(session, scheduled, contact)


def test_feedback_can_be_given_later_but_once(session, scheduled, contact):
    with clock.frozen(AFTER_THE_WORK):
        lifecycle.mark_done(session, scheduled, contact)
        lifecycle.confirm(session, scheduled, contact)
        assert "give_feedback" in lifecycle.allowed_actions(scheduled, contact)
        lifecycle.give_feedback(session, scheduled, contact, rating=4, comment="Hyvä")
        assert "give_feedback" not in lifecycle.allowed_actions(scheduled, contact)
        with pytest.raises(DomainError, match="already been given"):
            lifecycle.give_feedback(session, scheduled, contact, rating=3)


# ---------------------------------------------------------------- cancel


@pytest.mark.parametrize("submit", [False, True])
def test_unit_cancels_a_draft_or_submitted_task_with_a_reason(session, contact, submit):
    task = factories.make_posted_task(contact, submit=submit)
    event = lifecycle.cancel(session, task, contact, "Ei tarvita enää.")
    assert task.status == S.CANCELLED
    assert (event.reason, event.to_status) == ("Ei tarvita enää.", S.CANCELLED)


def test_cancelling_needs_a_reason(session, submitted, contact):
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.cancel(session, submitted, contact, "")
    assert exc.value.errors == {
        "reason": [
            "Write a reason. The instructor and the people on the task's shifts are told it."
        ]
    }
    assert submitted.status == S.SUBMITTED


def test_an_instructor_cancelling_is_told_the_unit_reads_the_reason(session, scheduled, instructor):
    with pytest.raises(ValidationFailed) as exc:
        lifecycle.cancel(session, scheduled, instructor, " ")
    assert exc.value.errors == {"reason": ["Write a reason. The unit will see it."]}


def test_supervising_instructor_can_cancel_a_scheduled_task(session, scheduled, instructor):
    lifecycle.cancel(session, scheduled, instructor, "Ryhmä ei pääse.")
    assert scheduled.status == S.CANCELLED


def test_instructor_cannot_cancel_a_submitted_task_they_can_only_answer(
    session, submitted, instructor
):
    with pytest.raises(NotAllowed):
        lifecycle.cancel(session, submitted, instructor, "Ei.")


@pytest.mark.parametrize("status", [S.DONE, S.CONFIRMED, S.REJECTED, S.CANCELLED])
def test_cancelling_is_refused_once_done_or_closed(session, submitted, contact, status):
    force_status(session, submitted, status)
    with pytest.raises(DomainError, match="can no longer be cancelled"):
        lifecycle.cancel(session, submitted, contact, "Myöhässä.")


# ---------------------------------------------------------------- buttons


def test_allowed_actions_follow_role_and_state(session, submitted, contact, instructor):
    assert lifecycle.allowed_actions(submitted, contact) == {"cancel", "edit"}
    assert lifecycle.allowed_actions(submitted, instructor) == {
        "accept",
        "reject",
        "request_changes",
    }
    assert lifecycle.allowed_actions(submitted, factories.make_unit_contact()) == set()
    assert lifecycle.allowed_actions(submitted, factories.make_manager()) == set()


def test_status_labels_are_translated_words(app):
    assert lifecycle.status_label("changes_requested") == "changes requested"
