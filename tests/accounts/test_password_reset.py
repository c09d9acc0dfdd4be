"""Password reset by a one-time link sent by e-mail."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from jobcenter.accounts import operations
from jobcenter.accounts.models import AuditEvent, OneTimeToken, TokenPurpose, User
from jobcenter.accounts.secrets import hash_secret, verify_password
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.notifications.models import OutboxMessage, OutboxStatus
from tests import factories
from tests.accounts.conftest import in_english, sign_in
from tests.conftest import login_as

NEUTRAL = "we have sent a link there to choose a new password"
NEW_PASSWORD = "a brand new passphrase"
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _ask_reset(client, email: str):
    return client.post("/password/forgot", data={"email": email})


def _reset_path_from(body: str) -> str:
    match = re.search(r"https?://\S+/password/reset/\S+", body)
    assert match, f"no reset link in the mail:\n{body}"
    return urlsplit(match.group(0)).path


def _issue_token(session, user) -> str:
    issued = operations.request_password_reset(session, user.email)
    session.commit()
    return issued.secret


def _choose(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def test_forgotten_password_is_reset_through_a_link_received_by_email(
    app, make_app, session, smtp_server
):
    user = factories.make_manager(email="maija@example.test", locale=Locale.EN)
    session.commit()
    mail_app = make_app(
        MAIL_SERVER=smtp_server.host,
        MAIL_PORT=smtp_server.port,
        MAIL_SEND_AFTER_REQUEST=True,
        BASE_URL="https://jobcenter.example.test",
    )
    client = in_english(mail_app.test_client())

    asked = _ask_reset(client, "maija@example.test")
    message = smtp_server.wait_for_message()
    body = smtp_server.body(message)
    path = _reset_path_from(body)
    form = client.get(path)
    done = _choose(client, path)

    assert asked.status_code == 200
    assert NEUTRAL in asked.get_data(as_text=True)
    assert message["To"] == "maija@example.test"
    assert message["Subject"] == "Choose a new password for Jobcenter"
    assert "https://jobcenter.example.test/password/reset/" in body
    assert form.status_code == 200
    assert "Choose a new password" in form.get_data(as_text=True)
    assert done.status_code == 302
    assert client.get("/home").status_code == 200
    session.expire_all()
    assert verify_password(session.get(User, user.id).password_hash, NEW_PASSWORD)
    assert sign_in(mail_app.test_client(), "maija@example.test", NEW_PASSWORD).status_code == 302


def test_reset_request_writes_hashed_token_and_mail_in_one_transaction(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()

    _ask_reset(en_client, "maija@example.test")

    token = session.scalars(sa.select(OneTimeToken)).one()
    message = session.scalars(sa.select(OutboxMessage)).one()
    assert token.user_id == user.id
    assert token.purpose == TokenPurpose.PASSWORD_RESET
    assert token.used_at is None
    secret = _reset_path_from(message.body).rsplit("/", 1)[1]
    assert token.token_hash == hash_secret(secret)
    assert secret not in token.token_hash
    assert message.recipient_id == user.id
    assert message.status == OutboxStatus.PENDING


def test_reset_link_expires_after_the_configured_hours(app, en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()
    hours = app.config["PASSWORD_RESET_HOURS"]
    with clock.frozen(T0):
        secret = _issue_token(session, user)
        token = session.scalars(sa.select(OneTimeToken)).one()
        assert token.expires_at == T0 + timedelta(hours=hours)

    with clock.frozen(T0 + timedelta(hours=hours) - timedelta(minutes=1)):
        still_valid = en_client.get(f"/password/reset/{secret}")
    with clock.frozen(T0 + timedelta(hours=hours)):
        expired = en_client.get(f"/password/reset/{secret}")
        posted = _choose(en_client, f"/password/reset/{secret}")

    assert still_valid.status_code == 200
    assert expired.status_code == 410
    page = expired.get_data(as_text=True)
    assert "This link does not work any more" in page
    assert "/password/forgot" in page
    assert posted.status_code == 410
    session.expire_all()
    assert not verify_password(session.get(User, user.id).password_hash, NEW_PASSWORD)


def test_reset_link_works_only_once(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()
    secret = _issue_token(session, user)

    first = _choose(en_client, f"/password/reset/{secret}")
    second = _choose(
        in_english(en_client.application.test_client()),
        f"/password/reset/{secret}",
        password="yet another passphrase",
    )

    assert first.status_code == 302
    assert second.status_code == 410
    assert "Ask for a new link" in second.get_data(as_text=True)
    session.expire_all()
    assert verify_password(session.get(User, user.id).password_hash, NEW_PASSWORD)
    assert session.scalars(sa.select(OneTimeToken)).one().used_at is not None


def test_unknown_reset_link_gets_the_friendly_page(en_client):
    response = en_client.get("/password/reset/not-a-real-token")

    assert response.status_code == 410
    assert "Ask for a new link" in response.get_data(as_text=True)


def test_unknown_address_gets_the_same_neutral_answer_and_no_mail(en_client, session):
    factories.make_manager(email="maija@example.test")
    session.commit()

    known = _ask_reset(en_client, "maija@example.test")
    unknown = _ask_reset(en_client, "nobody@example.test")

    assert unknown.status_code == known.status_code == 200
    assert NEUTRAL in unknown.get_data(as_text=True)
    assert session.scalars(sa.select(OutboxMessage.to_address)).all() == ["maija@example.test"]


def test_inactive_account_gets_no_reset_mail(en_client, session):
    factories.make_manager(email="gone@example.test", is_active_account=False)
    session.commit()

    response = _ask_reset(en_client, "gone@example.test")

    assert NEUTRAL in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_new_reset_link_cancels_the_earlier_unused_one(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()
    with clock.frozen(T0):
        old = _issue_token(session, user)
    with clock.frozen(T0 + timedelta(minutes=5)):
        new = _issue_token(session, user)
        old_page = en_client.get(f"/password/reset/{old}")
        new_page = en_client.get(f"/password/reset/{new}")

    assert old_page.status_code == 410
    assert new_page.status_code == 200


def test_asking_again_within_a_minute_sends_no_second_mail(en_client, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    with clock.frozen(T0):
        _ask_reset(en_client, "maija@example.test")
        again = _ask_reset(en_client, "maija@example.test")

    assert NEUTRAL in again.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 1


def test_short_or_mismatched_new_password_is_refused_and_link_stays_usable(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()
    secret = _issue_token(session, user)
    path = f"/password/reset/{secret}"

    short = _choose(en_client, path, password="short")
    mismatch = _choose(en_client, path, password=NEW_PASSWORD, confirm="something else!")

    assert short.status_code == 422
    assert "Use 10–200 characters." in short.get_data(as_text=True)
    assert mismatch.status_code == 422
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    assert en_client.get(path).status_code == 200
    session.expire_all()
    assert session.scalars(sa.select(OneTimeToken)).one().used_at is None


def test_reset_signs_the_user_out_on_every_other_device(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()
    other_device = login_as(en_client.application.test_client(), user)
    assert other_device.get("/home").status_code == 200
    secret = _issue_token(session, user)

    _choose(en_client, f"/password/reset/{secret}")

    assert other_device.get("/home").status_code == 302
    assert en_client.get("/home").status_code == 200


def test_reset_mail_is_written_in_the_users_language(app, session):
    user = factories.make_manager(email="sven@example.test", locale=Locale.SV)
    session.commit()
    with clock.frozen(datetime(2026, 1, 14, 8, 0, tzinfo=UTC)):
        operations.request_password_reset(session, user.email)

    message = session.scalars(sa.select(OutboxMessage)).one()
    assert message.locale == "sv"
    assert "14 januari 2026" in message.body  # Swedish month name: rendered in sv
    assert "12:00" in message.body  # 10:00 UTC is noon in Helsinki


def test_reset_is_audited(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()
    secret = _issue_token(session, user)

    _choose(en_client, f"/password/reset/{secret}")

    actions = session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_id == user.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["password_reset_requested", "password_reset", "login"]
