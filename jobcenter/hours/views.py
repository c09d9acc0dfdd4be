"""Attendance pages for instructors: today's shifts, one shift with its history and
corrections, overdue attendance and month closing.

Views stay thin: the rules live in `jobcenter.hours.attendance`. Who may record is
`jobcenter.hours.policies` (the shift's supervising instructor for everyone on it, a
group instructor for their own people); any other shift is 404. Viewing the sheet of
a shift is written to the audit log for each person on it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.accounts.models import User
from jobcenter.admin.labels import format_euros
from jobcenter.core import audit, clock
from jobcenter.core.authz import MAX_DB_ID, get_visible, require_roles
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.extensions import db
from jobcenter.hours import attendance, forms, policies
from jobcenter.hours.models import AttendanceRecord, MonthClosure
from jobcenter.participants.models import Group
from jobcenter.scheduling.models import Assignment, Shift

bp = Blueprint("attendance", __name__)


@bp.context_processor
def attendance_helpers() -> dict[str, Any]:
    return {"euros": format_euros, "time_choices": forms.time_choices}


RECORDERS = (Role.INSTRUCTOR,)
MONTHS_SHOWN = 6


def _recordable_shift(shift_id: int) -> Shift:
    shift = get_visible(Shift, shift_id, current_user)
    allowed = db.session.scalar(
        sa.select(Shift.id).where(
            Shift.id == shift.id, Shift.id.in_(policies.recordable_shift_ids(current_user))
        )
    )
    if not allowed:
        abort(404)
    return shift


def _sheet(shift: Shift) -> dict:
    rows = []
    for assignment, record in attendance.shift_rows(db.session, current_user, shift):
        rows.append(
            {
                "assignment": assignment,
                "record": record,
                "name": assignment.participant.user.full_name,
                "locked": attendance.month_state(
                    db.session, assignment.participant.group_id, attendance.work_day(shift)
                )[0],
            }
        )
    return {
        "shift": shift,
        "rows": rows,
        "options": forms.time_options(shift),
        "started": clock.now() >= shift.starts_at,
        "all_confirmed": bool(rows) and all(r["record"] and r["record"].confirmed_at for r in rows),
        # Someone can still be recorded or confirmed: not confirmed, month not closed.
        "editable": any(
            not r["locked"] and not (r["record"] and r["record"].confirmed_at) for r in rows
        ),
        "any_locked": any(r["locked"] for r in rows),
    }


def _audit_view(shift: Shift, sheet: dict) -> None:
    for row in sheet["rows"]:
        audit.record("attendance.view", shift, participant_id=row["assignment"].participant_id)


def _render_today(errors: dict | None = None, values: dict | None = None, status: int = 200):
    day = clock.today()
    shifts = attendance.shifts_on(db.session, current_user, day)
    sheets = [_sheet(s) for s in shifts]
    for sheet in sheets:
        _audit_view(sheet["shift"], sheet)
    db.session.commit()
    return render_template(
        "attendance/today.html",
        day=day,
        sheets=sheets,
        errors=errors or {},
        values=values or {},
        absence_labels=forms.ABSENCE_LABELS,
        time_value=forms.time_value,
    ), status


@bp.get("/attendance")
@require_roles(*RECORDERS)
def today():
    return _render_today()


def _back(shift: Shift):
    target = request.form.get("next")
    if target == "shift":
        return redirect(url_for("attendance.shift", shift_id=shift.id))
    return redirect(url_for("attendance.today") + f"#shift-{shift.id}")


def _render_after_error(shift: Shift, errors: dict, status: int):
    if request.form.get("next") == "shift":
        return _render_shift(shift, errors=errors, values=request.form, status=status)
    return _render_today(errors=errors, values=request.form, status=status)


@bp.post("/attendance/shifts/<int:shift_id>/record")
@require_roles(*RECORDERS)
def record(shift_id: int):
    shift = _recordable_shift(shift_id)
    keys = [
        int(name.removeprefix("present-"))
        for name in request.form
        if name.startswith("present-") and name.removeprefix("present-").isdigit()
    ]
    confirm = request.form.get("action") == "confirm"
    entries = {}
    errors: dict[str, dict] = {}
    for key in keys:
        if not 0 < key <= MAX_DB_ID:
            abort(404)
        try:
            entries[key] = forms.read_entry(request.form, str(key))
        except ValidationFailed as exc:
            errors[str(key)] = exc.errors
    missing = {
        str(a.id)
        for a in attendance.recordable_assignments(db.session, current_user, shift)
        if a.id not in entries
        and str(a.id) not in errors
        and (attendance.current_record(db.session, a.id) is None)
        and not attendance.month_state(
            db.session, a.participant.group_id, attendance.work_day(shift)
        )[0]
    }
    for key in missing:
        errors[key] = {"present": [_("Choose present or absent.")]}
    try:
        if errors:
            raise ValidationFailed(errors)
        attendance.record_many(db.session, current_user, shift, entries)
        if confirm:
            attendance.confirm_shift(db.session, current_user, shift)
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_after_error(shift, exc.errors, 422)
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 404:
            abort(404)
        return _render_after_error(shift, {"_shift": {"shift": [exc.message]}}, exc.status)
    if confirm:
        flash(_("Attendance saved and confirmed."), "success")
    else:
        flash(_("Attendance saved. Confirm it when it is complete."), "success")
    return _back(shift)


@bp.post("/attendance/shifts/<int:shift_id>/all-present")
@require_roles(*RECORDERS)
def all_present(shift_id: int):
    shift = _recordable_shift(shift_id)
    try:
        done = attendance.record_all_present(db.session, current_user, shift)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _render_after_error(shift, {"_shift": {"shift": [exc.message]}}, exc.status)
    if not done:
        flash(_("Nobody was marked: everyone here already has attendance recorded."), "info")
        return _back(shift)
    flash(_("%(count)d marked present as planned. Check and confirm.", count=len(done)), "success")
    return _back(shift)


@bp.post("/attendance/shifts/<int:shift_id>/confirm")
@require_roles(*RECORDERS)
def confirm(shift_id: int):
    shift = _recordable_shift(shift_id)
    try:
        done = attendance.confirm_shift(db.session, current_user, shift)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 404:
            abort(404)
        return _render_after_error(shift, {"_shift": {"shift": [exc.message]}}, exc.status)
    flash(_("%(count)d confirmed.", count=len(done)), "success")
    return _back(shift)


def _render_shift(shift: Shift, errors=None, values=None, status: int = 200):
    sheet = _sheet(shift)
    histories = {}
    for row in sheet["rows"]:
        assignment = row["assignment"]
        histories[assignment.id] = {
            "records": attendance.history(db.session, assignment.id),
            "entries": attendance.hour_entries_of(db.session, assignment.id),
        }
    people = {
        r.recorded_by_id
        for h in histories.values()
        for r in h["records"]
        if r.recorded_by_id is not None
    }
    users = dict(
        db.session.execute(
            sa.select(User.id, User.first_name + " " + User.last_name).where(User.id.in_(people))
        ).all()
    )
    _audit_view(shift, sheet)
    db.session.commit()
    return render_template(
        "attendance/shift.html",
        users=users,
        sheet=sheet,
        shift=shift,
        histories=histories,
        errors=errors or {},
        values=values or {},
        absence_labels=forms.ABSENCE_LABELS,
        time_value=forms.time_value,
    ), status


@bp.get("/attendance/shifts/<int:shift_id>")
@require_roles(*RECORDERS)
def shift(shift_id: int):
    return _render_shift(_recordable_shift(shift_id))


@bp.post("/attendance/records/<int:record_id>/correct")
@require_roles(*RECORDERS)
def correct(record_id: int):
    rec = get_visible(AttendanceRecord, record_id, current_user)
    assignment = db.session.get(Assignment, rec.assignment_id)
    if not policies.may_record(current_user, assignment):
        abort(404)
    shift = assignment.shift
    key = str(assignment.id)
    try:
        entry = forms.read_entry(request.form, key, prefix="c")
        attendance.correct(
            db.session, current_user, rec, entry, request.form.get(f"creason-{key}", "")
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_shift(shift, errors={f"c{key}": exc.errors}, values=request.form, status=422)
    except DomainError as exc:
        db.session.rollback()
        return _render_shift(
            shift,
            errors={f"c{key}": {"shift": [exc.message]}},
            values=request.form,
            status=exc.status,
        )
    flash(_("The correction is saved. The earlier version is kept in the history."), "success")
    return redirect(url_for("attendance.shift", shift_id=shift.id) + f"#person-{assignment.id}")


@bp.get("/attendance/overdue")
@require_roles(*RECORDERS)
def overdue():
    shifts = attendance.overdue_shifts(db.session, current_user)
    return render_template("attendance/overdue.html", shifts=shifts)


# ---------------------------------------------------------------- months


def _own_groups() -> list[Group]:
    return (
        list(
            db.session.scalars(
                sa.select(Group)
                .where(Group.instructor_id == current_user.instructor.id)
                .order_by(Group.name, Group.id)
            )
        )
        if current_user.instructor is not None
        else []
    )


def _own_group(group_id: int) -> Group:
    group = get_visible(Group, group_id, current_user)
    if current_user.instructor is None or group.instructor_id != current_user.instructor.id:
        abort(404)
    return group


def _recent_months() -> list[date]:
    month = attendance.month_of(clock.today())
    months = []
    for _i in range(MONTHS_SHOWN):
        months.append(month)
        month = attendance.month_of(month - timedelta(days=1))
    return months


def _render_months(errors: dict | None = None, status: int = 200):
    groups = _own_groups()
    months = _recent_months()
    closures = {
        (c.group_id, c.month): c
        for c in db.session.scalars(
            sa.select(MonthClosure).where(
                MonthClosure.group_id.in_([g.id for g in groups]),
                MonthClosure.month.in_(months),
            )
        )
    }
    blocks = {
        (group.id, month): attendance.close_block(db.session, group, month)
        for group in groups
        for month in months
        if (group.id, month) not in closures or closures[(group.id, month)].reopened_at
    }
    return render_template(
        "attendance/months.html",
        groups=groups,
        months=months,
        closures=closures,
        blocks=blocks,
        errors=errors or {},
        values=request.form if request.method == "POST" else {},
    ), status


@bp.get("/attendance/months")
@require_roles(*RECORDERS)
def months():
    return _render_months()


def _month_action(group_id: int, month: str, action: str):
    group = _own_group(group_id)
    try:
        day = attendance.parse_month(month)
    except ValidationFailed:
        abort(404)
    key = f"{group.id}-{day.strftime('%Y-%m')}"
    try:
        if action == "close":
            attendance.close_month(db.session, current_user, group, day)
            message = _("The month is closed.")
        else:
            attendance.reopen_month(
                db.session, current_user, group, day, request.form.get("reason", "")
            )
            message = _("The month is reopened. Corrections made now are flagged in reports.")
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_months({key: exc.errors}, 422)
    except DomainError as exc:
        db.session.rollback()
        return _render_months({key: {"month": [exc.message]}}, exc.status)
    flash(message, "success")
    return redirect(url_for("attendance.months") + f"#month-{key}")


@bp.post("/attendance/months/<int:group_id>/<month>/close")
@require_roles(*RECORDERS)
def close_month(group_id: int, month: str):
    return _month_action(group_id, month, "close")


@bp.post("/attendance/months/<int:group_id>/<month>/reopen")
@require_roles(*RECORDERS)
def reopen_month(group_id: int, month: str):
    return _month_action(group_id, month, "reopen")
