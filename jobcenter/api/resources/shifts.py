"""Shifts. Each role sees its own rows (`jobcenter.scheduling.policies`): a unit contact
the shifts of their unit's tasks, an instructor those of their groups and people,
managers and admins all. A unit sees who is coming by first name and the instructor's
contact, never a participant's personal data.

The instructor of the task's group (or of the shift) and admins may act on a coming
shift (`jobcenter.scheduling.review`): take a task change waiting on it, keep it as it
is, or cancel it with a reason."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Response, request
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import selectinload

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import api_locale, json_response, load_json, query_day_range
from jobcenter.api.openapi import doc
from jobcenter.api.pagination import paginate
from jobcenter.core import clock
from jobcenter.core.authz import get_visible, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import ValidationFailed
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.participants.models import Instructor, Participant
from jobcenter.scheduling import review
from jobcenter.scheduling.models import Assignment, Shift
from jobcenter.scheduling.schemas import ShiftSchema

TAGS = ["shifts"]
READERS = (Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.MANAGER, Role.ADMIN)
MAX_TASK_ID = 2_147_483_647


def _loaded(stmt: sa.Select) -> sa.Select:
    return stmt.options(
        selectinload(Shift.task),
        selectinload(Shift.instructor).selectinload(Instructor.user),
        selectinload(Shift.assignments)
        .selectinload(Assignment.participant)
        .selectinload(Participant.user),
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.HELSINKI)


def _filters() -> tuple[date | None, date | None, int | None]:
    errors: dict[str, list[str]] = {}
    first, last = query_day_range(errors)  # given but empty is as wrong as any non-date
    task_id = None
    raw_task = request.args.get("task_id")
    if raw_task is not None:
        if raw_task.isdigit() and 1 <= int(raw_task) <= MAX_TASK_ID:
            task_id = int(raw_task)
        else:
            errors["task_id"] = [_("Send a task id (a whole number).")]
    if errors:
        raise ValidationFailed(errors)
    return first, last, task_id


@bp.get("/shifts")
@doc(
    summary="List shifts",
    response=ShiftSchema,
    paginated=True,
    localized=True,
    tags=TAGS,
    query={
        "from": {"type": "string", "format": "date", "description": "First day (Helsinki)"},
        "to": {"type": "string", "format": "date", "description": "Last day (Helsinki)"},
        "task_id": {"type": "integer", "minimum": 1, "description": "Only this task's shifts"},
    },
)
@require_roles(*READERS)
def list_shifts() -> Response:
    """The shifts the user may see, ordered by id. Filters: `?from=YYYY-MM-DD` and
    `?to=YYYY-MM-DD` (days in Helsinki time, both included) and `?task_id=`."""
    first, last, task_id = _filters()
    stmt = sa.select(Shift)
    if first is not None:
        stmt = stmt.where(Shift.starts_at >= _local_midnight(first))
    if last is not None:
        stmt = stmt.where(Shift.starts_at < _local_midnight(last + timedelta(days=1)))
    if task_id is not None:
        stmt = stmt.where(Shift.task_id == task_id)
    locale = api_locale()
    schema = ShiftSchema(many=True, viewer=current_user, locale=locale)
    response = paginate(_loaded(scope(stmt, Shift, current_user)), Shift.id, schema.dump)
    response.headers["Content-Language"] = locale
    return response


def _shift_response(shift: Shift) -> Response:
    """One shift as the user may see it; a reason the system wrote in their language."""
    locale = api_locale()
    body = ShiftSchema(viewer=current_user, locale=locale).dump(shift)
    return json_response(body, headers={"Content-Language": locale})


@bp.get("/shifts/<db_id:shift_id>")
@doc(summary="One shift", response=ShiftSchema, localized=True, tags=TAGS)
@require_roles(*READERS)
def get_shift(shift_id: int) -> Response:
    """A shift the user may see; 404 for any other."""
    return _shift_response(get_visible(Shift, shift_id, current_user))


# ---------------------------------------------------------------- acting on one shift


class CancelShiftSchema(Schema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=review.REASON_MAX),
        metadata={"description": "Why the shift is called off; its people are told."},
    )


@bp.post("/shifts/<db_id:shift_id>/move")
@doc(
    summary="Take the task change waiting on a shift",
    response=ShiftSchema,
    errors=(403, 404, 409),
    localized=True,
    tags=TAGS,
)
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def move_shift(shift_id: int) -> Response:
    """The shift takes the task's time, places and supervision for its day, and the
    people on it are told; a day the task no longer has is cancelled. 409 when no
    change is waiting, the shift has started, or more people are on it than the task
    now has places."""
    shift = get_visible(Shift, shift_id, current_user)  # the rules check who may act
    with unit_of_work():
        review.move_to_task(db.session, shift, current_user)
    return _shift_response(shift)


@bp.post("/shifts/<db_id:shift_id>/keep")
@doc(
    summary="Keep a changed shift as it is",
    response=ShiftSchema,
    errors=(403, 404, 409),
    localized=True,
    tags=TAGS,
)
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def keep_shift(shift_id: int) -> Response:
    """The people and the unit agreed to keep the shift as it was: the flag is cleared."""
    shift = get_visible(Shift, shift_id, current_user)  # the rules check who may act
    with unit_of_work():
        review.keep_as_is(db.session, shift, current_user)
    return _shift_response(shift)


@bp.post("/shifts/<db_id:shift_id>/cancel")
@doc(
    summary="Cancel a coming shift",
    body=CancelShiftSchema,
    response=ShiftSchema,
    errors=(403, 404, 409),
    localized=True,
    tags=TAGS,
)
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def cancel_shift(shift_id: int) -> Response:
    """Cancel one coming shift with a reason; its open places are withdrawn and the
    people who knew about it are told."""
    shift = get_visible(Shift, shift_id, current_user)  # the rules check who may act
    data = load_json(CancelShiftSchema())
    with unit_of_work():
        review.cancel(db.session, shift, current_user, data["reason"])
    return _shift_response(shift)
