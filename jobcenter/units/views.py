"""Task pages: the unit's tasks, posting and following a task, the instructors' inbox,
and the unit's hours and costs.

Views stay thin: parse the form, call one function of `jobcenter.units.posting` or
`jobcenter.units.lifecycle` (the same ones the API calls), commit once, redirect.
Refused input re-renders the page with 422 and the messages beside their fields; a
refused action (wrong role 403, wrong state 409) answers with the error page.
Objects outside the user's scope are 404 (`get_visible`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.admin import labels
from jobcenter.admin.forms import options
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.core import audit, clock
from jobcenter.core.authz import get_visible, require_roles, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.extensions import db
from jobcenter.units import lifecycle, posting, queries
from jobcenter.units.forms import FIELD_FOR_ERROR, AcceptForm, ConfirmForm, ReasonForm, TaskForm
from jobcenter.units.models import Task, TaskStatus, Unit
from jobcenter.units.wording import repeat_in_words

bp = Blueprint("units", __name__)

VIEWERS = (Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.MANAGER, Role.ADMIN)
ACTORS = (Role.UNIT_CONTACT, Role.INSTRUCTOR, Role.ADMIN)
FORM_TEMPLATE = "units/task_form.html"


@bp.context_processor
def unit_helpers() -> dict[str, Any]:
    return {
        "status_label": lifecycle.status_label,
        "TaskStatus": TaskStatus,
        "euros": labels.format_euros,
        "repeat_in_words": repeat_in_words,
    }


# ---------------------------------------------------------------- the unit's tasks


@bp.get("/tasks")
@require_roles(Role.UNIT_CONTACT, Role.MANAGER, Role.ADMIN)
def tasks():
    counts = queries.status_counts(db.session, current_user)
    raw = request.args.get("status", "")
    status = TaskStatus(raw) if raw in {s.value for s in TaskStatus} else None
    rows = queries.tasks(db.session, current_user, status)
    return render_template(
        "units/tasks.html",
        counts=counts,
        total=sum(counts.values()),
        order=queries.STATUS_ORDER,
        status=status,
        tasks=rows,
        can_post=current_user.role == Role.UNIT_CONTACT,
    )


def _form_choices(form: TaskForm, task: Task | None = None) -> dict[int, str]:
    """Fill the form's lists from the catalogues; returns kind id → icon name."""
    kinds = db.session.scalars(
        sa.select(TaskKind)
        .where(sa.or_(TaskKind.is_active, TaskKind.id == (task.task_kind_id if task else -1)))
        .order_by(TaskKind.id)
    ).all()
    form.task_kind_id.choices = options((str(k.id), k.name()) for k in kinds)
    current_skills = [s.id for s in task.required_skills] if task else []
    skills = db.session.scalars(
        sa.select(Skill)
        .where(sa.or_(Skill.is_active, Skill.id.in_(current_skills or [-1])))
        .order_by(Skill.id)
    ).all()
    form.required_skill_ids.choices = options((str(s.id), s.name()) for s in skills)
    districts = db.session.scalars(sa.select(District).order_by(District.id)).all()
    form.district_id.choices = options(
        [("", _("Not given")), *((str(d.id), d.name()) for d in districts)]
    )
    return {k.id: k.icon or "task" for k in kinds}


def _own_unit() -> Unit:
    unit = db.session.scalar(scope(sa.select(Unit), Unit, current_user).limit(1))
    if unit is None:
        abort(404)
    return unit


def _show_errors(form: TaskForm, errors: dict[str, list[str]]) -> None:
    for name, messages in errors.items():
        target = FIELD_FOR_ERROR.get(name, name)
        if target in form:
            form[target].errors = [*form[target].errors, *messages]
        else:
            form.form_errors.extend(messages)


def _checked_values(form: TaskForm, unit: Unit, task: Task | None) -> dict[str, Any] | None:
    """The form's values for posting, or None after showing every mistake: the form's
    own together with the posting rules' ones for fields the form had no complaint
    about, so people fix everything in one round."""
    valid = form.validate()
    values, errors = form.values()
    if valid and not errors:
        return values
    _show_errors(form, errors)
    try:
        rules = posting.value_errors(db.session, values, unit=unit, task=task)
    except (TypeError, ValueError):
        rules = {}  # values the form could not read; its own messages say what to fix

    def already_wrong(name: str) -> bool:
        target = FIELD_FOR_ERROR.get(name, name)
        return target in form and bool(form[target].errors)

    _show_errors(form, {k: v for k, v in rules.items() if not already_wrong(k)})
    return None


def _form_page(form: TaskForm, icons: dict[int, str], task: Task | None, status: int = 200):
    return render_template(FORM_TEMPLATE, form=form, icons=icons, task=task), status


def _wants_submit() -> bool:
    return request.form.get("action") == "submit"


