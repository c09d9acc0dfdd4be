"""A participant's own shifts, answers to offers and availability (`/api/v1/me/…`).

Only participants use these endpoints, and only ever about themselves: every query
goes through the participant's row scope (`jobcenter.scheduling.policies`), so another
person's shift is a 404, never their data. The rules are the same operations the web
pages call (`jobcenter.scheduling.offers`, `jobcenter.participants.availability`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Response, abort
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response, load_json, query_day_range
from jobcenter.api.openapi import doc
from jobcenter.api.pagination import paginate
from jobcenter.catalog.models import TaskKind
from jobcenter.core import clock
from jobcenter.core.authz import MAX_DB_ID, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import ValidationFailed
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.home.dashboards import map_url, own_participant
from jobcenter.participants import availability
from jobcenter.scheduling import offers
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units.models import Task, Unit

TAGS = ["me"]


# ---------------------------------------------------------------- schemas


class TaskKindRefSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "In the response's language."})
    icon = fields.String(required=True)


class ContactSchema(Schema):
    name = fields.String(required=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class MyShiftSchema(Schema):
    """One of the participant's shifts, with their own answer."""

    assignment_id = fields.Integer(required=True)
    shift_id = fields.Integer(required=True)
    status = fields.String(
        required=True,
        metadata={
            "enum": [s.value for s in AssignmentStatus if s != AssignmentStatus.PROPOSED],
            "description": "The participant's assignment: offered, accepted, declined, …",
        },
    )
    shift_status = fields.String(required=True, metadata={"enum": [s.value for s in ShiftStatus]})
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    title = fields.String(required=True)
    task_kind = fields.Nested(TaskKindRefSchema, required=True)
    unit_name = fields.String(required=True)
    address = fields.String(required=True)
    map_url = fields.String(required=True, metadata={"description": "OpenStreetMap search."})
    what_to_bring = fields.String(required=True)
    instructor = fields.Nested(ContactSchema, allow_none=True)
    decline_reason = fields.String(
        allow_none=True, metadata={"enum": [*offers.DECLINE_CODES, None]}
    )
    can_accept = fields.Boolean(required=True)
    can_decline = fields.Boolean(required=True)


class DeclineSchema(Schema):
    reason = fields.String(
        required=True,
        validate=validate.OneOf(offers.DECLINE_CODES),
        metadata={"description": "sick, appointment, not_this_task or other."},
    )
    note = fields.String(
        load_default="", validate=validate.Length(max=offers.NOTE_MAX), metadata={"maxLength": 200}
    )


class WindowSchema(Schema):
    weekday = fields.Integer(
        required=True,
        validate=validate.Range(min=0, max=6),
        metadata={"description": "0 = Monday … 6 = Sunday."},
    )
    start = fields.Time(required=True, format="%H:%M", metadata={"description": "HH:MM"})
    end = fields.Time(required=True, format="%H:%M", metadata={"description": "HH:MM"})


class DayAwaySchema(Schema):
    day = fields.Date(required=True)
    note = fields.String(
        load_default="",
        validate=validate.Length(max=availability.NOTE_MAX),
        metadata={"maxLength": 200},
    )


class AvailabilitySchema(Schema):
    """Weekly windows when the person can work and their days away (today on)."""

    windows = fields.List(
        fields.Nested(WindowSchema),
        required=True,
        validate=validate.Length(max=availability.MAX_WINDOWS),
    )
    days_away = fields.List(
        fields.Nested(DayAwaySchema),
        required=True,
        validate=validate.Length(max=availability.MAX_DAYS_AWAY),
    )


# ---------------------------------------------------------------- helpers


def _participant():
    person = own_participant(db.session, current_user)
    if person is None:
        abort(404, description=_("Your account is not in a group yet."))
    return person


def _contact(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "name": f"{user.first_name} {user.last_name}",
        "phone": user.phone,
        "email": user.email,
    }


def _dump(assignment: Assignment) -> dict[str, Any]:
    shift = assignment.shift
    task = shift.task
    kind = task.task_kind
    address = ", ".join(p for p in (task.site_address, task.site_city) if p)
    instructor = shift.instructor.user if shift.instructor else None
    if instructor is None:
        instructor = assignment.participant.group.instructor.user
    open_shift = shift.status == ShiftStatus.PLANNED and shift.starts_at > clock.now()
    return MyShiftSchema().dump(
        {
            "assignment_id": assignment.id,
            "shift_id": shift.id,
            "status": str(assignment.status),
            "shift_status": str(shift.status),
            "starts_at": shift.starts_at,
            "ends_at": shift.ends_at,
            "title": task.title,
            "task_kind": {"code": kind.code, "name": kind.name(), "icon": kind.icon or "task"},
            "unit_name": task.unit.name,
            "address": address,
            "map_url": map_url(address),
            "what_to_bring": task.what_to_bring or "",
            "instructor": _contact(instructor),
            "decline_reason": assignment.decline_reason,
            "can_accept": open_shift and assignment.status == AssignmentStatus.OFFERED,
            "can_decline": open_shift and assignment.status in offers.DECLINABLE,
        }
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.HELSINKI)


