"""Flask-Login wiring: browser sessions and API bearer tokens resolve to one `User`."""

from __future__ import annotations

from flask import Flask, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l

from jobcenter.accounts.models import User
from jobcenter.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    def forget_previous_user() -> None:
        # Flask-Login caches the user on `g`, which lives as long as the app context.
        # A request normally gets a fresh context, but when one is already pushed (tests,
        # scripts) it is shared: each request must still resolve its own user.
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget_previous_user)

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        if request.path.startswith("/api/"):
            return None  # the API authenticates each request by its bearer token only
        user_id, _sep, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version) or not user.is_active:
            return None
        return user

    @login_manager.request_loader
    def load_user_from_token(req) -> User | None:
        header = req.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        from jobcenter.accounts.operations import user_for_api_token

        return user_for_api_token(db.session, token.strip())

    @login_manager.unauthorized_handler
    def unauthorized():
        from flask import abort, flash

        if request.path.startswith("/api/"):
            abort(401)
        flash(str(login_manager.login_message), "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
