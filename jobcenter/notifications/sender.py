"""Delivers outbox messages by SMTP, with retries, never twice.

A message is claimed (pending → sending) in its own committed step before the
SMTP conversation, so two senders cannot both deliver it.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from flask import current_app

from jobcenter.core import clock
from jobcenter.extensions import db
from jobcenter.notifications.models import OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 6


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=2**attempts)


def _claim(message_id: int) -> bool:
    claimed = db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENDING, attempts=OutboxMessage.attempts + 1)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _smtp_send(message: OutboxMessage) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="jobcenter")
    email["Content-Language"] = message.locale
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def deliver_pending(limit: int = 100) -> int:
    """Send due messages; returns how many were sent."""
    due = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= clock.now(),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    sent = 0
    for message_id in due:
        if not _claim(message_id):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            _smtp_send(message)
        except (OSError, smtplib.SMTPException) as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            else:
                message.status = OutboxStatus.PENDING
                message.next_attempt_at = clock.now() + _backoff(message.attempts)
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = clock.now()
            sent += 1
        db.session.commit()
    return sent
