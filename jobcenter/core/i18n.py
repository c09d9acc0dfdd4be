"""Locale choice: the signed-in user's saved locale, else the session, else Finnish."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        asked = request.args.get("lang")
        if asked in languages:
            return asked
        if current_user and current_user.is_authenticated:
            return str(current_user.locale)
        chosen = session.get("locale")
        if chosen in languages:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    try:
        from flask_babel import get_locale

        locale = get_locale()
        return str(locale.language) if locale else "fi"
    except RuntimeError:  # outside a request or app context
        return "fi"
