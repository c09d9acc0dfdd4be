"""Scheduled work of the hours module (run by jobcenter.scheduler).

`nudge_overdue_attendance`: daily (08:00 Helsinki), each instructor who has shifts that
ended without confirmed attendance gets one e-mail that says how many, with a link to
the overdue page. One message per instructor per day (dedupe key), so running the job
again that day sends nothing twice. The message names no participant and says nothing
of streams, health or supervision.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.hours.attendance import overdue_counts
from jobcenter.notifications.mail import MailKind, absolute_url, queue_mail
from jobcenter.notifications.models import OutboxMessage
from jobcenter.participants.models import Instructor

ATTENDANCE_OVERDUE = MailKind("attendance_overdue")


def dedupe_key(user_id: int, day) -> str:
    return f"attendance-overdue:{user_id}:{day.isoformat()}"


def nudge_overdue_attendance(session: Session) -> dict[str, Any]:
    counts = overdue_counts(session)
    if not counts:
        return {"queued": 0, "instructors": 0}
    today = clock.today()
    users = session.execute(
        sa.select(Instructor.id, User)
        .join(User, Instructor.user_id == User.id)
        .where(
            Instructor.id.in_(list(counts)),
            User.is_active_account.is_(True),
            User.email.is_not(None),
        )
        .order_by(Instructor.id)
    ).all()
    queued = 0
    url = absolute_url("attendance.overdue")
    for instructor_id, user in users:
        key = dedupe_key(user.id, today)
        if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
            continue
        queue_mail(
            session, user, ATTENDANCE_OVERDUE, dedupe_key=key, count=counts[instructor_id], url=url
        )
        queued += 1
    return {"queued": queued, "instructors": len(counts)}
