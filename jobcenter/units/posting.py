"""Posting a task: validate plain input values, then create or update the task.

One path for the web form and the API alike:

    task = create_task(session, unit=unit, actor=user, values=form_or_json, submit=False)
    change = update_task(session, task, actor=user, values={...}, submit=True)

`values` is a mapping of the field names in `TASK_FIELDS` to plain values: strings as a
form sends them ("3", "2026-05-04", "09:30", "on") or typed Python values as a
marshmallow schema loads them (int, date, time, bool, list). Unknown keys are a
programming error (`TypeError`). On update only the given keys change.

Every field is checked and *all* problems are reported together as
`ValidationFailed({field: [translated messages]})`; nothing is written unless the
whole input is valid. The caller commits (or rolls back).

Fields
    title*, description, task_kind_id*, site_address, site_postal_code, site_city,
    district_id, required_skill_ids (list), site_supervision (bool), headcount,
    shift_minutes, first_date, last_date, preferred_start, preferred_end,
    dates (list of dates, "YYYY-MM-DD" strings, or {"day": …, "start_time": …}),
    recurrence (RRULE subset, see jobcenter.scheduling.recurrence),
    include_public_holidays (bool), physical_demands, what_to_bring,
    site_contact_name, site_contact_phone.

The schedule is *either* specific dates (`dates`, each with an optional own start
time) *or* a weekly repeat (`recurrence`, starting on `first_date`, optionally ending
at `last_date` or at the rule's UNTIL/COUNT, or open-ended). With specific dates the
task's first and last date are the earliest and latest of them (a window given with
them must contain them).

Drafts (decision): a draft may be saved without a schedule (no dates, no repeat, no
first date) and without a start time, so a unit can start writing and come back.
A draft still needs a title and a task kind (the database requires a kind), and every
value that *is* given must be valid: wrong values are never stored, draft or not.
The site address, postal code and city default to the unit's own address.
`completeness_errors` lists what a task still lacks; submitting (here with
`submit=True`, or `lifecycle.submit`) refuses an incomplete task with those messages.

Rules
- dates: today or later (dates already on the task may stay when it is edited), at
  most two years ahead, no duplicates, at most `MAX_DATES`; a public holiday only if
  `include_public_holidays` is set; last_date not before first_date;
- headcount 1 … `MAX_HEADCOUNT`;
- shift_minutes 30 … the longest day any stream allows: the largest
  `max_minutes_per_day` among the stream rules in force; a stream whose rule has no
  limit (NULL, the disability stream by default) does not cap it, and an absolute cap
  of `ABSOLUTE_MAX_SHIFT_MINUTES` (12 h) always applies. A shift ends by midnight and
  fits between the preferred start and end times when both are given;
- the task kind and each required skill must exist and be active (a kind or skill
  the task already has stays valid if it is deactivated later);
- the recurrence must parse and give at least one working day between its start and
  its end (public holidays skipped unless included).

Editing an accepted or scheduled task carries the change to its future shifts
(`jobcenter.scheduling.operations.apply_task_change`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.catalog.operations import stream_rule_in_force
from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.i18n import clock_time, short_date
from jobcenter.scheduling import recurrence as rrule
from jobcenter.scheduling.operations import CALENDAR_TEXT_FIELDS
from jobcenter.units import lifecycle
from jobcenter.units.models import Task, TaskDate, TaskStatus, Unit

Errors = dict[str, list[str]]

TASK_FIELDS = (
    "title",
    "description",
    "task_kind_id",
    "site_address",
    "site_postal_code",
    "site_city",
    "district_id",
    "required_skill_ids",
    "site_supervision",
    "headcount",
    "shift_minutes",
    "first_date",
    "last_date",
    "preferred_start",
    "preferred_end",
    "dates",
    "recurrence",
    "include_public_holidays",
    "physical_demands",
    "what_to_bring",
    "site_contact_name",
    "site_contact_phone",
)
# What a change to an accepted task may move on its shifts (see scheduling.operations).
SHIFT_AFFECTING = (
    frozenset(
        {
            "headcount",
            "shift_minutes",
            "first_date",
            "last_date",
            "preferred_start",
            "dates",
            "recurrence",
            "include_public_holidays",
            "site_address",
            "site_postal_code",
            "site_city",
            "district_id",
            "site_supervision",
        }
    )
    | CALENDAR_TEXT_FIELDS
)

MAX_LENGTH = {
    "title": 160,
    "description": 5000,
    "site_address": 200,
    "site_postal_code": 10,
    "site_city": 80,
    "physical_demands": 2000,
    "what_to_bring": 2000,
    "site_contact_name": 120,
    "site_contact_phone": 40,
}
MAX_HEADCOUNT = 30
MIN_SHIFT_MINUTES = 30
ABSOLUTE_MAX_SHIFT_MINUTES = 12 * 60
DEFAULT_SHIFT_MINUTES = 4 * 60
MAX_DATES = 366
MAX_DAYS_AHEAD = 2 * 366
POSTAL_CODE = re.compile(r"^\d{5}$")
PHONE = re.compile(r"^\+?[0-9 ()-]{5,}$")
TRUE_WORDS = {"1", "true", "yes", "on", "y"}
FALSE_WORDS = {"", "0", "false", "no", "off", "n"}


@dataclass
class TaskChange:
    """What `update_task` did: the task and the names of the fields whose value changed."""

    task: Task
    changed: set[str] = field(default_factory=set)
    shifts: Any = None  # scheduling.operations.ChangeResult when shifts were touched


# ---------------------------------------------------------------- public functions


def create_task(
    session: Session,
    *,
    unit: Unit,
    actor: User,
    values: Mapping[str, Any],
    submit: bool = False,
) -> Task:
    """A new draft task of `unit` (submitted at once with `submit=True`)."""
    if not lifecycle.can_post_for(actor, unit.id):
        raise lifecycle.NotAllowed(_("Only the unit's own contacts can post tasks for it."))
    if not unit.is_active:
        raise DomainError(_("This unit can no longer order work."))
    clean, errors = _validate(session, values, task=None, unit=unit)
    if not errors and submit:
        errors = _completeness(clean)
    if errors:
        raise ValidationFailed(errors)
    dates = clean.pop("dates", None)
    skills = clean.pop("required_skills", None)
    task = Task(unit=unit, created_by_id=actor.id, status=TaskStatus.DRAFT, **clean)
    if skills is not None:
        task.required_skills = skills
    session.add(task)
    session.flush()
    if dates:
        _replace_dates(session, task, dates)
    lifecycle.record_created(session, task, actor)
    if submit:
        lifecycle.submit(session, task, actor)
    return task


def value_errors(
    session: Session, values: Mapping[str, Any], *, unit: Unit, task: Task | None = None
) -> Errors:
    """The posting rules' complaints about `values`, without writing anything, so a form
    that already found mistakes of its own can show every mistake in one round."""
    return _validate(session, values, task=task, unit=unit)[1]


def update_task(
    session: Session,
    task: Task,
    *,
    actor: User,
    values: Mapping[str, Any],
    submit: bool = False,
) -> TaskChange:
    """Change the given fields of `task`. Submits it afterwards with `submit=True`
    (a draft, or a task sent back for changes). Changes to an accepted or scheduled
    task are carried to its future shifts."""
    if not lifecycle.can_edit(actor, task):
        if task.status not in lifecycle.EDITABLE:
            raise DomainError(
                _("A task that is %(status)s can no longer be changed.",
                  status=lifecycle.status_label(task.status))
            )  # fmt: skip
        raise lifecycle.NotAllowed(_("You cannot change this task."))
    clean, errors = _validate(session, values, task=task, unit=task.unit)
    if not errors and submit:
        errors = _completeness(_merged(task, clean))
    if errors:
        raise ValidationFailed(errors)
    change = TaskChange(task=task)
    dates = clean.pop("dates", None)
    skills = clean.pop("required_skills", None)
    for name, value in clean.items():
        if getattr(task, name) != value:
            setattr(task, name, value)
            change.changed.add(name)
    if skills is not None and {s.id for s in skills} != {s.id for s in task.required_skills}:
        task.required_skills = skills
        change.changed.add("required_skill_ids")
    if dates is not None and _replace_dates(session, task, dates):
        change.changed.add("dates")
    session.flush()
    if task.status in (TaskStatus.ACCEPTED, TaskStatus.SCHEDULED) and (
        change.changed & SHIFT_AFFECTING
    ):
        from jobcenter.scheduling import operations

        change.shifts = operations.apply_task_change(session, task, change.changed, actor=actor)
    if submit:
        lifecycle.submit(session, task, actor)
    return change


def completeness_errors(session: Session, task: Task) -> Errors:
    """What the task still lacks before it can be submitted (empty when complete)."""
    return _completeness(_merged(task, {}))


def max_shift_minutes(session: Session, on: date | None = None) -> int:
    """The longest shift any stream allows on a day (see the module's rules)."""
    on = on or clock.today()
    longest = 0
    for stream in Stream:
        rule = stream_rule_in_force(session, stream, on)
        if rule is None or rule.max_minutes_per_day is None:
            return ABSOLUTE_MAX_SHIFT_MINUTES  # this stream sets no limit
        longest = max(longest, rule.max_minutes_per_day)
    return min(longest, ABSOLUTE_MAX_SHIFT_MINUTES)


def schedule_days(
    task_like: Any,
    window_start: date | None = None,
    window_end: date | None = None,
) -> list[tuple[date, time | None]]:
    """The working days of a task (or of the merged values of one) with their own start
    time if any: specific dates, or the recurrence clipped to first_date … last_date,
    public holidays left out unless included. Inside [window_start, window_end]."""
    include_holidays = bool(_get(task_like, "include_public_holidays"))
    first = _get(task_like, "first_date")
    last = _get(task_like, "last_date")
    lows = [d for d in (first, window_start) if d is not None]
    highs = [d for d in (last, window_end) if d is not None]
    lo = max(lows) if lows else None
    hi = min(highs) if highs else None
    rule_text = _get(task_like, "recurrence")
    days: list[tuple[date, time | None]]
    if rule_text:
        if first is None:
            return []
        rec = rrule.parse(rule_text)
        if hi is None and rec.is_open_ended:
            raise ValueError("an open-ended recurrence needs a window end")
        days = [(d, None) for d in rrule.expand(rec, first, lo, hi)]
    else:
        days = [
            (d, start)
            for d, start in _task_dates(task_like)
            if (lo is None or d >= lo) and (hi is None or d <= hi)
        ]
    if not include_holidays:
        days = [(d, start) for d, start in days if not is_public_holiday(d)]
    return days


def is_public_holiday(day: date) -> bool:
    return day in _finnish_holidays(day.year)


_HOLIDAY_CACHE: dict[int, holidays.HolidayBase] = {}


def _finnish_holidays(year: int) -> holidays.HolidayBase:
    if year not in _HOLIDAY_CACHE:
        _HOLIDAY_CACHE[year] = holidays.Finland(years=year)
    return _HOLIDAY_CACHE[year]


def recurrence_message(error: rrule.RecurrenceError) -> str:
    """A translated message for a rule outside the supported subset."""
    messages = {
        "empty": _("Choose the weekdays the work repeats on."),
        "byday": _("Choose the weekdays the work repeats on."),
        "freq": _("Only weekly repeats are possible."),
        "until": _("Check the end date of the repeat."),
        "count": _("The number of times must be a whole number from 1 to %(max)d.",
                   max=rrule.MAX_COUNT),
        "interval": _("Repeat every 1 to %(max)d weeks.", max=rrule.MAX_INTERVAL),
        "until_and_count": _("End the repeat on a date or after a number of times, not both."),
    }  # fmt: skip
    return messages.get(
        error.code,
        _("Write the repeat as weekly days, for example FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8."),
    )


# ---------------------------------------------------------------- validation


def _get(task_like: Any, name: str) -> Any:
    if isinstance(task_like, Mapping):
        return task_like.get(name)
    return getattr(task_like, name)


def _task_dates(task_like: Any) -> list[tuple[date, time | None]]:
    if isinstance(task_like, Mapping):
        return list(task_like.get("dates") or [])
    return [(d.day, d.start_time) for d in task_like.dates]


def _merged(task: Task, clean: Mapping[str, Any]) -> dict[str, Any]:
    """The task's values with the new ones laid over them."""
    merged: dict[str, Any] = {
        name: getattr(task, name)
        for name in TASK_FIELDS
        if name not in ("dates", "required_skill_ids") and hasattr(task, name)
    }
    merged["dates"] = [(d.day, d.start_time) for d in task.dates]
    merged.update(clean)
    return merged


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _hours(minutes: int) -> str:
    return format_decimal(minutes / 60, format="#,##0.##")


def _parse_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if re.fullmatch(r"[+-]?\d{1,9}", text):
        return int(text)
    return None


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        return None


def _parse_time(value: Any) -> time | None:
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    text = _text(value).replace(".", ":")
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::00)?", text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def _id_list(value: Any) -> list[int] | None:
    if value is None or value == "":
        return []
    if isinstance(value, (str, int)):
        value = [value]
    result = []
    for item in value:
        number = _parse_int(getattr(item, "id", item))
        if number is None:
            return None
        result.append(number)
    return result


