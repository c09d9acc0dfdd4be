"""Reports for other city systems (payroll, billing, Kela reporting): confirmed hours
per key, wages, billing and allowance days. Read-only; every figure is scoped to the
caller (`jobcenter.core.authz`): a participant gets only their own, a unit contact
only their own unit's. Rows about a person read by staff are written to the audit log.

The manager dashboard's figures (summary, quality, satisfaction) live in their own
module under the same /reports prefix.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import api_locale, json_response, query_day
from jobcenter.api.openapi import doc
from jobcenter.core import audit, clock
from jobcenter.core.authz import MAX_DB_ID, get_visible
from jobcenter.core.enums import Role
from jobcenter.core.errors import ValidationFailed
from jobcenter.extensions import db
from jobcenter.participants.models import Group
from jobcenter.reports import allowance as allowance_q
from jobcenter.reports import billing as billing_q
from jobcenter.reports import money
from jobcenter.reports import wages as wages_q
from jobcenter.reports.hours import PEOPLE_VIEWERS, HoursBy, hours_by
from jobcenter.reports.periods import (
    MAX_RANGE_DAYS,
    Period,
    PeriodKind,
    default_two_week_start,
    make_period,
    month_period,
    years,
)
from jobcenter.units.models import Unit

TAGS = ["reports"]
_MONTH = re.compile(r"^[0-9]{4}-[0-9]{2}$")
_ID = re.compile(r"^[0-9]{1,10}$")

DATE_PARAM = {"type": "string", "format": "date"}
MONTH_PARAM = {
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}$",
    "description": "The month as YYYY-MM (default: this month, in Helsinki)",
}
ID_PARAM = {"type": "integer", "minimum": 1, "maximum": MAX_DB_ID}

_HOURS = {"type": "number", "description": "Minutes / 60, rounded to two decimals."}
_CENTS = {"type": "integer", "description": "Euro cents."}
_PERIOD = {
    "type": "object",
    "required": ["from", "to"],
    "properties": {"from": DATE_PARAM, "to": DATE_PARAM},
}


# --------------------------------------------------------------------------- parameters


def _month(errors: dict[str, list[str]]) -> Period:
    raw = request.args.get("month")
    if raw is None:
        return month_period(clock.today())
    try:
        if not _MONTH.match(raw):
            raise ValueError
        first = date.fromisoformat(f"{raw}-01")
    except ValueError:
        errors["month"] = [_("Send the month as YYYY-MM.")]
        return month_period(clock.today())
    window = years()
    if first.year not in window:
        errors["month"] = [
            _(
                "Choose a date between the years %(first)s and %(last)s.",
                first=window.start,
                last=window[-1],
            )
        ]
    return month_period(first)


def _id(name: str, errors: dict[str, list[str]]) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    if not _ID.match(raw) or not 1 <= int(raw) <= MAX_DB_ID:
        errors[name] = [_("Send an id (a whole number).")]
        return None
    return int(raw)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _period_json(period: Period) -> dict[str, str]:
    return {"from": period.first.isoformat(), "to": period.last.isoformat()}


def _audit(action: str, participant_ids: list[int], period: Period) -> None:
    if current_user.role == Role.PARTICIPANT:
        return  # a person reading their own figures
    for pid in participant_ids:
        audit.record(
            action,
            participant_id=pid,
            detail={"first": period.first.isoformat(), "last": period.last.isoformat()},
        )
    db.session.commit()


# --------------------------------------------------------------------------- hours

HOURS_RESPONSE = {
    "type": "object",
    "required": ["from", "to", "by", "rows", "total"],
    "properties": {
        "from": DATE_PARAM,
        "to": DATE_PARAM,
        "by": {"type": "string", "enum": [b.value for b in HoursBy]},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "label", "minutes", "hours"],
                "properties": {
                    "key": {
                        "description": "Stream code, month (YYYY-MM) or the id of the unit, "
                        "task kind, instructor or participant; null for hours without an "
                        "instructor.",
                        "nullable": True,
                        "oneOf": [{"type": "string"}, {"type": "integer"}],
                    },
                    "label": {"type": "string"},
                    "minutes": {"type": "integer"},
                    "hours": _HOURS,
                },
            },
        },
        "total": {
            "type": "object",
            "required": ["minutes", "hours"],
            "properties": {"minutes": {"type": "integer"}, "hours": _HOURS},
        },
    },
}


@bp.get("/reports/hours")
@doc(
    summary="Confirmed hours per key",
    response=HOURS_RESPONSE,
    tags=TAGS,
    errors=(403,),
    localized=True,
    query={
        "from": DATE_PARAM | {"description": "First work day (default: first of this month)"},
        "to": DATE_PARAM | {"description": "Last work day, included (default: end of month)"},
        "by": {
            "type": "string",
            "enum": [b.value for b in HoursBy],
            "description": "Group by this key (default: month). `participant` only for "
            "admins, instructors (their groups) and participants (themselves).",
        },
    },
)
@require_roles()
def report_hours() -> Response:
    """Confirmed paid task hours (corrections included) per stream, unit, task kind,
    instructor, month or participant, for work days `from`–`to`. Each role sees its own
    rows: an instructor their groups' people, a unit contact their unit's hours, a
    participant their own."""
    errors: dict[str, list[str]] = {}
    default = month_period(clock.today())
    first = query_day("from", errors, years=years()) if "from" in request.args else default.first
    last = (
        query_day("to", errors, years=years())
        if "to" in request.args
        else max(default.last, first or default.last)
    )
    raw_by = request.args.get("by", HoursBy.MONTH.value)
    if raw_by not in {b.value for b in HoursBy}:
        errors["by"] = [_("Choose one of: %(choices)s.", choices=", ".join(b for b in HoursBy))]
    if first is not None and last is not None:
        if last < first:
            errors["to"] = [_("The last day cannot be before the first day.")]
        elif (last - first).days > MAX_RANGE_DAYS:
            errors["to"] = [_("Ask for at most five years at a time.")]
    _raise(errors)
    by = HoursBy(raw_by)
    if by == HoursBy.PARTICIPANT and current_user.role not in PEOPLE_VIEWERS:
        abort(403, description=_("Your role sees hours as totals, not per person."))
    period = Period(first, last)  # type: ignore[arg-type]  (None raised above)
    rows = hours_by(db.session, current_user, period, by)
    if by == HoursBy.PARTICIPANT:
        _audit("report.hours.read", [int(r.key) for r in rows], period)
    total = sum(r.minutes for r in rows)
    return json_response(
        {
            **_period_json(period),
            "by": by.value,
            "rows": [
                {"key": r.key, "label": r.label, "minutes": r.minutes, "hours": r.hours}
                for r in rows
            ],
            "total": {"minutes": total, "hours": money.hours(total)},
        },
        headers={"Content-Language": api_locale()},
    )


# --------------------------------------------------------------------------- wages

WAGES_RESPONSE = {
    "type": "object",
    "required": ["from", "to", "rows", "total"],
    "properties": {
        **_PERIOD["properties"],
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "participant_id",
                    "first_name",
                    "last_name",
                    "minutes",
                    "hours",
                    "wage_cents",
                    "corrections_after_close",
                ],
                "properties": {
                    "participant_id": {"type": "integer"},
                    "first_name": {"type": "string"},
                    "last_name": {"type": "string"},
                    "minutes": {"type": "integer"},
                    "hours": _HOURS,
                    "wage_cents": _CENTS,
                    "corrections_after_close": {"type": "integer"},
                },
            },
        },
        "total": {
            "type": "object",
            "required": ["minutes", "hours", "wage_cents"],
            "properties": {"minutes": {"type": "integer"}, "hours": _HOURS, "wage_cents": _CENTS},
        },
    },
}


def _visible_group(errors: dict[str, list[str]]) -> int | None:
    group_id = _id("group_id", errors)
    _raise(errors)
    if group_id is not None:
        get_visible(Group, group_id, current_user)  # 404 outside the caller's groups
    return group_id


@bp.get("/reports/wages")
@doc(
    summary="Wages per participant for a month",
    errors=(404,),
    response=WAGES_RESPONSE,
    tags=TAGS,
    query={"month": MONTH_PARAM, "group_id": ID_PARAM | {"description": "Only this group"}},
)
@require_roles(Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR)
def report_wages() -> Response:
    """Confirmed paid task hours × the wage valid on each day, per person, for payroll.
    An instructor gets their own groups' people."""
    errors: dict[str, list[str]] = {}
    period = _month(errors)
    group_id = _visible_group(errors)
    report = wages_q.wages_report(db.session, current_user, period, group_id=group_id)
    _audit("report.wages.read", [r.participant_id for r in report.rows], period)
    return json_response(
        {
            **_period_json(period),
            "rows": [
                {
                    "participant_id": r.participant_id,
                    "first_name": r.first_name,
                    "last_name": r.last_name,
                    "minutes": r.minutes,
                    "hours": money.hours(r.minutes),
                    "wage_cents": r.wage_cents,
                    "corrections_after_close": r.late_corrections,
                }
                for r in report.rows
            ],
            "total": {
                "minutes": report.minutes,
                "hours": money.hours(report.minutes),
                "wage_cents": report.wage_cents,
            },
        }
    )