def _dates() -> tuple[date | None, date | None]:
    errors: dict[str, list[str]] = {}
    first, last = query_day_range(errors, years=range(1900, 2201))
    if errors:
        raise ValidationFailed(errors)
    return first, last


def _own_assignment(shift_id: int) -> Assignment:
    person = _participant()
    if not 0 < shift_id <= MAX_DB_ID:
        abort(404)
    assignment = db.session.scalar(
        scope(
            sa.select(Assignment).where(
                Assignment.shift_id == shift_id, Assignment.participant_id == person.id
            ),
            Assignment,
            current_user,
        )
    )
    if assignment is None:
        abort(404)
    return assignment


# ---------------------------------------------------------------- shifts


@bp.get("/me/shifts")
@doc(
    summary="My shifts",
    response=MyShiftSchema,
    paginated=True,
    tags=TAGS,
    query={
        "from": {"type": "string", "format": "date", "description": "First day (Helsinki)"},
        "to": {"type": "string", "format": "date", "description": "Last day (Helsinki)"},
    },
)
@require_roles(Role.PARTICIPANT)
def list_my_shifts() -> Response:
    """The participant's own shifts (offers, answers, confirmed and past ones) in time
    order. Filters: `?from=YYYY-MM-DD` and `?to=YYYY-MM-DD` (days in Helsinki, both
    included)."""
    first, last = _dates()
    person = _participant()
    stmt = (
        sa.select(Assignment)
        .join(Shift, Assignment.shift_id == Shift.id)
        .join(Task, Shift.task_id == Task.id)
        .join(TaskKind, Task.task_kind_id == TaskKind.id)
        .join(Unit, Task.unit_id == Unit.id)
        .where(Assignment.participant_id == person.id)
        .order_by(Shift.starts_at)
    )
    if first is not None:
        stmt = stmt.where(Shift.starts_at >= _local_midnight(first))
    if last is not None:
        stmt = stmt.where(Shift.starts_at < _local_midnight(last + timedelta(days=1)))
    return paginate(
        scope(stmt, Assignment, current_user),
        Assignment.id,
        lambda rows: [_dump(a) for a in rows],
    )


@bp.post("/me/shifts/<db_id:shift_id>/accept")
@doc(summary="Accept an offered shift", response=MyShiftSchema, errors=(404, 409), tags=TAGS)
@require_roles(Role.PARTICIPANT)
def accept_my_shift(shift_id: int) -> Response:
    """Say yes to an offer. When the shift's places were taken by people who answered
    first, the answer is 409 with a message to show; nothing changes."""
    assignment = _own_assignment(shift_id)
    with unit_of_work():
        offers.accept_offer(db.session, assignment, current_user)
    return json_response(_dump(assignment))


@bp.post("/me/shifts/<db_id:shift_id>/decline")
@doc(
    summary="Decline an offered shift",
    body=DeclineSchema,
    response=MyShiftSchema,
    errors=(404, 409),
    tags=TAGS,
)
@require_roles(Role.PARTICIPANT)
def decline_my_shift(shift_id: int) -> Response:
    """Say no to an offer (or to a shift accepted but not yet confirmed), with a reason.
    The place is open again for the instructor."""
    assignment = _own_assignment(shift_id)
    data = load_json(DeclineSchema())
    with unit_of_work():
        offers.decline_offer(db.session, assignment, current_user, data["reason"], data["note"])
    return json_response(_dump(assignment))


# ---------------------------------------------------------------- availability


def _availability_body(person) -> dict[str, Any]:
    windows = availability.windows_of(db.session, person.user_id)
    days = availability.days_away_of(db.session, person.user_id)
    return AvailabilitySchema().dump(
        {
            "windows": [
                {"weekday": w.weekday, "start": w.start_time, "end": w.end_time} for w in windows
            ],
            "days_away": [{"day": d.day, "note": d.note} for d in days],
        }
    )


@bp.get("/me/availability")
@doc(summary="When I can work", response=AvailabilitySchema, tags=TAGS)
@require_roles(Role.PARTICIPANT)
def get_my_availability() -> Response:
    """Weekly windows and the days away from today on."""
    return json_response(_availability_body(_participant()))


@bp.put("/me/availability")
@doc(summary="Set when I can work", body=AvailabilitySchema, response=AvailabilitySchema, tags=TAGS)
@require_roles(Role.PARTICIPANT)
def put_my_availability() -> Response:
    """Replace all weekly windows and the days away from today on (past days stay).
    Windows of a day may not overlap and must end after they start; days away are
    today or later. On any error nothing changes (422 with messages per item)."""
    person = _participant()
    data = load_json(AvailabilitySchema())
    with unit_of_work():
        availability.replace_availability(
            db.session,
            person.user_id,
            [availability.WindowInput(w["weekday"], w["start"], w["end"]) for w in data["windows"]],
            [availability.DayAwayInput(d["day"], d["note"]) for d in data["days_away"]],
        )
    return json_response(_availability_body(person))
