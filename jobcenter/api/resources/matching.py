"""Matching runs: start one for a group's week, read its status and result, publish.

Only the group's instructor (or an admin) may run or read a group's matching; a group
outside the user's scope is 404. The run is solved in the background: POST answers 202
at once with a Location to poll. The result carries participant and shift ids, the
proposals and, for every unfilled slot, the reasons as stable codes with parameters
(an English message is included for reference); no other participant data.

Publishing offers the proposals; for people whose instructor confirms for them the
shifts are confirmed at once. A hand change (remove proposals, add people, or both:
a replacement or an exchange) is checked as one change with the engine's rules and
either applied entirely or refused with 422 and every reason."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from jobcenter.accounts.schemas import DatabaseId
from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response, load_json
from jobcenter.api.openapi import doc
from jobcenter.core import audit
from jobcenter.core.authz import get_visible
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed, problem
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.matching import operations
from jobcenter.matching.models import MatchingRun, RunStatus
from jobcenter.participants.models import Group, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift

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
    confirmed = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "Assignments confirmed now, for people whose instructor "
            "confirms for them (they get no offer to answer)."
        },
    )


class AdditionSchema(Schema):
    participant_id = DatabaseId(required=True)
    shift_id = DatabaseId(required=True)


class ChangeRequestSchema(Schema):
    """One hand change: proposals to remove and people to add, checked together.
    A replacement removes A's proposal and adds B to the same shift; an exchange
    removes A on X and B on Y and adds B to X and A to Y."""

    remove = fields.List(
        DatabaseId(),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "Ids of PROPOSED assignments of the run's week."},
    )
    add = fields.List(
        fields.Nested(AdditionSchema),
        load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "People of the run's group to put on shifts of its week."},
    )


class ChangeResultSchema(Schema):
    removed = fields.List(fields.Dict(), required=True)
    added = fields.List(fields.Dict(), required=True)


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
        changed = operations.publish(db.session, current_user, run)

    def rows(status: AssignmentStatus) -> list[dict[str, int]]:
        return [
            {"id": a.id, "shift_id": a.shift_id, "participant_id": a.participant_id}
            for a in changed
            if a.status == status
        ]

    return json_response(
        {
            "run": _dump(run),
            "offered": rows(AssignmentStatus.OFFERED),
            "confirmed": rows(AssignmentStatus.CONFIRMED),
        }
    )


@bp.post("/matching/runs/<db_id:run_id>/changes")
@doc(
    summary="Change a run's proposals by hand (add, remove, replace, exchange)",
    body=ChangeRequestSchema,
    response=ChangeResultSchema,
    errors=(409,),
    tags=TAGS,
)
@require_roles(*RUNNERS)
def change_matching_run(run_id: int) -> Response:
    """Remove proposals and add people as ONE change. The additions are checked with
    the engine's hard rules against the roster without the removals (the other
    additions included). Refused: 422 with `problems`, each naming the participant,
    the shift and the reasons (`code`, `params`, English `message`); nothing changes."""
    run = _visible_run(run_id)
    data = load_json(ChangeRequestSchema())
    if run.status != RunStatus.DONE:
        raise DomainError(_("The matching run has not finished yet."))
    errors: dict[str, list[str]] = {}
    week = operations._run_shift_ids(db.session, run)
    removals = []
    for assignment_id in data["remove"]:
        assignment = db.session.get(Assignment, assignment_id)
        if assignment is None or assignment.shift_id not in week:
            errors.setdefault("remove", []).append(
                _("Assignment %(id)d is not on this run's board.", id=assignment_id)
            )
        else:
            removals.append(assignment)
    additions = []
    for item in data["add"]:
        person = db.session.get(Participant, item["participant_id"])
        shift = db.session.get(Shift, item["shift_id"])
        if person is None or person.group_id != run.group_id:
            errors.setdefault("add", []).append(_("Choose a participant of the group."))
        elif shift is None or shift.id not in week:
            errors.setdefault("add", []).append(
                _("Shift %(id)d is not on this run's board.", id=item["shift_id"])
            )
        else:
            additions.append((person, shift))
    if errors:
        raise ValidationFailed(errors)
    if len({a.id for a in removals}) != len(removals):
        raise ValidationFailed({"remove": [_("Each assignment can be removed once.")]})
    try:
        with unit_of_work():
            change = operations.hand_change(
                db.session, current_user, run, remove=removals, add=additions, why="changed by API"
            )
            for pid, _sid in change.removed:
                audit.record("planning_assignment_removed", run, participant_id=pid)
            for a in change.added:
                audit.record("planning_assignment_added", a, participant_id=a.participant_id)
    except operations.ChangeRefused as exc:
        return problem(
            422,
            _("The action is not possible"),
            exc.message,
            problems=[
                {
                    "participant_id": p.participant.id,
                    "shift_id": p.shift.id,
                    "reasons": [r.as_dict() for r in p.reasons],
                }
                for p in exc.problems
            ],
        )
    return json_response(
        {
            "removed": [{"participant_id": pid, "shift_id": sid} for pid, sid in change.removed],
            "added": [
                {"id": a.id, "participant_id": a.participant_id, "shift_id": a.shift_id}
                for a in change.added
            ],
        }
    )