def _validate(
    session: Session, values: Mapping[str, Any], *, task: Task | None, unit: Unit
) -> tuple[dict[str, Any], Errors]:
    extra = set(values) - set(TASK_FIELDS)
    if extra:
        raise TypeError(f"unknown task fields: {', '.join(sorted(extra))}")
    errors: Errors = {}
    clean: dict[str, Any] = {}
    today = clock.today()
    creating = task is None

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    def given(name: str) -> bool:
        return name in values

    # --- texts
    for name in MAX_LENGTH:
        if not given(name):
            continue
        text = _text(values[name])
        if len(text) > MAX_LENGTH[name]:
            fail(name, _("Use at most %(max)d characters.", max=MAX_LENGTH[name]))
            continue
        clean[name] = text
    if (creating or given("title")) and not clean.get("title") and "title" not in errors:
        fail("title", _("Give the task a short title."))
    for name, default in (
        ("site_address", unit.street_address),
        ("site_postal_code", unit.postal_code),
        ("site_city", unit.city),
    ):
        if name in errors:
            continue
        if (creating and not clean.get(name)) or (given(name) and not clean.get(name)):
            clean[name] = default or ("Helsinki" if name == "site_city" else "")
    if clean.get("site_postal_code") and not POSTAL_CODE.match(clean["site_postal_code"]):
        fail("site_postal_code", _("A postal code has five digits, for example 00100."))
    phone = clean.get("site_contact_phone")
    if phone and not PHONE.match(phone):
        fail("site_contact_phone", _("Check the phone number, for example +358 9 310 1234."))

    # --- catalogue references
    if creating or given("task_kind_id"):
        raw = values.get("task_kind_id")
        kind_id = _parse_int(raw)
        kind = session.get(TaskKind, kind_id) if kind_id is not None else None
        if raw in (None, ""):
            fail("task_kind_id", _("Choose the kind of work."))
        elif kind is None or (
            not kind.is_active and (task is None or task.task_kind_id != kind.id)
        ):
            fail("task_kind_id", _("Choose a kind of work from the list."))
        else:
            clean["task_kind_id"] = kind.id
    if given("district_id"):
        raw = values["district_id"]
        if raw in (None, ""):
            clean["district_id"] = None
        else:
            district_id = _parse_int(raw)
            if district_id is None or session.get(District, district_id) is None:
                fail("district_id", _("Choose a district from the list."))
            else:
                clean["district_id"] = district_id
    if given("required_skill_ids"):
        ids = _id_list(values["required_skill_ids"])
        current = {s.id for s in task.required_skills} if task is not None else set()
        if ids is None:
            fail("required_skill_ids", _("Choose skills from the list."))
        else:
            skills = list(session.scalars(sa.select(Skill).where(Skill.id.in_(ids)))) if ids else []
            found = {s.id: s for s in skills}
            bad = [
                i for i in ids if i not in found or (not found[i].is_active and i not in current)
            ]
            if bad:
                fail("required_skill_ids", _("Choose skills from the list."))
            else:
                clean["required_skills"] = [found[i] for i in dict.fromkeys(ids)]

    # --- flags
    for name in ("site_supervision", "include_public_holidays"):
        if given(name):
            flag = _parse_bool(values[name])
            if flag is None:
                fail(name, _("Answer yes or no."))
            else:
                clean[name] = flag

    # --- numbers
    if given("headcount"):
        number = _parse_int(values["headcount"])
        if values["headcount"] in (None, ""):
            fail("headcount", _("Tell how many people are needed."))
        elif number is None:
            fail("headcount", _("Enter a whole number."))
        elif number < 1:
            fail("headcount", _("At least one person is needed."))
        elif number > MAX_HEADCOUNT:
            fail("headcount", _("At most %(max)d people per shift.", max=MAX_HEADCOUNT))
        else:
            clean["headcount"] = number
    if given("shift_minutes"):
        number = _parse_int(values["shift_minutes"])
        if values["shift_minutes"] in (None, ""):
            fail("shift_minutes", _("Tell how long a shift is."))
        elif number is None:
            fail("shift_minutes", _("Enter the length in whole minutes."))
        elif number < MIN_SHIFT_MINUTES:
            fail("shift_minutes", _("A shift is at least %(min)d minutes.", min=MIN_SHIFT_MINUTES))
        else:
            clean["shift_minutes"] = number

    # --- dates and times
    for name in ("first_date", "last_date"):
        if not given(name):
            continue
        raw = values[name]
        if raw in (None, ""):
            clean[name] = None
            continue
        day = _parse_date(raw)
        if day is None:
            fail(name, _("Enter a date as YYYY-MM-DD."))
            continue
        unchanged = task is not None and getattr(task, name) == day
        if day < today and not unchanged:
            fail(name, _("The date %(day)s has already passed.", day=short_date(day)))
            continue
        if day > today + timedelta(days=MAX_DAYS_AHEAD):
            fail(name, _("Choose a date within the next two years."))
            continue
        clean[name] = day
    for name in ("preferred_start", "preferred_end"):
        if not given(name):
            continue
        raw = values[name]
        if raw in (None, ""):
            clean[name] = None
            continue
        moment = _parse_time(raw)
        if moment is None:
            fail(name, _("Enter a time as HH:MM, for example 09:00."))
        else:
            clean[name] = moment
    if given("dates"):
        parsed = _validate_dates(values["dates"], task, today, fail)
        if parsed is not None:
            clean["dates"] = parsed
    if given("recurrence"):
        text = _text(values["recurrence"])
        if not text:
            clean["recurrence"] = None
        else:
            try:
                clean["recurrence"] = rrule.normalise(text)
            except rrule.RecurrenceError as exc:
                fail("recurrence", recurrence_message(exc))

    # --- rules across fields, on the values the task will have
    merged = _merged(task, clean) if task is not None else _defaults(clean)
    _cross_field_rules(session, merged, clean, errors, fail, today, creating=creating)
    return clean, errors


