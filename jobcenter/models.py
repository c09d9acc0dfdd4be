"""Imports every model so metadata, Alembic and the tests see the whole schema."""

from jobcenter.accounts.models import ApiToken, AuditEvent, CalendarFeed, OneTimeToken, User
from jobcenter.catalog.models import District, Rate, Skill, StreamRule, TaskKind
from jobcenter.core.models import Lease, apscheduler_jobs
from jobcenter.dashboard import summaries  # noqa: F401  (listeners keeping the summaries in step)
from jobcenter.dashboard.models import StaleDay  # noqa: F401  (and the other summary tables)
from jobcenter.hours.models import (
    ActivityDay,
    AttendanceRecord,
    HourEntry,
    MonthClosure,
    ShiftFeedback,
)
from jobcenter.matching.models import MatchingRun  # noqa: F401
from jobcenter.notifications.models import OutboxMessage
from jobcenter.participants.models import (
    AvailabilityWindow,
    DayAway,
    Group,
    Instructor,
    Participant,
    Plan,
    TaskKindPreference,
)
from jobcenter.scheduling.models import Assignment, AssignmentEvent, Shift
from jobcenter.units.models import Task, TaskDate, TaskEvent, TaskFeedback, Unit

__all__ = [
    "ActivityDay",
    "ApiToken",
    "Assignment",
    "AssignmentEvent",
    "AttendanceRecord",
    "AuditEvent",
    "AvailabilityWindow",
    "CalendarFeed",
    "DayAway",
    "District",
    "Group",
    "HourEntry",
    "Instructor",
    "Lease",
    "MonthClosure",
    "OneTimeToken",
    "OutboxMessage",
    "Participant",
    "Plan",
    "Rate",
    "Shift",
    "ShiftFeedback",
    "Skill",
    "StreamRule",
    "Task",
    "TaskDate",
    "TaskEvent",
    "TaskFeedback",
    "TaskKind",
    "TaskKindPreference",
    "Unit",
    "User",
    "apscheduler_jobs",
]
