"""Who may see which user accounts."""

import sqlalchemy as sa

from jobcenter.accounts.models import User
from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Group, Instructor, Participant


@row_scope(User)
def users_visible(stmt: sa.Select, user: User) -> sa.Select:
    if user.role == Role.ADMIN:
        return stmt
    if user.role == Role.MANAGER:
        return stmt.where(User.role != Role.PARTICIPANT)
    if user.role == Role.INSTRUCTOR:
        own_participants = (
            sa.select(Participant.user_id)
            .join(Group, Participant.group_id == Group.id)
            .join(Instructor, Group.instructor_id == Instructor.id)
            .where(Instructor.user_id == user.id)
        )
        return stmt.where(
            sa.or_(User.id == user.id, User.role != Role.PARTICIPANT, User.id.in_(own_participants))
        )
    if user.role == Role.UNIT_CONTACT and user.unit_id is not None:
        return stmt.where(sa.or_(User.id == user.id, User.unit_id == user.unit_id))
    # A participant, and anyone else: only their own account.
    return stmt.where(User.id == user.id)
