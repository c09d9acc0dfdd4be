"""An instructor's page for one coming shift: check a change waiting on it, move it to
what the task now says, keep it as it is, or cancel it (rules in scheduling.review)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.admin.labels import SUPERVISION_LABELS, label
from jobcenter.core import audit
from jobcenter.core.authz import get_visible, require_roles, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.extensions import db
from jobcenter.participants.models import Participant
from jobcenter.scheduling import review
from jobcenter.scheduling.models import Assignment, Shift
from jobcenter.units.forms import ReasonForm

bp = Blueprint("shifts", __name__)
MANAGERS = (Role.INSTRUCTOR, Role.ADMIN)


def _shift(shift_id: int) -> Shift:
    shift = get_visible(Shift, shift_id, current_user)
    if not review.may_manage(db.session, current_user, shift):
        abort(403)
    return shift


def _page(shift: Shift, status: int = 200, cancel_form: ReasonForm | None = None, error=None):
    # Only the people this user may see (an instructor: their own groups'); the rest
    # are counted.
    visible = db.session.scalars(
        scope(
            sa.select(Assignment).where(Assignment.shift_id == shift.id).order_by(Assignment.id),
            Assignment,
            current_user,
        )
    ).all()
    people = []
    for assignment in visible:
        participant: Participant = assignment.participant
        people.append((participant.user.full_name, assignment.status))
        audit.record("shift_people_viewed", shift, participant_id=participant.id)
    others = len(shift.assignments) - len(visible)
    db.session.commit()
    return (
        render_template(
            "scheduling/manage.html",
            shift=shift,
            change=review.pending_change(db.session, shift) if shift.needs_review else None,
            people=people,
            others=others,
            cancel_form=cancel_form or ReasonForm(formdata=None, prefix="cancel"),
            error=error,
            supervision_label=supervision_label,
        ),
        status,
    )


def supervision_label(level: int) -> str:
    """A shift's supervision level in the words the rest of the product uses for it."""
    return label(SUPERVISION_LABELS, level)


@bp.get("/shifts/<int:shift_id>/manage")
@require_roles(*MANAGERS)
def manage(shift_id: int):
    return _page(_shift(shift_id))


def _act(shift_id: int, run, message):
    """Run one action; `message(result)` is the success message to show."""
    shift = _shift(shift_id)
    try:
        result = run(shift)
    except ValidationFailed:
        raise
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 403:
            raise
        return _page(shift, exc.status, error=exc.message)
    db.session.commit()
    flash(message(result), "success")
    return redirect(url_for("shifts.manage", shift_id=shift_id), code=303)


@bp.post("/shifts/<int:shift_id>/move")
@require_roles(*MANAGERS)
def move(shift_id: int):
    return _act(
        shift_id,
        lambda s: review.move_to_task(db.session, s, current_user),
        lambda change: (
            _("The shift is cancelled. The people on it were told.")
            if change.day_removed
            else _("The shift now follows the task. The people on it were told.")
        ),
    )


@bp.post("/shifts/<int:shift_id>/keep")
@require_roles(*MANAGERS)
def keep(shift_id: int):
    return _act(
        shift_id,
        lambda s: review.keep_as_is(db.session, s, current_user),
        lambda _result: _("The shift stays as it was."),
    )


@bp.post("/shifts/<int:shift_id>/cancel")
@require_roles(*MANAGERS)
def cancel(shift_id: int):
    shift = _shift(shift_id)
    form = ReasonForm(prefix="cancel")
    if form.validate():
        try:
            review.cancel(db.session, shift, current_user, form.reason.data)
        except ValidationFailed as exc:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, *exc.errors.get("reason", [])]
        except DomainError as exc:
            db.session.rollback()
            if exc.status == 403:
                raise
            return _page(shift, exc.status, error=exc.message)
        else:
            db.session.commit()
            flash(_("The shift is cancelled. The people on it were told."), "success")
            return redirect(url_for("shifts.manage", shift_id=shift_id), code=303)
    return _page(shift, 422, cancel_form=form)
