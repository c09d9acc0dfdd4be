"""Catalogues: districts, skills and task kinds (read-only here; admins edit them in
the admin pages). Every signed-in role may read them; inactive skills and task kinds
are listed to admins only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Response
from flask_login import current_user

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import api_locale, json_response
from jobcenter.api.openapi import doc
from jobcenter.api.pagination import paginate
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.catalog.schemas import DistrictSchema, SkillSchema, TaskKindSchema
from jobcenter.core.authz import get_visible, scope


def _list(model: type, schema_cls: type) -> Response:
    locale = api_locale()
    schema = schema_cls(many=True, viewer=current_user, locale=locale)
    response = paginate(scope(sa.select(model), model, current_user), model.id, schema.dump)
    response.headers["Content-Language"] = locale
    return response


def _one(model: type, schema_cls: type, object_id: int) -> Response:
    locale = api_locale()
    row = get_visible(model, object_id, current_user)
    body = schema_cls(viewer=current_user, locale=locale).dump(row)
    return json_response(body, headers={"Content-Language": locale})


def _catalogue(
    path: str, model: type, schema_cls: type, plural: str, singular: str, id_name: str
) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """GET `path` (paginated list) and GET `path/<id>` for one catalogue."""
    tag = "catalogues"

    @doc(summary=f"List {plural}", response=schema_cls, paginated=True, localized=True,
         tags=[tag])  # fmt: skip
    @require_roles()
    def list_view() -> Response:
        return _list(model, schema_cls)

    @doc(summary=f"One {singular}", response=schema_cls, localized=True, tags=[tag])
    @require_roles()
    def detail_view(**path_ids: int) -> Response:
        return _one(model, schema_cls, path_ids[id_name])

    name = path.strip("/").replace("-", "_")
    list_view.__doc__ = f"The {plural}, ordered by id, with names in Finnish, Swedish and English."
    detail_view.__doc__ = f"One of the {plural} by id."
    bp.add_url_rule(path, f"list_{name}", list_view, methods=["GET"])
    bp.add_url_rule(f"{path}/<db_id:{id_name}>", f"get_{name}", detail_view, methods=["GET"])
    return list_view, detail_view


list_districts, get_district = _catalogue(
    "/districts", District, DistrictSchema, "districts", "district", "district_id"
)
list_skills, get_skill = _catalogue("/skills", Skill, SkillSchema, "skills", "skill", "skill_id")
list_task_kinds, get_task_kind = _catalogue(
    "/task-kinds", TaskKind, TaskKindSchema, "task kinds", "task kind", "task_kind_id"
)
