"""The participant's own pages ("mine"), in plain language, and availability for
instructors.

- `/my/shifts` (`mine.shifts`, also what `home.index` shows a participant): next shifts
  first, offers to answer in one tap, hours done this week and month, the instructor.
- `/my/week`, `/my/month`: the calendar of their own shifts.
- `/my/shifts/<id>`: one shift: when, where (with a map link), what to bring, who to
  call; accept or decline an offer; after the shift, a three-face feedback.
- `/my/availability`: weekly times when they can work and single days away.
- `/participants/<id>/availability`: the same for an instructor, for people of their
  own groups only (others are 404), written to the audit log.

Views stay thin: parse the form, call one operation (`jobcenter.scheduling.offers`,
`jobcenter.participants.availability`), commit once, redirect. Refused input
re-renders with 422 and messages beside the fields; a refused action (a full shift)
re-renders the shift page with the reason and its status (409).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.core import audit, clock
from jobcenter.core.authz import MAX_DB_ID, get_visible, require_roles
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.i18n import clock_time
from jobcenter.extensions import db
from jobcenter.home import dashboards
from jobcenter.home.navigation import shortcuts_for
from jobcenter.participants import availability
from jobcenter.participants.forms import (
    AcceptForm,
    DayAwayForm,
    DeclineForm,
    FeedbackForm,
    RemoveForm,
    WindowForm,
    parse_day,
    weekday_name,
)
from jobcenter.participants.models import Participant
from jobcenter.scheduling import offers
from jobcenter.scheduling.models import Assignment

bp = Blueprint("mine", __name__)

PARTICIPANT = Role.PARTICIPANT


class MineUI:
    """Helpers the participant templates use (also when `home.index` renders them)."""

    decline_reasons = offers.DECLINE_REASONS
    faces = offers.FACES
    decline_reason_label = staticmethod(offers.decline_reason_label)
    face_label = staticmethod(offers.face_label)
    weekday_name = staticmethod(weekday_name)

    clock_time = staticmethod(clock_time)

    @staticmethod
    def has_endpoint(name: str) -> bool:
        return name in current_app.view_functions


@bp.record_once
def _template_helpers(state) -> None:
    # A global (not a context variable), so that imported macros see it too.
    state.app.jinja_env.globals["mine_ui"] = MineUI


# ---------------------------------------------------------------- my shifts


def shifts_page(status: int = 200):
    """The participant's home: used by `mine.shifts` and by `home.index`."""
    overview = dashboards.participant_overview(db.session, current_user)
    return render_template(
        "mine/shifts.html", overview=overview, shortcuts=shortcuts_for(current_user)
    ), status


@bp.get("/my/shifts")
@require_roles(PARTICIPANT)
def shifts():
    return shifts_page()


def _monday(raw: str | None) -> date:
    day = parse_day(raw) or clock.today()
    if not 2000 <= day.year <= 2100:
        day = clock.today()
    return day - timedelta(days=day.weekday())


@bp.get("/my/week")
@require_roles(PARTICIPANT)
def week():
    monday = _monday(request.args.get("start"))
    sunday = monday + timedelta(days=6)
    lines, minutes = dashboards.participant_calendar(db.session, current_user, monday, sunday)
    days = [
        (
            monday + timedelta(days=i),
            [s for s in lines if s.local_day == monday + timedelta(days=i)],
        )
        for i in range(7)
    ]
    return render_template(
        "mine/week.html",
        monday=monday,
        sunday=sunday,
        days=days,
        minutes=minutes,
        today=clock.today(),
        previous=monday - timedelta(days=7),
        following=monday + timedelta(days=7),
        overview=dashboards.participant_overview(db.session, current_user),
    )


def _month_start(raw: str | None) -> date:
    text = (raw or "").strip()
    day = parse_day(f"{text}-01") if len(text) == 7 else None
    if day is None or not 2000 <= day.year <= 2100:
        day = clock.today()
    return day.replace(day=1)


