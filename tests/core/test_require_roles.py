"""`require_roles`: the role check every page and API handler goes through."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from jobcenter.core.authz import has_any_role, require_roles
from jobcenter.core.enums import Role
from tests import factories
from tests.conftest import login_as


@pytest.fixture
def probe_app(make_app, app) -> Iterator[Flask]:
    """A separate app (same database) with two probe pages for instructors and admins."""
    probe = make_app()

    @require_roles(Role.INSTRUCTOR, Role.ADMIN)
    def staff_page():
        return "staff only"

    probe.add_url_rule("/probe/staff", "probe_staff", staff_page)
    probe.add_url_rule("/api/v1/probe/staff", "probe_api_staff", staff_page)
    with probe.app_context():
        yield probe


def test_decorated_view_declares_its_roles():
    @require_roles(Role.MANAGER)
    def report():
        return ""

    assert report.allowed_roles == frozenset({Role.MANAGER})
    assert report.__name__ == "report"


def test_allowed_role_reaches_the_page(probe_app, session):
    user = factories.make_user(Role.INSTRUCTOR)
    session.commit()
    client = login_as(probe_app.test_client(), user)
    response = client.get("/probe/staff")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "staff only")


@pytest.mark.parametrize("role", [Role.MANAGER, Role.UNIT_CONTACT, Role.PARTICIPANT], ids=str)
def test_other_role_is_forbidden(probe_app, session, role):
    user = factories.make_user(role, **({"email": None} if role == Role.PARTICIPANT else {}))
    session.commit()
    client = login_as(probe_app.test_client(), user)
    assert client.get("/probe/staff").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in_and_back(probe_app):
    response = probe_app.test_client().get("/probe/staff")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert "probe" in response.headers["Location"]


def test_anonymous_api_client_gets_401_problem(probe_app):
    response = probe_app.test_client().get("/api/v1/probe/staff")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_deactivated_user_is_treated_as_anonymous(probe_app, session):
    user = factories.make_user(Role.INSTRUCTOR, is_active_account=False)
    session.commit()
    client = login_as(probe_app.test_client(), user)
    assert client.get("/probe/staff").status_code == 302


def test_has_any_role_is_false_for_nobody():
    from flask_login import AnonymousUserMixin

    assert has_any_role(None, Role) is False
    assert has_any_role(AnonymousUserMixin(), Role) is False
