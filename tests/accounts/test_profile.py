"""The "My account" page: the user's own details, language, password and devices."""

from __future__ import annotations

import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent, User
from jobcenter.accounts.secrets import verify_password
from jobcenter.core.enums import Locale
from tests import factories
from tests.accounts.conftest import sign_in
from tests.conftest import login_as

NEW_PASSWORD = "a brand new passphrase"


def _change_password(client, current=factories.PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "confirm": confirm or new},
    )


def test_account_page_shows_name_email_role_and_language(client, session):
    user = factories.make_instructor(
        first_name="Maija", last_name="Virtanen", email="maija@example.test", locale=Locale.EN
    ).user
    session.commit()
    login_as(client, user)

    page = client.get("/account").get_data(as_text=True)

    assert "Maija Virtanen" in page
    assert "maija@example.test" in page
    assert "Instructor" in page
    assert "In English" in page
    assert "Change your password" in page


def test_participant_without_password_sees_no_password_section(client, session):
    participant = factories.make_participant(password_hash=None, locale=Locale.EN)
    session.commit()
    login_as(client, participant.user)

    page = client.get("/account").get_data(as_text=True)
    response = _change_password(client)

    assert "Participant" in page
    assert "No e-mail address" in page
    assert "Change your password" not in page
    assert "Sign out on other devices" in page
    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, participant.user_id).password_hash is None


def test_language_choice_is_saved_on_the_account(client, session):
    user = factories.make_manager(locale=Locale.EN)
    session.commit()
    login_as(client, user)

    response = client.post("/account/language", data={"locale": "sv"})

    assert response.status_code == 302
    session.expire_all()
    assert session.get(User, user.id).locale == Locale.SV
    assert '<html lang="sv">' in client.get("/account").get_data(as_text=True)


def test_unknown_language_is_refused(client, session):
    user = factories.make_manager(locale=Locale.EN)
    session.commit()
    login_as(client, user)

    response = client.post("/account/language", data={"locale": "de"})

    assert response.status_code == 422
    session.expire_all()
    assert session.get(User, user.id).locale == Locale.EN


def test_password_change_needs_the_current_password(client, session):
    user = factories.make_manager(locale=Locale.EN)
    session.commit()
    login_as(client, user)

    response = _change_password(client, current="not my password")

    assert response.status_code == 422
    assert "Your current password is not right." in response.get_data(as_text=True)
    session.expire_all()
    assert verify_password(session.get(User, user.id).password_hash, factories.PASSWORD)


def test_too_short_new_password_is_refused_with_a_clear_message(client, session):
    user = factories.make_manager(locale=Locale.EN)
    session.commit()
    login_as(client, user)

    response = _change_password(client, new="short")

    assert response.status_code == 422
    assert "Use 10–200 characters." in response.get_data(as_text=True)


def test_password_change_signs_out_other_sessions_but_keeps_this_one(app, client, session):
    user = factories.make_manager(email="maija@example.test", locale=Locale.EN)
    session.commit()
    login_as(client, user)
    other_device = app.test_client()
    sign_in(other_device, "maija@example.test")
    assert other_device.get("/home").status_code == 200

    response = _change_password(client)

    assert response.status_code == 302
    assert "Your password is changed." in client.get("/account").get_data(as_text=True)
    assert other_device.get("/home").status_code == 302
    assert sign_in(app.test_client(), "maija@example.test", NEW_PASSWORD).status_code == 302
    assert sign_in(app.test_client(), "maija@example.test").status_code == 422


def test_sign_out_everywhere_ends_other_sessions_and_remembered_devices(app, client, session):
    user = factories.make_manager(email="maija@example.test", locale=Locale.EN)
    session.commit()
    login_as(client, user)
    remembered = app.test_client()
    sign_in(remembered, "maija@example.test", remember="y")
    remembered.delete_cookie("session")  # browser closed: only the remember cookie is left
    assert remembered.get("/home").status_code == 200

    response = client.post("/account/sign-out-everywhere")

    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    remembered.delete_cookie("session")
    assert remembered.get("/home").status_code == 302
    assert session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action == "signed_out_everywhere")
    ).one()


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/account")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
