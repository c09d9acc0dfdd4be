"""Catalogue and rule maintenance: skills, task kinds, stream rules and rates.

Plain functions `(session, ...) -> value` that validate everything first, then change
rows and `flush()`. They never commit. Bad input raises `ValidationFailed` with
messages per field (field names are the keyword arguments), so a form or an API
handler can show each message beside its field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from jobcenter.admin.labels import format_euros
from jobcenter.catalog.models import Rate, RateKind, Skill, StreamRule, TaskKind
from jobcenter.catalog.seed import TASK_KIND_ICONS
from jobcenter.core.enums import Stream
from jobcenter.core.errors import ValidationFailed
from jobcenter.core.i18n import short_date

Errors = dict[str, list[str]]

CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*$")
CODE_MAX = 60
NAME_MAX = 120
LEGAL_BASIS_MAX = 200
# The generic icon first, then every pilot icon (symbols in static/icons.svg).
TASK_KIND_ICON_NAMES: tuple[str, ...] = ("task", *sorted(set(TASK_KIND_ICONS.values())))
# A sanity cap for money per hour (1,000 €/h) so that typos do not become rates.
MAX_CENTS_PER_HOUR = 100_000
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


def _add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationFailed(errors)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# ---------------------------------------------------------------- skills, task kinds

_NAMED_FIELDS = ("code", "name_fi", "name_sv", "name_en")


def _named_values(
    session: Session,
    model: type[Skill] | type[TaskKind],
    values: Mapping[str, Any],
    current: Skill | TaskKind | None,
) -> tuple[dict[str, Any], Errors]:
    clean: dict[str, Any] = {}
    errors: Errors = {}
    for field in _NAMED_FIELDS:
        if field not in values:
            if current is None:
                _add_error(errors, field, _("This field is required."))
            continue
        text = _text(values[field])
        if field == "code":
            text = text.lower()
        clean[field] = text
        if not text:
            _add_error(errors, field, _("This field is required."))
        elif len(text) > (CODE_MAX if field == "code" else NAME_MAX):
            limit = CODE_MAX if field == "code" else NAME_MAX
            _add_error(errors, field, _("Use at most %(max)d characters.", max=limit))
    code = clean.get("code")
    if code and "code" not in errors:
        if not CODE_PATTERN.match(code):
            _add_error(
                errors,
                "code",
                _(
                    "Use lowercase letters a–z, digits, and _ or - between them "
                    "(for example window_washing)."
                ),
            )
        else:
            taken = session.scalar(
                sa.select(model.id).where(
                    sa.func.lower(model.code) == code,
                    model.id != (current.id if current is not None else -1),
                )
            )
            if taken is not None:
                _add_error(errors, "code", _("The code %(code)s is already in use.", code=code))
    return clean, errors


def _unknown(values: Mapping[str, Any], allowed: Iterable[str]) -> None:
    extra = set(values) - set(allowed)
    if extra:
        raise TypeError(f"unknown fields: {', '.join(sorted(extra))}")


def create_skill(session: Session, **values: Any) -> Skill:
    _unknown(values, _NAMED_FIELDS)
    clean, errors = _named_values(session, Skill, values, None)
    _raise_if(errors)
    skill = Skill(**clean, is_active=True)
    session.add(skill)
    session.flush()
    return skill


def update_skill(session: Session, skill: Skill, **values: Any) -> Skill:
    _unknown(values, _NAMED_FIELDS)
    clean, errors = _named_values(session, Skill, values, skill)
    _raise_if(errors)
    for field, value in clean.items():
        setattr(skill, field, value)
    session.flush()
    return skill


def _icon_errors(values: Mapping[str, Any], current: TaskKind | None) -> tuple[dict, Errors]:
    if "icon" not in values:
        return ({"icon": "task"} if current is None else {}), {}
    icon = _text(values["icon"])
    if icon not in TASK_KIND_ICON_NAMES:
        return {}, {"icon": [_("Choose an icon from the list.")]}
    return {"icon": icon}, {}


def create_task_kind(session: Session, **values: Any) -> TaskKind:
    _unknown(values, (*_NAMED_FIELDS, "icon"))
    clean, errors = _named_values(session, TaskKind, values, None)
    icon, icon_errors = _icon_errors(values, None)
    errors.update(icon_errors)
    _raise_if(errors)
    kind = TaskKind(**clean, **icon, is_active=True)
    session.add(kind)
    session.flush()
    return kind


def update_task_kind(session: Session, kind: TaskKind, **values: Any) -> TaskKind:
    _unknown(values, (*_NAMED_FIELDS, "icon"))
    clean, errors = _named_values(session, TaskKind, values, kind)
    icon, icon_errors = _icon_errors(values, kind)
    errors.update(icon_errors)
    _raise_if(errors)
    for field, value in (clean | icon).items():
        setattr(kind, field, value)
    session.flush()
    return kind


def set_active(session: Session, row: Skill | TaskKind, active: bool) -> None:
    """Deactivated skills and task kinds stay on old records but are no longer offered."""
    row.is_active = active
    session.flush()


# ---------------------------------------------------------------- stream rules

STREAM_RULE_FIELDS = (
    "min_days_per_week",
    "max_days_per_week",
    "min_minutes_per_day",
    "max_minutes_per_day",
    "max_minutes_per_week",
    "min_plan_months",
    "max_plan_months",
    "daily_allowance_cents",
    "legal_basis",
)


def stream_rule_versions(session: Session, stream: Stream) -> list[StreamRule]:
    return list(
        session.scalars(
            sa.select(StreamRule)
            .where(StreamRule.stream == stream)
            .order_by(StreamRule.valid_from.desc())
        )
    )


# ---------------------------------------------------------------- validity of a version
#
# Rates and stream rules are versions valid from `valid_from` up to, not including,
# `valid_to` (the first day a version no longer applies; None = open-ended). The rule is
# written here once, in its two forms side by side: a SQL condition for queries and a
# predicate for versions already in memory. Where data overlap, the latest start wins.


def in_force_clause(model: Any, day: Any) -> sa.ColumnElement[bool]:
    """SQL: `model`'s version is valid on `day` (a date or a date column)."""
    return sa.and_(
        model.valid_from <= day,
        sa.or_(model.valid_to.is_(None), model.valid_to > day),
    )


