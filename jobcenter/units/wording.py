"""A task's repeat in words, as people say it: "Every week on Monday and Wednesday,
18.9.2026–6.11.2026" — never the iCalendar rule it is stored as."""

from __future__ import annotations

from babel.dates import get_day_names
from babel.lists import format_list
from flask_babel import gettext as _

from jobcenter.core.i18n import current_locale, short_date
from jobcenter.scheduling import recurrence as rrule
from jobcenter.units.models import Task


def weekdays_in_words(weekdays: tuple[int, ...]) -> str:
    """(0, 2) → "Monday and Wednesday" in the page's language."""
    locale = current_locale()
    names = get_day_names("wide", context="format", locale=locale)
    return format_list([names[d] for d in weekdays], locale=locale)


def repeat_in_words(task: Task) -> str:
    """The task's weekly repeat and its period; empty for a task without a repeat."""
    if not task.recurrence:
        return ""
    try:
        rec = rrule.parse(task.recurrence)
    except rrule.RecurrenceError:
        return _("Every week")
    days = weekdays_in_words(rec.weekdays)
    if rec.interval == 1:
        text = _("Every week on %(days)s", days=days)
    else:
        text = _("Every %(num)d weeks on %(days)s", num=rec.interval, days=days)
    first = task.first_date
    last = task.last_date or (rrule.last_date(rec, first) if first else None)
    if first and last:
        period = _("%(start)s – %(end)s", start=short_date(first), end=short_date(last))
    elif first:
        period = _("from %(start)s on", start=short_date(first))
    else:
        return text
    return _("%(repeat)s, %(period)s", repeat=text, period=period)
