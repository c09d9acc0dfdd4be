"""The dashboard's date range: days in Helsinki, both ends included.

A range is given as `from` and `to` (YYYY-MM-DD) by the page and the API alike, and
checked here once: both are dates, `to` is not before `from`, and the range is at most
ten years, so no input can make the database scan without end.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _

from jobcenter.core import clock

MAX_DAYS = 3660  # ten years
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=clock.HELSINKI)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass(frozen=True)
class DateRange:
    first: date
    last: date

    @property
    def start_utc(self) -> datetime:
        """The first moment of the range (Helsinki midnight, aware)."""
        return local_midnight(self.first)

    @property
    def end_utc(self) -> datetime:
        """The first moment after the range: a shift starting then is outside it."""
        return local_midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def months(self) -> list[date]:
        """First days of every calendar month the range touches, in order."""
        out, month = [], month_start(self.first)
        while month <= self.last:
            out.append(month)
            month = next_month(month)
        return out

    def month_range(self, month: date) -> DateRange | None:
        """The part of the range inside one calendar month (None when they do not meet)."""
        first = max(self.first, month_start(month))
        last = min(self.last, next_month(month) - timedelta(days=1))
        return DateRange(first, last) if first <= last else None

    def until(self, day: date) -> DateRange | None:
        """The range cut to end at `day` at the latest (None when it starts after it)."""
        last = min(self.last, day)
        return DateRange(self.first, last) if self.first <= last else None

    def as_args(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def default_range(today: date | None = None) -> DateRange:
    """The last twelve months up to today."""
    today = today or clock.today()
    try:
        first = today.replace(year=today.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - 1, day=28) + timedelta(days=1)
    return DateRange(first, today)


def presets(today: date | None = None) -> list[tuple[str, DateRange]]:
    """Ranges people ask for most, with their names in the request's language."""
    today = today or clock.today()
    this_month = month_start(today)
    last_month = month_start(this_month - timedelta(days=1))
    return [
        (_("This month"), DateRange(this_month, today)),
        (_("Last month"), DateRange(last_month, this_month - timedelta(days=1))),
        (_("This year"), DateRange(date(today.year, 1, 1), today)),
        (_("Last year"), DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))),
        (_("Last 12 months"), default_range(today)),
    ]


_LOCAL_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _parse_day(raw: str, *, typed: bool = False) -> date | None:
    """YYYY-MM-DD (`date.fromisoformat` would also take 20250101 and week dates); when
    `typed` (a form in a browser without a date picker) also 31.1.2025."""
    local = _LOCAL_DAY.fullmatch(raw.strip()) if typed else None
    if local is not None:
        day, month, year = (int(part) for part in local.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return None
    if not _ISO_DAY.fullmatch(raw):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def range_errors(first: date | None, last: date | None) -> dict[str, list[str]]:
    """Per-field messages for a range whose ends parsed (or None where they did not)."""
    errors: dict[str, list[str]] = {}
    for name, day in (("from", first), ("to", last)):
        if day is not None and not EARLIEST <= day <= LATEST:
            errors[name] = [
                _(
                    "Choose a day between %(first)s and %(last)s.",
                    first=EARLIEST.isoformat(),
                    last=LATEST.isoformat(),
                )
            ]
    if errors or first is None or last is None:
        return errors
    if last < first:
        errors["to"] = [_("The last day cannot be before the first day.")]
    elif (last - first).days + 1 > MAX_DAYS:
        errors["to"] = [_("Choose a range of at most ten years.")]
    return errors


def parse_range(
    args: Mapping[str, str], *, empty_is_missing: bool = True
) -> tuple[DateRange | None, dict[str, list[str]]]:
    """`from` and `to` from query arguments: (range, {}) or (None, per-field messages).
    Both missing means the default range; one missing means that end of the default.
    An empty value is missing for a form (its fields were left empty); the API passes
    `empty_is_missing=False`, where an empty value is as wrong as any other non-date."""
    default = default_range()
    days: dict[str, date | None] = {}
    errors: dict[str, list[str]] = {}
    for name, fallback in (("from", default.first), ("to", default.last)):
        raw = args.get(name)
        if raw is None or (raw == "" and empty_is_missing):
            days[name] = fallback
            continue
        days[name] = _parse_day(raw, typed=empty_is_missing)
        if days[name] is None:
            typed_message = _("Write the day as 31.1.2025.")
            errors[name] = [typed_message if empty_is_missing else _("Send a date as YYYY-MM-DD.")]
    errors |= range_errors(days["from"], days["to"])
    if errors:
        return None, errors
    first, last = days["from"], days["to"]
    if first is None or last is None:  # unreachable: a missing end has errors above
        return None, errors
    return DateRange(first, last), {}