# --------------------------------------------------------------------------- billing

_MONEY_FIELDS = {
    "minutes": {"type": "integer"},
    "hours": _HOURS,
    "net_cents": _CENTS,
    "vat_cents": _CENTS,
    "gross_cents": _CENTS,
}
BILLING_RESPONSE = {
    "type": "object",
    "required": ["from", "to", "units"],
    "properties": {
        **_PERIOD["properties"],
        "units": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["unit_id", "name", "tasks", *_MONEY_FIELDS],
                "properties": {
                    "unit_id": {"type": "integer"},
                    "name": {"type": "string"},
                    "business_id": {"type": "string", "nullable": True},
                    "billing_reference": {"type": "string", "nullable": True},
                    **_MONEY_FIELDS,
                    "tasks": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["task_id", "title", "task_kind", *_MONEY_FIELDS],
                            "properties": {
                                "task_id": {"type": "integer"},
                                "title": {"type": "string"},
                                "task_kind": {"type": "string"},
                                **_MONEY_FIELDS,
                            },
                        },
                    },
                },
            },
        },
    },
}


def _money(item: Any) -> dict[str, Any]:
    return {
        "minutes": item.minutes,
        "hours": money.hours(item.minutes),
        "net_cents": item.net_cents,
        "vat_cents": item.vat_cents,
        "gross_cents": item.gross_cents,
    }


