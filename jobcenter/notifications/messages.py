"""Notices about tasks and shifts, queued in the outbox in the recipient's language.

- `queue_task_answered(session, task, event)`: an instructor accepted, rejected or
  asked for changes → each active contact of the task's unit who has an e-mail.
- `queue_shifts_cancelled(session, user, shifts, reason=…, dedupe_key=…)`: shifts a
  person was on (as a participant or the supervising instructor) were cancelled →
  that person, one notice for all of the batch.
- `queue_shifts_changed(session, user, shifts, dedupe_key=…)`: the time or place of
  shifts a person knows about changed → that person, one notice for the batch, with
  each shift's new time and place.
- Day-before reminders are in `jobcenter.notifications.reminders`.

Templates are plain-text Jinja in `templates/mail/notices/<kind>.subject.txt` and
`<kind>.txt`, rendered under `flask_babel.force_locale(<recipient's locale>)`.

Each notice carries a dedupe key naming the change and the recipient, so the same
change never queues twice: a key already in the outbox is skipped (and the unique
index on the key settles a race between two transactions).

What a notice never says: anything about a participant — stream, supervision level,
plan, health or who else is working. Only the task (title, kind, site, times), the
reason the sender wrote, and the supervising instructor's work contact.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.core.enums import Role
from jobcenter.notifications.mail import render_mail
from jobcenter.notifications.models import OutboxMessage
from jobcenter.notifications.outbox import enqueue
from jobcenter.scheduling.models import Shift
from jobcenter.units.models import Task, TaskEvent, TaskStatus

TASK_ANSWERED = "task_answered"
SHIFTS_CANCELLED = "shifts_cancelled"
SHIFTS_CHANGED = "shifts_changed"
ANSWERS = (TaskStatus.ACCEPTED, TaskStatus.REJECTED, TaskStatus.CHANGES_REQUESTED)


def savepoint(session: Session) -> AbstractContextManager[Any]:
    """A SAVEPOINT where it is safe. Python's sqlite3 driver (legacy transaction mode)
    opens no transaction before a SAVEPOINT, so releasing it would COMMIT early; on
    SQLite we do without (writers are serialised by the database lock anyway)."""
    if session.get_bind().dialect.name == "sqlite":
        return nullcontext()
    return session.begin_nested()


def unit_recipients(session: Session, task: Task) -> list[User]:
    """The unit's active contacts with an e-mail address."""
    return list(
        session.scalars(
            sa.select(User)
            .where(
                User.unit_id == task.unit_id,
                User.role == Role.UNIT_CONTACT,
                User.is_active_account.is_(True),
                User.email.is_not(None),
            )
            .order_by(User.id)
        )
    )


def queue_task_answered(session: Session, task: Task, event: TaskEvent) -> list[OutboxMessage]:
    """Tell the unit's contacts how an instructor answered their task."""
    if event.to_status not in ANSWERS:
        raise ValueError(f"not an answer: {event.to_status}")
    instructor = task.group.instructor.user if task.group is not None else None
    queued = []
    for user in unit_recipients(session, task):
        locale = str(user.locale)
        message = enqueue_once(
            session,
            user,
            TASK_ANSWERED,
            dedupe_key=f"task-answered:{event.id}:user:{user.id}",
            task=task,
            kind_name=task.task_kind.name(locale),
            status=str(event.to_status),
            reason=event.reason or "",
            instructor=instructor if event.to_status == TaskStatus.ACCEPTED else None,
            answered_by=event.actor,
        )
        if message is not None:
            queued.append(message)
    return queued


def queue_shifts_cancelled(
    session: Session,
    user: User,
    shifts: Sequence[Shift],
    *,
    reason: str,
    dedupe_key: str,
) -> OutboxMessage | None:
    """Tell one person that these shifts (of one or more tasks) were cancelled."""
    if not user.email:
        return None
    ordered = sorted(shifts, key=lambda s: s.starts_at)
    tasks = list({s.task_id: s.task for s in ordered}.values())
    return enqueue_once(
        session,
        user,
        SHIFTS_CANCELLED,
        dedupe_key=dedupe_key,
        shifts=ordered,
        tasks=tasks,
        reason=reason,
        is_instructor=user.role == Role.INSTRUCTOR,
    )


def queue_shifts_changed(
    session: Session,
    user: User,
    shifts: Sequence[Shift],
    *,
    dedupe_key: str,
) -> OutboxMessage | None:
    """Tell one person the new time and place of these shifts."""
    if not user.email:
        return None
    ordered = sorted(shifts, key=lambda s: s.starts_at)
    return enqueue_once(
        session,
        user,
        SHIFTS_CHANGED,
        dedupe_key=dedupe_key,
        shifts=ordered,
        is_instructor=user.role == Role.INSTRUCTOR,
    )


def enqueue_once(
    session: Session,
    user: User,
    kind: str,
    *,
    dedupe_key: str,
    template: str | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Render `template` (default ``notices/<kind>``) in the user's language and queue it,
    unless a message with `dedupe_key` was queued before: a notice is never sent twice."""
    exists = session.scalar(
        sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    if exists is not None:
        return None
    locale = str(user.locale)
    subject, body = render_mail(
        template or f"notices/{kind}",
        locale,
        user=user,
        base_url=current_app.config["BASE_URL"].rstrip("/"),
        **context,
    )
    try:
        with savepoint(session):
            return enqueue(
                session,
                recipient=user,
                to_address=user.email or "",
                kind=kind,
                subject=subject[:250],
                body=body,
                locale=locale,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None  # queued by another transaction a moment ago