def _defaults(clean: dict[str, Any]) -> dict[str, Any]:
    merged = {
        "headcount": 1,
        "shift_minutes": DEFAULT_SHIFT_MINUTES,
        "first_date": None,
        "last_date": None,
        "preferred_start": None,
        "preferred_end": None,
        "dates": [],
        "recurrence": None,
        "include_public_holidays": False,
        "site_supervision": False,
    }
    merged.update(clean)
    return merged


def _validate_dates(
    raw: Any, task: Task | None, today: date, fail: Any
) -> list[tuple[date, time | None]] | None:
    if raw in (None, ""):
        return []
    if isinstance(raw, (str, date, Mapping)):
        raw = [raw]
    existing = {d.day for d in task.dates} if task is not None else set()
    result: dict[date, time | None] = {}
    ok = True
    for item in raw:
        start_raw: Any = None
        if isinstance(item, Mapping):
            day_raw, start_raw = item.get("day"), item.get("start_time")
        elif isinstance(item, (tuple, list)):
            day_raw, start_raw = ([*list(item), None])[:2]
        else:
            day_raw = item
        if isinstance(day_raw, str) and not day_raw.strip():
            continue  # an empty row of a form
        day = _parse_date(day_raw)
        if day is None:
            fail("dates", _("Enter each date as YYYY-MM-DD."))
            ok = False
            continue
        start = None
        if start_raw not in (None, ""):
            start = _parse_time(start_raw)
            if start is None:
                fail("dates", _("Enter a time as HH:MM, for example 09:00."))
                ok = False
                continue
        if day < today and day not in existing:
            fail("dates", _("The date %(day)s has already passed.", day=short_date(day)))
            ok = False
            continue
        if day > today + timedelta(days=MAX_DAYS_AHEAD):
            fail("dates", _("Choose a date within the next two years."))
            ok = False
            continue
        if day in result:
            fail("dates", _("The date %(day)s is in the list twice.", day=short_date(day)))
            ok = False
            continue
        result[day] = start
    if len(result) > MAX_DATES:
        fail("dates", _("At most %(max)d dates.", max=MAX_DATES))
        ok = False
    return sorted(result.items()) if ok else None