def in_force_on(version: Any, day: date) -> bool:
    """In memory: `version` (anything with `valid_from` and `valid_to`) is valid on `day`."""
    return version.valid_from <= day and (version.valid_to is None or day < version.valid_to)


def stream_rule_in_force(session: Session, stream: Stream, on_date: date) -> StreamRule | None:
    """The rule version valid on a day (`valid_to` is the first day it no longer applies)."""
    return session.scalars(
        sa.select(StreamRule)
        .where(StreamRule.stream == stream, in_force_clause(StreamRule, on_date))
        .order_by(StreamRule.valid_from.desc())
    ).first()


def _optional_int(
    errors: Errors, values: Mapping[str, Any], field: str, low: int, high: int, message: str
) -> int | None:
    value = values.get(field)
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        _add_error(errors, field, _("Enter a whole number."))
        return None
    if number != value and not isinstance(value, str):
        _add_error(errors, field, _("Enter a whole number."))
        return None
    if not low <= number <= high:
        _add_error(errors, field, message)
    return number


def create_stream_rule_version(
    session: Session, *, stream: Stream | str, valid_from: date, **values: Any
) -> StreamRule:
    """A new version of a stream's rules from `valid_from`; the version in force then
    ends the day before (its `valid_to` becomes `valid_from`). Versions only move
    forward: history is never rewritten."""
    _unknown(values, STREAM_RULE_FIELDS)
    errors: Errors = {}
    try:
        stream = Stream(stream)
    except ValueError:
        _add_error(errors, "stream", _("Choose a stream."))
        stream = None  # type: ignore[assignment]
    if not isinstance(valid_from, date):
        _add_error(errors, "valid_from", _("Enter a date."))

    days_msg = _("Enter a number of days from 1 to 7.")
    min_days = _optional_int(errors, values, "min_days_per_week", 1, 7, days_msg)
    max_days = _optional_int(errors, values, "max_days_per_week", 1, 7, days_msg)
    if min_days is not None and max_days is not None and min_days > max_days:
        _add_error(
            errors, "max_days_per_week", _("The maximum must not be smaller than the minimum.")
        )
    hours_msg = _("Enter hours from 0 to 24.")
    min_day = _optional_int(errors, values, "min_minutes_per_day", 0, MINUTES_PER_DAY, hours_msg)
    max_day = _optional_int(errors, values, "max_minutes_per_day", 1, MINUTES_PER_DAY, hours_msg)
    if min_day is not None and max_day is not None and min_day > max_day:
        _add_error(
            errors, "max_minutes_per_day", _("The maximum must not be smaller than the minimum.")
        )
    max_week = _optional_int(
        errors,
        values,
        "max_minutes_per_week",
        1,
        MINUTES_PER_WEEK,
        _("Enter hours from more than 0 up to 168."),
    )
    if (
        max_week is not None
        and min_day is not None
        and min_days is not None
        and "max_minutes_per_week" not in errors
        and min_days * min_day > max_week
    ):
        _add_error(
            errors,
            "max_minutes_per_week",
            _("The weekly maximum is smaller than the minimum days times the minimum hours a day."),
        )
    if max_week is not None and max_day is not None and max_day > max_week:
        _add_error(
            errors,
            "max_minutes_per_day",
            _("The daily maximum must not be larger than the weekly maximum."),
        )
    months_msg = _("Enter a number of months from 1 to 120.")
    min_months = _optional_int(errors, values, "min_plan_months", 1, 120, months_msg)
    max_months = _optional_int(errors, values, "max_plan_months", 1, 120, months_msg)
    if min_months is not None and max_months is not None and min_months > max_months:
        _add_error(
            errors, "max_plan_months", _("The maximum must not be smaller than the minimum.")
        )
    allowance = _optional_int(
        errors,
        values,
        "daily_allowance_cents",
        0,
        MAX_CENTS_PER_HOUR,
        _("Enter an amount from 0 to 1000 euros."),
    )
    legal_basis = _text(values.get("legal_basis"))
    if not legal_basis:
        _add_error(errors, "legal_basis", _("Write the legal basis of the rule."))
    elif len(legal_basis) > LEGAL_BASIS_MAX:
        _add_error(errors, "legal_basis", _("Use at most %(max)d characters.", max=LEGAL_BASIS_MAX))

    latest = None
    if stream is not None and isinstance(valid_from, date):
        versions = stream_rule_versions(session, stream)
        latest = versions[0] if versions else None
        if latest is not None and valid_from <= latest.valid_from:
            _add_error(
                errors,
                "valid_from",
                _(
                    "A new version must start after %(date)s, when the current version started.",
                    date=short_date(latest.valid_from),
                ),
            )
    _raise_if(errors)

    if latest is not None and (latest.valid_to is None or latest.valid_to > valid_from):
        latest.valid_to = valid_from
    rule = StreamRule(
        stream=stream,
        valid_from=valid_from,
        valid_to=None,
        min_days_per_week=min_days,
        max_days_per_week=max_days,
        min_minutes_per_day=min_day,
        max_minutes_per_day=max_day,
        max_minutes_per_week=max_week,
        min_plan_months=min_months,
        max_plan_months=max_months,
        daily_allowance_cents=allowance or 0,
        legal_basis=legal_basis,
    )
    session.add(rule)
    session.flush()
    return rule


