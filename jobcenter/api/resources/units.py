"""Units (customers): everyone signed in reads the units in their scope (a unit contact
only their own); admins create and change them through the same operations as the
admin pages (`jobcenter.units.operations`)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response, load_json
from jobcenter.api.openapi import doc
from jobcenter.api.pagination import paginate
from jobcenter.core import audit
from jobcenter.core.authz import get_visible, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, problem
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.units import operations
from jobcenter.units.models import Unit
from jobcenter.units.schemas import UnitSchema

TAGS = ["units"]


def _dump(unit: Unit) -> dict[str, Any]:
    return UnitSchema(viewer=current_user).dump(unit)


def _name_taken(name: str | None, unit_id: int | None = None) -> Response | None:
    """409 when another unit already has this name (compared without case)."""
    if not name:
        return None
    stmt = sa.select(Unit.id).where(sa.func.lower(Unit.name) == name.lower())
    if unit_id is not None:
        stmt = stmt.where(Unit.id != unit_id)
    if db.session.scalar(stmt) is None:
        return None
    message = _("A unit with this name already exists.")
    return problem(409, _("Conflict"), message, field="name", errors={"name": [message]})


def _saving_failed() -> DomainError:
    return DomainError(
        _("The unit was changed by someone else at the same time. Load it again and retry."),
        status=409,
    )


@bp.get("/units")
@doc(summary="List units", response=UnitSchema, paginated=True, tags=TAGS)
@require_roles()
def list_units() -> Response:
    """The units the user may see, ordered by id: all of them for staff, their own for
    a unit contact. Business ID and billing reference only for admins, managers and the
    unit's own contacts."""
    stmt = scope(sa.select(Unit), Unit, current_user)
    schema = UnitSchema(many=True, viewer=current_user)
    return paginate(stmt, Unit.id, schema.dump)


@bp.get("/units/<db_id:unit_id>")
@doc(summary="One unit", response=UnitSchema, tags=TAGS)
@require_roles()
def get_unit(unit_id: int) -> Response:
    """A unit the user may see; 404 for any other."""
    return json_response(_dump(get_visible(Unit, unit_id, current_user)))


@bp.post("/units")
@doc(
    summary="Create a unit",
    body=UnitSchema,
    response=UnitSchema,
    status=201,
    errors=(409,),
    tags=TAGS,
    response_headers={
        "Location": {"description": "The new unit's URL.", "schema": {"type": "string"}}
    },
)
@require_roles(Role.ADMIN)
def create_unit() -> Response:
    """A new customer unit. Name, street address and postal code are required; the name
    must be unique."""
    data = load_json(UnitSchema())
    is_active = data.pop("is_active", True)
    conflict = _name_taken(data.get("name"))
    if conflict is not None:
        return conflict
    try:
        with unit_of_work():
            unit = operations.create_unit(db.session, **data)
            if not is_active:
                operations.deactivate_unit(db.session, unit)
            audit.record("unit_created", unit)
    except IntegrityError:
        raise _saving_failed() from None
    location = url_for("api.get_unit", unit_id=unit.id, _external=True)
    return json_response(_dump(unit), status=201, headers={"Location": location})


@bp.patch("/units/<db_id:unit_id>")
@doc(
    summary="Change a unit",
    body=UnitSchema(partial=True),
    response=UnitSchema,
    errors=(409,),
    tags=TAGS,
)
@require_roles(Role.ADMIN)
def update_unit(unit_id: int) -> Response:
    """Change the fields sent; the others keep their values. `is_active: false`
    deactivates the unit, which is refused (409) while it has tasks in progress."""
    unit = get_visible(Unit, unit_id, current_user)
    data = load_json(UnitSchema(partial=True))
    is_active = data.pop("is_active", None)
    conflict = _name_taken(data.get("name"), unit.id)
    if conflict is not None:
        return conflict
    try:
        with unit_of_work():
            operations.update_unit(db.session, unit, **data)
            if is_active is False and unit.is_active:
                operations.deactivate_unit(db.session, unit)
            elif is_active is True and not unit.is_active:
                operations.reactivate_unit(db.session, unit)
            audit.record(
                "unit_updated",
                unit,
                detail={
                    "fields": sorted([*data, *(["is_active"] if is_active is not None else [])])
                },
            )
    except IntegrityError:
        raise _saving_failed() from None
    return json_response(_dump(unit))
