"""The instructor's planning board: pick a week and a group, run matching in the
background, review the proposal by day and site, adjust by hand, lock, publish.

Views stay thin: the rules live in `jobcenter.matching` (operations, engine, explain).
A hand addition is checked with `explain_pair` on the group's week as it stands now and
refused with the engine's reason (422); nothing is written on refusal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from jobcenter.core import audit, clock
from jobcenter.core.authz import get_visible, require_roles, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.extensions import db
from jobcenter.matching import model as m
from jobcenter.matching import operations
from jobcenter.matching.explain import explain_pair
from jobcenter.matching.models import MatchingRun, RunStatus
from jobcenter.participants.models import Group, Participant
from jobcenter.scheduling.models import (
    SLOT_HOLDING,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Shift,
)

bp = Blueprint("planning", __name__)

PLANNERS = (Role.INSTRUCTOR, Role.ADMIN)
ACCEPTED_CODES = {m.ReasonCode.COULD_BE_ADDED}


def _groups() -> list[Group]:
    stmt = scope(sa.select(Group), Group, current_user).order_by(Group.name, Group.id)
    groups = db.session.scalars(stmt).all()
    if current_user.role == Role.INSTRUCTOR:
        groups = [g for g in groups if g.instructor.user_id == current_user.id]
    return list(groups)


def _own_group(group_id: int) -> Group:
    group = get_visible(Group, group_id, current_user)
    if current_user.role == Role.INSTRUCTOR and group.instructor.user_id != current_user.id:
        abort(404)
    return group


def _visible_run(run_id: int) -> MatchingRun:
    run = db.session.get(MatchingRun, run_id) if 0 < run_id <= 2**31 - 1 else None
    if run is None:
        abort(404)
    _own_group(run.group_id)
    return run


def _this_monday() -> date:
    today = clock.today()
    return today - timedelta(days=today.weekday())


@bp.get("/planning")
@require_roles(*PLANNERS)
def index():
    groups = _groups()
    errors: list[str] = []
    week = _this_monday() + timedelta(days=7)
    if request.args.get("week"):
        try:
            week = operations.parse_week(request.args["week"])
        except ValidationFailed as exc:
            errors = [msg for msgs in exc.errors.values() for msg in msgs]
    group = None
    raw = request.args.get("group", "")
    if raw:
        if not raw.isdigit() or not 0 < int(raw) <= 2**31 - 1:
            abort(404)
        group = _own_group(int(raw))
    elif groups:
        group = groups[0]
    runs = []
    if group is not None:
        runs = db.session.scalars(
            sa.select(MatchingRun)
            .where(MatchingRun.group_id == group.id, MatchingRun.week_start == week)
            .order_by(MatchingRun.id.desc())
            .limit(5)
        ).all()
    status = 422 if errors else 200
    return render_template(
        "planning/index.html",
        groups=groups,
        group=group,
        week=week,
        week_value=request.args.get("week") or week.isoformat(),
        errors=errors,
        runs=runs,
    ), status


@bp.post("/planning/runs")
@require_roles(*PLANNERS)
def start():
    raw = request.form.get("group", "")
    if not raw.isdigit() or not 0 < int(raw) <= 2**31 - 1:
        abort(404)
    group = _own_group(int(raw))
    try:
        week = operations.parse_week(request.form.get("week", ""))
    except ValidationFailed as exc:
        return render_template(
            "planning/index.html",
            groups=_groups(),
            group=group,
            week=_this_monday(),
            week_value=request.form.get("week", ""),
            errors=[msg for msgs in exc.errors.values() for msg in msgs],
            runs=[],
        ), 422
    run = operations.start_run(db.session, current_user, week, group.id)
    db.session.commit()
    operations.execute_run(current_app._get_current_object(), run.id)
    flash(_("Matching started. The board appears when it is ready."), "success")
    return redirect(url_for("planning.run", run_id=run.id), code=303)


# ---------------------------------------------------------------- the board


def _week_shifts(run: MatchingRun) -> list[Shift]:
    first, last = operations._week_bounds(run.week_start)
    from jobcenter.units.models import Task

    return list(
        db.session.scalars(
            sa.select(Shift)
            .join(Shift.task)
            .where(
                Task.group_id == run.group_id,
                Shift.starts_at >= first,
                Shift.starts_at < last,
            )
            .options(
                selectinload(Shift.task),
                selectinload(Shift.assignments)
                .selectinload(Assignment.participant)
                .selectinload(Participant.user),
            )
            .order_by(Shift.starts_at, Shift.id)
        ).all()
    )


def _members(group: Group) -> list[Participant]:
    return list(
        db.session.scalars(
            sa.select(Participant)
            .where(Participant.group_id == group.id, Participant.anonymised_at.is_(None))
            .options(selectinload(Participant.user))
        ).all()
    )


def _board(run: MatchingRun) -> dict:
    shifts = _week_shifts(run)
    unfilled = {
        str(u["shift"]): u.get("reasons", []) for u in (run.result or {}).get("unfilled", [])
    }
    days: dict[date, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for shift in shifts:
        local = clock.to_local(shift.starts_at)
        holders = sorted(
            (a for a in shift.assignments if a.status in SLOT_HOLDING),
            key=lambda a: (a.participant.user.last_name, a.participant.user.first_name),
        )
        site = f"{shift.task.site_address}, {shift.task.site_city}".strip(", ")
        days[local.date()][site].append(
            {
                "shift": shift,
                "start": local,
                "end": clock.to_local(shift.ends_at),
                "holders": holders,
                "open": max(shift.slots - len(holders), 0),
                "reasons": unfilled.get(str(shift.id), []) if len(holders) < shift.slots else [],
            }
        )
    return {day: dict(sorted(sites.items())) for day, sites in sorted(days.items())}


def _render_run(run: MatchingRun, errors: list[str] | None = None, status: int = 200):
    group = _own_group(run.group_id)
    board = _board(run) if run.status == RunStatus.DONE else {}
    working = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    auto_refresh = working and request.args.get("auto") != "0"
    if board:
        audit.record("planning_board_viewed", run, detail={"group_id": group.id})
        db.session.commit()
    page = render_template(
        "planning/run.html",
        run=run,
        auto_refresh=auto_refresh,
        group=group,
        board=board,
        members=sorted(_members(group), key=lambda p: (p.user.last_name, p.user.first_name)),
        warnings=(run.result or {}).get("warnings", []),
        errors=errors or [],
        RunStatus=RunStatus,
        AssignmentStatus=AssignmentStatus,
    )
    # While the worker runs, the browser asks again every 2 s (no script needed); the
    # page offers a link to stop it (WCAG 2.2.1).
    headers = {"Refresh": "2"} if auto_refresh else {}
    return page, status, headers


@bp.get("/planning/runs/<int:run_id>")
@require_roles(*PLANNERS)
def run(run_id: int):
    return _render_run(_visible_run(run_id))


def _shift_of_run(run: MatchingRun, raw: str | None) -> Shift:
    if not raw or not raw.isdigit():
        abort(404)
    shift = next((s for s in _week_shifts(run) if s.id == int(raw)), None)
    if shift is None:
        abort(404)
    return shift


def _ready(run: MatchingRun) -> None:
    if run.status != RunStatus.DONE:
        raise DomainError(_("The matching run has not finished yet."))


def _set_result(run: MatchingRun, add: tuple[int, int] | None, drop: tuple[int, int] | None):
    """Keep the run's proposals in step with hand changes, so publishing offers them."""
    result = dict(run.result or {})
    rows = [
        a
        for a in result.get("assignments", [])
        if drop is None or (int(a["participant"]), int(a["shift"])) != drop
    ]
    if add is not None:
        rows.append({"participant": str(add[0]), "shift": str(add[1]), "locked": False})
    result["assignments"] = rows
    run.result = result