def _hours(minutes: int) -> str:
    from jobcenter.core.web import minutes_as_hours

    return minutes_as_hours(minutes)


def stream_rule_errors(
    session: Session,
    stream: Stream | str,
    plan_values: Mapping[str, Any],
    on_date: date | None = None,
) -> Errors:
    """Where a participant's plan breaks the rules of their stream, per plan field.

    `plan_values` holds the plan's columns (`start_date`, `end_date`, `days_per_week`,
    `min_minutes_per_day`, `max_minutes_per_day`, `weekly_target_minutes`,
    `daily_allowance_cents`). With `on_date` the plan is checked against the rule in
    force that day; without it, against every rule version in force during the plan.
    Missing or invalid plan values are skipped: checking their shape is the caller's job.
    """
    errors: Errors = {}
    stream = Stream(stream)
    start = plan_values.get("start_date")
    end = plan_values.get("end_date") or start
    if on_date is not None:
        rule = stream_rule_in_force(session, stream, on_date)
        rules = [rule] if rule else []
        first_day = on_date
    elif isinstance(start, date):
        first_day = start
        rules = list(
            session.scalars(
                sa.select(StreamRule)
                .where(
                    StreamRule.stream == stream,
                    StreamRule.valid_from <= max(start, end),
                    sa.or_(StreamRule.valid_to.is_(None), StreamRule.valid_to > start),
                )
                .order_by(StreamRule.valid_from)
            )
        )
    else:
        return errors
    if not rules or rules[0].valid_from > first_day:
        _add_error(
            errors,
            "start_date",
            _(
                "No stream rule is in force on %(date)s. An administrator must add one "
                "on the stream rules page first.",
                date=short_date(first_day),
            ),
        )
        return errors

    def number(field: str) -> int | None:
        value = plan_values.get(field)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    days = number("days_per_week")
    min_day = number("min_minutes_per_day")
    max_day = number("max_minutes_per_day")
    weekly = number("weekly_target_minutes")
    allowance = number("daily_allowance_cents")

    for rule in rules:
        since = short_date(rule.valid_from)
        _check_plan_period(errors, rule, start, plan_values.get("end_date"))
        if days is not None:
            low, high = rule.min_days_per_week, rule.max_days_per_week
            if low is not None and high is not None and not low <= days <= high:
                _add_error(
                    errors,
                    "days_per_week",
                    _(
                        "This stream allows %(min)d to %(max)d days a week (rule in force "
                        "from %(date)s). The plan has %(days)d.",
                        min=low,
                        max=high,
                        date=since,
                        days=days,
                    ),
                )
            elif low is not None and high is None and days < low:
                _add_error(
                    errors,
                    "days_per_week",
                    _("This stream needs at least %(min)d days a week.", min=low),
                )
            elif high is not None and low is None and days > high:
                _add_error(
                    errors,
                    "days_per_week",
                    _("This stream allows at most %(max)d days a week.", max=high),
                )
        if (
            min_day is not None
            and rule.min_minutes_per_day is not None
            and min_day < rule.min_minutes_per_day
        ):
            _add_error(
                errors,
                "min_minutes_per_day",
                _(
                    "This stream needs at least %(hours)s hours a day (rule in force "
                    "from %(date)s).",
                    hours=_hours(rule.min_minutes_per_day),
                    date=since,
                ),
            )
        if (
            max_day is not None
            and rule.max_minutes_per_day is not None
            and max_day > rule.max_minutes_per_day
        ):
            _add_error(
                errors,
                "max_minutes_per_day",
                _(
                    "This stream allows at most %(hours)s hours a day (rule in force "
                    "from %(date)s).",
                    hours=_hours(rule.max_minutes_per_day),
                    date=since,
                ),
            )
        if rule.max_minutes_per_week is not None:
            cap = _hours(rule.max_minutes_per_week)
            if weekly is not None and weekly > rule.max_minutes_per_week:
                _add_error(
                    errors,
                    "weekly_target_minutes",
                    _(
                        "This stream allows at most %(hours)s hours a week (rule in force "
                        "from %(date)s).",
                        hours=cap,
                        date=since,
                    ),
                )
            if (
                days is not None
                and min_day is not None
                and days * min_day > rule.max_minutes_per_week
            ):
                _add_error(
                    errors,
                    "days_per_week",
                    _(
                        "The days a week times the minimum hours a day exceed the "
                        "stream's %(hours)s hours a week.",
                        hours=cap,
                    ),
                )
        if allowance is not None and allowance > rule.daily_allowance_cents:
            _add_error(
                errors,
                "daily_allowance_cents",
                _(
                    "This stream allows at most %(amount)s euros a day.",
                    amount=format_euros(rule.daily_allowance_cents),
                ),
            )
    # One message per problem even when several rule versions say the same thing.
    return {field: list(dict.fromkeys(messages)) for field, messages in errors.items()}


