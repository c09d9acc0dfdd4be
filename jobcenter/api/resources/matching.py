"""Matching runs: start one for a group's week, read its status and result, publish.

Only the group's instructor (or an admin) may run or read a group's matching; a group
outside the user's scope is 404. The run is solved in the background: POST answers 202
at once with a Location to poll. The result carries participant and shift ids, the
proposals and, for every unfilled slot, the reasons as stable codes with parameters
(an English message is included for reference); no other participant data."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields

from jobcenter.accounts.schemas import DatabaseId
from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response, load_json
from jobcenter.api.openapi import doc
from jobcenter.core.authz import get_visible
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.matching import operations
from jobcenter.matching.models import MatchingRun, RunStatus
from jobcenter.participants.models import Group

TAGS = ["matching"]
RUNNERS = (Role.INSTRUCTOR, Role.ADMIN)


class RunRequestSchema(Schema):
    """Run matching for one group's week."""

    week_start = fields.Date(
        required=True, metadata={"description": "The week's Monday (YYYY-MM-DD)."}
    )
    group_id = DatabaseId(
        required=True, metadata={"description": "One of the instructor's own groups."}
    )


class MatchingRunSchema(Schema):
    """A matching run. `result` is present once the run is done."""

    id = fields.Integer(required=True)
    group_id = fields.Integer(required=True)
    week_start = fields.Date(required=True)
    status = fields.String(required=True, metadata={"enum": [s.value for s in RunStatus]})
    created_at = fields.DateTime(required=True)
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    error = fields.String(allow_none=True)
    stats = fields.Dict(allow_none=True)
    result = fields.Dict(
        allow_none=True,
        metadata={
            "description": "The engine's solution: `assignments` (participant and shift "
            "ids), `unfilled` (per shift: reasons with `code`, `count`, `params`), "
            "`stages`, `warnings`."
        },
    )


class PublishResultSchema(Schema):
    run = fields.Nested(MatchingRunSchema, required=True)
    offered = fields.List(
        fields.Dict(), required=True, metadata={"description": "Assignments offered now."}
    )


def _dump(run: MatchingRun) -> dict[str, Any]:
    data = MatchingRunSchema().dump(run)
    data["status"] = str(run.status)
    return data


def _visible_run(run_id: int) -> MatchingRun:
    from flask import abort

    run = db.session.get(MatchingRun, run_id) if 0 < run_id <= 2**31 - 1 else None
    if run is None:
        abort(404)
    group = get_visible(Group, run.group_id, current_user)
    if current_user.role == Role.INSTRUCTOR and group.instructor.user_id != current_user.id:
        abort(404)
    return run


@bp.post("/matching/runs")
@doc(
    summary="Run matching for a group's week",
    body=RunRequestSchema,
    response=MatchingRunSchema,
    status=202,
    errors=(404,),
    tags=TAGS,
    response_headers={
        "Location": {"description": "The run's URL to poll.", "schema": {"type": "string"}}
    },
)
@require_roles(*RUNNERS)
def start_matching_run() -> Response:
    """Queue a run; it is solved in the background. Poll the Location for the result."""
    data = load_json(RunRequestSchema())
    week = operations.parse_week(data["week_start"])
    with unit_of_work():
        run = operations.start_run(db.session, current_user, week, data["group_id"])
    operations.execute_run(current_app._get_current_object(), run.id)
    location = url_for("api.get_matching_run", run_id=run.id)
    return json_response(_dump(run), status=202, headers={"Location": location})


@bp.get("/matching/runs/<db_id:run_id>")
@doc(summary="A matching run's status and result", response=MatchingRunSchema, tags=TAGS)
@require_roles(*RUNNERS)
def get_matching_run(run_id: int) -> Response:
    """The run's status; when done, its proposals and the reasons for unfilled slots."""
    return json_response(_dump(_visible_run(run_id)))


@bp.post("/matching/runs/<db_id:run_id>/publish")
@doc(
    summary="Publish a run's proposals as offers",
    response=PublishResultSchema,
    errors=(409,),
    tags=TAGS,
)
@require_roles(*RUNNERS)
def publish_matching_run(run_id: int) -> Response:
    """Proposals become offers to the participants, who are notified. Publishing again
    offers nothing twice."""
    run = _visible_run(run_id)
    if run.status != RunStatus.DONE:
        raise DomainError(_("The matching run has not finished yet."))
    with unit_of_work():
        offered = operations.publish(db.session, current_user, run)
    return json_response(
        {
            "run": _dump(run),
            "offered": [
                {"id": a.id, "shift_id": a.shift_id, "participant_id": a.participant_id}
                for a in offered
            ],
        }
    )
