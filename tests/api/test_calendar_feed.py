"""/api/v1/me/calendar-feed: the feed address, made on first use, regenerated on request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import CalendarFeed
from tests import factories
from tests.api.conftest import assert_problem
from tests.calendar.conftest import parse

FEED_PREFIX = "http://127.0.0.1:5000/calendar/feed/"


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:5000")


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: factories.make_participant().user,
        lambda: factories.make_instructor().user,
        factories.make_unit_contact,
    ],
    ids=["participant", "instructor", "unit_contact"],
)
def test_feed_address_is_made_on_first_use(client, session, bearer, make_user):
    user = make_user()
    response = client.get("/api/v1/me/calendar-feed", headers=bearer(user))
    assert response.status_code == 200
    body = response.get_json()
    assert body["url"].startswith(FEED_PREFIX)
    assert body["url"].endswith(".ics")
    assert body["webcal_url"] == "webcal://" + body["url"].removeprefix("http://")
    assert response.headers["Cache-Control"] == "no-store"
    assert session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed)) == 1


def test_the_address_is_the_same_on_every_call(client, bearer):
    headers = bearer(factories.make_participant().user)
    first = client.get("/api/v1/me/calendar-feed", headers=headers).get_json()["url"]
    second = client.get("/api/v1/me/calendar-feed", headers=headers).get_json()["url"]
    assert first == second


def test_the_address_opens_the_users_feed(client, bearer):
    participant = factories.make_participant()
    factories.make_assignment(participant=participant)
    url = client.get("/api/v1/me/calendar-feed", headers=bearer(participant.user)).get_json()["url"]
    response = client.get(path_of(url))
    assert response.status_code == 200
    assert len(parse(response.data)) == 1


def test_regenerating_gives_a_new_address_and_revokes_the_old(client, bearer):
    headers = bearer(factories.make_participant().user)
    old = client.get("/api/v1/me/calendar-feed", headers=headers).get_json()["url"]
    response = client.post("/api/v1/me/calendar-feed/regenerate", headers=headers)
    assert response.status_code == 200
    new = response.get_json()["url"]
    assert new != old
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200
    again = client.get("/api/v1/me/calendar-feed", headers=headers)
    assert again.get_json()["url"] == new, again.get_data(as_text=True)


def test_regenerating_before_any_feed_makes_one(client, bearer):
    headers = bearer(factories.make_unit_contact())
    response = client.post("/api/v1/me/calendar-feed/regenerate", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["url"].startswith(FEED_PREFIX)


@pytest.mark.parametrize("make_user", [factories.make_manager, factories.make_admin])
def test_managers_and_admins_have_no_feed(client, bearer, make_user):
    headers = bearer(make_user())
    assert_problem(client.get("/api/v1/me/calendar-feed", headers=headers), 403)
    assert_problem(client.post("/api/v1/me/calendar-feed/regenerate", headers=headers), 403)


def test_no_token_is_401(client, session):
    assert_problem(client.get("/api/v1/me/calendar-feed"), 401)
    assert_problem(client.post("/api/v1/me/calendar-feed/regenerate"), 401)


def test_the_endpoints_are_documented(client, session):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "get" in spec["paths"]["/api/v1/me/calendar-feed"]
    assert "post" in spec["paths"]["/api/v1/me/calendar-feed/regenerate"]
