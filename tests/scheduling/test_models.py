"""Database constraints on shifts and assignments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core.clock import HELSINKI
from jobcenter.participants.models import Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentEvent, AssignmentStatus, Shift
from tests import factories
from tests.core.constraints import delete_row, refused, update_raw

NINE = datetime(2025, 3, 3, 9, 0, tzinfo=HELSINKI)


def test_shift_ending_when_it_starts_is_refused(session):
    task = factories.make_task()
    with refused(session, "ck_shifts_times"):
        factories.make_shift(task=task, starts_at=NINE, ends_at=NINE)


def test_shift_ending_before_it_starts_is_refused(session):
    task = factories.make_task()
    with refused(session, "ck_shifts_times"):
        factories.make_shift(task=task, starts_at=NINE, ends_at=NINE - timedelta(hours=1))


def test_shift_with_zero_slots_is_refused(session):
    task = factories.make_task()
    with refused(session, "ck_shifts_slots_positive"):
        factories.make_shift(task=task, slots=0)


@pytest.mark.parametrize("level", [-1, 4])
def test_shift_supervision_outside_zero_to_three_is_refused(session, level):
    task = factories.make_task()
    with refused(session, "ck_shifts_supervision_needed_range"):
        factories.make_shift(task=task, supervision_needed=level)


def test_shift_negative_calendar_sequence_is_refused(session):
    task = factories.make_task()
    with refused(session, "ck_shifts_sequence_nonnegative"):
        factories.make_shift(task=task, sequence=-1)


def test_shift_status_outside_the_vocabulary_is_refused(session):
    shift = factories.make_shift()
    with refused(session, "ck_shifts_shift_status"):
        update_raw(session, "shifts", shift.id, status="postponed")


def test_task_has_one_shift_per_start_time(session):
    shift = factories.make_shift(starts_at=NINE)
    with refused(session, "uq_shifts_task_id_starts_at"):
        factories.make_shift(task=shift.task, starts_at=NINE)


def test_same_start_instant_in_another_time_zone_is_the_same_shift(session):
    shift = factories.make_shift(starts_at=NINE)
    with refused(session, "uq_shifts_task_id_starts_at"):
        factories.make_shift(task=shift.task, starts_at=NINE.astimezone(UTC))


def test_same_participant_twice_on_one_shift_is_refused(session):
    assignment = factories.make_assignment()
    with refused(session, "uq_assignments_shift_id_participant_id"):
        session.add(
            Assignment(
                shift_id=assignment.shift_id,
                participant_id=assignment.participant_id,
                status=AssignmentStatus.PROPOSED,
            )
        )


def test_two_participants_on_one_shift_are_stored(session):
    shift = factories.make_shift()
    factories.make_assignment(shift=shift)
    factories.make_assignment(shift=shift)
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 2


def test_assignment_status_outside_the_lifecycle_is_refused(session):
    assignment = factories.make_assignment()
    with refused(session, "ck_assignments_assignment_status"):
        update_raw(session, "assignments", assignment.id, status="maybe")


def test_deleting_a_participant_with_assignments_is_refused(session):
    assignment = factories.make_assignment()
    with refused(session, "fk_assignments_participant_id_participants"):
        delete_row(session, Participant, assignment.participant_id)


def test_deleting_a_shift_deletes_its_assignments_and_their_history(session):
    assignment = factories.make_assignment()
    session.add(
        AssignmentEvent(
            assignment=assignment,
            from_status=AssignmentStatus.ACCEPTED,
            to_status=AssignmentStatus.CONFIRMED,
        )
    )
    session.flush()
    delete_row(session, Shift, assignment.shift_id)
    session.commit()
    for model in (Assignment, AssignmentEvent):
        assert session.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model


def test_deleting_an_instructor_leaves_their_shifts_unsupervised(session):
    instructor = factories.make_instructor()
    shift = factories.make_shift(instructor=instructor)
    delete_row(session, Instructor, instructor.id)
    session.commit()
    session.expire_all()
    assert session.get(Shift, shift.id).instructor_id is None
