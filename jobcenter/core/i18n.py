"""Language choice and locale-aware wording of dates and times.

Locale order: `?lang=` on the request (a link or bookmark in a given language), then
the signed-in user's saved locale, then the anonymous visitor's session, then Finnish.
"""

from __future__ import annotations

from datetime import date, datetime, time
from urllib.parse import urlencode

from babel import dates as babel_dates
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.core import clock

# Each language's name in that language: people look for their own language's name.
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
# Session key: the language was picked while signed out (e.g. on the sign-in page).
LANGUAGE_CHOSEN_SIGNED_OUT = "locale_chosen_signed_out"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        asked = request.args.get("lang")
        if asked in languages:
            return asked
        if request.path.startswith("/api/"):
            # API clients say what they want per request; the account's language is a
            # fallback for clients that don't.
            wanted = request.accept_languages.best_match(languages)
            if wanted:
                return wanted
        if current_user and current_user.is_authenticated:
            saved = str(current_user.locale)
            if saved in languages:
                return saved
        chosen = session.get("locale")
        if chosen in languages:
            return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    try:
        locale = get_locale()
        return str(locale.language) if locale else "fi"
    except RuntimeError:  # outside a request or app context
        return "fi"


def path_without_lang() -> str:
    """The current path and query without `lang`, where the language switcher returns to:
    a `?lang=` left in the address would override the language just chosen."""
    if not has_request_context():
        return "/"
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + (f"?{urlencode(args)}" if args else "")


def format_skeleton(skeleton: str, value: date | time) -> str:
    """A CLDR skeleton ("Md", "Hm") in the request's locale: each language's own order."""
    return babel_dates.format_skeleton(skeleton, value, locale=get_locale() or "fi")


# Short dates as people in Finland write them in every language: Babel's Swedish short
# date is ISO (2026-12-05) and its English one American (12/5/26).
SHORT_DATE_PATTERN = "d.M.yyyy"


def local_date(value: date | datetime | None, fmt: str = "medium") -> str:
    """A day in the page's language; a moment is first turned into Helsinki time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = clock.to_local(value).date()
    return format_date(value, SHORT_DATE_PATTERN if fmt == "short" else fmt)


def short_date(value: date | datetime | None) -> str:
    return local_date(value, "short")


def local_datetime(value: datetime | None) -> str:
    """A moment as a short date and a clock time in Helsinki: "5.12.2026 9.30"."""
    if value is None:
        return ""
    return f"{short_date(value)} {clock_time(value)}"


def clock_time(value: datetime | time) -> str:
    """A clock time in the page's language: fi "9.05", sv and en "09:05" (a moment is
    first turned into Helsinki time)."""
    if isinstance(value, datetime):
        value = clock.to_local(value).time()
    return format_skeleton("Hm", value)


def _clock_time(value: time) -> str:
    """9 → "9" (fi, sv: "klo 9", "kl. 9"), 9.30 → "9.30"; English keeps "09:00"."""
    if value.minute == 0 and current_locale() != "en":
        return str(value.hour)
    return format_skeleton("Hm", value)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def day_in_words(day: date, *, sentence_start: bool = True) -> str:
    """ "Tiistaina 14.1." / "Tisdag 14 januari" / "Tuesday, January 14": the weekday spelt
    out (CLDR's Finnish weekday in its essive form reads "on Tuesday")."""
    locale = current_locale()
    weekday = format_date(day, "EEEE")
    if locale == "fi":
        # CLDR's essive has one gap: Sunday comes as "sunnuntai", not "sunnuntaina".
        if weekday == "sunnuntai":
            weekday = "sunnuntaina"
        words = f"{weekday} {format_skeleton('Md', day)}"
    else:
        separator = ", " if locale == "en" else " "
        words = f"{weekday}{separator}{format_skeleton('MMMMd', day)}"
    # English weekdays are capitalised anywhere; Finnish and Swedish ones only first.
    return _capitalise(words) if sentence_start or locale == "en" else words


def time_span_in_words(starts_at: datetime, ends_at: datetime) -> str:
    """A shift's day and time in words, local to Helsinki: "Tiistaina 14.1. klo 9–13"."""
    start = clock.to_local(starts_at)
    end = clock.to_local(ends_at)
    if start.date() == end.date():
        return _(
            "%(day)s at %(start)s–%(end)s",
            day=day_in_words(start.date()),
            start=_clock_time(start.time()),
            end=_clock_time(end.time()),
        )
    return _(
        "%(start_day)s at %(start)s – %(end_day)s at %(end)s",
        start_day=day_in_words(start.date()),
        start=_clock_time(start.time()),
        end_day=day_in_words(end.date(), sentence_start=False),
        end=_clock_time(end.time()),
    )