def _cross_field_rules(
    session: Session,
    merged: dict[str, Any],
    clean: dict[str, Any],
    errors: Errors,
    fail: Any,
    today: date,
    *,
    creating: bool,
) -> None:
    dates: list[tuple[date, time | None]] = merged.get("dates") or []
    rule_text = merged.get("recurrence")
    first, last = merged.get("first_date"), merged.get("last_date")
    if dates and rule_text and "recurrence" not in errors and "dates" not in errors:
        fail("recurrence", _("Choose specific dates or a weekly repeat, not both."))
        return
    if first and last and last < first and not {"first_date", "last_date"} & set(errors):
        fail("last_date", _("The last day cannot be before the first day."))
    start, end = merged.get("preferred_start"), merged.get("preferred_end")
    if start and end and end <= start and not {"preferred_start", "preferred_end"} & set(errors):
        fail("preferred_end", _("The end time must be after the start time."))

    # Shift length against the stream rules, on the first day the task works.
    minutes = merged.get("shift_minutes")
    if minutes and "shift_minutes" not in errors:
        first_day = dates[0][0] if dates else first
        cap = max_shift_minutes(session, max(first_day or today, today))
        if minutes > cap and ("shift_minutes" in clean or creating):
            fail(
                "shift_minutes",
                _("A shift can be at most %(hours)s hours long.", hours=_hours(cap)),
            )
        else:
            _check_times_fit(merged, minutes, errors, fail)

    # Holidays among specific dates: the unit must ask for them explicitly.
    if dates and not merged.get("include_public_holidays") and "dates" not in errors:
        for day, _start in dates:
            if is_public_holiday(day) and ("dates" in clean or "include_public_holidays" in clean):
                fail(
                    "dates",
                    _("%(day)s is a public holiday. Choose another date, or say that the "
                      "work is done on public holidays too.", day=short_date(day)),
                )  # fmt: skip

    # A date today whose start time has passed would never get its shift.
    if dates and "dates" not in errors and (creating or {"dates", "preferred_start"} & set(clean)):
        now = clock.to_local(clock.now())
        for day, own_start in dates:
            begins = own_start or start
            if day == now.date() and begins is not None and begins <= now.time():
                fail(
                    "dates",
                    _("The start time %(time)s today has already passed. Choose a later "
                      "time or another day.", time=clock_time(begins)),
                )  # fmt: skip
                break

    # With specific dates, the window is theirs.
    if dates and not rule_text and "dates" not in errors:
        given_first = clean.get("first_date")
        given_last = clean.get("last_date")
        lo, hi = dates[0][0], dates[-1][0]
        if (given_first and lo < given_first) or (given_last and hi > given_last):
            fail("dates", _("All dates must be between the first and last day."))
        else:
            clean["first_date"], clean["last_date"] = lo, hi

    # The repeat must give at least one working day.
    if (
        rule_text
        and first
        and "recurrence" not in errors
        and not {"first_date", "last_date"} & set(errors)
    ):
        rec = rrule.parse(rule_text)
        horizon = last or (rrule.last_date(rec, first) if not rec.is_open_ended else None)
        window_end = horizon or first + timedelta(days=366)
        probe = dict(merged, last_date=window_end)
        if not schedule_days(probe, max(first, today), window_end):
            if rec.until is not None and rec.until < first:
                fail("recurrence", _("The repeat ends before the first day."))
            else:
                fail(
                    "recurrence",
                    _("The repeat gives no working day between %(first)s and %(last)s.",
                      first=short_date(max(first, today)), last=short_date(window_end)),
                )  # fmt: skip

    # A weekly repeat's last day follows the repeat, whenever its schedule is given.
    schedule_fields = {"recurrence", "first_date", "last_date"}
    if rule_text and first and schedule_fields & set(clean) and not schedule_fields & set(errors):
        clean["last_date"] = _repeat_last_date(rrule.parse(rule_text), first, merged, clean)


