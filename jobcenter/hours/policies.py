"""Hours: instructors see their groups' hours, units the hours delivered to them,
participants their own; managers and admins all (the dashboard aggregates them).

Mixed-group shifts: the instructor who supervises a shift (`Shift.instructor_id`)
records attendance for everyone on it, and each person's own group instructor can as
well; nobody else. So an instructor also sees the attendance records and hour entries
of the shifts they supervise. Activity days (the allowance face) stay between the
person and their own group instructor.
"""

import sqlalchemy as sa

from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.hours.models import ActivityDay, AttendanceRecord, HourEntry
from jobcenter.participants.models import Instructor, Participant
from jobcenter.participants.policies import own_group_ids, supervised_shift_ids
from jobcenter.scheduling.models import Assignment, AssignmentStatus

# Assignments for which attendance is recorded (people expected on the shift).
RECORDED_STATUSES = (
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.ATTENDED,
    AssignmentStatus.ABSENT,
)


def _own_participant_ids(user) -> sa.Select:
    return sa.select(Participant.id).where(Participant.user_id == user.id)


def _group_participant_ids(user) -> sa.Select:
    return sa.select(Participant.id).where(Participant.group_id.in_(own_group_ids(user)))


def own_participant_ids(user) -> sa.Select:
    """The participants of the instructor's own groups."""
    return _group_participant_ids(user)


def recordable_shift_ids(user) -> sa.Select:
    """Shifts an instructor records attendance on: those they supervise and those
    where people of their own groups are expected."""
    theirs = sa.select(Assignment.shift_id).where(
        Assignment.participant_id.in_(_group_participant_ids(user)),
        Assignment.status.in_(RECORDED_STATUSES),
    )
    return sa.union(supervised_shift_ids(user), theirs)


def may_record(user, assignment: Assignment) -> bool:
    """The shift's supervising instructor, or the person's own group instructor."""
    if user is None or not user.is_authenticated or user.role != Role.INSTRUCTOR:
        return False
    instructor: Instructor | None = user.instructor
    if instructor is None:
        return False
    if assignment.shift.instructor_id == instructor.id:
        return True
    return assignment.participant.group.instructor_id == instructor.id


@row_scope(HourEntry)
def hour_entries_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        return stmt.where(
            sa.or_(
                HourEntry.participant_id.in_(_group_participant_ids(user)),
                HourEntry.shift_id.in_(supervised_shift_ids(user)),
            )
        )
    if user.role == Role.UNIT_CONTACT:
        return stmt.where(HourEntry.unit_id == user.unit_id)
    if user.role == Role.PARTICIPANT:
        return stmt.where(HourEntry.participant_id.in_(_own_participant_ids(user)))
    return stmt.where(sa.false())


@row_scope(ActivityDay)
def activity_days_visible(stmt: sa.Select, user) -> sa.Select:
    # Allowance days are between the person and their instructor (and admins).
    if user.role == Role.ADMIN:
        return stmt
    if user.role == Role.INSTRUCTOR:
        return stmt.where(ActivityDay.participant_id.in_(_group_participant_ids(user)))
    if user.role == Role.PARTICIPANT:
        return stmt.where(ActivityDay.participant_id.in_(_own_participant_ids(user)))
    return stmt.where(sa.false())


@row_scope(AttendanceRecord)
def attendance_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        assignments = sa.select(Assignment.id).where(
            sa.or_(
                Assignment.participant_id.in_(_group_participant_ids(user)),
                Assignment.shift_id.in_(supervised_shift_ids(user)),
            )
        )
    elif user.role == Role.PARTICIPANT:
        assignments = sa.select(Assignment.id).where(
            Assignment.participant_id.in_(_own_participant_ids(user))
        )
    else:
        return stmt.where(sa.false())
    return stmt.where(AttendanceRecord.assignment_id.in_(assignments))
