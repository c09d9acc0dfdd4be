"""Queue a message in the current transaction; it is sent only if the change commits."""

from __future__ import annotations

from flask import g, has_app_context
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.notifications.models import OutboxMessage


def enqueue(
    session: Session,
    *,
    recipient: User | None,
    to_address: str,
    kind: str,
    subject: str,
    body: str,
    locale: str = "fi",
    dedupe_key: str | None = None,
) -> OutboxMessage:
    message = OutboxMessage(
        recipient_id=recipient.id if recipient else None,
        to_address=to_address,
        kind=kind,
        locale=locale,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
    )
    session.add(message)
    session.flush()
    if has_app_context():
        g.outbox_pending = True
    return message