@bp.route("/tasks/new", methods=["GET", "POST"])
@require_roles(Role.UNIT_CONTACT)
def new_task():
    unit = _own_unit()
    form = TaskForm()
    icons = _form_choices(form)
    if request.method == "GET":
        form.site_address.data = unit.street_address
        form.site_postal_code.data = unit.postal_code
        form.site_city.data = unit.city
        form.district_id.data = str(unit.district_id) if unit.district_id else ""
        form.headcount.data = "1"
        form.shift_minutes.data = posting.DEFAULT_SHIFT_MINUTES
        return _form_page(form, icons, None)
    values = _checked_values(form, unit, None)
    if values is None:
        return _form_page(form, icons, None, 422)
    try:
        task = posting.create_task(
            db.session, unit=unit, actor=current_user, values=values, submit=_wants_submit()
        )
    except ValidationFailed as exc:
        db.session.rollback()
        _show_errors(form, exc.errors)
        return _form_page(form, icons, None, 422)
    db.session.commit()
    if task.status == TaskStatus.SUBMITTED:
        flash(_("The task was sent to the instructors."), "success")
    else:
        flash(_("The draft was saved. You can send it when it is ready."), "success")
    return redirect(url_for("units.task", task_id=task.id), code=303)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@require_roles(*ACTORS)
def edit_task(task_id: int):
    task = get_visible(Task, task_id, current_user)
    if not lifecycle.can_edit(current_user, task):
        flash(_("This task cannot be changed now."), "error")
        return redirect(url_for("units.task", task_id=task.id), code=303)
    form = TaskForm()
    icons = _form_choices(form, task)
    if request.method == "GET":
        form.fill_from(task)
        return _form_page(form, icons, task)
    values = _checked_values(form, task.unit, task)
    if values is None:
        return _form_page(form, icons, task, 422)
    submit = _wants_submit() and task.status in lifecycle.TRANSITIONS["submit"].sources
    try:
        change = posting.update_task(
            db.session, task, actor=current_user, values=values, submit=submit
        )
    except ValidationFailed as exc:
        db.session.rollback()
        _show_errors(form, exc.errors)
        return _form_page(form, icons, task, 422)
    db.session.commit()
    if submit:
        flash(_("The task was sent to the instructors."), "success")
    elif change.shifts is not None and change.shifts.flagged:
        flash(
            _("The changes were saved. Shifts that already have people were marked for the "
              "instructor to check."),
            "success",
        )  # fmt: skip
    else:
        flash(_("The changes were saved."), "success")
    return redirect(url_for("units.task", task_id=task.id), code=303)


# ---------------------------------------------------------------- one task


def _task_page(task: Task, status: int = 200, **forms: Any):
    actions = lifecycle.allowed_actions(task, current_user)
    done_after = None
    if "mark_done" in actions:
        not_over = lifecycle.shifts_not_over(db.session, task)
        if not_over:  # the button would only be refused: say when it can be pressed
            actions.discard("mark_done")
            done_after = not_over[-1].ends_at
    accept_form = forms.get("accept") or AcceptForm(formdata=None)
    accept_form.group_id.choices = options(
        [("", _("Choose a group")), *queries.group_choices(db.session, current_user)]
    )
    missing: dict[str, list[str]] = {}
    if task.status in (TaskStatus.DRAFT, TaskStatus.CHANGES_REQUESTED):
        missing = posting.completeness_errors(db.session, task)
    shifts = queries.coming_shifts(db.session, task, current_user)
    # Even a first name on a shift is participant data: each view is written down.
    seen = sorted({pid for shift in shifts for pid in shift.participant_ids})
    for pid in seen:
        audit.record("task_people_viewed", task, participant_id=pid)
    if seen:
        db.session.commit()
    context = {
        "task": task,
        "actions": actions,
        "history": queries.history(db.session, task),
        "shifts": shifts,
        # Shifts that are over, as counts and hours (no names, so nothing to audit).
        "work": queries.work_done(db.session, task, current_user),
        "done_after": done_after,
        # An instructor of another group sees the task but not its shifts (row scopes).
        "shifts_elsewhere": current_user.role == Role.INSTRUCTOR
        and task.group is not None
        and not lifecycle.is_supervising_instructor(current_user, task),
        "feedback": queries.feedback(db.session, task),
        "missing": missing,
        "submit_errors": forms.get("submit_errors") or {},
        "accept_form": accept_form,
        "reject_form": forms.get("reject") or ReasonForm(formdata=None, prefix="reject"),
        "changes_form": forms.get("changes") or ReasonForm(formdata=None, prefix="changes"),
        "cancel_form": forms.get("cancel") or ReasonForm(formdata=None, prefix="cancel"),
        "confirm_form": forms.get("confirm") or ConfirmForm(formdata=None, prefix="confirm"),
        "feedback_form": forms.get("feedback") or ConfirmForm(formdata=None, prefix="feedback"),
        "instructor": lifecycle.instructor_of(task),
    }
    return render_template("units/task.html", **context), status


