"""Marshmallow schemas for shifts (see `jobcenter.core.schemas` for the per-role
pattern).

What a shift tells whom:
- everyone who may see the shift (the unit it works for, instructors, managers, admins)
  sees when and where it is, its places, the FIRST NAMES of the people the instructor has
  confirmed on it, and the supervising instructor's name and phone;
- the planning details (the supervision level the shift can take, the review flag, the
  calendar sequence) are shown to staff only.
A participant's stream, supervision level or other personal data is never part of this
schema: it is served to units.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from jobcenter.core import system_texts
from jobcenter.core.authz import STAFF_ROLES
from jobcenter.core.enums import Locale
from jobcenter.core.schemas import Audience, ViewerSchema, visible_to
from jobcenter.scheduling.models import ShiftStatus
from jobcenter.scheduling.policies import UNIT_VISIBLE_STATUSES

STAFF = Audience(
    "instructors, managers and admins", lambda viewer, _shift: viewer.role in STAFF_ROLES
)


class ShiftPersonSchema(Schema):
    """Someone confirmed on the shift, by first name only."""

    first_name = fields.String(dump_only=True)


class ContactSchema(Schema):
    """The supervising instructor, for the unit to reach."""

    name = fields.String(dump_only=True)
    phone = fields.String(dump_only=True, allow_none=True)


class ShiftSchema(ViewerSchema):
    """A dated occurrence of a task: start, end, site, places and who is coming."""

    id = fields.Integer(dump_only=True)
    task_id = fields.Integer(dump_only=True)
    task_title = fields.Function(lambda s: s.task.title, metadata={"type": "string"})
    unit_id = fields.Function(lambda s: s.task.unit_id, metadata={"type": "integer"})
    starts_at = fields.AwareDateTime(dump_only=True)
    ends_at = fields.AwareDateTime(dump_only=True)
    status = fields.Enum(ShiftStatus, by_value=True, dump_only=True)
    cancel_reason = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Why the shift was cancelled, as stored: a person's own words, or "
            "the English source text of a reason the system wrote (see cancel_reason_text)."
        },
    )
    cancel_reason_text = fields.Method(
        "_cancel_reason_text",
        metadata={
            "type": "string",
            "nullable": True,
            "description": "cancel_reason to show to a reader: a reason the system wrote in "
            "the response's language (see Content-Language), a person's own words as written.",
        },
    )
    slots = fields.Integer(dump_only=True, metadata={"description": "People wanted."})
    site_address = fields.Function(
        lambda s: ", ".join(
            p
            for p in (s.task.site_address, f"{s.task.site_postal_code} {s.task.site_city}".strip())
            if p
        ),
        metadata={"type": "string"},
    )
    people = fields.Method(
        "_people",
        metadata={
            "type": "array",
            "items": {"type": "object", "properties": {"first_name": {"type": "string"}}},
            "description": "First names of the people the instructor has confirmed.",
        },
    )
    instructor = fields.Method(
        "_instructor",
        metadata={
            "type": "object",
            "nullable": True,
            "properties": {"name": {"type": "string"},
                           "phone": {"type": "string", "nullable": True}},
            "description": "The supervising instructor's name and phone.",
        },
    )  # fmt: skip
    supervision_needed = fields.Integer(
        dump_only=True,
        metadata=visible_to(STAFF, "The highest supervision level the shift can take (0–3)."),
    )
    needs_review = fields.Boolean(
        dump_only=True,
        metadata=visible_to(STAFF, "The task changed after people were confirmed."),
    )
    sequence = fields.Integer(
        dump_only=True, metadata=visible_to(STAFF, "iCalendar SEQUENCE of the shift.")
    )

    def __init__(self, *args: Any, locale: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locale = locale if locale in tuple(Locale) else None

    def _cancel_reason_text(self, shift: Any) -> str | None:
        if self.locale is None:
            return system_texts.shown(shift.cancel_reason)
        return system_texts.shown_in(shift.cancel_reason, self.locale)

    def _people(self, shift: Any) -> list[dict[str, str]]:
        names = sorted(
            a.participant.user.first_name
            for a in shift.assignments
            if a.status in UNIT_VISIBLE_STATUSES
        )
        return [{"first_name": name} for name in names]

    def _instructor(self, shift: Any) -> dict[str, Any] | None:
        instructor = shift.instructor
        if instructor is None:
            return None
        return {"name": instructor.user.full_name, "phone": instructor.user.phone}
