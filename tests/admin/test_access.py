"""Admin pages are for administrators only."""

from __future__ import annotations

import pytest

from jobcenter.core.enums import Role
from tests import factories

LIST_PAGES = [
    "/admin/users",
    "/admin/groups",
    "/admin/units",
    "/admin/skills",
    "/admin/task-kinds",
    "/admin/stream-rules",
    "/admin/rates",
]

OTHER_ROLES = [Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.PARTICIPANT, Role.MANAGER]


def _user_of(role: Role):
    if role == Role.INSTRUCTOR:
        return factories.make_instructor().user
    if role == Role.PARTICIPANT:
        return factories.make_participant().user
    return factories.make_user(role)


@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("url", LIST_PAGES)
def test_admin_sees_every_admin_list_page(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "<h1>" in response.get_data(as_text=True)


@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("role", OTHER_ROLES, ids=lambda r: r.value)
@pytest.mark.parametrize("url", LIST_PAGES)
def test_other_roles_are_refused_admin_list_pages(client, session, login, url, role):
    user = _user_of(role)
    session.commit()
    login(user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", LIST_PAGES)
def test_anonymous_visitor_is_sent_to_sign_in_from_admin_pages(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_every_admin_endpoint_is_for_administrators_only(app):
    endpoints = [
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")
    ]
    assert len(endpoints) > 20
    for endpoint in endpoints:
        view = app.view_functions[endpoint]
        assert getattr(view, "allowed_roles", None) == frozenset({Role.ADMIN}), endpoint


def test_manager_cannot_deactivate_a_user(client, session, login):
    manager = factories.make_manager()
    victim = factories.make_manager()
    session.commit()
    login(manager)
    assert client.post(f"/admin/users/{victim.id}/deactivate").status_code == 403
    session.refresh(victim)
    assert victim.is_active_account


def test_navigation_links_to_every_admin_list(admin_client):
    html = admin_client.get("/home").get_data(as_text=True)
    for url in [
        "/admin/users",
        "/admin/units",
        "/admin/skills",
        "/admin/task-kinds",
        "/admin/stream-rules",
        "/admin/rates",
    ]:
        assert f'href="{url}"' in html
