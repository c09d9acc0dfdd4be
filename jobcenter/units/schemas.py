"""Marshmallow schemas for units (customers).

`UnitSchema` is the reference example of a per-role schema view (see
`jobcenter.accounts.schemas`): everyone who may see a unit sees its name and address;
its business ID and billing reference only go to admins, managers and the unit's own
contacts.

The schema checks shapes and the limits the API document shows (types, lengths,
formats); `jobcenter.units.operations` checks the rules (a real district, a valid
business ID, a unique name) for the admin pages and the API alike.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import fields

from jobcenter.accounts.schemas import (
    Audience,
    DatabaseId,
    Length,
    Pattern,
    Text,
    ViewerSchema,
    visible_to,
)
from jobcenter.core.enums import Role
from jobcenter.units.models import UnitKind


def _is_unit_insider(viewer: Any, unit: Any) -> bool:
    if viewer.role in (Role.ADMIN, Role.MANAGER):
        return True
    return viewer.role == Role.UNIT_CONTACT and viewer.unit_id == getattr(unit, "id", None)


UNIT_INSIDERS = Audience("admins, managers and the unit's own contacts", _is_unit_insider)


class UnitSchema(ViewerSchema):
    """A customer unit. Load with `partial=True` for a PATCH (only the given fields change)."""

    id = fields.Integer(dump_only=True)
    name = Text(required=True, validate=Length(1, 160))
    kind = fields.Enum(
        UnitKind,
        by_value=True,
        load_default=UnitKind.CITY_UNIT,
        metadata={"description": "What kind of customer orders the work."},
    )
    business_id = Text(
        allow_none=True,
        validate=Length(max=20),
        metadata=visible_to(
            UNIT_INSIDERS, "Finnish business ID (Y-tunnus), e.g. 0201256-6, with its check digit."
        ),
    )
    street_address = Text(required=True, validate=Length(1, 200))
    postal_code = Text(
        required=True,
        validate=Pattern(
            r"^[0-9]{5}$", lambda: _("A postal code has five digits, for example 00100.")
        ),
    )
    city = Text(load_default="Helsinki", validate=Length(1, 80))
    district_id = DatabaseId(
        allow_none=True, metadata={"description": "A district from GET /api/v1/districts."}
    )
    email = Text(allow_none=True, validate=Length(max=254), metadata={"format": "email"})
    phone = Text(
        allow_none=True,
        validate=[
            Length(max=40),
            Pattern(
                r"^\+?[0-9 ()-]{5,}$",
                lambda: _("Check the phone number, for example +358 9 310 1234."),
            ),
        ],
    )
    billing_reference = Text(
        allow_none=True,
        validate=Length(max=80),
        metadata=visible_to(UNIT_INSIDERS, "The unit's reference for invoices."),
    )
    is_active = fields.Boolean(
        load_default=True,
        metadata={"description": "An inactive unit can no longer order work."},
    )
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)
