"""Rate-limited sign-in, CSRF on forms, and session cookie flags."""

from __future__ import annotations

import pytest

from jobcenter.config import Config
from jobcenter.extensions import limiter
from tests import factories
from tests.accounts.conftest import csrf_token_from, in_english, sign_in


@pytest.fixture
def limited_app(app, make_app):
    """An app with rate limiting on. The limiter is one object shared by every app in
    the process, so it is switched off and emptied again afterwards."""
    application = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    limiter.reset()
    yield application
    limiter.reset()
    limiter.enabled = False


def test_fourth_failed_sign_in_within_a_minute_is_refused_with_429(limited_app):
    client = in_english(limited_app.test_client())

    statuses = [sign_in(client, "nobody@example.test", "guess").status_code for _ in range(3)]
    fourth = sign_in(client, "nobody@example.test", "guess")

    assert statuses == [422, 422, 422]
    assert fourth.status_code == 429
    page = fourth.get_data(as_text=True)
    assert "Too many attempts" in page
    assert "Wait a minute and try again." in page
    assert fourth.headers["Content-Type"].startswith("text/html")


def test_rate_limit_blocks_even_the_right_password_until_the_minute_passes(limited_app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    client = in_english(limited_app.test_client())
    for _ in range(3):
        sign_in(client, "maija@example.test", "guess")

    response = sign_in(client, "maija@example.test")

    assert response.status_code == 429
    assert client.get("/home").status_code == 302


def test_successful_sign_ins_do_not_use_up_the_limit(limited_app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()

    for _ in range(4):
        client = limited_app.test_client()
        assert sign_in(client, "maija@example.test").status_code == 302


def test_form_without_csrf_token_is_refused_with_a_clear_page(app, make_app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    client = in_english(make_app(WTF_CSRF_ENABLED=True).test_client())

    response = sign_in(client, "maija@example.test")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The form could not be sent" in page
    assert "Go back, reload the page and try again." in page
    assert client.get("/home").status_code == 302


def test_form_with_a_wrong_csrf_token_is_refused(app, make_app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    client = in_english(make_app(WTF_CSRF_ENABLED=True).test_client())
    client.get("/login")

    response = sign_in(client, "maija@example.test", csrf_token="forged")

    assert response.status_code == 400


def test_form_with_the_csrf_token_from_the_page_is_accepted(app, make_app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    client = in_english(make_app(WTF_CSRF_ENABLED=True).test_client())
    token = csrf_token_from(client.get("/login").get_data(as_text=True))

    response = sign_in(client, "maija@example.test", csrf_token=token)

    assert response.status_code == 302
    assert client.get("/home").status_code == 200


def test_production_config_makes_cookies_secure_http_only_and_same_site():
    assert Config.SESSION_COOKIE_SECURE is True
    assert Config.SESSION_COOKIE_HTTPONLY is True
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"
    assert Config.REMEMBER_COOKIE_SECURE is True
    assert Config.REMEMBER_COOKIE_HTTPONLY is True
    assert Config.REMEMBER_COOKIE_SAMESITE == "Lax"


def test_sign_in_sets_secure_http_only_same_site_cookies(app, make_app, session):
    factories.make_manager(email="maija@example.test")
    session.commit()
    client = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True).test_client()

    response = sign_in(client, "maija@example.test", remember="y")

    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for header in (cookies["session"], cookies["remember_token"]):
        assert "; Secure" in header
        assert "; HttpOnly" in header
        assert "; SameSite=Lax" in header