@bp.get("/reports/billing")
@doc(
    summary="Billing per unit for a month",
    errors=(404,),
    response=BILLING_RESPONSE,
    tags=TAGS,
    localized=True,
    query={"month": MONTH_PARAM, "unit_id": ID_PARAM | {"description": "Only this unit"}},
)
@require_roles(Role.ADMIN, Role.MANAGER, Role.UNIT_CONTACT)
def report_billing() -> Response:
    """Confirmed hours × the price (+ VAT) valid on each day, per unit, with the tasks
    behind them. A unit contact gets their own unit only."""
    errors: dict[str, list[str]] = {}
    period = _month(errors)
    unit_id = _id("unit_id", errors)
    _raise(errors)
    if unit_id is not None:
        get_visible(Unit, unit_id, current_user)
    report = billing_q.billing_report(db.session, current_user, period, unit_id=unit_id)
    return json_response(
        {
            **_period_json(period),
            "units": [
                {
                    "unit_id": u.unit_id,
                    "name": u.unit_name,
                    "business_id": u.business_id,
                    "billing_reference": u.billing_reference,
                    **_money(u),
                    "tasks": [
                        {
                            "task_id": line.task_id,
                            "title": line.title,
                            "task_kind": line.task_kind.name(),
                            **_money(line),
                        }
                        for line in u.lines
                    ],
                }
                for u in report.units
            ],
        },
        headers={"Content-Language": api_locale()},
    )


# --------------------------------------------------------------------------- allowance

