"""Request hooks for every page: security headers, template helpers, outbox flush."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, url_for
from flask_login import current_user

from jobcenter.core import system_texts
from jobcenter.core.i18n import (
    LANGUAGE_NAMES,
    clock_time,
    current_locale,
    day_in_words,
    local_date,
    local_datetime,
    path_without_lang,
    time_span_in_words,
)

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register_web_hooks(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.after_request
    def send_outbox_after_response(response):
        # Mail queued by this request is sent once its transaction has committed and the
        # answer has gone out, so how long a page takes tells nothing (e.g. whether a
        # "forgot password" address exists). The scheduler retries whatever fails here.
        if g.pop("outbox_pending", False) and current_app.config["MAIL_SEND_AFTER_REQUEST"]:
            app_ = current_app._get_current_object()

            def deliver() -> None:
                from jobcenter.notifications.sender import deliver_pending

                with app_.app_context():
                    try:
                        deliver_pending(limit=20)
                    except Exception:
                        app_.logger.exception("outbox delivery after request failed")

            response.call_on_close(deliver)
        return response

    @app.context_processor
    def template_globals() -> dict[str, Any]:
        return {
            "current_locale": current_locale(),
            "language_names": LANGUAGE_NAMES,
            "nav_items": _nav_items(),
            "language_return_path": path_without_lang(),
        }

    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["hours"] = minutes_as_hours
    app.jinja_env.filters["day_in_words"] = day_in_words
    app.jinja_env.filters["clock_time"] = clock_time
    app.jinja_env.filters["system_text"] = system_texts.shown
    app.jinja_env.globals["time_span_in_words"] = time_span_in_words
    app.jinja_env.globals["icon_href"] = icon_href


ICON_FALLBACK = "task"


@cache
def _sprite_symbols(sprite: str) -> frozenset[str]:
    try:
        text = Path(sprite).read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(re.findall(r'<symbol\s+id="([^"]+)"', text))


def icon_href(name: str | None) -> str:
    """Address of a symbol in static/icons.svg; unknown names fall back to a generic task."""
    symbols = _sprite_symbols(str(Path(current_app.static_folder or "") / "icons.svg"))
    symbol = name if name in symbols else ICON_FALLBACK
    return f"{url_for('static', filename='icons.svg')}#{symbol}"


def minutes_as_hours(minutes: int | None) -> str:
    """Hours in running text, in the reader's locale: 480 → "8", 270 → "4,5" (fi), 1385 →
    "23,08". Rounded as the tables and downloads round them (`exports.hours_value`: two
    decimals, half up); trailing zeros are dropped because this is prose ("8 h"), not a
    column of figures."""
    if minutes is None:
        return ""
    from flask_babel import format_decimal

    from jobcenter.core.exports import hours_value

    return format_decimal(hours_value(minutes), format="#,##0.##")


def _nav_items() -> list[tuple[str, str]]:
    from jobcenter.home.navigation import items_for

    if not current_user or not current_user.is_authenticated:
        return []
    return items_for(current_user)