@bp.get("/tasks/<int:task_id>")
@require_roles(*VIEWERS)
def task(task_id: int):
    return _task_page(get_visible(Task, task_id, current_user))


def _act(
    task_id: int,
    run: Callable[[Task], Any],
    message: str,
    form_key: str | None = None,
    form: Any = None,
):
    """Run one transition; commit and go back to the task, or show why not."""
    task = get_visible(Task, task_id, current_user)
    if form is not None and not form.validate():
        return _task_page(task, 422, **{form_key: form})
    try:
        run(task)
    except ValidationFailed as exc:
        db.session.rollback()
        db.session.refresh(task)
        if form is None:
            return _task_page(task, 422, submit_errors=exc.errors)
        for name, messages in exc.errors.items():
            target = name if name in form else None
            if target:
                form[target].errors = [*form[target].errors, *messages]
            else:
                form.form_errors.extend(messages)
        return _task_page(task, 422, **{form_key: form})
    except lifecycle.NotAllowed:
        db.session.rollback()
        raise
    except DomainError as exc:
        # A rule said no: show why on the task page, where the person can go on.
        db.session.rollback()
        db.session.refresh(task)
        return _task_page(task, exc.status, submit_errors={"_": [exc.message]})
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("units.task", task_id=task_id), code=303)


@bp.post("/tasks/<int:task_id>/submit")
@require_roles(*ACTORS)
def submit_task(task_id: int):
    return _act(
        task_id,
        lambda t: lifecycle.submit(db.session, t, current_user),
        _("The task was sent to the instructors."),
    )


@bp.post("/tasks/<int:task_id>/accept")
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def accept_task(task_id: int):
    form = AcceptForm()
    form.group_id.choices = []
    return _act(
        task_id,
        lambda t: lifecycle.accept(db.session, t, current_user, form.group_id.data or None),
        _("The task was accepted."),
        "accept",
        form,
    )


@bp.post("/tasks/<int:task_id>/reject")
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def reject_task(task_id: int):
    form = ReasonForm(prefix="reject")
    return _act(
        task_id,
        lambda t: lifecycle.reject(db.session, t, current_user, form.reason.data),
        _("The task was rejected. The unit sees your reason."),
        "reject",
        form,
    )


@bp.post("/tasks/<int:task_id>/request-changes")
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def request_changes(task_id: int):
    form = ReasonForm(prefix="changes")
    return _act(
        task_id,
        lambda t: lifecycle.request_changes(db.session, t, current_user, form.reason.data),
        _("The task was sent back to the unit with your request."),
        "changes",
        form,
    )


@bp.post("/tasks/<int:task_id>/cancel")
@require_roles(*ACTORS)
def cancel_task(task_id: int):
    form = ReasonForm(prefix="cancel")
    return _act(
        task_id,
        lambda t: lifecycle.cancel(db.session, t, current_user, form.reason.data),
        _("The task was cancelled."),
        "cancel",
        form,
    )


@bp.post("/tasks/<int:task_id>/mark-done")
@require_roles(*ACTORS)
def mark_done(task_id: int):
    return _act(
        task_id,
        lambda t: lifecycle.mark_done(db.session, t, current_user),
        _("The task was marked done."),
    )


@bp.post("/tasks/<int:task_id>/confirm")
@require_roles(Role.UNIT_CONTACT, Role.ADMIN)
def confirm_task(task_id: int):
    form = ConfirmForm(prefix="confirm")
    return _act(
        task_id,
        lambda t: lifecycle.confirm(
            db.session, t, current_user, rating=form.rating.data, comment=form.comment.data or ""
        ),
        _("Thank you. The work is confirmed as done."),
        "confirm",
        form,
    )


@bp.post("/tasks/<int:task_id>/feedback")
@require_roles(Role.UNIT_CONTACT, Role.ADMIN)
def give_feedback(task_id: int):
    form = ConfirmForm(prefix="feedback")
    return _act(
        task_id,
        lambda t: lifecycle.give_feedback(
            db.session, t, current_user, rating=form.rating.data, comment=form.comment.data or ""
        ),
        _("Thank you for your feedback."),
        "feedback",
        form,
    )


# ---------------------------------------------------------------- instructors' inbox


@bp.get("/inbox")
@require_roles(Role.INSTRUCTOR, Role.ADMIN)
def inbox():
    return render_template(
        "units/inbox.html",
        waiting=queries.inbox(db.session, current_user),
        pool=queries.pool(db.session, current_user),
        review=queries.shifts_needing_review(db.session, current_user),
    )


# ---------------------------------------------------------------- hours and costs


@bp.get("/hours-and-costs")
@require_roles(Role.UNIT_CONTACT)
def hours():
    raw = request.args.get("year", "")
    this_year = clock.today().year
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year
    report = queries.hours_and_costs(db.session, current_user, year)
    return render_template("units/hours.html", report=report, unit=_own_unit())
