"""Marshmallow schemas for the catalogues: districts, skills and task kinds.

Every catalogue row has its name in Finnish, Swedish and English (`name_fi`, `name_sv`,
`name_en`) plus `name` in the language the response is written in: build the schema
with `locale=` (the API picks it from `Accept-Language`, else the user's saved locale).
"""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from jobcenter.core.enums import Locale
from jobcenter.core.schemas import ViewerSchema


class NamedSchema(ViewerSchema):
    """A catalogue row named in three languages."""

    id = fields.Integer(dump_only=True)
    code = fields.String(
        dump_only=True, metadata={"description": "Stable identifier for integrations."}
    )
    name = fields.Method(
        "localized_name",
        dump_only=True,
        metadata={
            "type": "string",
            "description": "The name in the response's language (see Content-Language).",
        },
    )
    name_fi = fields.String(dump_only=True)
    name_sv = fields.String(dump_only=True)
    name_en = fields.String(dump_only=True)

    def __init__(self, *args: Any, locale: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locale = locale if locale in tuple(Locale) else None

    def localized_name(self, obj: Any) -> str:
        return obj.name(self.locale)


class DistrictSchema(NamedSchema):
    """A district of the city, used for units' and tasks' locations and participants'
    home districts."""


class SkillSchema(NamedSchema):
    """A skill a task may require and a participant may have."""

    is_active = fields.Boolean(
        dump_only=True, metadata={"description": "Inactive skills are listed to admins only."}
    )


class TaskKindSchema(NamedSchema):
    """A kind of work (cleaning, mailing, outdoor work…), shown with an icon."""

    icon = fields.String(
        dump_only=True,
        metadata={"description": "Name of the symbol in /static/icons.svg for this kind."},
    )
    is_active = fields.Boolean(
        dump_only=True, metadata={"description": "Inactive kinds are listed to admins only."}
    )
