"""Tasks: units post and follow their work, instructors answer it.

Same rules and permissions as the web pages: the handlers call
`jobcenter.units.posting` (create, change) and `jobcenter.units.lifecycle` (moves).
A task outside the user's scope is 404 (a unit contact of unit A cannot learn that
unit B's task exists; an instructor does not see drafts).

Moves are action endpoints, one per transition, all `POST /tasks/{task_id}/<action>`:
`submit`, `accept` (body `{"group_id": …}`), `reject`, `request-changes` and `cancel`
(body `{"reason": "…"}`), `mark-done`, `confirm` and `feedback` (body
`{"rating": 1–5, "comment": "…"}`). Each answers with the task as it now is. A role that
may never make the move is 403, a task in the wrong state 409, bad input 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response, load_json
from jobcenter.api.openapi import doc
from jobcenter.api.pagination import paginate
from jobcenter.core.authz import get_visible, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import ValidationFailed
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.units import lifecycle, posting
from jobcenter.units.models import Task, TaskEvent, TaskStatus, Unit
from jobcenter.units.schemas import AcceptSchema, FeedbackSchema, ReasonSchema, TaskSchema

TAGS = ["tasks"]
READERS = (Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.MANAGER, Role.ADMIN)
ACTORS = (Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.ADMIN)
ANSWERERS = (Role.INSTRUCTOR, Role.ADMIN)
UNIT_SIDE = (Role.UNIT_CONTACT, Role.ADMIN)
MOVE_ERRORS = (409,)


def _dump(task: Task) -> dict[str, Any]:
    return TaskSchema(viewer=current_user).dump(task)


def _visible(task_id: int) -> Task:
    return get_visible(Task, task_id, current_user)


def _status_filter() -> TaskStatus | None:
    raw = request.args.get("status")
    if raw is None or raw == "":
        return None
    try:
        return TaskStatus(raw)
    except ValueError:
        raise ValidationFailed(
            {"status": [_("Choose one of: %(choices)s.", choices=", ".join(TaskStatus))]}
        ) from None


@bp.get("/tasks")
@doc(
    summary="List tasks",
    response=TaskSchema,
    paginated=True,
    tags=TAGS,
    query={"status": {"type": "string", "enum": [s.value for s in TaskStatus]}},
)
@require_roles(*READERS)
def list_tasks() -> Response:
    """The tasks the user may see, ordered by id: a unit contact their unit's, an
    instructor every task sent to the instructors (not drafts), managers and admins all.
    Filter with `?status=` (draft, submitted, changes_requested, accepted, rejected,
    scheduled, done, confirmed, cancelled)."""
    status = _status_filter()
    stmt = sa.select(Task).options(
        selectinload(Task.unit),
        selectinload(Task.required_skills),
        selectinload(Task.events).selectinload(TaskEvent.actor),
        selectinload(Task.dates),
    )
    if status is not None:
        stmt = stmt.where(Task.status == status)
    schema = TaskSchema(many=True, viewer=current_user)
    return paginate(scope(stmt, Task, current_user), Task.id, schema.dump)


@bp.get("/tasks/<db_id:task_id>")
@doc(summary="One task", response=TaskSchema, tags=TAGS)
@require_roles(*READERS)
def get_task(task_id: int) -> Response:
    """A task the user may see, with its history and the moves the user may make."""
    return json_response(_dump(_visible(task_id)))


def _unit_for_new_task(unit_id: int | None) -> Unit:
    if current_user.role == Role.UNIT_CONTACT:
        if unit_id not in (None, current_user.unit_id):
            raise ValidationFailed({"unit_id": [_("You can post tasks for your own unit only.")]})
        return db.session.get(Unit, current_user.unit_id)
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None:
        raise ValidationFailed({"unit_id": [_("Choose the unit that orders the work.")]})
    return unit


@bp.post("/tasks")
@doc(
    summary="Post a task",
    body=TaskSchema,
    response=TaskSchema,
    status=201,
    errors=(409,),
    tags=TAGS,
    response_headers={
        "Location": {"description": "The new task's URL.", "schema": {"type": "string"}}
    },
)
@require_roles(*UNIT_SIDE)
def create_task() -> Response:
    """A new task of the unit: a draft, or sent to the instructors at once with
    `"submit": true` (then it must be complete: a schedule and a start time). Invalid
    input stores nothing."""
    data = load_json(TaskSchema())
    submit = data.pop("submit", False)
    unit = _unit_for_new_task(data.pop("unit_id", None))
    with unit_of_work():
        task = posting.create_task(
            db.session, unit=unit, actor=current_user, values=data, submit=submit
        )
    location = url_for("api.get_task", task_id=task.id, _external=True)
    return json_response(_dump(task), status=201, headers={"Location": location})


@bp.patch("/tasks/<db_id:task_id>")
@doc(
    summary="Change a task",
    body=TaskSchema(partial=True),
    response=TaskSchema,
    errors=(409,),
    tags=TAGS,
)
@require_roles(*ACTORS)
def update_task(task_id: int) -> Response:
    """Change the fields sent. The unit's contacts may change a task until it is done;
    the supervising instructor once it is accepted. Changes to an accepted task are
    carried to its future shifts (shifts with confirmed people are flagged for review).
    `"submit": true` sends a draft or a task sent back for changes to the instructors."""
    task = _visible(task_id)
    data = load_json(TaskSchema(partial=True))
    submit = data.pop("submit", False)
    if "unit_id" in data and data.pop("unit_id") not in (None, task.unit_id):
        raise ValidationFailed({"unit_id": [_("A task cannot move to another unit.")]})
    with unit_of_work():
        posting.update_task(db.session, task, actor=current_user, values=data, submit=submit)
    return json_response(_dump(task))


# ---------------------------------------------------------------- moves


def _move(task_id: int, run: Callable[[Task], Any]) -> Response:
    task = _visible(task_id)
    with unit_of_work():
        run(task)
    db.session.refresh(task)
    return json_response(_dump(task))


@bp.post("/tasks/<db_id:task_id>/submit")
@doc(summary="Send a task to the instructors", response=TaskSchema, errors=MOVE_ERRORS,
     tags=TAGS)  # fmt: skip
@require_roles(*UNIT_SIDE)
def submit_task(task_id: int) -> Response:
    """draft or changes_requested → submitted. A task that is not complete is refused
    with 422 and what it lacks per field. No body."""
    return _move(task_id, lambda t: lifecycle.submit(db.session, t, current_user))


@bp.post("/tasks/<db_id:task_id>/accept")
@doc(summary="Accept a task", body=AcceptSchema, response=TaskSchema, errors=MOVE_ERRORS,
     tags=TAGS)  # fmt: skip
@require_roles(*ANSWERERS)
def accept_task(task_id: int) -> Response:
    """submitted → accepted into the group's pool (→ scheduled as soon as shifts are
    made). An instructor chooses one of their own groups; an admin any group. The unit's
    contacts are told."""
    task = _visible(task_id)
    data = load_json(AcceptSchema())
    return _move(task.id, lambda t: lifecycle.accept(db.session, t, current_user, data["group_id"]))


def _reason_move(task_id: int, action: Callable[..., Any]) -> Response:
    task = _visible(task_id)
    data = load_json(ReasonSchema())
    return _move(task.id, lambda t: action(db.session, t, current_user, data["reason"]))


@bp.post("/tasks/<db_id:task_id>/reject")
@doc(summary="Reject a task", body=ReasonSchema, response=TaskSchema, errors=MOVE_ERRORS,
     tags=TAGS)  # fmt: skip
@require_roles(*ANSWERERS)
def reject_task(task_id: int) -> Response:
    """submitted → rejected, with the reason the unit sees."""
    return _reason_move(task_id, lifecycle.reject)


@bp.post("/tasks/<db_id:task_id>/request-changes")
@doc(summary="Ask the unit for changes", body=ReasonSchema, response=TaskSchema,
     errors=MOVE_ERRORS, tags=TAGS)  # fmt: skip
@require_roles(*ANSWERERS)
def request_task_changes(task_id: int) -> Response:
    """submitted → changes_requested, with what to change; the unit edits and submits
    again."""
    return _reason_move(task_id, lifecycle.request_changes)


@bp.post("/tasks/<db_id:task_id>/cancel")
@doc(summary="Cancel a task", body=ReasonSchema, response=TaskSchema, errors=MOVE_ERRORS,
     tags=TAGS)  # fmt: skip
@require_roles(*ACTORS)
def cancel_task(task_id: int) -> Response:
    """Any state before done → cancelled, with a reason. Future shifts are cancelled and
    the people on them told. The unit's contacts may cancel; the supervising instructor
    once the task is accepted."""
    return _reason_move(task_id, lifecycle.cancel)


@bp.post("/tasks/<db_id:task_id>/mark-done")
@doc(summary="Mark a task done", response=TaskSchema, errors=MOVE_ERRORS, tags=TAGS)
@require_roles(*ACTORS)
def mark_task_done(task_id: int) -> Response:
    """scheduled → done, when no shift is still to come. The unit's contacts or the
    supervising instructor. No body."""
    return _move(task_id, lambda t: lifecycle.mark_done(db.session, t, current_user))


@bp.post("/tasks/<db_id:task_id>/confirm")
@doc(summary="Confirm the work was done", body=FeedbackSchema, response=TaskSchema,
     errors=MOVE_ERRORS, tags=TAGS)  # fmt: skip
@require_roles(*UNIT_SIDE)
def confirm_task(task_id: int) -> Response:
    """done → confirmed by the unit, optionally with feedback (rating 1–5, comment)."""
    task = _visible(task_id)
    data = load_json(FeedbackSchema())
    return _move(
        task.id,
        lambda t: lifecycle.confirm(
            db.session, t, current_user, rating=data["rating"], comment=data["comment"]
        ),
    )


@bp.post("/tasks/<db_id:task_id>/feedback")
@doc(summary="Give feedback on confirmed work", body=FeedbackSchema, response=TaskSchema,
     errors=MOVE_ERRORS, tags=TAGS)  # fmt: skip
@require_roles(*UNIT_SIDE)
def give_task_feedback(task_id: int) -> Response:
    """Feedback after confirmation, once per task: rating 1–5 (required) and a comment."""
    task = _visible(task_id)
    data = load_json(FeedbackSchema())
    return _move(
        task.id,
        lambda t: lifecycle.give_feedback(
            db.session, t, current_user, rating=data["rating"], comment=data["comment"]
        ),
    )
