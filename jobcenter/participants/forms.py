"""Forms of the participant's own pages: answers to offers, feedback, availability.

They parse what people send; the rules live in `jobcenter.scheduling.offers` and
`jobcenter.participants.availability` (shared with the API). Dates and times are text
inputs of type date/time parsed here, so every message is in the user's language.
"""

from __future__ import annotations

from datetime import date, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from jobcenter.scheduling.offers import DECLINE_REASONS, FACES, NOTE_MAX, WORD_MAX

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


def weekday_name(weekday: int) -> str:
    return str(WEEKDAYS[weekday]) if 0 <= weekday <= 6 else ""


def parse_time(raw: str | None) -> time | None:
    """ "9", "9.30", "09:30" → a time; None when it is not one."""
    text = (raw or "").strip().replace(".", ":")
    if not text:
        return None
    if text.isdigit():
        text += ":00"
    try:
        hours, minutes = text.split(":")[:2]
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            return None
        return time(int(hours), int(minutes))
    except (ValueError, OverflowError):  # e.g. "99999999999999999999:00"
        return None


def parse_day(raw: str | None) -> date | None:
    text = (raw or "").strip()
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


class AcceptForm(FlaskForm):
    """Yes, I will come: one button (the CSRF token is the whole form)."""


class DeclineForm(FlaskForm):
    # Each reason is its own submit button (name="reason"): one tap says no and why.
    reason = RadioField(
        _l("Why can you not come?"),
        choices=[SelectChoice(value=r.code, label=r.label) for r in DECLINE_REASONS],
        validate_choice=False,
    )
    note = StringField(_l("Anything else? (you can leave this empty)"), [Length(max=NOTE_MAX)])


class FeedbackForm(FlaskForm):
    face = RadioField(
        _l("How did the shift go?"),
        choices=[SelectChoice(value=str(f.value), label=f.label) for f in FACES],
        validate_choice=False,
    )
    word = StringField(_l("One word or more (you can leave this empty)"), [Length(max=WORD_MAX)])

    def face_value(self) -> int | None:
        raw = self.face.data
        return int(raw) if raw in {str(f.value) for f in FACES} else None


class WindowForm(FlaskForm):
    """One weekly time when the person can work."""

    weekday = SelectField(
        _l("Day"),
        choices=[SelectChoice(value=str(i), label=name) for i, name in enumerate(WEEKDAYS)],
        validate_choice=False,
    )
    start = StringField(_l("From"), render_kw={"type": "time"})
    end = StringField(_l("To"), render_kw={"type": "time"})

    def validate_weekday(self, field) -> None:
        if field.data not in {str(i) for i in range(7)}:
            raise ValidationError(_("Choose a day of the week."))

    def validate_start(self, field) -> None:
        if parse_time(field.data) is None:
            raise ValidationError(_("Write the time like this: 9:00."))

    def validate_end(self, field) -> None:
        if parse_time(field.data) is None:
            raise ValidationError(_("Write the time like this: 13:00."))

    def values(self) -> tuple[int, time, time]:
        return int(self.weekday.data), parse_time(self.start.data), parse_time(self.end.data)


class DayAwayForm(FlaskForm):
    """A single day when the person cannot work."""

    day = StringField(_l("Day"), render_kw={"type": "date"})
    note = StringField(_l("Note (you can leave this empty)"), [Length(max=NOTE_MAX)])

    def validate_day(self, field) -> None:
        if parse_day(field.data) is None:
            raise ValidationError(_("Choose a day."))


class RemoveForm(FlaskForm):
    item_id = HiddenField()

    def item(self) -> int | None:
        raw = (self.item_id.data or "").strip()
        return int(raw) if raw.isdigit() and len(raw) <= 10 else None
