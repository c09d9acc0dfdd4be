"""Hours: instructors see their groups' hours, units the hours delivered to them,
participants their own; managers and admins all (the dashboard aggregates them)."""

import sqlalchemy as sa

from jobcenter.core.authz import row_scope
from jobcenter.core.enums import Role
from jobcenter.hours.models import ActivityDay, AttendanceRecord, HourEntry
from jobcenter.participants.models import Participant
from jobcenter.participants.policies import own_group_ids
from jobcenter.scheduling.models import Assignment


def _own_participant_ids(user) -> sa.Select:
    return sa.select(Participant.id).where(Participant.user_id == user.id)


def _group_participant_ids(user) -> sa.Select:
    return sa.select(Participant.id).where(Participant.group_id.in_(own_group_ids(user)))


@row_scope(HourEntry)
def hour_entries_visible(stmt: sa.Select, user) -> sa.Select:
    if user.role in (Role.ADMIN, Role.MANAGER):
        return stmt
    if user.role == Role.INSTRUCTOR:
        return stmt.where(HourEntry.participant_id.in_(_group_participant_ids(user)))
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
        participants = _group_participant_ids(user)
    elif user.role == Role.PARTICIPANT:
        participants = _own_participant_ids(user)
    else:
        return stmt.where(sa.false())
    assignments = sa.select(Assignment.id).where(Assignment.participant_id.in_(participants))
    return stmt.where(AttendanceRecord.assignment_id.in_(assignments))
