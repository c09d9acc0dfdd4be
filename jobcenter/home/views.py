"""Landing pages, the language switcher and the health check."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import refresh
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from jobcenter.core.enums import Locale
from jobcenter.core.i18n import LANGUAGE_CHOSEN_SIGNED_OUT
from jobcenter.extensions import db
from jobcenter.home.dashboards import home_for
from jobcenter.home.navigation import shortcuts_for

bp = Blueprint("home", __name__)


@bp.get("/")
def landing():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.login"))


@bp.get("/home")
@login_required
def index():
    template, context = home_for(db.session, current_user)
    return render_template(template, shortcuts=shortcuts_for(current_user), **context)


@bp.post("/language")
def set_language():
    """The language switcher works without JavaScript: a plain form post.

    The choice is kept in the session, and on the account of a signed-in user so that
    it follows them to every device.
    """
    from jobcenter.accounts.views import safe_next

    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if not current_user.is_authenticated:
            session[LANGUAGE_CHOSEN_SIGNED_OUT] = True
        elif current_user.locale != lang:
            current_user.locale = Locale(lang)
            db.session.commit()
        refresh()
    target = safe_next(request.form.get("next") or url_for("home.landing"))
    return redirect(target if _is_a_page(target) else url_for("home.landing"))


def _is_a_page(path: str) -> bool:
    """Whether `path` can be opened with GET: a page re-rendered after a failed POST to a
    POST-only address must not send the visitor to a 405 after they change language."""
    adapter = current_app.url_map.bind("localhost")
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except RequestRedirect:
        return True
    except HTTPException:
        return False
    return True


@bp.get("/healthz")
def healthz():
    """For load balancers and monitoring: 200 when the app can reach its database."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
