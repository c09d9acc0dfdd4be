"""Weekly recurrence: the RFC 5545 RRULE subset units use, parsed, written and expanded.

Pure: no Flask, no database. Supported rule (parts in any order, case-insensitive,
an optional leading ``RRULE:``)::

    FREQ=WEEKLY;BYDAY=MO,WE[;INTERVAL=2][;UNTIL=20261231 | ;COUNT=10][;WKST=MO]

- ``FREQ`` must be ``WEEKLY``; ``BYDAY`` lists plain weekdays (no ``1MO``-style offsets).
- ``UNTIL`` is a date (``YYYYMMDD``); a ``YYYYMMDDTHHMMSS[Z]`` value is accepted and its
  date part used. ``UNTIL`` and ``COUNT`` exclude each other (RFC 5545 §3.3.10); with
  neither the series is open-ended and shifts are made on a rolling horizon.
- ``INTERVAL`` n: every n-th week, weeks counted Monday to Sunday from the week that
  holds the series start (``WKST=MO``, the only week start supported).
- As in python-dateutil, the series start itself is an occurrence only when its
  weekday is listed in ``BYDAY``; ``COUNT`` counts occurrences from the series start,
  whatever window is later asked for.

Occurrences are *local dates*. `local_start` turns a date and a wall-clock time into
an aware Europe/Helsinki datetime, so a 09:00 shift stays at 09:00 across the daylight
saving changes (last Sundays of March and October).

Errors are `RecurrenceError` with a stable `code` (see `ERROR_CODES`); callers turn
the code into a translated message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()
MAX_INTERVAL = 52
MAX_COUNT = 520  # ten years of weekly shifts: anything longer is a typo

ERROR_CODES = (
    "empty",  # nothing given
    "syntax",  # not NAME=VALUE parts
    "duplicate_part",  # the same part twice
    "unsupported_part",  # a part outside the subset (BYMONTH, BYSETPOS …)
    "freq",  # FREQ missing or not WEEKLY
    "byday",  # BYDAY missing, empty or not plain weekdays
    "until",  # UNTIL not a date
    "count",  # COUNT not a whole number in 1..MAX_COUNT
    "interval",  # INTERVAL not a whole number in 1..MAX_INTERVAL
    "until_and_count",  # both UNTIL and COUNT
    "wkst",  # a week start other than MO
)


class RecurrenceError(ValueError):
    """The rule is not in the supported subset; `code` says why (one of ERROR_CODES)."""

    def __init__(self, code: str, detail: str = "") -> None:
        assert code in ERROR_CODES, code
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Recurrence:
    """A weekly rule: on `weekdays` (0 = Monday) every `interval` weeks, until a date,
    for `count` occurrences, or open-ended."""

    weekdays: tuple[int, ...]
    interval: int = 1
    until: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        days = tuple(sorted(set(self.weekdays)))
        if not days or any(d not in range(7) for d in days):
            raise RecurrenceError("byday", repr(self.weekdays))
        object.__setattr__(self, "weekdays", days)
        if not isinstance(self.interval, int) or not 1 <= self.interval <= MAX_INTERVAL:
            raise RecurrenceError("interval", repr(self.interval))
        if self.count is not None and (
            not isinstance(self.count, int) or not 1 <= self.count <= MAX_COUNT
        ):
            raise RecurrenceError("count", repr(self.count))
        if self.until is not None and self.count is not None:
            raise RecurrenceError("until_and_count")

    @property
    def is_open_ended(self) -> bool:
        return self.until is None and self.count is None

    def __str__(self) -> str:
        return format_rule(self)


_PART = re.compile(r"^([A-Z]+)=(.*)$")
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?$")
_SUPPORTED = {"FREQ", "BYDAY", "UNTIL", "COUNT", "INTERVAL", "WKST"}


def parse(rule: str) -> Recurrence:
    """The `Recurrence` a rule string describes; `RecurrenceError` if outside the subset."""
    text = (rule or "").strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text:
        raise RecurrenceError("empty")
    parts: dict[str, str] = {}
    for chunk in text.split(";"):
        chunk = chunk.strip()
        if not chunk:
            continue
        match = _PART.match(chunk)
        if match is None:
            raise RecurrenceError("syntax", chunk)
        name, value = match.group(1), match.group(2).strip()
        if name not in _SUPPORTED:
            raise RecurrenceError("unsupported_part", name)
        if name in parts:
            raise RecurrenceError("duplicate_part", name)
        parts[name] = value
    if parts.get("FREQ") != "WEEKLY":
        raise RecurrenceError("freq", parts.get("FREQ", ""))
    if parts.get("WKST", "MO") != "MO":
        raise RecurrenceError("wkst", parts["WKST"])
    weekdays = _weekdays(parts.get("BYDAY", ""))
    interval = _whole_number(parts.get("INTERVAL", "1"), "interval")
    until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
    count = _whole_number(parts["COUNT"], "count") if "COUNT" in parts else None
    if until is not None and count is not None:
        raise RecurrenceError("until_and_count")
    return Recurrence(weekdays=weekdays, interval=interval, until=until, count=count)


def _weekdays(value: str) -> tuple[int, ...]:
    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes or any(c not in WEEKDAY_CODES for c in codes):
        raise RecurrenceError("byday", value)
    if len(set(codes)) != len(codes):
        raise RecurrenceError("byday", value)
    return tuple(WEEKDAY_CODES.index(c) for c in codes)


def _whole_number(value: str, code: str) -> int:
    if not value.isdigit():
        raise RecurrenceError(code, value)
    return int(value)


def _until(value: str) -> date:
    match = _UNTIL.match(value)
    if match is None:
        raise RecurrenceError("until", value)
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise RecurrenceError("until", value) from exc


def format_rule(rec: Recurrence) -> str:
    """The canonical text of a rule: FREQ, INTERVAL (if not 1), BYDAY, UNTIL or COUNT."""
    parts = ["FREQ=WEEKLY"]
    if rec.interval != 1:
        parts.append(f"INTERVAL={rec.interval}")
    parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in rec.weekdays))
    if rec.until is not None:
        parts.append(f"UNTIL={rec.until:%Y%m%d}")
    if rec.count is not None:
        parts.append(f"COUNT={rec.count}")
    return ";".join(parts)


def build(
    weekdays: Iterable[int],
    *,
    until: date | None = None,
    count: int | None = None,
    interval: int = 1,
) -> str:
    """A rule string from a form's parts (weekday checkboxes, an end date or a count)."""
    return format_rule(
        Recurrence(weekdays=tuple(weekdays), interval=interval, until=until, count=count)
    )