def _repeat_last_date(
    rec: rrule.Recurrence, first: date, merged: Mapping[str, Any], clean: Mapping[str, Any]
) -> date | None:
    """The last day of a weekly repeat: the rule's own last day (from its UNTIL or
    COUNT), or an earlier last day given with it; an open-ended rule keeps the last day
    it was given (None: it goes on). A form sends an empty last day with its rule, so
    the task's last day never falls out of step with the rule that ends it."""
    rule_end = rrule.last_date(rec, first)
    if "last_date" in clean:
        chosen = clean["last_date"]
    else:
        chosen = merged.get("last_date") if rule_end is None else None
    candidates = [day for day in (chosen, rule_end) if day is not None]
    return min(candidates) if candidates else None


def _check_times_fit(merged: dict[str, Any], minutes: int, errors: Errors, fail: Any) -> None:
    def ends_by_midnight(start: time) -> bool:
        return start.hour * 60 + start.minute + minutes <= 24 * 60

    start, end = merged.get("preferred_start"), merged.get("preferred_end")
    if start and not {"preferred_start", "preferred_end"} & set(errors):
        if not ends_by_midnight(start):
            fail("preferred_start", _("A shift must end by midnight."))
        elif end and end > start:
            span = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            if span < minutes:
                fail(
                    "preferred_end",
                    _("A shift of %(hours)s hours does not fit between the start and end "
                      "times.", hours=_hours(minutes)),
                )  # fmt: skip
    if "dates" not in errors:
        for day, own_start in merged.get("dates") or []:
            if own_start and not ends_by_midnight(own_start):
                fail("dates", _("The shift on %(day)s must end by midnight.", day=short_date(day)))