def _refusal(run: MatchingRun, shift: Shift, person: Participant) -> list[str]:
    """Why `person` may not be added to `shift` now; empty when the rules allow it."""
    instance = operations.build_instance(db.session, run.week_start, run.group_id)
    proposed = [
        m.Proposal(str(a.participant_id), str(s.id))
        for s in _week_shifts(run)
        for a in s.assignments
        if a.status == AssignmentStatus.PROPOSED and not a.is_locked
    ]
    ids_p = {p.id for p in instance.participants}
    ids_s = {s.id for s in instance.shifts}
    if str(person.id) not in ids_p:
        return [_("This person has no plan in force this week.")]
    if str(shift.id) not in ids_s:
        return [_("This shift has no free slots.")]
    solution = m.Solution(
        assignments=tuple(p for p in proposed if p.participant in ids_p and p.shift in ids_s),
        slot_minutes=0,
        upper_bound_minutes=0,
        tier="hand",
        proven_optimal=False,
    )
    reasons = explain_pair(instance, solution, str(person.id), str(shift.id))
    out = []
    for reason in reasons:
        if reason.code in ACCEPTED_CODES:
            continue
        if reason.code in (m.ReasonCode.ASSIGNED, m.ReasonCode.LOCKED):
            out.append(_("This person is already on the shift."))
        elif reason.code is m.ReasonCode.BETTER_FIT_CHOSEN:
            out.append(_("This shift has no free slots."))
        else:
            out.append(reason.message)
    return out


