"""Forms of the task pages. They parse what people type; `jobcenter.units.posting` and
`jobcenter.units.lifecycle` check the rules (shared with the API).

The posting form sends either specific dates or a weekly repeat built from weekday
checkboxes and an end (a date or a number of times); `TaskForm.values()` turns it into
the plain values `posting.create_task` / `update_task` take, and `FIELD_FOR_ERROR`
puts each of posting's messages beside the input it is about.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from jobcenter.admin.forms import HoursField, MultiCheckboxField, options
from jobcenter.core.text import NoControlCharacters
from jobcenter.scheduling import recurrence as rrule
from jobcenter.units import posting
from jobcenter.units.models import Task

DATE_ROWS = 6
WEEKDAY_LABELS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
DATE_INPUT = {"type": "date"}
TIME_INPUT = {"type": "time"}

# posting's field names → the form field that shows the message.
FIELD_FOR_ERROR = {
    "recurrence": "weekdays",
    "first_date": "first_date",
    "last_date": "until_date",
    "dates": "dates",
}


class RequiredByPosting:
    """Marks a field "(required)" on the page. The check and its message live in
    `posting` (one place, shared with the API), so this validator checks nothing."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: Any) -> None:
        return None


class TaskForm(FlaskForm):
    # Declared in the order the page shows them, so the error summary lists mistakes
    # in the same order as the form.
    title = StringField(_l("Title"), validators=[RequiredByPosting(), Length(max=160)])
    task_kind_id = RadioField(_l("Kind of work"), choices=[], validate_choice=False)
    description = TextAreaField(_l("What is to be done"), validators=[Length(max=5000)])
    required_skill_ids = MultiCheckboxField(_l("Skills needed"), choices=[], validate_choice=False)
    physical_demands = TextAreaField(_l("Physical demands"), validators=[Length(max=2000)])
    what_to_bring = TextAreaField(_l("What to bring"), validators=[Length(max=2000)])
    site_address = StringField(_l("Street address"), validators=[Length(max=200)])
    site_postal_code = StringField(
        _l("Postal code"), validators=[Length(max=10)], render_kw={"inputmode": "numeric"}
    )
    site_city = StringField(_l("City"), validators=[Length(max=80)])
    district_id = SelectField(_l("District"), choices=[], validate_choice=False)
    site_supervision = BooleanField(_l("Someone at the site can guide the workers"))
    site_contact_name = StringField(_l("Contact person at the site"), validators=[Length(max=120)])
    site_contact_phone = StringField(
        _l("Contact person's phone"),
        validators=[Length(max=40)],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    headcount = StringField(
        _l("People per shift"), render_kw={"inputmode": "numeric", "autocomplete": "off"}
    )
    shift_minutes = HoursField(_l("Length of a shift in hours"))
    preferred_start = StringField(_l("Start time"), render_kw=TIME_INPUT)
    preferred_end = StringField(_l("Work must end by"), render_kw=TIME_INPUT)
    schedule = RadioField(
        _l("When is the work done?"),
        choices=[],
        default="dates",
        validate_choice=False,
    )
    dates = FieldList(
        StringField(_l("Date"), render_kw=DATE_INPUT), min_entries=DATE_ROWS, max_entries=40
    )
    weekdays = MultiCheckboxField(_l("Weekdays"), choices=[], validate_choice=False)
    first_date = StringField(_l("First day"), render_kw=DATE_INPUT)
    until_date = StringField(_l("Last day"), render_kw=DATE_INPUT)
    count = StringField(
        _l("Or: number of times"), render_kw={"inputmode": "numeric", "autocomplete": "off"}
    )
    include_public_holidays = BooleanField(_l("Work on public holidays too"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.schedule.choices = options(
            [("dates", _l("On specific dates")), ("weekly", _l("Every week on the same days"))]
        )
        self.weekdays.choices = options(
            (code, label) for code, label in zip(rrule.WEEKDAY_CODES, WEEKDAY_LABELS, strict=True)
        )
        for index, entry in enumerate(self.dates.entries, start=1):
            entry.label.text = _("Date %(number)d", number=index)

    def fill_from(self, task: Task) -> None:
        """Show the task's saved values (on GET of the edit page)."""
        for name in (
            "title", "description", "site_address", "site_postal_code", "site_city",
            "physical_demands", "what_to_bring", "site_contact_name", "site_contact_phone",
        ):  # fmt: skip
            getattr(self, name).data = getattr(task, name) or ""
        self.task_kind_id.data = str(task.task_kind_id)
        self.district_id.data = str(task.district_id) if task.district_id else ""
        self.required_skill_ids.data = [str(s.id) for s in task.required_skills]
        self.site_supervision.data = task.site_supervision
        self.include_public_holidays.data = task.include_public_holidays
        self.headcount.data = str(task.headcount)
        self.shift_minutes.data = task.shift_minutes
        self.preferred_start.data = _hhmm(task.preferred_start)
        self.preferred_end.data = _hhmm(task.preferred_end)
        days = [d.day.isoformat() for d in task.dates]
        while len(self.dates.entries) < max(len(days), DATE_ROWS):
            self.dates.append_entry()
        for entry, value in zip(self.dates.entries, days + [""] * DATE_ROWS, strict=False):
            entry.data = value
        if task.recurrence:
            rec = rrule.parse(task.recurrence)
            self.schedule.data = "weekly"
            self.weekdays.data = [rrule.WEEKDAY_CODES[d] for d in rec.weekdays]
            self.first_date.data = task.first_date.isoformat() if task.first_date else ""
            # A COUNT rule's end is its count; the task's last day is derived from it.
            until = rec.until or (None if rec.count else task.last_date)
            self.until_date.data = until.isoformat() if until else ""
            self.count.data = str(rec.count) if rec.count else ""
        else:
            self.schedule.data = "dates"

    def values(self) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """(values for posting, errors the form itself found in the repeat)."""
        errors: dict[str, list[str]] = {}
        values: dict[str, Any] = {
            name: getattr(self, name).data
            for name in (
                "title", "description", "task_kind_id", "site_address", "site_postal_code",
                "site_city", "district_id", "site_supervision", "headcount", "shift_minutes",
                "preferred_start", "preferred_end", "include_public_holidays",
                "physical_demands", "what_to_bring", "site_contact_name", "site_contact_phone",
            )
        }  # fmt: skip
        values["required_skill_ids"] = list(self.required_skill_ids.data or [])
        if values["shift_minutes"] is None:
            values["shift_minutes"] = ""
        values["task_kind_id"] = values["task_kind_id"] or ""
        if self.schedule.data == "weekly":
            values["dates"] = []
            values["first_date"] = self.first_date.data or ""
            values["recurrence"] = self._rule(errors)
            # The repeat carries its end (UNTIL or COUNT); posting derives the last day
            # from it, so the task's last day follows the rule.
            values["last_date"] = ""
        else:
            values["dates"] = [d for d in (e.data for e in self.dates.entries) if d and d.strip()]
            values["recurrence"] = ""
            values["first_date"] = ""
            values["last_date"] = ""
        return values, errors

    def _rule(self, errors: dict[str, list[str]]) -> str:
        codes = list(self.weekdays.data or [])
        if not codes:
            return ""
        weekdays = [rrule.WEEKDAY_CODES.index(c) for c in codes if c in rrule.WEEKDAY_CODES]
        until: date | None = None
        count: int | None = None
        raw_until = (self.until_date.data or "").strip()
        raw_count = (self.count.data or "").strip()
        if raw_until:
            try:
                until = date.fromisoformat(raw_until)
            except ValueError:
                errors["until_date"] = [_("Enter a date as YYYY-MM-DD.")]
        if raw_count:
            if raw_count.isdigit():
                count = int(raw_count)
            else:
                errors["count"] = [_("Enter a whole number.")]
        if errors:
            return ""
        try:
            return rrule.build(weekdays, until=until, count=count)
        except rrule.RecurrenceError as exc:
            target = "count" if exc.code in ("count", "until_and_count") else "weekdays"
            errors[target] = [posting.recurrence_message(exc)]
            return ""


def _hhmm(value: Any) -> str:
    return value.strftime("%H:%M") if value else ""


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[Length(max=2000), NoControlCharacters(multiline=True)]
    )


class AcceptForm(FlaskForm):
    group_id = SelectField(_l("Group that does the work"), choices=[], validate_choice=False)


class ConfirmForm(FlaskForm):
    rating = RadioField(_l("How did it go?"), choices=[], validate_choice=False)
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rating.choices = options(
            [
                ("5", _l("5 – excellent")),
                ("4", _l("4 – good")),
                ("3", _l("3 – fair")),
                ("2", _l("2 – poor")),
                ("1", _l("1 – very poor")),
            ]
        )
