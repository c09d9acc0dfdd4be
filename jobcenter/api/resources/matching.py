"""Matching runs: start one for a group's week, read its status and result, publish.

Only the group's instructor (or an admin) may run or read a group's matching; a group
outside the user's scope is 404. The run is solved in the background: POST answers 202
at once with a Location to poll. The result carries participant and shift ids, the
proposals and, for every unfilled slot, the reasons as stable codes with parameters
(an English message is included for reference); no other participant data.

`GET …/why-not?participant=&shift=` answers why one person of the group is not on one
shift of the week, checked with the engine's rules against the board as it is now:
every rule that stops them (codes, params and a sentence in the asked language), or
that the slots went to others and what spoke for them. Each answer is written to the
audit log for that participant.

Publishing offers the proposals; for people whose instructor confirms for them the
shifts are confirmed at once. A hand change (remove proposals, add people, or both:
a replacement or an exchange) is checked as one change with the engine's rules and
either applied entirely or refused with 422 and every reason."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import api_locale, json_response, load_json
from jobcenter.api.openapi import doc
from jobcenter.core import audit
from jobcenter.core.authz import MAX_DB_ID, get_visible
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed, problem
from jobcenter.core.schemas import DatabaseId
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.matching import operations, wording
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


class WhyNotReasonSchema(Schema):
    code = fields.String(
        required=True,
        metadata={
            "description": "A hard rule (`day_away`, `skills`, `weekly_hours`, …), or "
            "`better_fit_chosen` (no rule stops them; the slots went to others, "
            "`params.chosen`), `could_be_added`, `assigned`/`locked` (on the shift), "
            "`no_plan_this_week`, `shift_not_open`."
        },
    )
    params = fields.Dict(required=True)
    text = fields.String(required=True, metadata={"description": "In the asked language."})
    message = fields.String(required=True, metadata={"description": "The engine's English."})


class WhyNotFactorSchema(Schema):
    code = fields.String(
        required=True,
        metadata={"enum": ["fairness", "continuity", "preference", "whole_week"]},
    )
    participant_ids = fields.List(fields.Integer(), required=True)
    text = fields.String(required=True)


class WhyNotSchema(Schema):
    """Why one participant is (not) on one shift of the run's week."""

    run_id = fields.Integer(required=True)
    participant_id = fields.Integer(required=True)
    shift_id = fields.Integer(required=True)
    chosen = fields.Boolean(
        required=True, metadata={"description": "True when the person is on the shift."}
    )
    holders = fields.List(
        fields.Integer(),
        required=True,
        metadata={"description": "Ids of the group's participants on the shift now."},
    )
    reasons = fields.List(fields.Nested(WhyNotReasonSchema), required=True)
    factors = fields.List(
        fields.Nested(WhyNotFactorSchema),
        required=True,
        metadata={
            "description": "With `better_fit_chosen`: what spoke for the people chosen "
            "(fairness, continuity, preference, or the whole week)."
        },
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


def _id_arg(name: str, message: str, errors: dict[str, list[str]]) -> int | None:
    raw = request.args.get(name, "")
    if raw.isdigit() and 0 < int(raw) <= MAX_DB_ID:
        return int(raw)
    errors[name] = [message]
    return None


@bp.get("/matching/runs/<db_id:run_id>/why-not")
@doc(
    summary="Why a participant is not on a shift",
    response=WhyNotSchema,
    errors=(409,),
    localized=True,
    tags=TAGS,
    query={
        "participant": {
            "type": "integer",
            "minimum": 1,
            "description": "Required: a participant of the run's group (else 422; "
            "outside your groups 404).",
        },
        "shift": {
            "type": "integer",
            "minimum": 1,
            "description": "Required: a shift of the run's week (else 404).",
        },
    },
)
@require_roles(*RUNNERS)
def why_not_matching_run(run_id: int) -> Response:
    """Every hard rule that stops the participant from taking the shift, checked with
    the engine against the board as it is now (hand changes included); or, when no rule
    stops them, `better_fit_chosen` naming the people who hold the slots and `factors`
    saying what spoke for them. `chosen` is true when the person is on the shift. 409
    while the run is not done. The answer is written to the audit log."""
    run = _visible_run(run_id)
    errors: dict[str, list[str]] = {}
    participant_id = _id_arg(
        "participant", _("Send the participant's id as a positive whole number."), errors
    )
    shift_id = _id_arg("shift", _("Send the shift's id as a positive whole number."), errors)
    if errors:
        raise ValidationFailed(errors)
    person = get_visible(Participant, participant_id, current_user)  # type: ignore[arg-type]
    shift = db.session.get(Shift, shift_id)
    if shift is None or shift.id not in operations._run_shift_ids(db.session, run):
        abort(404, description=_("This shift is not on the board."))
    answer = operations.why_not(db.session, run, person, shift)
    with unit_of_work():
        audit.record(
            "planning_why_not_viewed",
            run,
            participant_id=person.id,
            detail={"shift_id": shift.id, "via": "api"},
        )
    people = [person, *answer.holders]
    chosen = [int(c) for r in answer.reasons for c in (r.params or {}).get("chosen", [])]
    if chosen:
        people += db.session.scalars(sa.select(Participant).where(Participant.id.in_(chosen))).all()
    names = operations.names_for(db.session, [shift], people)
    words = wording.why_not(answer, names)
    return json_response(
        {
            "run_id": run.id,
            "participant_id": person.id,
            "shift_id": shift.id,
            "chosen": answer.chosen,
            "holders": [p.id for p in answer.holders],
            "reasons": [
                {
                    "code": str(r.code),
                    "params": dict(r.params or {}),
                    "text": text,
                    "message": r.message,
                }
                for r, text in zip(answer.reasons, words.reasons, strict=True)
            ],
            "factors": [
                f.as_dict() | {"text": text}
                for f, text in zip(answer.factors, words.factors, strict=True)
            ],
        },
        headers={"Content-Language": api_locale()},
    )
