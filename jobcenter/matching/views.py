"""The instructor's planning board: pick a week and a group, run matching in the
background, review the proposal by day and site, adjust by hand, lock, publish.

Views stay thin: the rules live in `jobcenter.matching` (operations, engine, explain).
Every hand change - add, remove, replace one person by another, exchange two people
between two shifts - is one `operations.hand_change`: checked as a whole with the
engine's rules and either applied entirely or refused (422) with the reasons in the
reader's language (`matching.wording`); nothing is written on refusal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from jobcenter.admin.labels import format_euros
from jobcenter.core import audit, clock
from jobcenter.core.authz import get_visible, require_roles, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.extensions import db
from jobcenter.matching import operations, wording
from jobcenter.matching.models import MatchingRun, RunStatus
from jobcenter.participants.models import Group, Participant
from jobcenter.scheduling.models import SLOT_HOLDING, Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task

bp = Blueprint("planning", __name__)

PLANNERS = (Role.INSTRUCTOR, Role.ADMIN)


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
                selectinload(Shift.task).selectinload(Task.task_kind),
                selectinload(Shift.assignments)
                .selectinload(Assignment.participant)
                .selectinload(Participant.user),
            )
            .order_by(Shift.starts_at, Shift.id)
        ).all()
    )


def _name(person: Participant) -> str:
    return f"{person.user.first_name} {person.user.last_name}"


_shift_label = wording.shift_label


def _names(shifts: list[Shift], people: list[Participant] | None = None) -> wording.Names:
    """Names for the sentences: skills by code; shifts, instructors and people by id."""
    return operations.names_for(db.session, shifts, people or [])


def _board(run: MatchingRun, shifts: list[Shift], names: wording.Names) -> dict:
    unfilled = {
        str(u["shift"]): u.get("reasons", []) for u in (run.result or {}).get("unfilled", [])
    }
    days: dict[date, dict[str, dict]] = defaultdict(dict)
    for shift in shifts:
        local = clock.to_local(shift.starts_at)
        holders = sorted(
            (a for a in shift.assignments if a.status in SLOT_HOLDING),
            key=lambda a: (a.participant.user.last_name, a.participant.user.first_name),
        )
        task = shift.task
        site = f"{task.site_address}, {task.site_city}".strip(", ")
        words = wording.ShiftWords.of(shift)
        open_slots = max(shift.slots - len(holders), 0)
        reasons = unfilled.get(str(shift.id), []) if open_slots else []
        place = days[local.date()].setdefault(
            site, {"name": site, "kinds": {}, "lines": [], "slots": 0, "filled": 0}
        )
        place["kinds"][task.task_kind.code] = task.task_kind
        place["slots"] += shift.slots
        place["filled"] += min(len(holders), shift.slots)
        place["lines"].append(
            {
                "shift": shift,
                "start": local,
                "end": clock.to_local(shift.ends_at),
                "holders": holders,
                "holder_ids": {a.participant_id for a in holders},
                "open": open_slots,
                "cancelled": str(shift.status) == "cancelled",
                "reasons": [wording.unfilled_reason(r, words, names) for r in reasons],
            }
        )
    return {day: dict(sorted(sites.items())) for day, sites in sorted(days.items())}


def _totals(board: dict) -> dict[str, int]:
    slots = filled = proposed = 0
    for sites in board.values():
        for place in sites.values():
            for line in place["lines"]:
                if line["cancelled"]:
                    continue
                slots += line["shift"].slots
                filled += min(len(line["holders"]), line["shift"].slots)
                proposed += sum(1 for a in line["holders"] if a.status == AssignmentStatus.PROPOSED)
    return {"slots": slots, "filled": filled, "open": slots - filled, "proposed": proposed}


def _render_run(
    run: MatchingRun,
    errors: list[str] | None = None,
    status: int = 200,
    refusals: list[dict] | None = None,
    answer: operations.WhyNot | None = None,
):
    group = _own_group(run.group_id)
    board: dict = {}
    people: list[operations.PersonWeek] = []
    proposals: list[dict] = []
    warnings: list[str] = []
    why = None
    if run.status == RunStatus.DONE:
        shifts = _week_shifts(run)
        people = operations.week_hours(db.session, run)
        names = _names(shifts, [row.participant for row in people])
        board = _board(run, shifts, names)
        if answer is not None:
            why = {
                "shift_id": answer.shift.id,
                "participant_id": answer.participant.id,
                "chosen": answer.chosen,
                "words": wording.why_not(answer, names),
            }
        warnings = [wording.warning(w, names) for w in operations.current_warnings(db.session, run)]
        proposals = [
            {
                "assignment": a,
                "label": _("%(name)s, %(shift)s", name=_name(a.participant), shift=_shift_label(s)),
            }
            for s in shifts
            for a in sorted(s.assignments, key=lambda a: _name(a.participant))
            if a.status == AssignmentStatus.PROPOSED
        ]
        audit.record("planning_board_viewed", run, detail={"group_id": group.id})
        db.session.commit()
    working = run.status in (RunStatus.QUEUED, RunStatus.RUNNING)
    auto_refresh = working and request.args.get("auto") != "0"
    page = render_template(
        "planning/run.html",
        run=run,
        auto_refresh=auto_refresh,
        group=group,
        board=board,
        totals=_totals(board),
        people=people,
        hours={row.participant.id: row for row in people},
        proposals=proposals,
        warnings=warnings,
        errors=errors or [],
        refusals=refusals or [],
        why=why,
        RunStatus=RunStatus,
        AssignmentStatus=AssignmentStatus,
        euros=format_euros,
    )
    # While the worker runs, the browser asks again every 2 s (no script needed); the
    # page offers a link to stop it (WCAG 2.2.1).
    headers = {"Refresh": "2"} if auto_refresh else {}
    return page, status, headers


@bp.get("/planning/runs/<int:run_id>")
@require_roles(*PLANNERS)
def run(run_id: int):
    return _render_run(_visible_run(run_id))


def _id_arg(name: str) -> int | None:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and 0 < int(raw) <= 2**31 - 1 else None


@bp.get("/planning/runs/<int:run_id>/why-not")
@require_roles(*PLANNERS)
def why_not(run_id: int):
    """The board with the answer to "why is this person not on this shift?" beside the
    shift (the form's action ends in #why-<shift id>, so the browser moves there)."""
    run = _visible_run(run_id)
    _ready(run)
    shift_id, person_id = _id_arg("shift"), _id_arg("participant")
    errors = []
    if shift_id is None:
        errors.append(_("Choose a shift on the board."))
    if person_id is None:
        errors.append(_("Choose a participant of the group."))
    if errors:
        return _render_run(run, errors, 422)
    person = get_visible(Participant, person_id, current_user)  # type: ignore[arg-type]
    shift = _shift_of_run(run, str(shift_id))
    try:
        answer = operations.why_not(db.session, run, person, shift)
    except DomainError as exc:
        db.session.rollback()
        return _render_run(run, [exc.message], exc.status)
    audit.record(
        "planning_why_not_viewed", run, participant_id=person.id, detail={"shift_id": shift.id}
    )
    db.session.commit()
    return _render_run(run, answer=answer)


def _ready(run: MatchingRun) -> None:
    if run.status != RunStatus.DONE:
        raise DomainError(_("The matching run has not finished yet."))


def _shift_of_run(run: MatchingRun, raw: str | None) -> Shift:
    if not raw or not raw.isdigit() or int(raw) > 2**31 - 1:
        abort(404)
    shift = next((s for s in _week_shifts(run) if s.id == int(raw)), None)
    if shift is None:
        abort(404)
    return shift


def _assignment_of_run(run: MatchingRun, field: str = "assignment") -> Assignment:
    raw = request.form.get(field, "")
    ok = raw.isdigit() and 0 < int(raw) <= 2**31 - 1
    assignment = db.session.get(Assignment, int(raw)) if ok else None
    if assignment is None or assignment.shift_id not in {s.id for s in _week_shifts(run)}:
        abort(404)
    return assignment


def _member_of_run(run: MatchingRun, field: str = "participant") -> Participant | None:
    raw = request.form.get(field, "")
    ok = raw.isdigit() and 0 < int(raw) <= 2**31 - 1
    person = db.session.get(Participant, int(raw)) if ok else None
    if person is None or person.group_id != run.group_id or person.anonymised_at is not None:
        return None
    return person


def _refusal_view(run: MatchingRun, exc: operations.ChangeRefused) -> list[dict]:
    """Each refused addition: a headline naming the person and shift, and the reasons
    (a clashing shift is named by its day, time and title)."""
    names = _names(_week_shifts(run))
    out = []
    for problem in exc.problems:
        name = _name(problem.participant)
        words = wording.ShiftWords.of(problem.shift)
        out.append(
            {
                "headline": _(
                    "%(name)s cannot take the shift %(shift)s:",
                    name=name,
                    shift=_shift_label(problem.shift),
                ),
                "reasons": [wording.pair_reason(r, name, words, names) for r in problem.reasons],
            }
        )
    return out


def _change(run: MatchingRun, *, remove=(), add=(), why: str, action: str, done: str):
    """Apply one hand change and go back to the board, or show why it was refused."""
    try:
        change = operations.hand_change(
            db.session, current_user, run, remove=list(remove), add=list(add), why=why
        )
    except operations.ChangeRefused as exc:
        db.session.rollback()
        return _render_run(run, [exc.message], 422, _refusal_view(run, exc))
    except DomainError as exc:
        db.session.rollback()
        return _render_run(run, [exc.message], exc.status)
    for pid, _sid in change.removed:
        audit.record(f"planning_{action}", run, participant_id=pid)
    for a in change.added:
        audit.record(f"planning_{action}", a, participant_id=a.participant_id)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("planning.run", run_id=run.id, _anchor="board"), code=303)


