"""Shifts and assignments: each role sees exactly its own rows."""

import sqlalchemy as sa

from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Instructor, Participant
from jobcenter.participants.policies import own_group_ids
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task


@row_scope(Shift)
def shifts_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        own_tasks = sa.select(Task.id).where(Task.group_id.in_(own_group_ids(user)))
        supervised = sa.select(Instructor.id).where(Instructor.user_id == user.id)
        return stmt.where(sa.or_(Shift.task_id.in_(own_tasks), Shift.instructor_id.in_(supervised)))
    if user.role == Role.UNIT_CONTACT:
        return stmt.where(Shift.task_id.in_(sa.select(Task.id).where(Task.unit_id == user.unit_id)))
    own = (
        sa.select(Assignment.shift_id)
        .join(Participant, Assignment.participant_id == Participant.id)
        .where(Participant.user_id == user.id, Assignment.status != AssignmentStatus.PROPOSED)
    )
    return stmt.where(Shift.id.in_(own))


@row_scope(Assignment)
def assignments_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        own_participants = sa.select(Participant.id).where(
            Participant.group_id.in_(own_group_ids(user))
        )
        return stmt.where(Assignment.participant_id.in_(own_participants))
    if user.role == Role.UNIT_CONTACT:
        unit_shifts = (
            sa.select(Shift.id)
            .join(Task, Shift.task_id == Task.id)
            .where(Task.unit_id == user.unit_id)
        )
        return stmt.where(
            Assignment.shift_id.in_(unit_shifts),
            Assignment.status.in_([AssignmentStatus.CONFIRMED, AssignmentStatus.ATTENDED]),
        )
    own = sa.select(Participant.id).where(Participant.user_id == user.id)
    return stmt.where(
        Assignment.participant_id.in_(own), Assignment.status != AssignmentStatus.PROPOSED
    )