ALLOWANCE_RESPONSE = {
    "type": "object",
    "required": ["from", "to", "kind", "rows"],
    "properties": {
        **_PERIOD["properties"],
        "kind": {"type": "string", "enum": [k.value for k in PeriodKind]},
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "participant_id",
                    "first_name",
                    "last_name",
                    "stream",
                    "attended_days",
                    "absences",
                    "not_organised_days",
                    "earning_days",
                    "allowance_cents",
                    "benefit_kept_days",
                    "benefit_lost_days",
                    "certificate_days",
                    "absence_dates",
                ],
                "properties": {
                    "participant_id": {"type": "integer"},
                    "first_name": {"type": "string"},
                    "last_name": {"type": "string"},
                    "stream": {"type": "string"},
                    "attended_days": {"type": "integer"},
                    "absences": {
                        "type": "object",
                        "description": "Absent days per kind (own_illness, sick_child, "
                        "job_interview, public_office, other_excused, unexcused).",
                        "additionalProperties": {"type": "integer"},
                    },
                    "not_organised_days": {"type": "integer"},
                    "earning_days": {"type": "integer"},
                    "allowance_cents": _CENTS,
                    "benefit_kept_days": {
                        "type": "integer",
                        "description": "Absent days that keep the benefit (sick-child days "
                        "past the 4th of a spell do not).",
                    },
                    "benefit_lost_days": {"type": "integer"},
                    "certificate_days": {
                        "type": "integer",
                        "description": "Own-illness days from the 4th of a spell: a medical "
                        "certificate is needed.",
                    },
                    "absence_dates": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["date", "kind", "spell_day", "check"],
                            "properties": {
                                "date": DATE_PARAM,
                                "kind": {"type": "string"},
                                "spell_day": {
                                    "type": "integer",
                                    "description": "Calendar day of the absence spell.",
                                },
                                "check": {
                                    "type": "string",
                                    "nullable": True,
                                    "enum": ["certificate_needed", "over_limit", None],
                                    "description": "What to check about the day, or null.",
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


@bp.get("/reports/allowance")
@doc(
    summary="Allowance days per participant for a period",
    errors=(404,),
    response=ALLOWANCE_RESPONSE,
    tags=TAGS,
    query={
        "kind": {
            "type": "string",
            "enum": [k.value for k in PeriodKind],
            "description": "two_weeks (default) or month",
        },
        "start": DATE_PARAM
        | {"description": "First day; a month covers the whole month of this day"},
        "group_id": ID_PARAM | {"description": "Only this group"},
    },
)
@require_roles(Role.ADMIN, Role.INSTRUCTOR)
def report_allowance() -> Response:
    """Attended days, absences by kind (with dates), public holidays and the days that
    earn the compensation (rehabilitative) or the work allowance (disability), per
    person, for the absence reports to Kela. Only the latest correction of a day counts."""
    errors: dict[str, list[str]] = {}
    raw_kind = request.args.get("kind", PeriodKind.TWO_WEEKS.value)
    if raw_kind not in {k.value for k in PeriodKind}:
        errors["kind"] = [_("Choose one of: %(choices)s.", choices="two_weeks, month")]
    start = query_day("start", errors, years=years())
    group_id = _visible_group(errors)
    kind = PeriodKind(raw_kind)
    if start is None:
        start = default_two_week_start() if kind == PeriodKind.TWO_WEEKS else clock.today()
    period = make_period(kind, start)
    report = allowance_q.allowance_report(db.session, current_user, period, group_id=group_id)
    dates: dict[int, list[dict[str, str]]] = {}
    for item in report.absence_days:
        dates.setdefault(item.participant_id, []).append(
            {
                "date": item.day.isoformat(),
                "kind": item.kind.value,
                # day of the illness or sick-child spell, and what to check (or null)
                "spell_day": item.spell_day,
                "check": item.check.value if item.check else None,
            }
        )
    _audit("report.allowance.read", [r.participant_id for r in report.rows], period)
    return json_response(
        {
            **_period_json(period),
            "kind": kind.value,
            "rows": [
                {
                    "participant_id": r.participant_id,
                    "first_name": r.first_name,
                    "last_name": r.last_name,
                    "stream": r.stream.value,
                    "attended_days": r.attended_days,
                    "absences": {k.value: n for k, n in r.absences.items()},
                    "not_organised_days": r.not_organised_days,
                    "earning_days": r.earning_days,
                    "allowance_cents": r.allowance_cents,
                    "benefit_kept_days": r.benefit_kept_days,
                    "benefit_lost_days": r.benefit_lost_days,
                    "certificate_days": r.certificate_days,
                    "absence_dates": dates.get(r.participant_id, []),
                }
                for r in report.rows
            ],
        }
    )