@bp.post("/planning/runs/<int:run_id>/add")
@require_roles(*PLANNERS)
def add(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    shift = _shift_of_run(run, request.form.get("shift"))
    raw = request.form.get("participant", "")
    person = None
    if raw.isdigit():
        person = db.session.get(Participant, int(raw)) if int(raw) <= 2**31 - 1 else None
    if person is None or person.group_id != run.group_id:
        return _render_run(run, [_("Choose a participant of the group.")], 422)
    reasons = _refusal(run, shift, person)
    if reasons:
        db.session.rollback()
        name = f"{person.user.first_name} {person.user.last_name}"
        return _render_run(
            run,
            [
                _("%(name)s cannot take this shift: %(reason)s", name=name, reason=r)
                for r in reasons
            ],
            422,
        )
    assignment = Assignment(shift=shift, participant_id=person.id)
    assignment.status = AssignmentStatus.PROPOSED
    db.session.add(assignment)
    db.session.flush()
    db.session.add(
        AssignmentEvent(
            assignment_id=assignment.id,
            actor_id=current_user.id,
            from_status=None,
            to_status=AssignmentStatus.PROPOSED,
            reason=f"added by hand to matching run {run.id}",
        )
    )
    _set_result(run, (person.id, shift.id), None)
    audit.record("planning_assignment_added", assignment, participant_id=person.id)
    db.session.commit()
    flash(_("The participant was added to the shift."), "success")
    return redirect(url_for("planning.run", run_id=run.id), code=303)


def _proposed_assignment(run: MatchingRun) -> Assignment:
    raw = request.form.get("assignment", "")
    assignment = db.session.get(Assignment, int(raw)) if raw.isdigit() else None
    if assignment is None or assignment.shift_id not in {s.id for s in _week_shifts(run)}:
        abort(404)
    return assignment


@bp.post("/planning/runs/<int:run_id>/remove")
@require_roles(*PLANNERS)
def remove(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    assignment = _proposed_assignment(run)
    if assignment.status != AssignmentStatus.PROPOSED:
        raise DomainError(_("Only proposals can be removed here; this shift is already offered."))
    pair = (assignment.participant_id, assignment.shift_id)
    audit.record("planning_assignment_removed", assignment, participant_id=pair[0])
    db.session.delete(assignment)
    _set_result(run, None, pair)
    db.session.commit()
    flash(_("The participant was removed from the shift."), "success")
    return redirect(url_for("planning.run", run_id=run.id), code=303)


@bp.post("/planning/runs/<int:run_id>/lock")
@require_roles(*PLANNERS)
def lock(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    assignment = _proposed_assignment(run)
    assignment.is_locked = not assignment.is_locked
    audit.record(
        "planning_assignment_locked" if assignment.is_locked else "planning_assignment_unlocked",
        assignment,
        participant_id=assignment.participant_id,
    )
    db.session.commit()
    if assignment.is_locked:
        flash(_("Locked: matching keeps this person on the shift."), "success")
    else:
        flash(_("Unlocked: matching may change this shift."), "success")
    return redirect(url_for("planning.run", run_id=run.id), code=303)


@bp.post("/planning/runs/<int:run_id>/publish")
@require_roles(*PLANNERS)
def publish(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    offered = operations.publish(db.session, current_user, run)
    db.session.commit()
    flash(
        _("Published: %(num)d offers were sent to the participants.", num=len(offered)),
        "success",
    )
    return redirect(url_for("planning.run", run_id=run.id), code=303)
