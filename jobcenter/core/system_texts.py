"""Texts the system itself writes into the database, and how they are shown.

Some columns hold either a person's own words or a sentence the system wrote on its
own (a shift cancelled because the task's days changed, an activity day superseded
when attendance was confirmed). Storing the system's sentence translated into the
language of whoever triggered the write would show Finnish to a Swedish reader forever.
So the column holds the English source text (the msgid): readable in the database and
the API, and translated only when shown.

- `stored(key)`: what a writer puts in the column.
- `shown(value)`: what a reader displays, in the current request's language. Only a
  value that is exactly one of the registered msgids is translated; anything else is a
  person's text and is shown exactly as written (never run through gettext, even if it
  happens to equal some other msgid of the catalogue).
- Templates use the `system_text` filter (registered in `jobcenter.core.web`).

Every registered text is marked with `N_` so `pybabel extract` (babel.cfg, `./dev.sh
translations`) keeps finding it and the existing Finnish and Swedish translations keep
working. A registered msgid must never change: stored rows refer to it. To reword one,
register the new text under a new key and migrate the rows.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Final

from flask_babel import force_locale
from flask_babel import gettext as _


def N_(message: str) -> str:
    """Mark `message` for extraction (pybabel knows `N_` by default) without
    translating it: it is stored as written."""
    return message


class SystemText(StrEnum):
    """The keys writers use; the msgid each stands for is in `MSGIDS`."""

    TASK_DAYS_CHANGED = "task_days_changed"
    ATTENDANCE_DAY_UPDATED = "attendance_day_updated"


MSGIDS: Final = MappingProxyType(
    {
        # A shift cancelled because its day is no longer one of the task's days
        # (Shift.cancel_reason, AssignmentEvent.reason, the cancellation e-mail).
        SystemText.TASK_DAYS_CHANGED: N_("The days of the task changed."),
        # An activity day superseded by confirming or correcting attendance without a
        # written reason (ActivityDay.correction_reason).
        SystemText.ATTENDANCE_DAY_UPDATED: N_("Attendance of the day was confirmed or corrected."),
    }
)

_REGISTERED: Final = frozenset(MSGIDS.values())


def stored(key: SystemText) -> str:
    """The value to store for a system-written text: its English msgid, never a
    translation, so every later reader can be shown it in their own language."""
    return MSGIDS[SystemText(key)]


def is_system_text(value: str | None) -> bool:
    """Whether a stored value is one of the registered system texts (exact match)."""
    return value in _REGISTERED


def shown(value: str | None) -> str | None:
    """A stored value as the current reader should see it: a registered system text in
    the request's language, anything else (a person's own words, None) unchanged."""
    return _(value) if is_system_text(value) else value


def shown_in(value: str | None, locale: str) -> str | None:
    """`shown`, in `locale` (for text rendered for someone else than the request's
    user, e.g. an API response in its Content-Language)."""
    with force_locale(locale):
        return shown(value)
