"""An instructor sees their own groups; a participant only themselves.

Managers see aggregates, not people: their drill-down to a person goes through an
audited view of its own.

Mixed-group shifts: the instructor who supervises a shift sees the first and last
names of everyone on it (`names_visible_on_shift`), to record their attendance; that
does not open the person's other data (plans, availability), which stays with their
own group instructor (`participants_visible`).
"""

import sqlalchemy as sa

from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Group, Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift


def own_group_ids(user) -> sa.Select:
    return (
        sa.select(Group.id)
        .join(Instructor, Group.instructor_id == Instructor.id)
        .where(Instructor.user_id == user.id)
    )


def supervised_shift_ids(user) -> sa.Select:
    """Shifts the instructor supervises on site (`Shift.instructor_id`)."""
    mine = sa.select(Instructor.id).where(Instructor.user_id == user.id)
    return sa.select(Shift.id).where(Shift.instructor_id.in_(mine))


def names_visible_on_shift(user) -> sa.Select:
    """Participant ids whose names the user may see on shift sheets: their own groups'
    people and, for an instructor, everyone on a shift they supervise (not proposals,
    declines or cancellations)."""
    if user.role == Role.ADMIN:
        return sa.select(Participant.id)
    if user.role != Role.INSTRUCTOR:
        return sa.select(Participant.id).where(sa.false())
    on_supervised = sa.select(Assignment.participant_id).where(
        Assignment.shift_id.in_(supervised_shift_ids(user)),
        Assignment.status.not_in(
            (AssignmentStatus.PROPOSED, AssignmentStatus.DECLINED, AssignmentStatus.CANCELLED)
        ),
    )
    own = sa.select(Participant.id).where(Participant.group_id.in_(own_group_ids(user)))
    return sa.union(own, on_supervised)


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