def normalise(rule: str) -> str:
    """Parse and write back: the canonical form of a valid rule."""
    return format_rule(parse(rule))


def iter_dates(rec: Recurrence, dtstart: date) -> Iterator[date]:
    """Every occurrence from the series start on, in order (endless if open-ended)."""
    week_start = dtstart - timedelta(days=dtstart.weekday())
    emitted = 0
    while True:
        for weekday in rec.weekdays:
            day = week_start + timedelta(days=weekday)
            if day < dtstart:
                continue
            if rec.until is not None and day > rec.until:
                return
            yield day
            emitted += 1
            if rec.count is not None and emitted >= rec.count:
                return
        week_start += timedelta(weeks=rec.interval)
        if week_start > date.max - timedelta(weeks=MAX_INTERVAL + 1):
            return


def expand(
    rec: Recurrence,
    dtstart: date,
    window_start: date | None = None,
    window_end: date | None = None,
) -> list[date]:
    """Occurrences of the series starting on `dtstart` that fall in the window
    (both ends included). An open-ended rule needs `window_end`."""
    if rec.is_open_ended and window_end is None:
        raise ValueError("an open-ended rule needs window_end")
    days: list[date] = []
    for day in iter_dates(rec, dtstart):
        if window_end is not None and day > window_end:
            break
        if window_start is not None and day < window_start:
            continue
        days.append(day)
    return days


def last_date(rec: Recurrence, dtstart: date) -> date | None:
    """The last occurrence of a bounded series (None if open-ended or it has none)."""
    if rec.is_open_ended:
        return None
    last = None
    for last in iter_dates(rec, dtstart):  # noqa: B007 (we want the last one)
        pass
    return last


def local_start(day: date, start: time, tz: ZoneInfo = HELSINKI) -> datetime:
    """`day` at the wall-clock time `start` in `tz`, as an aware datetime.

    A time that does not exist (the hour skipped when clocks go forward, 03:00–03:59
    on the last Sunday of March in Helsinki) moves forward by the gap: 03:30 → 04:30.
    A time that happens twice (the last Sunday of October) is its first occurrence
    (summer time)."""
    naive = datetime.combine(day, start)
    aware = naive.replace(tzinfo=tz, fold=0)
    # Round-trip through UTC normalises a non-existent wall time.
    return aware.astimezone(UTC).astimezone(tz)


def end_after(starts_at: datetime, minutes: int) -> datetime:
    """The moment `minutes` of real time after `starts_at` (elapsed time, not wall time:
    a 4-hour shift over a DST change still lasts 4 hours)."""
    tz = starts_at.tzinfo
    return (starts_at.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(tz)