_ONE_DAY = timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_plan_period(errors: Errors, rule: StreamRule, start: Any, end: Any) -> None:
    """A plan period's length within the stream's months (rehabilitative: 3–24)."""
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        return
    # A period of n months runs from its first day to the day before the same date n
    # months later (1.1.–31.3. is three months).
    if (
        rule.min_plan_months is not None
        and end < add_months(start, rule.min_plan_months) - _ONE_DAY
    ):
        _add_error(
            errors,
            "end_date",
            _(
                "A plan period in this stream lasts at least %(months)d months.",
                months=rule.min_plan_months,
            ),
        )
    if (
        rule.max_plan_months is not None
        and end > add_months(start, rule.max_plan_months) - _ONE_DAY
    ):
        _add_error(
            errors,
            "end_date",
            _(
                "A plan period in this stream lasts at most %(months)d months.",
                months=rule.max_plan_months,
            ),
        )


def check_plan_against_stream_rules(
    session: Session,
    stream: Stream | str,
    plan_values: Mapping[str, Any],
    on_date: date | None = None,
) -> None:
    """Raise `ValidationFailed` when a plan breaks its stream's rules (see
    `stream_rule_errors`). The one place that decides whether a plan is lawful."""
    _raise_if(stream_rule_errors(session, stream, plan_values, on_date))


