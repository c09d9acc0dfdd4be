"""Landing pages."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from jobcenter.home.dashboards import home_for

bp = Blueprint("home", __name__)


@bp.get("/")
def landing():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.login"))


@bp.get("/home")
@login_required
def index():
    template, context = home_for(current_user)
    return render_template(template, **context)


@bp.post("/language")
def set_language():
    """Language switcher; saved on the account for signed-in users."""
    from flask import current_app

    from jobcenter.extensions import db

    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next") or url_for("home.landing")
    from jobcenter.accounts.views import safe_next

    return redirect(safe_next(target))


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
