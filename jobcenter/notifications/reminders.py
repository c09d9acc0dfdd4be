"""Day-before shift reminders by e-mail (the scheduler's `send_reminders` job).

The rule (times in Helsinki):
- a reminder for a shift is due from 16:00 on the day before the shift's day, and
  until the shift starts;
- it is never sent at night: between 21:00 and 08:00 the job queues nothing. So a
  shift published in the evening after 21:00 for the next morning gets its reminder
  at 08:00 if it has not started by then (otherwise none), and a shift published on
  the day itself, or late on the day before, gets one at the next run of the job in
  the daytime;
- only for ACCEPTED or CONFIRMED assignments on planned shifts, of active people who
  have an e-mail address and have not turned reminders off (`User.reminders_enabled`);
- in the person's own language (the mail is rendered with their saved locale);
- once per assignment and shift version: the outbox dedupe key is
  `shift-reminder:<assignment id>:<shift sequence>`. If the shift is changed after the
  reminder went (its sequence is bumped), the person gets a reminder of the new time
  too — besides the change notice they got at once.

The job runs every 15 minutes (`jobcenter.scheduler`), so the first reminders of a
day go out between 16:00 and 16:15. Nothing in a reminder is about the person beyond
their first name: the task, the time, the place, what to bring and the instructor.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from jobcenter.accounts.models import User
from jobcenter.core import audit, clock
from jobcenter.notifications.mail import absolute_url
from jobcenter.notifications.messages import enqueue_once
from jobcenter.notifications.models import OutboxMessage
from jobcenter.participants.models import Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units.models import Task

SHIFT_REMINDER = "shift_reminder"
DUE_FROM = time(16, 0)  # on the day before the shift
QUIET_FROM = time(21, 0)  # no reminders from 21:00 …
QUIET_UNTIL = time(8, 0)  # … until 08:00
REMINDED = (AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED)


def is_quiet_hour(moment: datetime) -> bool:
    local = clock.to_local(moment).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def due_from(shift_start: datetime) -> datetime:
    """When the reminder for a shift starting at `shift_start` may first be sent."""
    day_before = clock.to_local(shift_start).date() - timedelta(days=1)
    return datetime.combine(day_before, DUE_FROM, tzinfo=clock.HELSINKI)


def is_due(shift_start: datetime, moment: datetime) -> bool:
    return due_from(shift_start) <= moment < shift_start and not is_quiet_hour(moment)


def dedupe_key(assignment: Assignment) -> str:
    return f"shift-reminder:{assignment.id}:{assignment.shift.sequence}"


def due_assignments(session: Session, moment: datetime) -> list[Assignment]:
    """Assignments whose reminder is due at `moment` (sent or not: the dedupe key decides)."""
    if is_quiet_hour(moment):
        return []
    # Shifts starting before the end of tomorrow (Helsinki) that have not started yet.
    tomorrow = clock.to_local(moment).date() + timedelta(days=1)
    horizon = datetime.combine(tomorrow + timedelta(days=1), time(0, 0), tzinfo=clock.HELSINKI)
    rows = session.scalars(
        sa.select(Assignment)
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Participant, Assignment.participant_id == Participant.id)
        .join(User, Participant.user_id == User.id)
        .where(
            Assignment.status.in_(REMINDED),
            Shift.status == ShiftStatus.PLANNED,
            Shift.starts_at > moment,
            Shift.starts_at < horizon,
            User.is_active_account.is_(True),
            User.email.is_not(None),
            User.reminders_enabled.is_(True),
        )
        .options(
            joinedload(Assignment.shift).joinedload(Shift.task).joinedload(Task.task_kind),
            joinedload(Assignment.shift).joinedload(Shift.instructor).joinedload(Instructor.user),
            joinedload(Assignment.participant).joinedload(Participant.user),
        )
        .order_by(Shift.starts_at, Assignment.id)
    ).all()
    return [a for a in rows if is_due(a.shift.starts_at, moment)]


def queue_reminder(session: Session, assignment: Assignment) -> OutboxMessage | None:
    """Queue the reminder for this assignment's current shift version, unless queued."""
    user = assignment.participant.user
    shift = assignment.shift
    return enqueue_once(
        session,
        user,
        SHIFT_REMINDER,
        template=SHIFT_REMINDER,
        dedupe_key=dedupe_key(assignment),
        shift=shift,
        task=shift.task,
        kind_name=shift.task.task_kind.name(str(user.locale)),
        instructor=shift.instructor.user if shift.instructor is not None else None,
        settings_url=absolute_url("accounts.profile"),
    )


def send_reminders(session: Session) -> dict[str, int]:
    """The scheduled job: queue every reminder that is due now (flush only)."""
    moment = clock.now()
    due = due_assignments(session, moment)
    queued = sum(1 for a in due if queue_reminder(session, a) is not None)
    return {"due": len(due), "queued": queued}


def set_reminders(session: Session, user: User, enabled: bool) -> None:
    """The person turns their day-before reminders on or off (flush only)."""
    if user.reminders_enabled != enabled:
        user.reminders_enabled = enabled
        audit.record("reminders_changed", user, actor_id=user.id, detail={"enabled": enabled})
    session.flush()