def _completeness(merged: Mapping[str, Any]) -> Errors:
    errors: Errors = {}
    dates = merged.get("dates") or []
    rule_text = merged.get("recurrence")
    if not dates and not rule_text:
        errors["dates"] = [_("Choose the dates, or make the work repeat weekly.")]
    if rule_text and not merged.get("first_date"):
        errors["first_date"] = [_("Choose the day the repeating work starts.")]
    if not merged.get("preferred_start"):
        needs_start = bool(rule_text) or any(start is None for _day, start in dates)
        if needs_start:
            errors["preferred_start"] = [_("Tell when the work starts.")]
    if not _text(merged.get("site_address")):
        errors["site_address"] = [_("Tell where the work is done.")]
    if errors:
        return errors
    today = clock.today()
    if dates and not rule_text and all(d < today for d, _s in dates):
        errors["dates"] = [_("All the dates have passed. Choose new dates.")]
    elif rule_text:
        first = merged["first_date"]
        rec = rrule.parse(rule_text)
        last = merged.get("last_date") or rrule.last_date(rec, first)
        window_end = last or max(first, today) + timedelta(days=366)
        if not schedule_days(dict(merged), max(first, today), window_end):
            errors["recurrence"] = [_("The repeat gives no working day from today on.")]
    return errors


def _replace_dates(session: Session, task: Task, dates: Iterable[tuple[date, time | None]]) -> bool:
    """Make the task's specific dates exactly `dates`; True if anything changed."""
    wanted = dict(dates)
    changed = False
    for row in list(task.dates):
        if row.day not in wanted:
            task.dates.remove(row)
            changed = True
        elif row.start_time != wanted[row.day]:
            row.start_time = wanted[row.day]
            changed = True
    have = {row.day for row in task.dates}
    for day, start in sorted(wanted.items()):
        if day not in have:
            task.dates.append(TaskDate(day=day, start_time=start))
            changed = True
    session.flush()
    return changed
