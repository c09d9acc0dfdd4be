"""Calendar pages: subscribing to one's feed, the feed itself, one shift as .ics, and the
instructors' week grid.

- `calendar.subscribe` (signed in: participant, instructor, unit contact): the user's
  secret feed address (made on the first visit), a webcal:// link, how to add it to a
  phone, Google Calendar or Outlook, and a button that makes a new address and revokes
  the old one (`calendar.regenerate`, POST with CSRF).
- `calendar.feed(secret)`: no sign-in; the secret is the key. Unknown or revoked → 404.
  ETag (a hash of the body) and Last-Modified; If-None-Match / If-Modified-Since → 304.
  `Cache-Control: private, no-cache`. Each fetch of a participant's feed that returns
  data is written to the audit log (without the secret). The secret is cut out of the
  request log lines of the development server and gunicorn (`redact_feed_secrets`).
- `calendar.shift_ics(shift_id)` (signed in): one shift the user may see, else 404.
- `calendar.instructor_week` (instructors, admins): see `jobcenter.calendar.week`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.accounts.forms import ConfirmForm
from jobcenter.calendar import feeds, secrets, week
from jobcenter.core import audit, clock
from jobcenter.core.authz import get_visible, require_roles
from jobcenter.core.enums import Role
from jobcenter.extensions import csrf, db
from jobcenter.notifications.mail import absolute_url
from jobcenter.scheduling.models import Shift

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

ICS_MIMETYPE = "text/calendar"
ALL_ROLES = tuple(Role)
WEEK_ROLES = (Role.INSTRUCTOR, Role.ADMIN)


# ---------------------------------------------------------------- secrets out of logs

_FEED_PATH = re.compile(r"(/calendar/feed/)[^/\s?\"'.]+")


class RedactFeedSecrets(logging.Filter):
    """Rewrites log records that mention a feed address: the secret becomes "…"."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        if "/calendar/feed/" in message:
            record.msg = _FEED_PATH.sub(r"\1[secret]", message)
            record.args = ()
        return True


REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact_feed_secrets() -> None:
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFeedSecrets) for f in logger.filters):
            logger.addFilter(RedactFeedSecrets())


@bp.record_once
def _install_log_filter(_state) -> None:
    redact_feed_secrets()


# ---------------------------------------------------------------- helpers


def feed_url(secret: str) -> str:
    return absolute_url("calendar.feed", secret=secret)


def webcal_url(url: str) -> str:
    return "webcal://" + url.split("://", 1)[-1]


def _ics_response(body: bytes, filename: str):
    response = make_response(body)
    response.mimetype = ICS_MIMETYPE
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# ---------------------------------------------------------------- subscribing


@bp.get("/subscribe")
@require_roles(*feeds.FEED_ROLES)
def subscribe():
    user = current_user._get_current_object()
    issued = secrets.create_feed(db.session, user)
    db.session.commit()
    url = feed_url(issued.secret)
    return render_template(
        "calendar/subscribe.html",
        feed_url=url,
        webcal_url=webcal_url(url),
        feed=issued.feed,
        form=ConfirmForm(),
    )


@bp.post("/subscribe/regenerate")
@require_roles(*feeds.FEED_ROLES)
def regenerate():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    secrets.regenerate_feed(db.session, current_user._get_current_object())
    db.session.commit()
    flash(
        _("You have a new calendar address. The old one no longer works."),
        "success",
    )
    return redirect(url_for("calendar.subscribe"))


# ---------------------------------------------------------------- the feed


@bp.get("/feed/<secret>.ics")
@csrf.exempt
def feed(secret: str):
    found = secrets.resolve_feed(db.session, secret)
    if found is None:
        # Plain text for calendar programs; no HTML page, so no session cookie either.
        gone = make_response(_("This calendar address does not work.") + "\n", 404)
        gone.mimetype = "text/plain"
        gone.headers["Cache-Control"] = "no-store"
        return gone
    user = found.user
    with force_locale(str(user.locale)):
        built = feeds.build_feed(db.session, user)
    response = _ics_response(built.body, "jobcenter.ics")
    response.set_etag(hashlib.sha256(built.body).hexdigest())
    response.last_modified = built.last_modified
    response.make_conditional(request)
    found.last_fetched_at = clock.now()
    if built.participant_id is not None and response.status_code == 200:
        audit.record(
            "calendar_feed_fetched",
            found,
            actor_id=user.id,
            participant_id=built.participant_id,
            detail={"shifts": built.count},
        )
    db.session.commit()
    return response


# ---------------------------------------------------------------- one shift


@bp.get("/shifts/<int:shift_id>.ics")
@require_roles(*ALL_ROLES)
def shift_ics(shift_id: int):
    shift = get_visible(Shift, shift_id, current_user)
    user = current_user._get_current_object()
    with force_locale(str(user.locale)):
        body, modified = feeds.build_single(db.session, shift, user)
    response = _ics_response(body, f"shift-{shift.id}.ics")
    response.headers["Content-Disposition"] = f'attachment; filename="shift-{shift.id}.ics"'
    response.last_modified = modified
    return response


# ---------------------------------------------------------------- instructors' week


@bp.get("/week")
@require_roles(*WEEK_ROLES)
def instructor_week():
    user = current_user._get_current_object()
    monday = week.monday_of(_parse_day(request.args.get("week")) or clock.today())
    filters = week.Filters.from_args(request.args)
    grid = week.build_week(db.session, user, monday, filters)
    for participant_id in grid.participant_ids:
        audit.record("calendar_week_viewed", participant_id=participant_id,
                     detail={"week": monday.isoformat()})  # fmt: skip
    db.session.commit()
    return render_template("calendar/week.html", grid=grid, filters=filters)


def _parse_day(raw: str | None) -> date | None:
    if not raw or len(raw) > 10:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None
