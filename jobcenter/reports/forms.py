"""The report pages' pickers: GET forms (nothing is stored, so no CSRF token), checked
here so that any input gives a page, with clear messages beside the fields (422)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, StringField

from jobcenter.admin.forms import options
from jobcenter.core import clock
from jobcenter.reports.labels import PERIOD_LABELS
from jobcenter.reports.periods import (
    Period,
    PeriodKind,
    default_two_week_start,
    make_period,
    month_period,
    next_month,
    parse_day,
    parse_month,
)


class _PickerForm(Form):
    """A GET form whose select lists are filled by the view."""

    def __init__(self, args: MultiDict, choices: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(formdata=args if args else None)
        for name, pairs in choices.items():
            self[name].choices = options(pairs)

    def _choice(self, name: str) -> int | None:
        """The chosen id of a select field ("" is "all"); a value not offered is an error."""
        field = self[name]
        raw = field.data or ""
        if raw == "":
            return None
        if raw not in {choice.value for choice in field.choices}:
            field.errors = [*field.errors, _("Choose one of the options in the list.")]
            return None
        return int(raw)


class AllowanceForm(_PickerForm):
    group = SelectField(_l("Group"), choices=[], validate_choice=False)
    kind = SelectField(
        _l("Period"),
        choices=options((k.value, PERIOD_LABELS[k]) for k in PeriodKind),
        default=PeriodKind.TWO_WEEKS.value,
        validate_choice=False,
    )
    start = StringField(
        _l("First day"),
        render_kw={"type": "date"},
        description=_l("A month report covers the whole month of this day."),
    )

    def parse(self) -> tuple[Period, int | None] | None:
        group_id = self._choice("group")
        kind_raw = self.kind.data or PeriodKind.TWO_WEEKS.value
        if kind_raw not in {k.value for k in PeriodKind}:
            self.kind.errors = [_("Choose two weeks or a calendar month.")]
            kind = PeriodKind.TWO_WEEKS
        else:
            kind = PeriodKind(kind_raw)
        start, message = parse_day(self.start.data)
        if message:
            self.start.errors = [message]
        if start is None:
            start = default_two_week_start() if kind == PeriodKind.TWO_WEEKS else clock.today()
            self.start.data = self.start.data or start.isoformat()
        self.kind.data = kind.value
        if self.has_errors:
            return None
        return make_period(kind, start), group_id

    @property
    def has_errors(self) -> bool:
        return any(field.errors for field in self)


class MonthForm(_PickerForm):
    """A month and, where the role may choose, a group or a unit."""

    month = StringField(_l("Month"), render_kw={"type": "month", "placeholder": "YYYY-MM"})
    group = SelectField(_l("Group"), choices=[], validate_choice=False)
    unit = SelectField(_l("Unit"), choices=[], validate_choice=False)

    def parse(self, *selects: str) -> tuple[Period, dict[str, int | None]] | None:
        first, message = parse_month(self.month.data)
        if message:
            self.month.errors = [message]
        if first is None:
            first = clock.today().replace(day=1)
            self.month.data = self.month.data or f"{first:%Y-%m}"
        chosen = {name: self._choice(name) for name in selects}
        if any(field.errors for field in self):
            return None
        return month_period(first), chosen


def month_value(day: date) -> str:
    return f"{day:%Y-%m}"


def months_around(period: Period) -> tuple[str, str]:
    """The months before and after a month period, as picker values."""
    before = (period.first - timedelta(days=1)).replace(day=1)
    return month_value(before), month_value(next_month(period.first))
