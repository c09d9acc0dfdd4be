"""The OpenAPI document: valid OpenAPI 3, generated from the schemas, covering every route."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from jobcenter.api.openapi import openapi_path


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")]


def test_document_is_valid_openapi_3(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.0")


def test_every_api_route_and_method_is_documented(app, spec):
    rules = _api_rules(app)
    assert len(rules) >= 10
    for rule in rules:
        path, _params = openapi_path(rule.rule)
        assert path in spec["paths"], rule.rule
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in spec["paths"][path], f"{method} {rule.rule}"


def test_document_lists_nothing_that_is_not_routed(app, spec):
    routed = {openapi_path(rule.rule)[0] for rule in _api_rules(app)}
    assert set(spec["paths"]) == routed


def test_bearer_scheme_guards_every_operation_but_the_document(spec):
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if path == "/api/v1/openapi.json":
                assert operation["security"] == []
            else:
                assert operation["security"] == [{"bearerAuth": []}], (method, path)
                assert "401" in operation["responses"]


def test_errors_are_documented_as_problem_json(spec):
    problem = {"$ref": "#/components/schemas/Problem"}
    for operations in spec["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"] == {"application/problem+json": {"schema": problem}}
    assert {"type", "title", "status"} <= set(spec["components"]["schemas"]["Problem"]["required"])


def test_lists_document_page_parameters_and_link_header(spec):
    operation = spec["paths"]["/api/v1/units"]["get"]
    refs = [p.get("$ref") for p in operation["parameters"]]
    assert "#/components/parameters/page" in refs
    assert "#/components/parameters/per_page" in refs
    ok = operation["responses"]["200"]
    assert "Link" in ok["headers"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/UnitPage"}
    page = spec["components"]["schemas"]["UnitPage"]
    assert page["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Unit"}
    assert "422" in operation["responses"]


def test_page_size_maximum_comes_from_config(app, spec):
    per_page = spec["components"]["parameters"]["per_page"]
    assert per_page["in"] == "query"
    assert per_page["schema"]["maximum"] == app.config["API_MAX_PAGE_SIZE"]


def test_schemas_come_from_marshmallow_with_their_limits(spec):
    unit = spec["components"]["schemas"]["Unit"]
    assert set(unit["required"]) == {"name", "street_address", "postal_code"}
    assert unit["properties"]["name"]["maxLength"] == 160
    assert unit["properties"]["postal_code"]["pattern"] == "^[0-9]{5}$"
    assert unit["properties"]["id"]["readOnly"] is True
    assert "Shown only to" in unit["properties"]["billing_reference"]["description"]
    assert "required" not in spec["components"]["schemas"]["UnitPatch"]


def test_write_operations_document_body_roles_and_conflicts(spec):
    create = spec["paths"]["/api/v1/units"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Unit"
    }
    assert create["x-roles"] == ["admin"]
    assert {"201", "400", "401", "403", "409", "415", "422"} <= set(create["responses"])
    patch = spec["paths"]["/api/v1/units/{unit_id}"]["patch"]
    assert patch["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/UnitPatch"
    }
    assert "404" in patch["responses"]


def test_path_ids_are_documented_as_positive_integers(spec):
    (param,) = spec["paths"]["/api/v1/skills/{skill_id}"]["get"]["parameters"][:1]
    assert param["in"] == "path"
    assert param["schema"]["type"] == "integer"
    assert param["schema"]["minimum"] == 1


def test_catalogues_document_accept_language(spec):
    operation = spec["paths"]["/api/v1/task-kinds"]["get"]
    refs = [p.get("$ref") for p in operation["parameters"]]
    assert "#/components/parameters/Accept-Language" in refs
    assert "Content-Language" in operation["responses"]["200"]["headers"]
