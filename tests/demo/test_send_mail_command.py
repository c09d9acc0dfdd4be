"""`flask jobcenter send-mail`: delivers the outbox and says how many went out."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jobcenter.notifications.models import OutboxMessage, OutboxStatus
from tests.smtp import smtp_server  # noqa: F401  (pytest fixture)


@pytest.fixture
def mail_app(app, make_app, smtp_server):  # noqa: F811
    application = make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    with application.app_context():
        yield application


def queue(session, n: int) -> None:
    for i in range(n):
        session.add(
            OutboxMessage(
                to_address=f"person{i}@example.org",
                kind="test",
                locale="fi",
                subject=f"Viesti {i}",
                body="Hei!",
            )
        )
    session.commit()


def test_send_mail_delivers_pending_messages_and_prints_the_count(
    mail_app,
    session,
    smtp_server,  # noqa: F811
):
    queue(session, 2)
    result = mail_app.test_cli_runner().invoke(args=["jobcenter", "send-mail"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Sent 2 messages."
    smtp_server.wait_for_message(count=2)
    assert {m["To"] for m in smtp_server.messages} == {"person0@example.org", "person1@example.org"}
    statuses = set(
        session.scalars(sa.select(OutboxMessage.status).execution_options(populate_existing=True))
    )
    assert statuses == {OutboxStatus.SENT}


def test_send_mail_with_nothing_queued_says_so(mail_app):
    result = mail_app.test_cli_runner().invoke(args=["jobcenter", "send-mail"])
    assert result.exit_code == 0
    assert result.output.strip() == "Sent 0 messages."


def test_send_mail_respects_the_limit(mail_app, session, smtp_server):  # noqa: F811
    queue(session, 3)
    result = mail_app.test_cli_runner().invoke(args=["jobcenter", "send-mail", "--limit", "1"])
    assert result.output.strip() == "Sent 1 message."
