"""Bearer-token authentication: every way a token can fail is a 401 problem."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from jobcenter.accounts.models import ApiToken
from jobcenter.core import clock
from tests import factories
from tests.api.conftest import assert_problem
from tests.conftest import login_as


def test_request_without_token_is_401_problem_with_bearer_challenge(client):
    response = client.get("/api/v1/me")
    body = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="jobcenter"'
    assert "Authorization: Bearer" in body["detail"]


def test_unknown_token_is_401_invalid_token(client):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer jc_not-a-real-token"})
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_other_authorization_scheme_is_401(client, session, bearer):
    headers = bearer(factories.make_manager())
    secret = headers["Authorization"].removeprefix("Bearer ")
    response = client.get("/api/v1/me", headers={"Authorization": f"Basic {secret}"})
    assert_problem(response, 401)


def test_bearer_scheme_is_case_insensitive(client, session, bearer):
    headers = bearer(factories.make_manager())
    secret = headers["Authorization"].removeprefix("Bearer ")
    response = client.get("/api/v1/me", headers={"Authorization": f"bearer {secret}"})
    assert response.status_code == 200


def test_revoked_token_is_401(client, session, bearer):
    headers = bearer(factories.make_manager())
    token = session.scalars(sa.select(ApiToken)).one()
    token.revoked_at = clock.now()
    session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_expired_token_is_401(client, session, bearer):
    headers = bearer(factories.make_manager(), expires_in=timedelta(hours=1))
    clock.freeze(clock.now() + timedelta(hours=2))
    response = client.get("/api/v1/me", headers=headers)
    assert_problem(response, 401)


def test_token_works_until_it_expires(client, session, bearer):
    headers = bearer(factories.make_manager(), expires_in=timedelta(hours=1))
    clock.freeze(clock.now() + timedelta(minutes=59))
    assert client.get("/api/v1/me", headers=headers).status_code == 200


def test_token_of_deactivated_user_is_401(client, session, bearer):
    user = factories.make_manager()
    headers = bearer(user)
    user.is_active_account = False
    session.commit()
    response = client.get("/api/v1/me", headers=headers)
    assert_problem(response, 401)


def test_session_cookie_does_not_authenticate_api(client, session):
    user = factories.make_admin()
    session.commit()
    login_as(client, user)
    assert client.get("/home").status_code == 200  # the cookie works for pages
    response = client.get("/api/v1/me")
    assert_problem(response, 401)


def test_successful_request_records_when_token_was_last_used(client, session, bearer):
    headers = bearer(factories.make_manager())
    used_at = clock.now().replace(microsecond=0) + timedelta(days=3)
    clock.freeze(used_at)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    session.expire_all()
    token = session.scalars(sa.select(ApiToken)).one()
    assert token.last_used_at == used_at


def test_refused_request_still_records_token_use(client, session, bearer):
    headers = bearer(factories.make_unit_contact())
    used_at = clock.now().replace(microsecond=0) + timedelta(days=1)
    clock.freeze(used_at)
    assert client.post("/api/v1/units", json={}, headers=headers).status_code == 403
    session.expire_all()
    assert session.scalars(sa.select(ApiToken)).one().last_used_at == used_at


def test_wrong_role_is_403_problem(client, session, bearer):
    headers = bearer(factories.make_instructor().user)
    response = client.post("/api/v1/units", json={"name": "X"}, headers=headers)
    body = assert_problem(response, 403)
    assert body["detail"]


def test_openapi_document_needs_no_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.")


def test_api_responses_are_not_cached(client, session, bearer):
    response = client.get("/api/v1/me", headers=bearer(factories.make_manager()))
    assert response.headers["Cache-Control"] == "no-store"
    assert "Authorization" in response.headers["Vary"]


def test_core_require_roles_answers_401_problem_under_the_api(make_app):
    """Views guarded only by jobcenter.core.authz.require_roles behave the same under /api/."""
    from jobcenter.core.authz import require_roles
    from jobcenter.core.enums import Role

    app = make_app()

    @require_roles(Role.ADMIN)
    def probe():
        return {"ok": True}

    app.add_url_rule("/api/v1/_probe", "probe", probe)
    response = app.test_client().get("/api/v1/_probe")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_bearer_token_works_beside_a_session_cookie_from_another_browser(client, session, bearer):
    # A session made elsewhere (other address or browser) must not hide the token.
    user = factories.make_admin()
    headers = bearer(user)
    login_as(client, user)
    response = client.get("/api/v1/me", headers=headers | {"User-Agent": "calendar-sync/1.0"})
    assert response.status_code == 200
    assert response.get_json()["email"] == user.email


def test_token_use_is_written_at_most_once_a_minute(client, session, bearer):
    headers = bearer(factories.make_manager())
    first = clock.now().replace(microsecond=0) + timedelta(days=1)
    clock.freeze(first)
    client.get("/api/v1/me", headers=headers)
    clock.freeze(first + timedelta(seconds=30))
    client.get("/api/v1/me", headers=headers)
    session.expire_all()
    assert session.scalars(sa.select(ApiToken)).one().last_used_at == first
    clock.freeze(first + timedelta(seconds=61))
    client.get("/api/v1/me", headers=headers)
    session.expire_all()
    assert session.scalars(sa.select(ApiToken)).one().last_used_at == first + timedelta(seconds=61)
