"""The outbox sender: delivers by SMTP, retries with backoff, never sends twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.notifications.mail import PASSWORD_RESET, queue_mail, render_mail
from jobcenter.notifications.models import OutboxMessage, OutboxStatus
from jobcenter.notifications.outbox import enqueue
from jobcenter.notifications.sender import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    WIPED_BODY,
    backoff,
    deliver_pending,
)
from tests import factories

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def mail_app(app, make_app, smtp_server):
    """An app that sends to the test SMTP server; its context is pushed for the test."""
    application = make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    with application.app_context():
        yield application


def _queue(session, to="maija@example.test", subject="Hello", body="Body text", **kw):
    message = enqueue(
        session, recipient=None, to_address=to, kind="test", subject=subject, body=body, **kw
    )
    session.commit()
    return message.id


def _reload(session, message_id) -> OutboxMessage:
    session.expire_all()
    return session.get(OutboxMessage, message_id)


def test_pending_message_is_delivered_and_marked_sent(mail_app, session, smtp_server):
    with clock.frozen(T0):
        message_id = _queue(session, subject="Vuoro huomenna", body="Tervetuloa!", locale="fi")

        sent = deliver_pending()

    received = smtp_server.wait_for_message()
    assert sent == 1
    assert received["To"] == "maija@example.test"
    assert received["Subject"] == "Vuoro huomenna"
    assert received["Content-Language"] == "fi"
    assert received["From"] == mail_app.config["MAIL_SENDER"]
    assert smtp_server.body(received).strip() == "Tervetuloa!"
    message = _reload(session, message_id)
    assert message.status == OutboxStatus.SENT
    assert message.sent_at == T0
    assert message.attempts == 1


def test_running_the_sender_twice_sends_once(mail_app, session, smtp_server):
    _queue(session)

    first = deliver_pending()
    second = deliver_pending()

    assert (first, second) == (1, 0)
    assert len(smtp_server.messages) == 1


def test_message_claimed_by_another_sender_is_not_sent_again(mail_app, session, smtp_server):
    message_id = _queue(session)
    session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(status=OutboxStatus.SENDING, attempts=1, next_attempt_at=clock.now() + CLAIM_LEASE)
    )
    session.commit()

    assert deliver_pending() == 0
    assert smtp_server.messages == []
    assert _reload(session, message_id).status == OutboxStatus.SENDING


def test_message_whose_sender_died_mid_send_is_marked_failed_not_resent(
    mail_app, session, smtp_server
):
    with clock.frozen(T0):
        message_id = _queue(session)
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id)
            .values(status=OutboxStatus.SENDING, attempts=1, next_attempt_at=T0 + CLAIM_LEASE)
        )
        session.commit()

    with clock.frozen(T0 + CLAIM_LEASE):
        deliver_pending()

    message = _reload(session, message_id)
    assert message.status == OutboxStatus.FAILED
    assert "interrupted" in message.last_error
    assert smtp_server.messages == []


def test_message_is_retried_with_backoff_until_the_server_is_back(mail_app, session, smtp_server):
    smtp_server.stop()
    with clock.frozen(T0):
        message_id = _queue(session)
        assert deliver_pending() == 0
    after_first = _reload(session, message_id)
    assert after_first.status == OutboxStatus.PENDING
    assert after_first.attempts == 1
    assert after_first.next_attempt_at == T0 + backoff(1)
    assert "ConnectionRefusedError" in after_first.last_error

    with clock.frozen(T0 + timedelta(seconds=30)):
        assert deliver_pending() == 0  # not due yet: no attempt is used up
    assert _reload(session, message_id).attempts == 1

    with clock.frozen(T0 + backoff(1)):
        assert deliver_pending() == 0
    assert _reload(session, message_id).attempts == 2

    smtp_server.start()
    with clock.frozen(T0 + backoff(1) + backoff(2)):
        assert deliver_pending() == 1

    message = _reload(session, message_id)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 3
    assert message.last_error is None
    assert len(smtp_server.messages) == 1


def test_sender_gives_up_after_the_last_attempt(mail_app, session, smtp_server):
    smtp_server.stop()
    moment = T0
    with clock.frozen(moment):
        message_id = _queue(session)
    for _ in range(MAX_ATTEMPTS):
        with clock.frozen(moment):
            deliver_pending()
        moment = _reload(session, message_id).next_attempt_at

    message = _reload(session, message_id)
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    smtp_server.start()
    with clock.frozen(moment + timedelta(days=2)):
        assert deliver_pending() == 0
    assert smtp_server.messages == []


def test_permanently_refused_recipient_fails_at_once(mail_app, session, smtp_server):
    smtp_server.refuse_recipient("gone@example.test")
    message_id = _queue(session, to="gone@example.test")
    other_id = _queue(session, to="maija@example.test")

    sent = deliver_pending()

    refused = _reload(session, message_id)
    assert sent == 1
    assert refused.status == OutboxStatus.FAILED
    assert refused.attempts == 1
    assert "550" in refused.last_error
    assert _reload(session, other_id).status == OutboxStatus.SENT


def test_messages_are_sent_over_one_connection_in_order(mail_app, session, smtp_server):
    ids = [_queue(session, subject=f"Message {n}") for n in range(3)]

    assert deliver_pending() == 3

    assert [m["Subject"] for m in smtp_server.messages] == ["Message 0", "Message 1", "Message 2"]
    assert {_reload(session, i).status for i in ids} == {OutboxStatus.SENT}


def test_mail_queued_in_a_rolled_back_transaction_is_never_sent(mail_app, session, smtp_server):
    enqueue(
        session, recipient=None, to_address="x@example.test", kind="test", subject="S", body="B"
    )
    session.rollback()

    assert deliver_pending() == 0
    assert smtp_server.messages == []


def test_one_time_link_is_wiped_from_the_outbox_after_delivery(mail_app, session, smtp_server):
    user = factories.make_manager(email="maija@example.test", locale=Locale.EN)
    with clock.frozen(T0):
        message = queue_mail(
            session,
            user,
            PASSWORD_RESET,
            link="https://x.test/password/reset/SECRET123",
            expires_at=T0 + timedelta(hours=2),
        )
        session.commit()
        deliver_pending()

    assert "SECRET123" in smtp_server.body(smtp_server.wait_for_message())
    assert _reload(session, message.id).body == WIPED_BODY


def test_message_kinds_render_in_the_recipients_language(app):
    class Person:
        first_name = "Sven"

    moment = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)
    bodies = {
        locale: render_mail(
            "sign_in_link", locale, user=Person(), link="https://x.test/s", expires_at=moment
        )[1]
        for locale in ("fi", "sv", "en")
    }

    assert "14. tammikuuta 2026" in bodies["fi"]
    assert "14 januari 2026" in bodies["sv"]
    assert "January 14, 2026" in bodies["en"]
    assert all("https://x.test/s" in body for body in bodies.values())


def test_queue_mail_uses_the_recipients_saved_language(app, session):
    user = factories.make_manager(email="sven@example.test", locale=Locale.SV)

    message = queue_mail(
        session, user, PASSWORD_RESET, link="https://x.test/r", expires_at=T0 + timedelta(hours=2)
    )

    assert message.locale == "sv"
    assert message.to_address == "sven@example.test"
    assert message.recipient_id == user.id
    assert "\n" not in message.subject
