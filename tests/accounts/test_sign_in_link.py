"""One-time sign-in links (and their QR codes) that instructors make for participants."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent, OneTimeToken, TokenPurpose
from jobcenter.accounts.secrets import hash_secret
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.notifications.models import OutboxMessage
from tests import factories
from tests.accounts.conftest import in_english
from tests.conftest import login_as

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _instructor_with_participant(**participant_kw):
    instructor = factories.make_instructor(locale=Locale.EN)
    group = factories.make_group(instructor)
    participant = factories.make_participant(group=group, **participant_kw)
    return instructor, participant


def _make_link(client, participant) -> tuple[object, str]:
    response = client.post(f"/participants/{participant.id}/sign-in-link")
    page = response.get_data(as_text=True)
    match = re.search(r"https?://[^\s<\"]+/sign-in/([A-Za-z0-9_\-]+)", page)
    assert match, "no sign-in link on the page"
    return response, urlsplit(match.group(0)).path


def test_instructor_makes_a_sign_in_link_with_qr_code_for_own_participant(client, session):
    instructor, participant = _instructor_with_participant(first_name="Aino")
    session.commit()
    login_as(client, instructor.user)

    form = client.get(f"/participants/{participant.id}/sign-in-link")
    response, path = _make_link(client, participant)

    assert form.status_code == 200
    assert "Sign-in link for Aino" in form.get_data(as_text=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Sign-in link for Aino" in page
    assert "Open your phone camera and point it at the code." in page
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="QR code for signing in"', page)
    token = session.scalars(sa.select(OneTimeToken)).one()
    assert token.purpose == TokenPurpose.SIGN_IN
    assert token.user_id == participant.user_id
    assert token.created_by_id == instructor.user_id
    assert token.token_hash == hash_secret(path.rsplit("/", 1)[1])
    assert token.expires_at - token.created_at == timedelta(days=14)
    assert response.headers["Cache-Control"] == "no-store"


def test_qr_code_encodes_the_sign_in_link(client, session, app):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)

    response, path = _make_link(client, participant)

    import segno

    expected = segno.make(app.config["BASE_URL"] + path, error="m").svg_data_uri(
        scale=6, border=4, dark="#000000", light="#ffffff"
    )
    assert expected.replace("&", "&amp;") in response.get_data(as_text=True)


def test_instructor_gets_404_for_another_groups_participant(client, session):
    instructor, _own = _instructor_with_participant()
    _other_instructor, stranger = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)

    assert client.get(f"/participants/{stranger.id}/sign-in-link").status_code == 404
    assert client.post(f"/participants/{stranger.id}/sign-in-link").status_code == 404
    assert session.scalar(sa.select(sa.func.count(OneTimeToken.id))) == 0


@pytest.mark.parametrize(
    "make_user",
    [factories.make_unit_contact, factories.make_manager],
    ids=["unit_contact", "manager"],
)
def test_other_staff_roles_may_not_make_sign_in_links(client, session, make_user):
    _instructor, participant = _instructor_with_participant()
    user = make_user()
    session.commit()
    login_as(client, user)

    assert client.get(f"/participants/{participant.id}/sign-in-link").status_code == 403
    assert client.post(f"/participants/{participant.id}/sign-in-link").status_code == 403


def test_participant_cannot_make_a_link_for_themselves(client, session):
    _instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, participant.user)

    assert client.post(f"/participants/{participant.id}/sign-in-link").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, session):
    _instructor, participant = _instructor_with_participant()
    session.commit()

    response = client.get(f"/participants/{participant.id}/sign-in-link")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_admin_can_make_a_link_for_any_participant(client, session):
    _instructor, participant = _instructor_with_participant()
    admin = factories.make_admin(locale=Locale.EN)
    session.commit()
    login_as(client, admin)

    response, _path = _make_link(client, participant)

    assert response.status_code == 200


def test_making_a_link_is_audited_with_the_participant(client, session):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)

    _response, path = _make_link(client, participant)

    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "sign_in_link_created")
    ).one()
    assert event.actor_id == instructor.user_id
    assert event.participant_id == participant.id
    assert path.rsplit("/", 1)[1] not in repr(event.detail)


def test_participant_signs_in_once_with_the_link_and_stays_remembered(app, client, session):
    instructor, participant = _instructor_with_participant(first_name="Aino")
    session.commit()
    login_as(client, instructor.user)
    _response, path = _make_link(client, participant)
    phone = in_english(app.test_client())

    confirm = phone.get(path)
    signed_in = phone.post(path)

    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    assert "Hello, Aino!" in page
    assert '<form method="post">' in page
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == "/home"
    cookies = {c.split("=", 1)[0]: c for c in signed_in.headers.getlist("Set-Cookie")}
    assert "remember_token" in cookies
    assert "Aino" in phone.get("/home").get_data(as_text=True)
    login_event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login")).one()
    assert login_event.detail == {"method": "sign_in_link"}
    assert login_event.participant_id == participant.id


def test_opening_the_link_does_not_use_it_up(app, client, session):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)
    _response, path = _make_link(client, participant)
    scanner = app.test_client()

    scanner.get(path)
    scanner.get(path)

    phone = app.test_client()
    assert phone.post(path).status_code == 302


def test_used_link_shows_the_ask_your_instructor_page(app, client, session):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)
    _response, path = _make_link(client, participant)
    app.test_client().post(path)
    other_phone = in_english(app.test_client())

    opened = other_phone.get(path)
    posted = other_phone.post(path)

    assert opened.status_code == posted.status_code == 410
    assert "Ask your instructor for a new code." in opened.get_data(as_text=True)
    assert other_phone.get("/home").status_code == 302


def test_expired_link_is_refused(app, client, session):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)
    with clock.frozen(T0):
        _response, path = _make_link(client, participant)
    phone = in_english(app.test_client())

    with clock.frozen(T0 + timedelta(days=14)):
        response = phone.post(path)

    assert response.status_code == 410
    assert "This code does not work" in response.get_data(as_text=True)


def test_new_link_cancels_the_earlier_unused_one(app, client, session):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)
    _first, old_path = _make_link(client, participant)
    _second, new_path = _make_link(client, participant)

    assert app.test_client().post(old_path).status_code == 410
    assert app.test_client().post(new_path).status_code == 302


def test_page_says_when_an_unused_link_exists(client, session):
    instructor, participant = _instructor_with_participant(first_name="Aino")
    session.commit()
    login_as(client, instructor.user)
    _make_link(client, participant)

    page = client.get(f"/participants/{participant.id}/sign-in-link").get_data(as_text=True)

    assert "Aino has an unused link" in page
    assert "Make a new link" in page


def test_link_of_a_closed_account_does_not_work(app, client, session):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)
    _response, path = _make_link(client, participant)
    participant.user.is_active_account = False
    session.commit()

    assert app.test_client().post(path).status_code == 410


def test_link_can_be_emailed_to_a_participant_with_an_address(app, make_app, session, smtp_server):
    instructor, participant = _instructor_with_participant(
        first_name="Aino", email="aino@example.test", locale=Locale.EN
    )
    session.commit()
    mail_app = make_app(
        MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port, MAIL_SEND_AFTER_REQUEST=True
    )
    client = login_as(mail_app.test_client(), instructor.user)
    created, path = _make_link(client, participant)
    assert "Send this link to aino@example.test" in created.get_data(as_text=True)
    secret = path.rsplit("/", 1)[1]

    sent = client.post(f"/participants/{participant.id}/sign-in-link/email", data={"token": secret})
    message = smtp_server.wait_for_message()
    body = smtp_server.body(message)

    assert sent.status_code == 200
    assert "The link was sent to aino@example.test." in sent.get_data(as_text=True)
    assert message["To"] == "aino@example.test"
    assert message["Subject"] == "Your sign-in link to Jobcenter"
    assert path in body
    assert mail_app.test_client().post(path).status_code == 302
    stored = session.scalars(sa.select(OutboxMessage)).one()
    assert secret not in stored.body  # wiped from the outbox once delivered


def test_no_email_offer_for_a_participant_without_an_address(client, session):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)

    created, path = _make_link(client, participant)
    refused = client.post(
        f"/participants/{participant.id}/sign-in-link/email",
        data={"token": path.rsplit("/", 1)[1]},
    )

    assert "Send this link to" not in created.get_data(as_text=True)
    assert refused.status_code == 302
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_only_a_live_link_of_that_participant_can_be_emailed(client, session):
    instructor, participant = _instructor_with_participant(email="aino@example.test")
    other = factories.make_participant(group=participant.group, email="eero@example.test")
    session.commit()
    login_as(client, instructor.user)
    _created, path = _make_link(client, participant)

    response = client.post(
        f"/participants/{other.id}/sign-in-link/email", data={"token": path.rsplit("/", 1)[1]}
    )

    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0


def test_sign_in_token_is_never_written_to_the_log(app, client, session, caplog):
    instructor, participant = _instructor_with_participant()
    session.commit()
    login_as(client, instructor.user)
    caplog.set_level(logging.DEBUG)

    _created, path = _make_link(client, participant)
    app.test_client().get(path)
    app.test_client().post(path)

    secret = path.rsplit("/", 1)[1]
    assert secret not in caplog.text
