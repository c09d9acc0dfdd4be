"""Shifts and assignments: each role sees exactly its own rows."""

import sqlalchemy as sa

from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Instructor, Participant
from jobcenter.participants.policies import own_group_ids
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task

# What a unit may know about who works for it: people the instructor has confirmed.
UNIT_VISIBLE_STATUSES = (AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED)


def own_participant_ids(user) -> sa.Select:
    """The participants in the instructor's groups."""
    return sa.select(Participant.id).where(Participant.group_id.in_(own_group_ids(user)))


def participant_self_ids(user) -> sa.Select:
    return sa.select(Participant.id).where(Participant.user_id == user.id)


@row_scope(Shift)
def shifts_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        own_tasks = sa.select(Task.id).where(Task.group_id.in_(own_group_ids(user)))
        supervised = sa.select(Instructor.id).where(Instructor.user_id == user.id)
        # Their participants may work on shifts of another group's task: the
        # instructor follows their people's calendars too.
        their_people = sa.select(Assignment.shift_id).where(
            Assignment.participant_id.in_(own_participant_ids(user))
        )
        return stmt.where(
            sa.or_(
                Shift.task_id.in_(own_tasks),
                Shift.instructor_id.in_(supervised),
                Shift.id.in_(their_people),
            )
        )
    if user.role == Role.UNIT_CONTACT:
        return stmt.where(Shift.task_id.in_(sa.select(Task.id).where(Task.unit_id == user.unit_id)))
    if user.role == Role.PARTICIPANT:
        own = sa.select(Assignment.shift_id).where(
            Assignment.participant_id.in_(participant_self_ids(user)),
            Assignment.status != AssignmentStatus.PROPOSED,
        )
        return stmt.where(Shift.id.in_(own))
    return stmt.where(sa.false())


@row_scope(Assignment)
def assignments_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        return stmt.where(Assignment.participant_id.in_(own_participant_ids(user)))
    if user.role == Role.UNIT_CONTACT:
        unit_shifts = (
            sa.select(Shift.id)
            .join(Task, Shift.task_id == Task.id)
            .where(Task.unit_id == user.unit_id)
        )
        return stmt.where(
            Assignment.shift_id.in_(unit_shifts),
            Assignment.status.in_(UNIT_VISIBLE_STATUSES),
        )
    if user.role == Role.PARTICIPANT:
        # Proposals are the matching engine's drafts: not shown until offered.
        return stmt.where(
            Assignment.participant_id.in_(participant_self_ids(user)),
            Assignment.status != AssignmentStatus.PROPOSED,
        )
    return stmt.where(sa.false())
