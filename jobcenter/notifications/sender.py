"""Delivers outbox messages by SMTP: retries with backoff, never twice.

Call `deliver_pending()` from the scheduler (every minute or so), from a CLI command,
or right after a request has committed. It works in its own database session and
commits its own steps, so it never touches the caller's unfinished work.

- A message is claimed (pending → sending, attempts + 1) in its own committed step
  before the SMTP conversation, guarded by its status: two senders running at once
  cannot both deliver it, and a message already sent is never sent again.
- A temporary failure (server unreachable, 4xx reply) puts it back to pending with an
  exponential backoff; after `MAX_ATTEMPTS` attempts, or on a permanent 5xx refusal,
  it becomes failed, with the error kept in `last_error`.
- A claim carries a lease in `next_attempt_at`. If the sender died mid-conversation
  the lease runs out and the message is marked failed instead of being re-sent: we
  cannot know whether the server got it, and "never twice" wins over "at least once".
- Bodies that hold a one-time link are wiped once the message is sent or given up.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from jobcenter.core import clock
from jobcenter.extensions import db
from jobcenter.notifications.mail import has_secret_body
from jobcenter.notifications.models import OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 6
# How long a claimed message may stay "sending" before it is taken for interrupted.
CLAIM_LEASE = timedelta(minutes=15)
SMTP_TIMEOUT_SECONDS = 10
WIPED_BODY = "[removed after delivery: the message contained a one-time link]"


class PermanentFailure(Exception):
    """The mail server refused the message for good (5xx): retrying will not help."""


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 2, 4, 8, 16, 32 … minutes, at most a day."""
    return min(timedelta(minutes=2**attempts), timedelta(days=1))


def deliver_pending(limit: int = 100) -> int:
    """Send the messages that are due; returns how many were sent."""
    with Session(db.engine, expire_on_commit=False) as session:
        _expire_stale_claims(session)
        due = session.scalars(
            sa.select(OutboxMessage.id)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= clock.now(),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        ).all()
        session.rollback()
        sent = 0
        with _Mailer() as mailer:
            for message_id in due:
                message = _claim(session, message_id)
                if message is None:
                    continue  # another sender took it, or it is no longer pending
                sent += _attempt(session, mailer, message)
        return sent


def _claim(session: Session, message_id: int) -> OutboxMessage | None:
    now = clock.now()
    claimed = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + CLAIM_LEASE,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if claimed != 1:
        return None
    return session.get(OutboxMessage, message_id, populate_existing=True)


def _attempt(session: Session, mailer: _Mailer, message: OutboxMessage) -> int:
    try:
        mailer.send(_as_email(message))
    except Exception as exc:  # any failure: keep the message and say why
        permanent = isinstance(exc, PermanentFailure)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if permanent or message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            _wipe_secret(message)
        else:
            message.status = OutboxStatus.PENDING
            message.next_attempt_at = clock.now() + backoff(message.attempts)
        session.commit()
        return 0
    message.status = OutboxStatus.SENT
    message.sent_at = clock.now()
    message.last_error = None
    _wipe_secret(message)
    session.commit()
    return 1


def _expire_stale_claims(session: Session) -> None:
    stale = session.scalars(
        sa.select(OutboxMessage).where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.next_attempt_at <= clock.now(),
        )
    ).all()
    for message in stale:
        message.status = OutboxStatus.FAILED
        message.last_error = (
            "Sending was interrupted; the message may or may not have been delivered."
        )
        _wipe_secret(message)
    session.commit()


def _wipe_secret(message: OutboxMessage) -> None:
    if has_secret_body(message.kind):
        message.body = WIPED_BODY


def _as_email(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(clock.now())
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain="jobcenter")
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    # After set_content, which clears every Content-* header.
    email["Content-Language"] = message.locale
    return email


class _Mailer:
    """One SMTP connection for a batch, opened on first use and reopened after errors."""

    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> _Mailer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close(quit_politely=True)

    def send(self, email: EmailMessage) -> None:
        try:
            smtp = self._connect()
            refused = smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            self._close(quit_politely=True)
            codes = [code for code, _msg in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"recipient refused: {exc.recipients}") from exc
            raise
        except smtplib.SMTPResponseException as exc:
            self._close(quit_politely=False)
            if 500 <= exc.smtp_code < 600 and not isinstance(exc, smtplib.SMTPAuthenticationError):
                raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise
        except Exception:
            self._close(quit_politely=False)
            raise
        if refused:  # only possible with several recipients; we send to one
            raise PermanentFailure(f"recipient refused: {refused}")

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        config = current_app.config
        smtp = smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS
        )
        try:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except Exception:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _close(self, *, quit_politely: bool) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            if quit_politely:
                smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
        finally:
            smtp.close()
