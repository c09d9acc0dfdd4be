"""Sign-in, sign-out and the user's own account page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from jobcenter.accounts import operations
from jobcenter.accounts.forms import LoginForm
from jobcenter.core import audit
from jobcenter.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after sign-in."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("home.index")
    return target


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            audit.record(
                "login_failed", detail={"email_domain": form.email.data.rpartition("@")[2]}
            )
            db.session.commit()
            form.password.errors.append(_("The e-mail address or password is wrong."))
        else:
            login_user(user, remember=form.remember.data)
            audit.record("login", user, actor_id=user.id)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
    return render_template(
        "accounts/login.html", form=form
    ), 200 if request.method == "GET" or not form.errors else 422


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("accounts.login"))


@bp.get("/account")
@login_required
def profile():
    return render_template("accounts/profile.html")
