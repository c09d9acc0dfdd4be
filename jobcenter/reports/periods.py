"""Report periods: a calendar month or two weeks, parsed and checked once for every
report page and API endpoint (a bad date is a 422 with a message, never a 500)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from flask_babel import gettext as _

from jobcenter.core import clock

# Reports reach back to the year 2000 and at most two years ahead: any other date is a
# typing mistake (and date arithmetic near year 9999 would overflow).
FIRST_YEAR = 2000
YEARS_AHEAD = 2
# The longest range the hours API sums in one request.
MAX_RANGE_DAYS = 366 * 5


class PeriodKind(StrEnum):
    TWO_WEEKS = "two_weeks"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    """Days `first` to `last`, both included."""

    first: date
    last: date
    kind: PeriodKind | None = None

    @property
    def end(self) -> date:
        """The first day after the period (for half-open comparisons)."""
        return self.last + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period as instants: local midnight of the first day to that after the last."""
        start = datetime.combine(self.first, time(0, 0), tzinfo=clock.HELSINKI)
        end = datetime.combine(self.end, time(0, 0), tzinfo=clock.HELSINKI)
        return start, end

    @property
    def slug(self) -> str:
        return f"{self.first.isoformat()}_{self.last.isoformat()}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_period(day: date) -> Period:
    first = month_start(day)
    return Period(first, next_month(first) - timedelta(days=1), PeriodKind.MONTH)


def two_week_period(first: date) -> Period:
    return Period(first, first + timedelta(days=13), PeriodKind.TWO_WEEKS)


def make_period(kind: PeriodKind, start: date) -> Period:
    """A month is the calendar month of `start`; two weeks start on `start`."""
    return month_period(start) if kind == PeriodKind.MONTH else two_week_period(start)


def default_two_week_start(today: date | None = None) -> date:
    """The Monday two weeks before this week's: the last whole two-week period."""
    today = today or clock.today()
    return today - timedelta(days=today.weekday() + 14)


def years() -> range:
    """The years a report may ask about: from FIRST_YEAR to YEARS_AHEAD after this one."""
    return range(FIRST_YEAR, clock.today().year + YEARS_AHEAD + 1)


def _in_range(day: date) -> bool:
    return day.year in years()


def _range_message() -> str:
    window = years()
    return _(
        "Choose a date between the years %(first)s and %(last)s.",
        first=window.start,
        last=window[-1],
    )


def parse_day(raw: str | None) -> tuple[date | None, str | None]:
    """(date, None) or (None, message). Empty input is (None, None)."""
    if raw is None or not raw.strip():
        return None, None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return None, _("Give the date as YYYY-MM-DD.")
    if not _in_range(day):
        return None, _range_message()
    return day, None


def parse_month(raw: str | None) -> tuple[date | None, str | None]:
    """ "2026-11" (or a full date) → the first day of that month."""
    if raw is None or not raw.strip():
        return None, None
    text = raw.strip()
    try:
        day = date.fromisoformat(f"{text}-01") if len(text) == 7 else date.fromisoformat(text)
    except ValueError:
        return None, _("Give the month as YYYY-MM.")
    if not _in_range(day):
        return None, _range_message()
    return day.replace(day=1), None
