"""The OpenAPI 3 document, generated from the routes and their marshmallow schemas.

Each API view carries its documentation next to its code::

    @bp.get("/units/<db_id:unit_id>")
    @doc(summary="One unit", response=UnitSchema, tags=["units"])
    @require_roles()
    def get_unit(unit_id): ...

`build_spec(app)` walks every `/api/v1` URL rule and writes one operation per method:
path parameters from the rule's converters, security and the 401/403 answers from the
`require_roles` decorator (so the document cannot drift from the real check), page
parameters and the `Link` header for paginated lists, the request body, and the
`application/problem+json` answers every error uses. The document is served at
`GET /api/v1/openapi.json` without authentication.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import Flask, current_app
from marshmallow import Schema, fields

from jobcenter import __version__
from jobcenter.api import bp
from jobcenter.api.auth import ALL_ROLES
from jobcenter.api.http import json_response
from jobcenter.api.pagination import MAX_PAGE
from jobcenter.core.schemas import MAX_DATABASE_ID

PROBLEM_JSON = "application/problem+json"
SchemaRef = type[Schema] | Schema


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details."""

    type = fields.String(
        required=True, metadata={"description": 'A URI naming the problem type; "about:blank".'}
    )
    title = fields.String(required=True, metadata={"description": "Short, in the user's language."})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    detail = fields.String(metadata={"description": "What went wrong and what to do about it."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={
            "description": "Invalid fields (422): field name → list of messages "
            "(nested objects for nested fields)."
        },
    )
    field = fields.String(metadata={"description": "The field a refused action is about."})


_ERROR_DESCRIPTIONS = {
    400: "The request body is not valid JSON.",
    401: "No API token, or one that does not work (unknown, revoked, expired, account "
    "closed). See the WWW-Authenticate header.",
    403: "The token's user has a role that may not use this operation.",
    404: "No such object, or the user may not see it.",
    409: "The change conflicts with existing data.",
    413: "The request body is too large.",
    415: "The request body is not JSON.",
    422: "The input breaks the rules; `errors` lists the messages per field.",
}


@dataclass
class Operation:
    """What `doc` records about one view."""

    summary: str
    response: SchemaRef | dict[str, Any] | None = None
    paginated: bool = False
    body: SchemaRef | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    localized: bool = False
    tags: list[str] = field(default_factory=list)
    response_headers: dict[str, dict[str, Any]] = field(default_factory=dict)
    query: dict[str, dict[str, Any]] = field(default_factory=dict)


def doc(
    summary: str,
    *,
    response: SchemaRef | dict[str, Any] | None = None,
    paginated: bool = False,
    body: SchemaRef | None = None,
    status: int = 200,
    errors: Iterable[int] = (),
    localized: bool = False,
    tags: Iterable[str] = (),
    response_headers: dict[str, dict[str, Any]] | None = None,
    query: dict[str, dict[str, Any]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Document an API view. `response` is the success body (a schema, or a JSON schema
    dict); `paginated` wraps it in the page envelope; `body` is the request body;
    `errors` adds statuses beyond those derived automatically; `localized` documents
    `Accept-Language` and `Content-Language`; `query` maps optional query parameters
    (filters) to their JSON schema, with an optional "description" key. The view's
    docstring is the description."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        view.openapi = Operation(  # type: ignore[attr-defined]
            summary=summary,
            response=response,
            paginated=paginated,
            body=body,
            status=status,
            errors=tuple(errors),
            localized=localized,
            tags=list(tags),
            response_headers=dict(response_headers or {}),
            query=dict(query or {}),
        )
        return view

    return decorator


def schema_name(schema: SchemaRef) -> str:
    """Component name: `UnitSchema` → `Unit`; loaded with `partial=True` → `UnitPatch`."""
    cls = resolve_schema_cls(schema)
    name = cls.__name__.removesuffix("Schema")
    if isinstance(schema, Schema) and schema.partial:
        name += "Patch"
    return name


_RULE_ARGUMENT = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_]\w*)(?:\((?P<args>.*?)\))?:)?(?P<name>\w+)>"
)


def _path_parameter(converter: str | None, name: str) -> dict[str, Any]:
    if converter == "db_id":
        schema: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": MAX_DATABASE_ID}
    elif converter == "int":
        schema = {"type": "integer", "minimum": 0}
    else:
        schema = {"type": "string"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def openapi_path(rule_text: str) -> tuple[str, list[dict[str, Any]]]:
    """`/api/v1/units/<db_id:unit_id>` → (`/api/v1/units/{unit_id}`, [its parameter])."""
    parameters = [
        _path_parameter(m.group("converter"), m.group("name"))
        for m in _RULE_ARGUMENT.finditer(rule_text)
    ]
    return _RULE_ARGUMENT.sub(lambda m: "{" + m.group("name") + "}", rule_text), parameters


def _problem_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _ERROR_DESCRIPTIONS.get(status, "An error."),
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == 401:
        response["headers"] = {
            "WWW-Authenticate": {
                "description": 'Bearer realm="jobcenter", with error="invalid_token" when a '
                "token was sent but does not work.",
                "schema": {"type": "string"},
            }
        }
    return response


def _ref(spec: APISpec, schema: SchemaRef) -> dict[str, Any]:
    name = schema_name(schema)
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=schema)
    return {"$ref": f"#/components/schemas/{name}"}


