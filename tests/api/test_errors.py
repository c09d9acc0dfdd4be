"""Every error under /api/v1 is application/problem+json, never an HTML page or a 500."""

from __future__ import annotations

from tests import factories
from tests.api.conftest import assert_problem


def test_unknown_route_is_404_problem(client):
    assert_problem(client.get("/api/v1/no-such-thing"), 404)


def test_unknown_route_with_token_is_404_problem(client, session, bearer):
    assert_problem(client.get("/api/v1/nothing/here", headers=bearer(factories.make_admin())), 404)


def test_wrong_method_is_405_problem_with_allow_header(client, session, bearer):
    response = client.delete("/api/v1/units", headers=bearer(factories.make_admin()))
    assert_problem(response, 405)
    assert "GET" in response.headers["Allow"]
    assert "POST" in response.headers["Allow"]


def test_non_json_body_is_415_problem(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        data="name=Kirjasto",
        content_type="application/x-www-form-urlencoded",
        headers=bearer(factories.make_admin()),
    )
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_malformed_json_is_400_problem(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        data='{"name": "Kirjasto",',
        content_type="application/json",
        headers=bearer(factories.make_admin()),
    )
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_json_nested_deeper_than_the_parser_goes_is_400_problem(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        headers=bearer(factories.make_admin()),
    )
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_empty_json_body_is_400_problem(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        data="",
        content_type="application/json",
        headers=bearer(factories.make_admin()),
    )
    assert_problem(response, 400)


def test_json_with_charset_parameter_is_accepted(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        data='{"name": "Kirjasto", "street_address": "Katu 1", "postal_code": "00100"}',
        content_type="application/json; charset=utf-8",
        headers=bearer(factories.make_admin()),
    )
    assert response.status_code == 201


def test_oversized_body_is_413_problem(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        data='{"name": "' + "x" * (2 * 1024 * 1024) + '"}',
        content_type="application/json",
        headers=bearer(factories.make_admin()),
    )
    assert_problem(response, 413)


def test_validation_problem_lists_messages_per_field(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        json={"name": 5},
        headers=bearer(factories.make_admin()) | {"Accept-Language": "en"},
    )
    body = assert_problem(response, 422)
    assert body["errors"]["name"] == ["Send text (a JSON string)."]
    assert body["errors"]["street_address"] == ["This field is required."]
    assert body["detail"]
