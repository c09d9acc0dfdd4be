"""Signing in with an e-mail address and password."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent, User
from jobcenter.core.enums import Locale
from tests import factories
from tests.accounts.conftest import sign_in

WRONG = "The e-mail address or password is wrong."


def test_user_signs_in_with_right_password_and_reaches_home(en_client, session):
    user = factories.make_manager(email="maija@example.test", first_name="Maija")
    session.commit()

    response = sign_in(en_client, "Maija@Example.test")

    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert "Maija" in en_client.get("/home").get_data(as_text=True)
    assert session.get(User, user.id).last_login_at is not None


def test_wrong_password_is_refused_with_a_generic_message(en_client, session):
    factories.make_manager(email="maija@example.test")
    session.commit()

    response = sign_in(en_client, "maija@example.test", "not the password")

    assert response.status_code == 422
    assert WRONG in response.get_data(as_text=True)
    assert en_client.get("/home").status_code == 302


def test_unknown_email_gets_the_same_message_as_a_wrong_password(en_client, session):
    response = sign_in(en_client, "nobody@example.test")

    assert response.status_code == 422
    assert WRONG in response.get_data(as_text=True)


def test_inactive_account_cannot_sign_in_even_with_the_right_password(en_client, session):
    factories.make_manager(email="gone@example.test", is_active_account=False)
    session.commit()

    response = sign_in(en_client, "gone@example.test")

    assert response.status_code == 422
    assert WRONG in response.get_data(as_text=True)
    assert en_client.get("/home").status_code == 302


def test_empty_form_shows_what_is_missing(en_client):
    response = en_client.post("/login", data={"email": "", "password": ""})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter your e-mail address." in page
    assert "Enter your password." in page


def test_sign_in_returns_to_the_page_asked_for(en_client, session):
    factories.make_manager(email="maija@example.test")
    session.commit()

    response = en_client.post(
        "/login?next=/account",
        data={"email": "maija@example.test", "password": factories.PASSWORD},
    )

    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\tevil.example",
    ],
)
def test_sign_in_never_redirects_to_another_site(en_client, session, target):
    factories.make_manager(email="maija@example.test")
    session.commit()

    response = en_client.post(
        "/login",
        query_string={"next": target},
        data={"email": "maija@example.test", "password": factories.PASSWORD},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_successful_sign_in_is_audited_without_the_password(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()

    sign_in(en_client, "maija@example.test")

    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login")).one()
    assert event.actor_id == user.id
    assert event.object_id == user.id
    assert event.detail == {"method": "password"}
    assert factories.PASSWORD not in repr(event.detail)


def test_failed_sign_in_is_audited_without_password_or_full_address(en_client, session):
    user = factories.make_manager(email="maija@example.test")
    session.commit()

    sign_in(en_client, "maija@example.test", "guessed-password")

    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login_failed")).one()
    assert event.actor_id is None
    assert event.object_id == user.id
    assert event.detail == {"email_domain": "example.test"}
    stored = repr(event.detail)
    assert "guessed-password" not in stored
    assert "maija" not in stored


def test_failed_sign_in_for_unknown_address_names_no_account(en_client, session):
    sign_in(en_client, "nobody@example.test", "guessed-password")

    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login_failed")).one()
    assert event.object_id is None
    assert event.detail == {"email_domain": "example.test"}


def test_sign_out_ends_the_session(en_client, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    sign_in(en_client, "maija@example.test")

    response = en_client.post("/logout")

    assert response.status_code == 302
    assert "You have signed out." in en_client.get("/login").get_data(as_text=True)
    assert en_client.get("/home").status_code == 302
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "logout")).one()
    assert (event.object_type, event.actor_id) == ("User", event.object_id)


def test_signed_in_user_opening_login_goes_home(en_client, session, login):
    login(factories.make_manager())
    session.commit()

    response = en_client.get("/login")

    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_language_picked_on_the_sign_in_page_becomes_the_accounts_language(client, session):
    user = factories.make_manager(email="sofia@example.test", locale=Locale.FI)
    session.commit()
    client.post("/language", data={"lang": "sv", "next": "/login"})

    sign_in(client, "sofia@example.test")

    assert '<html lang="sv">' in client.get("/home").get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).locale == Locale.SV


def test_saved_language_wins_when_nothing_was_picked_before_signing_in(client, session):
    factories.make_manager(email="first@example.test", locale=Locale.FI)
    user = factories.make_manager(email="second@example.test", locale=Locale.EN)
    session.commit()
    sign_in(client, "first@example.test")
    client.post("/language", data={"lang": "sv", "next": "/home"})
    client.post("/logout")

    sign_in(client, "second@example.test")

    assert '<html lang="en">' in client.get("/home").get_data(as_text=True)
    session.expire_all()
    assert session.get(User, user.id).locale == Locale.EN