def _page_ref(spec: APISpec, schema: SchemaRef) -> dict[str, Any]:
    item_ref = _ref(spec, schema)
    name = f"{schema_name(schema)}Page"
    if name not in spec.components.schemas:
        spec.components.schema(
            name,
            {
                "type": "object",
                "required": ["items", "page", "per_page", "total", "pages"],
                "properties": {
                    "items": {"type": "array", "items": item_ref},
                    "page": {"type": "integer", "minimum": 1},
                    "per_page": {"type": "integer", "minimum": 1},
                    "total": {"type": "integer", "minimum": 0, "description": "All matching rows."},
                    "pages": {"type": "integer", "minimum": 0},
                },
            },
        )
    return {"$ref": f"#/components/schemas/{name}"}


def _operation(
    spec: APISpec, view: Callable[..., Any], endpoint: str, path_params: list[dict[str, Any]]
) -> dict[str, Any]:
    info: Operation | None = getattr(view, "openapi", None)
    if info is None:
        raise LookupError(f"API view {endpoint} has no @doc: document it")
    roles: frozenset | None = getattr(view, "allowed_roles", None)
    description = inspect.getdoc(view) or ""
    operation: dict[str, Any] = {
        "operationId": endpoint.removeprefix("api."),
        "summary": info.summary,
        "tags": info.tags,
        "parameters": list(path_params),
    }
    statuses: set[int] = set(info.errors)
    if roles is None:
        operation["security"] = []
    else:
        operation["security"] = [{"bearerAuth": []}]
        statuses.add(401)
        names = ", ".join(sorted(str(r) for r in roles))
        if set(roles) != set(ALL_ROLES):
            statuses.add(403)
            description = f"{description}\n\nRoles: {names}.".strip()
        operation["x-roles"] = sorted(str(r) for r in roles)
    if description:
        operation["description"] = description
    if path_params:
        statuses.add(404)
    for name, schema in info.query.items():
        schema = dict(schema)
        described = schema.pop("description", None)
        parameter = {"in": "query", "name": name, "required": False, "schema": schema}
        if described:
            parameter["description"] = described
        operation["parameters"].append(parameter)
        statuses.add(422)
    if info.paginated:
        operation["parameters"] += ["page", "per_page"]  # components, by name
        statuses.add(422)
    if info.localized:
        operation["parameters"].append("Accept-Language")
    if info.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _ref(spec, info.body)}},
        }
        statuses.update({400, 413, 415, 422})

    success: dict[str, Any] = {"description": info.summary}
    headers = dict(info.response_headers)
    if info.response is not None:
        if isinstance(info.response, dict):
            schema: dict[str, Any] = info.response
        elif info.paginated:
            schema = _page_ref(spec, info.response)
        else:
            schema = _ref(spec, info.response)
        success["content"] = {"application/json": {"schema": schema}}
    if info.paginated:
        headers["Link"] = {
            "description": "RFC 8288 links to the first, last, prev and next pages, e.g. "
            '<https://…/api/v1/units?page=2&per_page=50>; rel="next".',
            "schema": {"type": "string"},
        }
    if info.localized:
        headers["Content-Language"] = {
            "description": "The language of `name` and `*_text` fields: fi, sv or en.",
            "schema": {"type": "string", "enum": list(current_app.config["LANGUAGES"])},
        }
    if headers:
        success["headers"] = headers
    operation["responses"] = {str(info.status): success} | {
        str(status): _problem_response(status) for status in sorted(statuses)
    }
    return operation


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="Jobcenter API",
        version=__version__,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin(schema_name_resolver=schema_name)],
        info={
            "description": (
                "Work tasks of city units for people in work activity. Authenticate with a "
                "personal API token (`flask jobcenter api-token EMAIL`) sent as "
                "`Authorization: Bearer <token>`. Lists are paginated with `page` and "
                "`per_page` and carry an RFC 8288 `Link` header. Errors are "
                "`application/problem+json` (RFC 9457)."
            )
        },
    )
    spec.components.security_scheme(
        "bearerAuth",
        {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from `flask jobcenter api-token EMAIL`.",
        },
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    spec.components.parameter(
        "page",
        "query",
        {
            "description": "Page number, from 1.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        },
    )
    spec.components.parameter(
        "per_page",
        "query",
        {
            "description": "Rows per page.",
            "schema": {
                "type": "integer",
                "minimum": 1,
                "maximum": int(app.config["API_MAX_PAGE_SIZE"]),
                "default": int(app.config["API_PAGE_SIZE"]),
            },
        },
    )
    spec.components.parameter(
        "Accept-Language",
        "header",
        {
            "description": "Preferred language of `name` and `*_text` fields (fi, sv or en); "
            "by default the user's saved language.",
            "schema": {"type": "string"},
        },
    )

    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint.split(".", 1)[0] != bp.name:
            continue
        path, path_params = openapi_path(rule.rule)
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                spec, view, rule.endpoint, path_params
            )
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def cached_spec(app: Flask) -> dict[str, Any]:
    cache = app.extensions.setdefault("jobcenter_api", {})
    if "openapi" not in cache:
        cache["openapi"] = build_spec(app)
    return cache["openapi"]


@bp.get("/openapi.json")
@doc(summary="This API's OpenAPI 3 document", response={"type": "object"}, tags=["meta"])
def openapi_document():
    """The machine-readable description of every operation; no token needed."""
    return json_response(cached_spec(current_app))
