"""A unit contact sees only their own unit and its tasks."""

import sqlalchemy as sa

from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task, TaskStatus, Unit


def _participant_task_ids(user) -> sa.Select:
    return (
        sa.select(Shift.task_id)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .join(Participant, Assignment.participant_id == Participant.id)
        .where(Participant.user_id == user.id, Assignment.status != AssignmentStatus.PROPOSED)
    )


@row_scope(Unit)
def units_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR):
        return stmt
    if user.role == Role.UNIT_CONTACT:
        return stmt.where(Unit.id == user.unit_id)
    if user.role == Role.PARTICIPANT:
        return stmt.where(
            Unit.id.in_(sa.select(Task.unit_id).where(Task.id.in_(_participant_task_ids(user))))
        )
    return stmt.where(sa.false())


@row_scope(Task)
def tasks_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        # Drafts are the unit's own business until submitted.
        return stmt.where(Task.status != TaskStatus.DRAFT)
    if user.role == Role.UNIT_CONTACT:
        return stmt.where(Task.unit_id == user.unit_id)
    if user.role == Role.PARTICIPANT:
        return stmt.where(Task.id.in_(_participant_task_ids(user)))
    return stmt.where(sa.false())
