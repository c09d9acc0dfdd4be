"""Lists come in pages: an envelope, a Link header, stable order, 422 for bad values."""

from __future__ import annotations

import re

import pytest

from tests import factories
from tests.api.conftest import assert_problem


def _links(response) -> dict[str, str]:
    """rel → URL from an RFC 8288 Link header."""
    return {
        rel: url for url, rel in re.findall(r'<([^>]+)>;\s*rel="([^"]+)"', response.headers["Link"])
    }


@pytest.fixture
def seven_skills(session):
    return [factories.make_skill() for _ in range(7)]


def test_envelope_counts_rows_and_pages(client, session, bearer, seven_skills):
    response = client.get(
        "/api/v1/skills?page=2&per_page=3", headers=bearer(factories.make_admin())
    )
    body = response.get_json()
    assert [item["id"] for item in body["items"]] == [s.id for s in seven_skills[3:6]]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (2, 3, 7, 3)


def test_link_header_points_to_first_prev_next_and_last(client, session, bearer, seven_skills):
    response = client.get(
        "/api/v1/skills?page=2&per_page=3", headers=bearer(factories.make_admin())
    )
    links = _links(response)
    assert set(links) == {"first", "prev", "next", "last"}
    assert links["first"].endswith("/api/v1/skills?page=1&per_page=3")
    assert links["prev"].endswith("/api/v1/skills?page=1&per_page=3")
    assert links["next"].endswith("/api/v1/skills?page=3&per_page=3")
    assert links["last"].endswith("/api/v1/skills?page=3&per_page=3")
    assert links["next"].startswith("http")


def test_following_next_links_visits_every_row_once(client, session, bearer, seven_skills):
    headers = bearer(factories.make_admin())
    url, seen = "/api/v1/skills?per_page=2", []
    while url:
        response = client.get(url, headers=headers)
        seen += [item["id"] for item in response.get_json()["items"]]
        url = _links(response).get("next")
    assert seen == [s.id for s in seven_skills]


def test_first_page_has_no_prev_and_last_has_no_next(client, session, bearer, seven_skills):
    headers = bearer(factories.make_admin())
    first = _links(client.get("/api/v1/skills?per_page=5", headers=headers))
    last = _links(client.get("/api/v1/skills?page=2&per_page=5", headers=headers))
    assert "prev" not in first
    assert "next" in first
    assert "next" not in last
    assert "prev" in last


def test_links_keep_other_query_parameters(client, session, bearer, seven_skills):
    response = client.get(
        "/api/v1/skills?per_page=2&lang=sv", headers=bearer(factories.make_admin())
    )
    assert "lang=sv" in _links(response)["next"]


def test_defaults_come_from_config(client, session, bearer, app, seven_skills):
    body = client.get("/api/v1/skills", headers=bearer(factories.make_admin())).get_json()
    assert body["page"] == 1
    assert body["per_page"] == app.config["API_PAGE_SIZE"]
    assert body["pages"] == 1


def test_page_past_the_end_is_empty_not_an_error(client, session, bearer, seven_skills):
    response = client.get(
        "/api/v1/skills?page=99&per_page=5", headers=bearer(factories.make_admin())
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["items"] == []
    assert body["total"] == 7
    assert _links(response)["last"].endswith("page=2&per_page=5")


def test_empty_list_has_zero_pages_and_links_to_page_one(client, session, bearer):
    response = client.get("/api/v1/skills", headers=bearer(factories.make_admin()))
    body = response.get_json()
    assert (body["items"], body["total"], body["pages"]) == ([], 0, 0)
    assert set(_links(response)) == {"first", "last"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=99999999999999999999", "page"),
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
        ("per_page=", "per_page"),
    ],
)
def test_bad_page_values_are_422_problems(client, session, bearer, query, field):
    response = client.get(f"/api/v1/units?{query}", headers=bearer(factories.make_admin()))
    body = assert_problem(response, 422)
    assert list(body["errors"]) == [field]


def test_page_size_limit_follows_config(make_app, session, bearer):
    app = make_app(API_MAX_PAGE_SIZE=5, API_PAGE_SIZE=5)
    headers = bearer(factories.make_admin())
    with app.test_client() as other_client:
        assert other_client.get("/api/v1/units?per_page=5", headers=headers).status_code == 200
        assert_problem(other_client.get("/api/v1/units?per_page=6", headers=headers), 422)
