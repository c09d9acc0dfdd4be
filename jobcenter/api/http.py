"""Request and response plumbing shared by every API handler.

- `load_json(schema)`: the request body as validated data, or a problem: 415 when the
  body is not JSON, 400 when it cannot be parsed, 422 with per-field `errors` when it
  breaks the schema. Nothing has been written when any of these is raised.
- `json_response(data)`: a JSON response with the API's headers.
- `api_locale()`: the language of the response: `Accept-Language`, else the user's
  saved locale, else Finnish.
- `query_day(name, errors)`: one day from the query string (YYYY-MM-DD, optionally in
  a window of years), the one parser of days in query strings.
- `query_day_range(errors)`: the optional `?from=` / `?to=` days of a list, with a
  per-field message for a bad day or a range that ends before it starts.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Response, abort, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError

from jobcenter.core.errors import ValidationFailed


def is_json_mimetype(mimetype: str) -> bool:
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def load_json(schema: Schema) -> dict[str, Any]:
    """Parse and validate the request body with `schema` (unknown fields are refused)."""
    if not is_json_mimetype(request.mimetype):
        abort(
            415,
            description=_("Send the request body as JSON with Content-Type: application/json."),
        )
    try:
        payload = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: not JSON we can read
        abort(400, description=_("The request body is not valid JSON."))
    if payload is None:
        if request.get_data(cache=True).strip() in (b"", b"null"):
            abort(400, description=_("The request body is empty. Send a JSON object."))
        abort(400, description=_("The request body is not valid JSON."))
    try:
        return schema.load(payload)
    except ValidationError as exc:
        raise ValidationFailed(translate_messages(exc.messages)) from None


Errors = dict[str, list[str]]


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def query_day(name: str, errors: Errors, *, years: range | None = None) -> date | None:
    """The day in query argument `name`, written YYYY-MM-DD (None when it is not given).

    Anything else given (also ISO 8601's other forms, such as 20260301) adds a message for
    `name` to `errors`; so does a day outside `years`, the window the caller allows (the
    reports' years, say), with the window in the message.
    """
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        day = date.fromisoformat(raw) if _ISO_DAY.fullmatch(raw) else None
    except ValueError:
        day = None
    if day is None:
        errors[name] = [_("Send a date as YYYY-MM-DD.")]
        return None
    if years is not None and day.year not in years:
        errors[name] = [
            _(
                "Choose a date between the years %(first)s and %(last)s.",
                first=years.start,
                last=years[-1],
            )
        ]
        return None
    return day


def query_day_range(
    errors: Errors, *, years: range | None = None
) -> tuple[date | None, date | None]:
    """`?from=` and `?to=`, both optional and inclusive."""
    first, last = query_day("from", errors, years=years), query_day("to", errors, years=years)
    if first and last and last < first:
        errors["to"] = [_("The last day cannot be before the first day.")]
    return first, last


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = jsonify(data)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def api_locale() -> str:
    """The response's language: the best match in `Accept-Language`, then the
    signed-in user's saved locale, then the default (Finnish)."""
    languages = tuple(current_app.config["LANGUAGES"])
    if request.accept_languages:
        best = request.accept_languages.best_match(languages)
        if best:
            return best
    if current_user and current_user.is_authenticated and str(current_user.locale) in languages:
        return str(current_user.locale)
    return current_app.config["BABEL_DEFAULT_LOCALE"]


# --- marshmallow's built-in messages, in the user's language -----------------------------


def _builtin_messages() -> dict[str, str]:
    # Called per request: gettext translates into the request's language.
    return {
        "Missing data for required field.": _("This field is required."),
        "Field may not be null.": _("This field cannot be empty (null)."),
        "Invalid value.": _("This value is not valid."),
        "Not a valid string.": _("Send text (a JSON string)."),
        "Not a valid utf-8 string.": _("Send text (a JSON string)."),
        "Not a valid integer.": _("Send a whole number."),
        "Not a valid number.": _("Send a number."),
        "Number too large.": _("The number is too large."),
        "Not a valid boolean.": _("Send true or false."),
        "Not a valid email address.": _("Check the e-mail address."),
        "Not a valid date.": _("Send a date as YYYY-MM-DD."),
        "Not a valid datetime.": _("Send a date and time in ISO 8601 format."),
        "Not a valid aware datetime.": _(
            "Send a date and time with its time zone in ISO 8601 format."
        ),
        "Not a valid time.": _("Send a time as HH:MM."),
        "Not a valid list.": _("Send a list (a JSON array)."),
        "Not a valid mapping type.": _("Send a JSON object."),
        "Invalid type.": _("Send a JSON object."),
        "Invalid input type.": _("Send a JSON object."),
        "Unknown field.": _("This field is not known. Check its name."),
    }


def translate_messages(messages: Any) -> Any:
    """Marshmallow's error structure with its English built-in messages translated;
    our own validators' messages are already translated."""
    table = _builtin_messages()

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(key): walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, str):
            if value.startswith("Must be one of: "):
                choices = value.removeprefix("Must be one of: ").removesuffix(".")
                return _("Choose one of: %(choices)s.", choices=choices)
            return table.get(value, value)
        return value

    return walk(messages)
