"""Error pages speak the user's language and show a way home; the health check."""

from __future__ import annotations

import re

import pytest
from flask import abort

from jobcenter.core.enums import Locale
from tests import factories
from tests.conftest import login_as


def test_unknown_page_is_a_helpful_404_with_a_way_to_sign_in(client):
    response = client.get("/no-such-page?lang=en")
    html = response.get_data(as_text=True)

    assert response.status_code == 404
    assert "<h1>Not found</h1>" in html
    assert "We could not find this page." in html
    assert 'href="/login"' in html


def test_signed_in_users_404_links_to_their_home_page(client, session, login):
    manager = factories.make_manager(locale=Locale.EN)
    session.commit()
    login(manager)

    html = client.get("/no-such-page").get_data(as_text=True)

    assert 'href="/home"' in html
    assert "Go to your home page" in html


def test_error_page_is_in_the_users_language(client, session, login):
    manager = factories.make_manager(locale=Locale.SV)
    session.commit()
    login(manager)

    html = client.get("/no-such-page").get_data(as_text=True)

    assert '<html lang="sv">' in html


def test_wrong_role_gets_a_403_page_that_explains_why(client, session, login):
    manager = factories.make_manager(locale=Locale.EN)
    session.commit()
    login(manager)

    response = client.get("/admin/users")
    html = response.get_data(as_text=True)

    assert response.status_code == 403
    assert "You do not have permission to see this page." in html
    assert 'href="/home"' in html


def test_wrong_method_gets_a_405_page(client):
    response = client.get("/logout?lang=en")

    assert response.status_code == 405
    assert "This page cannot be used like that." in response.get_data(as_text=True)


@pytest.fixture(scope="module")
def failing_app(make_app):
    """An app that is not in testing mode, with routes that fail on purpose."""
    application = make_app(TESTING=False)

    @application.get("/test-abort/<int:code>")
    def fail_with(code: int):
        abort(code)

    @application.get("/test-crash")
    def crash():
        raise RuntimeError("a bug")

    return application


def test_too_many_requests_gets_a_429_page_asking_to_wait(app, failing_app):
    response = failing_app.test_client().get("/test-abort/429?lang=en")

    assert response.status_code == 429
    assert "Please wait a minute and try again." in response.get_data(as_text=True)


def test_a_bug_gets_a_500_page_in_the_users_language_with_a_way_home(app, session, failing_app):
    manager = factories.make_manager(locale=Locale.EN)
    session.commit()
    client = login_as(failing_app.test_client(), manager)

    response = client.get("/test-crash")
    html = response.get_data(as_text=True)

    assert response.status_code == 500
    assert '<html lang="en">' in html
    assert "Something went wrong on our side." in html
    assert 'href="/home"' in html
    assert "a bug" not in html  # no internals shown to people


@pytest.mark.parametrize("code", [403, 404, 405, 429, 500])
def test_error_pages_have_a_title_and_one_main_heading(app, failing_app, code):
    html = failing_app.test_client().get(f"/test-abort/{code}?lang=en").get_data(as_text=True)

    assert re.search(r"<title>[^<]+ – Jobcenter</title>", html)
    assert html.count("<h1>") == 1
    assert f"Error {code}" in html


def test_health_check_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_pages_carry_a_content_security_policy_without_inline_code(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]

    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