# ---------------------------------------------------------------- rates


def rate_versions(session: Session, kind: str | None = None) -> list[Rate]:
    stmt = sa.select(Rate).order_by(Rate.kind, Rate.valid_from.desc())
    if kind is not None:
        stmt = stmt.where(Rate.kind == kind)
    return list(session.scalars(stmt))


def rate_in_force(session: Session, kind: str, on_date: date) -> Rate | None:
    """The wage or price valid on a day, from the database (in memory:
    `jobcenter.hours.valuation.rate_valid_on`; both follow `in_force_clause`/`in_force_on`)."""
    return session.scalars(
        sa.select(Rate)
        .where(Rate.kind == kind, in_force_clause(Rate, on_date))
        .order_by(Rate.valid_from.desc())
    ).first()


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (b_to is None or a_from < b_to) and (a_to is None or b_from < a_to)


def create_rate_version(
    session: Session,
    *,
    kind: str,
    cents_per_hour: int,
    valid_from: date,
    vat_percent: Decimal | str | int | None = None,
    valid_to: date | None = None,
) -> Rate:
    """A new wage or price from `valid_from` (to `valid_to`, exclusive, or open-ended).

    `valid_to` is the first day the version no longer applies (the last valid day
    plus one), as stored. The open-ended version it follows is closed on
    `valid_from`. Any other overlap
    with a version of the same kind is refused: on any day exactly one rate applies.
    """
    errors: Errors = {}
    if kind not in RateKind.ALL:
        _add_error(errors, "kind", _("Choose wage or price."))
    if (
        not isinstance(cents_per_hour, int)
        or isinstance(cents_per_hour, bool)
        or not 0 <= cents_per_hour <= MAX_CENTS_PER_HOUR
    ):
        _add_error(errors, "cents_per_hour", _("Enter an amount from 0 to 1000 euros."))
    try:
        vat = Decimal(str(vat_percent)) if vat_percent not in (None, "") else Decimal("0")
    except InvalidOperation:
        vat = None
    if vat is None or not vat.is_finite() or not Decimal("0") <= vat < Decimal("100"):
        _add_error(errors, "vat_percent", _("Enter a VAT percentage from 0 to 99.99."))
    elif vat != vat.quantize(Decimal("0.01")):
        _add_error(errors, "vat_percent", _("Use at most two decimals."))
    elif kind == RateKind.WAGE and vat != 0:
        _add_error(errors, "vat_percent", _("A wage has no VAT. Leave it at 0."))
    if not isinstance(valid_from, date):
        _add_error(errors, "valid_from", _("Enter a date."))
    if valid_to is not None and (not isinstance(valid_to, date)):
        _add_error(errors, "valid_to", _("Enter a date."))
    elif valid_to is not None and isinstance(valid_from, date) and valid_to <= valid_from:
        _add_error(errors, "valid_to", _("The last day must not be before the first day."))

    to_close: Rate | None = None
    if not errors:
        others = rate_versions(session, kind)
        open_before = [r for r in others if r.valid_to is None and r.valid_from < valid_from]
        to_close = open_before[0] if open_before else None
        for other in others:
            other_to = valid_from if other is to_close else other.valid_to
            if _overlaps(valid_from, valid_to, other.valid_from, other_to):
                if other_to is None:
                    period = _("from %(start)s on", start=short_date(other.valid_from))
                else:
                    period = _(
                        "%(start)s – %(end)s",
                        start=short_date(other.valid_from),
                        end=short_date(other_to - timedelta(days=1)),
                    )
                _add_error(
                    errors,
                    "valid_from",
                    _(
                        "The validity overlaps the version valid %(period)s. Choose dates "
                        "after it, or end the new version before it starts.",
                        period=period,
                    ),
                )
                break
    _raise_if(errors)

    if to_close is not None:
        to_close.valid_to = valid_from
    rate = Rate(
        kind=kind,
        cents_per_hour=cents_per_hour,
        vat_percent=vat,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(rate)
    session.flush()
    return rate
