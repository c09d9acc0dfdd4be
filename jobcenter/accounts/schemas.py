"""Marshmallow schemas for accounts (the schema toolkit is in `jobcenter.core.schemas`)."""

from __future__ import annotations

from marshmallow import Schema, fields

from jobcenter.core.enums import Locale, Role


class MeSchema(Schema):
    """The signed-in user, as `GET /api/v1/me` shows them.

    Deliberately no participant data (stream, plan, supervision level): a token holder
    learns who they are and what role they act in, nothing that needs an audit entry.
    """

    id = fields.Integer(dump_only=True)
    first_name = fields.String(dump_only=True)
    last_name = fields.String(dump_only=True)
    name = fields.String(attribute="full_name", dump_only=True)
    email = fields.String(dump_only=True, allow_none=True)
    role = fields.Enum(Role, by_value=True, dump_only=True)
    locale = fields.Enum(Locale, by_value=True, dump_only=True)
    unit_id = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The unit a unit contact acts for; null for other roles."},
    )
