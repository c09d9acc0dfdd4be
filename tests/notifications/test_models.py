"""Database constraints on the outbox: the durable promise to tell someone something."""

from __future__ import annotations

import sqlalchemy as sa

from jobcenter.accounts.models import User
from jobcenter.notifications.models import OutboxMessage, OutboxStatus
from tests import factories
from tests.core.constraints import delete_row, refused, update_raw


def _message(**kw) -> OutboxMessage:
    values = {
        "to_address": "maija@example.test",
        "kind": "password_reset",
        "locale": "fi",
        "subject": "Salasanan vaihto",
        "body": "…",
    }
    return OutboxMessage(**(values | kw))


def test_new_message_waits_to_be_sent(session):
    session.add(_message())
    session.commit()
    message = session.scalars(sa.select(OutboxMessage)).one()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)


def test_negative_attempt_count_is_refused(session):
    with refused(session, "ck_outbox_messages_attempts_nonnegative"):
        session.add(_message(attempts=-1))


def test_same_change_is_queued_only_once(session):
    session.add(_message(dedupe_key="reminder:assignment:1"))
    session.flush()
    with refused(session, "uq_outbox_messages_dedupe_key"):
        session.add(_message(dedupe_key="reminder:assignment:1"))


def test_messages_without_a_dedupe_key_may_repeat(session):
    session.add_all([_message(), _message()])
    session.commit()
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2


def test_status_outside_the_vocabulary_is_refused(session):
    message = _message()
    session.add(message)
    session.flush()
    with refused(session, "ck_outbox_messages_outbox_status"):
        update_raw(session, "outbox_messages", message.id, status="lost")


def test_deleting_the_recipient_keeps_the_message_without_them(session):
    user = factories.make_manager()
    session.add(_message(recipient_id=user.id))
    session.flush()
    delete_row(session, User, user.id)
    session.commit()
    assert session.scalars(sa.select(OutboxMessage.recipient_id)).one() is None
