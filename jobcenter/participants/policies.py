"""An instructor sees their own groups; a participant only themselves.

Managers see aggregates, not people: their drill-down to a person goes through an
audited view of its own.
"""

import sqlalchemy as sa

from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Group, Instructor, Participant


def own_group_ids(user) -> sa.Select:
    return (
        sa.select(Group.id)
        .join(Instructor, Group.instructor_id == Instructor.id)
        .where(Instructor.user_id == user.id)
    )


@row_scope(Participant)
def participants_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role == Role.ADMIN:
        return stmt
    if user.role == Role.INSTRUCTOR:
        return stmt.where(Participant.group_id.in_(own_group_ids(user)))
    if user.role == Role.PARTICIPANT:
        return stmt.where(Participant.user_id == user.id)
    return stmt.where(sa.false())


@row_scope(Group)
def groups_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        return stmt.where(Group.id.in_(own_group_ids(user)))
    return stmt.where(sa.false())


@row_scope(Instructor)
def instructors_visible(stmt: sa.Select, user) -> sa.Select:
    # An instructor's work contact is not personal data of a client: everyone may see it.
    return stmt