@bp.get("/my/month")
@require_roles(PARTICIPANT)
def month():
    first = _month_start(request.args.get("month"))
    following = (first + timedelta(days=32)).replace(day=1)
    last = following - timedelta(days=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    lines, minutes = dashboards.participant_calendar(db.session, current_user, first, last)
    by_day: dict[date, list] = {}
    for line in lines:
        by_day.setdefault(line.local_day, []).append(line)
    return render_template(
        "mine/month.html",
        first=first,
        month_name=format_date(first, "LLLL yyyy"),
        days=sorted(by_day.items()),
        shift_count=sum(1 for s in lines if not s.is_cancelled),
        minutes=minutes,
        today=clock.today(),
        previous=previous,
        following=following,
    )


# ---------------------------------------------------------------- one shift


def _own_shift(shift_id: int) -> dashboards.ShiftDetail:
    if not 0 < shift_id <= MAX_DB_ID:
        abort(404)
    detail = dashboards.participant_shift(db.session, current_user, shift_id)
    if detail is None:
        abort(404)
    return detail


def _shift_page(shift_id: int, status: int = 200, **forms: Any):
    detail = _own_shift(shift_id)
    context = {
        "detail": detail,
        "decline_form": forms.get("decline_form") or DeclineForm(formdata=None),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(formdata=None),
        "accept_form": AcceptForm(formdata=None),
        "problem": forms.get("problem"),
    }
    return render_template("mine/shift.html", **context), status


@bp.get("/my/shifts/<int:shift_id>")
@require_roles(PARTICIPANT)
def shift(shift_id: int):
    return _shift_page(shift_id)


def _back(shift_id: int) -> str:
    from jobcenter.accounts.views import safe_next

    wanted = request.form.get("next")
    return safe_next(wanted) if wanted else url_for("mine.shift", shift_id=shift_id)


def _assignment(detail: dashboards.ShiftDetail) -> Assignment:
    return detail.assignment


@bp.post("/my/shifts/<int:shift_id>/accept")
@require_roles(PARTICIPANT)
def accept(shift_id: int):
    detail = _own_shift(shift_id)
    form = AcceptForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        offers.accept_offer(db.session, _assignment(detail), current_user)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        return _shift_page(shift_id, exc.status, problem=exc.message)
    flash(_("Thank you! You said yes. Your instructor will confirm the shift."), "success")
    return redirect(_back(shift_id), 303)


@bp.post("/my/shifts/<int:shift_id>/decline")
@require_roles(PARTICIPANT)
def decline(shift_id: int):
    detail = _own_shift(shift_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _shift_page(shift_id, 422, decline_form=form)
    try:
        offers.decline_offer(
            db.session, _assignment(detail), current_user, form.reason.data or "", form.note.data
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        _apply_errors(form, exc.errors)
        return _shift_page(shift_id, 422, decline_form=form)
    except DomainError as exc:
        db.session.rollback()
        return _shift_page(shift_id, exc.status, problem=exc.message)
    flash(_("Thank you for telling us. You said no to this shift."), "success")
    return redirect(_back(shift_id), 303)


@bp.post("/my/shifts/<int:shift_id>/feedback")
@require_roles(PARTICIPANT)
def feedback(shift_id: int):
    detail = _own_shift(shift_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _shift_page(shift_id, 422, feedback_form=form)
    try:
        offers.give_feedback(
            db.session, _assignment(detail), current_user, form.face_value(), form.word.data
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        _apply_errors(form, exc.errors)
        return _shift_page(shift_id, 422, feedback_form=form)
    except DomainError as exc:
        db.session.rollback()
        return _shift_page(shift_id, exc.status, problem=exc.message)
    flash(_("Thank you for your feedback!"), "success")
    return redirect(url_for("mine.shift", shift_id=shift_id), 303)


def _apply_errors(form, errors: dict[str, Any]) -> None:
    """Put an operation's messages beside the form's fields (others on the first field)."""
    for name, messages in errors.items():
        field = getattr(form, name, None)
        target = field if field is not None and hasattr(field, "errors") else None
        if target is None:
            target = next(iter(f for f in form if f.name != "csrf_token"), None)
        if target is None:
            continue
        if not isinstance(target.errors, list):
            target.errors = list(target.errors)
        target.errors.extend(messages if isinstance(messages, list) else [str(messages)])


# ---------------------------------------------------------------- availability

ACTIONS = ("add_window", "remove_window", "add_day", "remove_day")


def _availability_page(
    person: Participant, *, for_instructor: bool, status: int = 200, **forms: Any
):
    user_id = person.user_id
    away_form = forms.get("away_form") or DayAwayForm(formdata=None, prefix="away")
    away_form.day.render_kw = {"type": "date", "min": clock.today().isoformat()}
    context = {
        "person": person,
        "for_instructor": for_instructor,
        "windows": availability.windows_of(db.session, user_id),
        "days_away": availability.days_away_of(db.session, user_id),
        "window_form": forms.get("window_form") or WindowForm(formdata=None, prefix="window"),
        "away_form": away_form,
        "remove_form": RemoveForm(formdata=None),
        "action_url": (
            url_for("mine.participant_availability", participant_id=person.id)
            if for_instructor
            else url_for("mine.availability")
        ),
        "today": clock.today(),
    }
    return render_template("mine/availability.html", **context), status


def _day_away_with_work(person: Participant, *, for_instructor: bool) -> str:
    if for_instructor:
        return _(
            "%(name)s already has a shift or an offer on that day. It stays: change it on "
            "the shift if they cannot come.",
            name=person.user.first_name,
        )
    return _(
        "You already have work on that day. If you cannot come, say no to the offer "
        "or call your instructor."
    )


def _change_availability(person: Participant, *, for_instructor: bool):
    action = request.form.get("action", "")
    if action not in ACTIONS:
        abort(400)
    user_id = person.user_id
    warning = None
    if action == "add_window":
        form = WindowForm(prefix="window")
        if not form.validate_on_submit():
            return _availability_page(person, for_instructor=for_instructor, status=422,
                                      window_form=form)  # fmt: skip
        weekday, start, end = form.values()
        try:
            availability.add_window(db.session, user_id, weekday, start, end)
        except ValidationFailed as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
            return _availability_page(person, for_instructor=for_instructor, status=422,
                                      window_form=form)  # fmt: skip
        message = _("The time was added.")
    elif action == "add_day":
        form = DayAwayForm(prefix="away")
        if not form.validate_on_submit():
            return _availability_page(person, for_instructor=for_instructor, status=422,
                                      away_form=form)  # fmt: skip
        day = parse_day(form.day.data)
        try:
            availability.add_day_away(db.session, user_id, day, form.note.data)
        except ValidationFailed as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
            return _availability_page(person, for_instructor=for_instructor, status=422,
                                      away_form=form)  # fmt: skip
        message = _("The day was added.")
        if availability.has_work_on_day(db.session, person.id, day):
            warning = _day_away_with_work(person, for_instructor=for_instructor)
    else:
        form = RemoveForm()
        item = form.item() if form.validate_on_submit() else None
        if item is None:
            abort(400)
        remove = (
            availability.remove_window
            if action == "remove_window"
            else availability.remove_day_away
        )
        if not remove(db.session, user_id, item):
            abort(404)
        message = _("It was removed.")
    audit.record(
        "availability_changed", person, participant_id=person.id, detail={"action": action}
    )
    db.session.commit()
    flash(message, "success")
    if warning:
        flash(warning, "warning")
    target = (
        url_for("mine.participant_availability", participant_id=person.id)
        if for_instructor
        else url_for("mine.availability")
    )
    return redirect(target, 303)


def _own_person() -> Participant:
    person = dashboards.own_participant(db.session, current_user)
    if person is None:
        abort(404)
    return person


@bp.route("/my/availability", methods=["GET", "POST"], endpoint="availability")
@require_roles(PARTICIPANT)
def availability_page():
    person = _own_person()
    if request.method == "POST":
        return _change_availability(person, for_instructor=False)
    return _availability_page(person, for_instructor=False)


@bp.route("/participants/<int:participant_id>/availability", methods=["GET", "POST"])
@require_roles(Role.INSTRUCTOR)
def participant_availability(participant_id: int):
    person = get_visible(Participant, participant_id, current_user)
    if request.method == "POST":
        return _change_availability(person, for_instructor=True)
    audit.record("availability_viewed", person, participant_id=person.id)
    db.session.commit()
    return _availability_page(person, for_instructor=True)
