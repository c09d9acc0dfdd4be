"""The API schema toolkit every domain's schemas use (`ViewerSchema`, `Audience`,
`Text`, `DatabaseId`, the validators): domain-neutral, so it lives in core.

Per-role schema views — the pattern every API schema follows
-------------------------------------------------------------
One schema describes a resource for every role; fields that only some viewers may see
are tagged with an `Audience`, a named rule `(viewer, obj) -> bool`::

    UNIT_INSIDERS = Audience(
        "admins, managers and the unit's own contacts",
        lambda viewer, unit: viewer.role in (Role.ADMIN, Role.MANAGER)
        or (viewer.role == Role.UNIT_CONTACT and viewer.unit_id == unit.id),
    )

    class UnitSchema(ViewerSchema):
        name = Text(required=True)
        billing_reference = Text(allow_none=True, metadata=visible_to(UNIT_INSIDERS))

    UnitSchema(viewer=current_user).dump(unit)            # one object
    UnitSchema(viewer=current_user, many=True).dump(units)  # each row judged on its own

- The rule sees the object, so object-level differences (a unit contact sees the billing
  details of their own unit only) are expressed in the same place as role differences.
- A schema built without a viewer shows no audience-restricted field: forgetting the
  viewer fails closed.
- Restricted fields are never `required` in the OpenAPI document, and their description
  says who sees them (`visible_to` adds it), so clients know they may be missing.
- A participant's sensitive data (stream, plan, supervision, health) never goes into a
  schema that units, feeds or other participants are served through — not even behind an
  audience: such data gets a schema of its own, used only by audited endpoints.
- Loading (input) is not affected by audiences: who may write is decided by the
  endpoint's role check (`jobcenter.core.authz.require_roles`) before the schema runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, post_dump

from jobcenter.core.text import control_character_message

# Largest value of a 32-bit signed INTEGER column (every primary key here).
MAX_DATABASE_ID = 2_147_483_647


@dataclass(frozen=True)
class Audience:
    """Who may see a field: a description for the API document and a rule."""

    description: str
    rule: Callable[[Any, Any], bool]

    def admits(self, viewer: Any, obj: Any) -> bool:
        if viewer is None or not getattr(viewer, "is_authenticated", False):
            return False
        return bool(self.rule(viewer, obj))


def visible_to(audience: Audience, description: str = "") -> dict[str, Any]:
    """Field metadata marking the field as shown to `audience` only."""
    text = f"{description} " if description else ""
    return {
        "audience": audience,
        "description": f"{text}Shown only to {audience.description}.".strip(),
    }


class ViewerSchema(Schema):
    """A schema that dumps each object as the viewer may see it (see the module docstring)."""

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    @post_dump(pass_original=True)
    def _hide_from_other_audiences(self, data: dict[str, Any], original: Any, **_kw: Any):
        for name, field in self.dump_fields.items():
            audience = field.metadata.get("audience")
            if audience is not None and not audience.admits(self.viewer, original):
                data.pop(field.data_key or name, None)
        return data


class Text(fields.String):
    """A string as people type it: trimmed, without control characters (a NUL byte would
    break PostgreSQL). `multiline=True` allows line breaks and tabs; `blank_to_none=True`
    stores an empty optional field as null."""

    def __init__(self, *args: Any, multiline: bool = False, blank_to_none: bool = False,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.multiline = multiline
        self.blank_to_none = blank_to_none

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if message := control_character_message(text, multiline=self.multiline):
            raise ValidationError(message)
        if self.blank_to_none and text == "":
            return None
        return text


class DatabaseId(fields.Integer):
    """A reference to a row by id: a positive integer that fits the database column."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("strict", True)
        kwargs.setdefault("validate", Range(1, MAX_DATABASE_ID))
        super().__init__(**kwargs)


# Validators whose messages are translated when raised, not at import time. They carry
# the attributes apispec reads (min/max/equal, regex), so the OpenAPI document shows them.


class Length:
    """Text length in characters, inclusive."""

    equal = None

    def __init__(self, min: int | None = None, max: int | None = None) -> None:
        self.min = min
        self.max = max

    def __call__(self, value: str | None) -> None:
        if value is None:
            return
        if self.min is not None and len(value) < self.min:
            if self.min == 1:
                raise ValidationError(_("This field cannot be empty."))
            raise ValidationError(_("Use at least %(min)d characters.", min=self.min))
        if self.max is not None and len(value) > self.max:
            raise ValidationError(_("Use at most %(max)d characters.", max=self.max))


class Range:
    """A whole number between `min` and `max`, inclusive."""

    min_inclusive = max_inclusive = True

    def __init__(self, min: int | None = None, max: int | None = None) -> None:
        self.min = min
        self.max = max

    def __call__(self, value: int | None) -> None:
        if value is None:
            return
        if (self.min is not None and value < self.min) or (
            self.max is not None and value > self.max
        ):
            if self.max is None:
                raise ValidationError(_("Use a number of at least %(min)d.", min=self.min))
            if self.min is None:
                raise ValidationError(_("Use a number of at most %(max)d.", max=self.max))
            raise ValidationError(
                _("Use a number from %(min)d to %(max)d.", min=self.min, max=self.max)
            )


class Pattern:
    """Text matching a regular expression; `message` is a callable returning the
    translated explanation (e.g. `lambda: _("Use five digits, e.g. 00100.")`)."""

    def __init__(self, regex: str, message: Callable[[], str]) -> None:
        self.regex = re.compile(regex)
        self.message = message

    def __call__(self, value: str | None) -> None:
        if value is not None and not self.regex.fullmatch(value):
            raise ValidationError(self.message())
