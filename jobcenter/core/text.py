"""One rule for the free text people type, in forms and through the API alike: it may
not hold control characters (a NUL byte cannot even be stored in PostgreSQL), nor half
of a surrogate pair (JSON can escape one, "\\ud800"; no database can store it); text
of several lines may hold line breaks and tabs.

- `control_character_message(text, multiline=...)`: the translated message, or None.
- `NoControlCharacters(multiline=...)`: the same rule as a WTForms validator.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import gettext as _
from wtforms.validators import ValidationError

LINE_BREAKS_AND_TABS = frozenset("\n\r\t")


def has_control_characters(text: str, *, multiline: bool) -> bool:
    allowed = LINE_BREAKS_AND_TABS if multiline else frozenset()
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def has_lone_surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def control_character_message(text: str | None, *, multiline: bool) -> str | None:
    """What to tell the person when `text` holds characters it may not; else None."""
    if not text:
        return None
    if has_lone_surrogates(text):
        return _("The text has a broken character. Type it again.")
    if not has_control_characters(text, multiline=multiline):
        return None
    if multiline:
        return _("Remove control characters from the text.")
    return _("Remove line breaks, tabs and other control characters.")


class NoControlCharacters:
    """WTForms validator: refuses control characters (line breaks and tabs are allowed
    when `multiline`)."""

    def __init__(self, *, multiline: bool = True) -> None:
        self.multiline = multiline

    def __call__(self, form: Any, field: Any) -> None:
        data = field.data if isinstance(field.data, str) else None
        message = control_character_message(data, multiline=self.multiline)
        if message:
            raise ValidationError(message)