@bp.post("/planning/runs/<int:run_id>/add")
@require_roles(*PLANNERS)
def add(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    shift = _shift_of_run(run, request.form.get("shift"))
    person = _member_of_run(run)
    if person is None:
        return _render_run(run, [_("Choose a participant of the group.")], 422)
    return _change(
        run,
        add=[(person, shift)],
        why="added by hand",
        action="assignment_added",
        done=_("%(name)s was added to the shift.", name=_name(person)),
    )


@bp.post("/planning/runs/<int:run_id>/remove")
@require_roles(*PLANNERS)
def remove(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    assignment = _assignment_of_run(run)
    name = _name(assignment.participant)
    return _change(
        run,
        remove=[assignment],
        why="removed by hand",
        action="assignment_removed",
        done=_("%(name)s was removed from the shift.", name=name),
    )


@bp.post("/planning/runs/<int:run_id>/replace")
@require_roles(*PLANNERS)
def replace(run_id: int):
    """Person B takes person A's place on a shift, as one change."""
    run = _visible_run(run_id)
    _ready(run)
    assignment = _assignment_of_run(run)
    person = _member_of_run(run)
    if person is None:
        return _render_run(run, [_("Choose a participant of the group.")], 422)
    if person.id == assignment.participant_id:
        return _render_run(run, [_("Choose someone else than the person on the shift.")], 422)
    return _change(
        run,
        remove=[assignment],
        add=[(person, assignment.shift)],
        why="replaced by hand",
        action="assignment_replaced",
        done=_(
            "%(new)s now has the shift instead of %(old)s.",
            new=_name(person),
            old=_name(assignment.participant),
        ),
    )


@bp.post("/planning/runs/<int:run_id>/exchange")
@require_roles(*PLANNERS)
def exchange(run_id: int):
    """A on shift X and B on shift Y change places (A to Y, B to X), as one change."""
    run = _visible_run(run_id)
    _ready(run)
    first = _assignment_of_run(run)
    second = _assignment_of_run(run, "other")
    if first.shift_id == second.shift_id or first.participant_id == second.participant_id:
        return _render_run(
            run, [_("Choose a person on another shift to exchange shifts with.")], 422
        )
    a, b = first.participant, second.participant
    return _change(
        run,
        remove=[first, second],
        add=[(b, first.shift), (a, second.shift)],
        why="exchanged by hand",
        action="assignments_exchanged",
        done=_("%(a)s and %(b)s exchanged shifts.", a=_name(a), b=_name(b)),
    )


@bp.post("/planning/runs/<int:run_id>/lock")
@require_roles(*PLANNERS)
def lock(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    assignment = _assignment_of_run(run)
    if assignment.status != AssignmentStatus.PROPOSED:
        return _render_run(
            run, [_("Only proposals can be changed here; this shift is already offered.")], 409
        )
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
    return redirect(url_for("planning.run", run_id=run.id, _anchor="board"), code=303)


@bp.get("/planning/runs/<int:run_id>/publish")
@require_roles(*PLANNERS)
def confirm_publish(run_id: int):
    """What publishing will do, before it is done: offers go out to people at once."""
    run = _visible_run(run_id)
    _ready(run)
    return render_template(
        "planning/publish.html",
        run=run,
        group=db.session.get(Group, run.group_id),
        preview=operations.publish_preview(db.session, run),
    )


@bp.post("/planning/runs/<int:run_id>/publish")
@require_roles(*PLANNERS)
def publish(run_id: int):
    run = _visible_run(run_id)
    _ready(run)
    changed = operations.publish(db.session, current_user, run)
    db.session.commit()
    offered = sum(1 for a in changed if a.status == AssignmentStatus.OFFERED)
    confirmed = len(changed) - offered
    message = _("Published: %(num)d offers were sent to the participants.", num=offered)
    if confirmed:
        message = ngettext(
            "Published: %(offered)d offers were sent and %(num)d shift was confirmed "
            "directly, because the instructor confirms for that person.",
            "Published: %(offered)d offers were sent and %(num)d shifts were confirmed "
            "directly, because the instructor confirms for those people.",
            confirmed,
            offered=offered,
        )
    flash(message, "success")
    return redirect(url_for("planning.run", run_id=run.id), code=303)
