"""Marshmallow schemas for units (customers).

`UnitSchema` is the reference example of a per-role schema view (see
`jobcenter.core.schemas`): everyone who may see a unit sees its name and address;
its business ID and billing reference only go to admins, managers and the unit's own
contacts.

The schema checks shapes and the limits the API document shows (types, lengths,
formats); `jobcenter.units.operations` checks the rules (a real district, a valid
business ID, a unique name) for the admin pages and the API alike.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields

from jobcenter.core.enums import Role
from jobcenter.core.schemas import (
    MAX_DATABASE_ID,
    Audience,
    DatabaseId,
    Length,
    Pattern,
    Range,
    Text,
    ViewerSchema,
    visible_to,
)
from jobcenter.units.models import TaskStatus, UnitKind


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


# ---------------------------------------------------------------- tasks

TASK_ACTIONS_DESCRIPTION = (
    "What the viewer may do now: edit (PATCH), submit, accept, reject, request_changes, "
    "cancel, mark_done, confirm, give_feedback (POST /tasks/{task_id}/<action>, with "
    "hyphens: request-changes, mark-done, feedback)."
)


class TaskDateSchema(Schema):
    """A specific date the unit asked for, with its own start time if it differs."""

    day = fields.Date(required=True)
    start_time = fields.Time(allow_none=True, load_default=None)


class TaskEventSchema(Schema):
    """One step of the task's history: who moved it, when, from where to where, why."""

    at = fields.AwareDateTime(dump_only=True)
    actor_name = fields.Function(
        lambda e: e.actor.full_name if e.actor is not None else None,
        dump_only=True,
        metadata={"type": "string", "nullable": True},
    )
    from_status = fields.Enum(TaskStatus, by_value=True, dump_only=True, allow_none=True)
    to_status = fields.Enum(TaskStatus, by_value=True, dump_only=True)
    reason = fields.String(dump_only=True, allow_none=True)


def _load_ids(value: Any) -> list[int]:
    if not isinstance(value, list) or any(
        isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= MAX_DATABASE_ID
        for v in value
    ):
        raise ValidationError(_("Send a list of skill ids, for example [1, 2]."))
    return value


class TaskSchema(ViewerSchema):
    """A task a unit orders. The schedule is either `dates` (specific dates) or a weekly
    `recurrence` (RRULE subset FREQ=WEEKLY;BYDAY=…[;UNTIL=YYYYMMDD|;COUNT=n]) starting on
    `first_date`. Load with `partial=True` for a PATCH: only the fields sent change.
    Every rule (dates in the past, headcount, shift length, unknown skills …) is checked
    by the same code as the web form; problems come back as 422 with `errors` per field."""

    id = fields.Integer(dump_only=True)
    unit_id = fields.Integer(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The unit that orders the work. A unit contact posts for their "
            "own unit (leave it out); an admin must name the unit."
        },
    )
    unit_name = fields.Function(lambda t: t.unit.name, dump_only=True, metadata={"type": "string"})
    title = Text(required=True, validate=Length(1, 160))
    description = Text(multiline=True, validate=Length(max=5000))
    task_kind_id = DatabaseId(
        required=True, metadata={"description": "A task kind from GET /api/v1/task-kinds."}
    )
    site_address = Text(validate=Length(max=200))
    site_postal_code = Text(validate=Length(max=10))
    site_city = Text(validate=Length(max=80))
    district_id = DatabaseId(allow_none=True)
    required_skill_ids = fields.Method(
        "_skill_ids",
        deserialize="_load_skill_ids",
        metadata={
            "type": "array",
            "items": {"type": "integer", "minimum": 1, "maximum": MAX_DATABASE_ID},
            "description": "Skills from GET /api/v1/skills.",
        },
    )
    site_supervision = fields.Boolean(
        metadata={"description": "Someone at the site guides the workers (covers levels 0–1)."}
    )
    headcount = fields.Integer(strict=True, metadata={"description": "People per shift."})
    shift_minutes = fields.Integer(strict=True, metadata={"description": "Length of a shift."})
    first_date = fields.Date(allow_none=True)
    last_date = fields.Date(allow_none=True)
    preferred_start = fields.Time(allow_none=True)
    preferred_end = fields.Time(allow_none=True)
    dates = fields.List(fields.Nested(TaskDateSchema))
    recurrence = Text(allow_none=True, validate=Length(max=200))
    include_public_holidays = fields.Boolean()
    physical_demands = Text(multiline=True, validate=Length(max=2000))
    what_to_bring = Text(multiline=True, validate=Length(max=2000))
    site_contact_name = Text(validate=Length(max=120))
    site_contact_phone = Text(validate=Length(max=40))
    submit = fields.Boolean(
        load_only=True,
        load_default=False,
        metadata={
            "description": "true: send the task to the instructors at once (it must be "
            "complete); false: save a draft (POST) or only save the changes (PATCH)."
        },
    )
    status = fields.Enum(TaskStatus, by_value=True, dump_only=True)
    status_reason = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Why the task was rejected, sent back or cancelled."},
    )
    group_id = fields.Integer(
        dump_only=True, allow_none=True, metadata={"description": "The group that took it."}
    )
    allowed_actions = fields.Method(
        "_actions",
        dump_only=True,
        metadata={"type": "array", "items": {"type": "string"},
                  "description": TASK_ACTIONS_DESCRIPTION},
    )  # fmt: skip
    history = fields.List(fields.Nested(TaskEventSchema), attribute="events", dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)

    def _skill_ids(self, task: Any) -> list[int]:
        return [s.id for s in task.required_skills]

    def _load_skill_ids(self, value: Any) -> list[int]:
        return _load_ids(value)

    def _actions(self, task: Any) -> list[str]:
        from jobcenter.units.lifecycle import allowed_actions

        return sorted(allowed_actions(task, self.viewer))


class AcceptSchema(Schema):
    """Accept a submitted task into a group's pool."""

    group_id = DatabaseId(
        required=True,
        metadata={"description": "One of the instructor's own groups (an admin: any group)."},
    )


class ReasonSchema(Schema):
    """Reject, ask for changes or cancel: the reason is shown to the unit."""

    reason = Text(required=True, multiline=True, validate=Length(1, 2000))


class FeedbackSchema(Schema):
    """Confirm the work was done (rating optional) or give feedback afterwards (rating
    required)."""

    rating = fields.Integer(strict=True, allow_none=True, load_default=None, validate=Range(1, 5))
    comment = Text(multiline=True, load_default="", validate=Length(max=2000))
