"""The dashboard's figures for other systems: `/api/v1/reports/summary`, `totals`,
`quality` and `satisfaction`, each for `?from=YYYY-MM-DD&to=YYYY-MM-DD` (days in
Helsinki, both included; by default the last twelve months).

Managers and admins only (others 403). Aggregates only: no participant appears in any
answer. Names of task kinds and districts follow `Accept-Language`. (The hour report
by participant, `/api/v1/reports/hours`, and the wage, billing and allowance reports
belong to `jobcenter.api.resources.reports`.)
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from flask_babel import gettext as _
from marshmallow import Schema, fields

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response
from jobcenter.api.openapi import doc
from jobcenter.core.enums import Role
from jobcenter.core.errors import ValidationFailed
from jobcenter.core.i18n import current_locale
from jobcenter.dashboard import queries
from jobcenter.dashboard.cache import figures_cache
from jobcenter.dashboard.period import DateRange, parse_range
from jobcenter.extensions import db
from jobcenter.hours.models import AbsenceKind

TAGS = ["reports"]
READERS = (Role.MANAGER, Role.ADMIN)
RANGE_QUERY = {
    "from": {
        "type": "string",
        "format": "date",
        "description": "First day (Helsinki), YYYY-MM-DD; default a year before `to`.",
    },
    "to": {
        "type": "string",
        "format": "date",
        "description": "Last day (Helsinki), YYYY-MM-DD; default today. At most ten years.",
    },
}


# ---------------------------------------------------------------- schemas (documentation)


class _Range(Schema):
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)


class StreamFiguresSchema(Schema):
    disability = fields.Integer(required=True)
    rehabilitative = fields.Integer(required=True)
    total = fields.Integer(required=True)


class StreamHoursSchema(Schema):
    disability = fields.Float(required=True)
    rehabilitative = fields.Float(required=True)
    total = fields.Float(required=True)


class KindDoneSchema(Schema):
    task_kind_id = fields.Integer(required=True)
    name = fields.String(required=True)
    tasks = fields.Integer(required=True)
    shifts = fields.Integer(required=True)
    minutes = fields.Integer(required=True)
    hours = fields.Float(required=True)


class SummarySchema(_Range):
    """The pilot report's figures: hours per stream, participants per stream, tasks done."""

    minutes = fields.Nested(StreamFiguresSchema, required=True)
    hours = fields.Nested(StreamHoursSchema, required=True)
    participants = fields.Nested(StreamFiguresSchema, required=True)
    tasks_done = fields.List(fields.Nested(KindDoneSchema), required=True)
    text = fields.String(
        required=True, metadata={"description": "The summary as one sentence, translated."}
    )


class TotalSchema(Schema):
    key = fields.String(
        required=True,
        metadata={"description": 'An id, a stream, a month "YYYY-MM", or "none".'},
    )
    name = fields.String(required=True)
    minutes = fields.Integer(required=True)
    hours = fields.Float(required=True)


class TotalsSchema(_Range):
    """Confirmed hours grouped by one dimension."""

    by = fields.String(required=True, metadata={"enum": list(queries.DIMENSIONS)})
    rows = fields.List(fields.Nested(TotalSchema), required=True)
    total_minutes = fields.Integer(required=True)
    total_hours = fields.Float(required=True)


class FillSchema(Schema):
    month = fields.String(required=True)
    shifts = fields.Integer(required=True)
    shifts_filled = fields.Integer(required=True)
    offered_slot_minutes = fields.Integer(required=True)
    filled_slot_minutes = fields.Integer(required=True)
    fill_rate = fields.Float(allow_none=True, required=True)


class AbsenceCountSchema(Schema):
    kind = fields.String(required=True, metadata={"enum": [k.value for k in AbsenceKind]})
    count = fields.Integer(required=True)
    rate = fields.Float(allow_none=True, required=True)


class AttendanceSchema(Schema):
    records = fields.Integer(required=True)
    present = fields.Integer(required=True)
    absent = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)
    absence_rate = fields.Float(allow_none=True, required=True)
    no_show_rate = fields.Float(allow_none=True, required=True)
    by_kind = fields.List(fields.Nested(AbsenceCountSchema), required=True)


class KindAttendanceSchema(Schema):
    task_kind_id = fields.Integer(required=True)
    name = fields.String(required=True)
    records = fields.Integer(required=True)
    absent = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)
    absence_rate = fields.Float(allow_none=True, required=True)
    no_show_rate = fields.Float(allow_none=True, required=True)


class CancellationSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    shifts = fields.Integer(required=True)
    slot_minutes = fields.Integer(required=True)


class GroupTargetSchema(Schema):
    group_id = fields.Integer(required=True)
    name = fields.String(required=True)
    instructor = fields.String(required=True)
    participants = fields.Integer(required=True)
    target_minutes = fields.Integer(required=True)
    done_minutes = fields.Integer(required=True)
    gap_minutes = fields.Integer(required=True)
    share = fields.Float(allow_none=True, required=True)


class CeilingSchema(Schema):
    month = fields.String(required=True)
    with_ceiling = fields.Integer(required=True)
    close = fields.Integer(required=True)
    over = fields.Integer(required=True)


class QualitySchema(_Range):
    """Fill rate, attendance, cancellations, plans' weekly targets, earnings ceiling."""

    fill = fields.Nested(FillSchema, required=True)
    fill_by_month = fields.List(fields.Nested(FillSchema), required=True)
    attendance = fields.Nested(AttendanceSchema, required=True)
    attendance_by_task_kind = fields.List(fields.Nested(KindAttendanceSchema), required=True)
    cancellations_by_unit = fields.List(fields.Nested(CancellationSchema), required=True)
    cancellations_by_reason = fields.List(fields.Nested(CancellationSchema), required=True)
    group_targets = fields.List(fields.Nested(GroupTargetSchema), required=True)
    earnings_ceiling = fields.List(fields.Nested(CeilingSchema), required=True)


class SatisfactionRowSchema(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)
    unit_ratings = fields.Integer(required=True)
    units_very_satisfied = fields.Integer(required=True)
    unit_share = fields.Float(allow_none=True, required=True)
    participant_ratings = fields.Integer(required=True)
    participants_very_satisfied = fields.Integer(required=True)
    participant_share = fields.Float(allow_none=True, required=True)


class SatisfactionSchema(_Range):
    """Share of "very satisfied": units' 5 of 5, participants' happy face."""

    total = fields.Nested(SatisfactionRowSchema, required=True)
    by_group = fields.List(fields.Nested(SatisfactionRowSchema), required=True)
    by_month = fields.List(fields.Nested(SatisfactionRowSchema), required=True)


# ---------------------------------------------------------------- helpers


def _range() -> DateRange:
    rng, errors = parse_range(request.args, empty_is_missing=False)
    if rng is None:
        raise ValidationFailed(errors)
    return rng


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _base(rng: DateRange) -> dict[str, Any]:
    return {"from": rng.first.isoformat(), "to": rng.last.isoformat()}


def _cached(key: tuple, compute) -> Any:
    value, _at = figures_cache.get(db.session, key, compute)
    return value


def _fill(row: queries.FillRow) -> dict[str, Any]:
    return {
        "month": row.month,
        "shifts": row.shifts,
        "shifts_filled": row.shifts_filled,
        "offered_slot_minutes": row.offered_minutes,
        "filled_slot_minutes": row.filled_minutes,
        "fill_rate": _share(row.rate),
    }


def _satisfaction(row: queries.SatisfactionRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": row.label,
        "unit_ratings": row.unit_ratings,
        "units_very_satisfied": row.units_very_satisfied,
        "unit_share": _share(row.unit_share),
        "participant_ratings": row.participant_ratings,
        "participants_very_satisfied": row.participants_very_satisfied,
        "participant_share": _share(row.participant_share),
    }


# ---------------------------------------------------------------- endpoints


@bp.get("/reports/summary")
@doc(
    summary="The pilot's summary for a period",
    response=SummarySchema,
    tags=TAGS,
    query=RANGE_QUERY,
    localized=True,
)
@require_roles(*READERS)
def report_summary() -> Response:
    """Confirmed hours per stream and in total, distinct participants with hours per
    stream, and the kinds of tasks done (tasks and shifts with confirmed hours)."""
    rng = _range()
    locale = current_locale()
    summary = _cached(
        ("summary", rng, locale), lambda: queries.pilot_summary(db.session, rng, locale)
    )
    minutes = {str(s): summary.minutes_by_stream[s] for s in queries.STREAMS}
    people = {str(s): summary.participants_by_stream[s] for s in queries.STREAMS}
    text = _(
        "Hours done: disability work activity %(disability)s h, rehabilitative work "
        "activity %(rehabilitative)s h, total %(total)s h.",
        disability=_hours(minutes["disability"]),
        rehabilitative=_hours(minutes["rehabilitative"]),
        total=_hours(summary.total_minutes),
    )
    return json_response(
        _base(rng)
        | {
            "minutes": minutes | {"total": summary.total_minutes},
            "hours": {k: _hours(v) for k, v in minutes.items()}
            | {"total": _hours(summary.total_minutes)},
            "participants": people | {"total": summary.total_participants},
            "tasks_done": [
                {
                    "task_kind_id": k.kind_id,
                    "name": k.label,
                    "tasks": k.tasks,
                    "shifts": k.shifts,
                    "minutes": k.minutes,
                    "hours": _hours(k.minutes),
                }
                for k in summary.kinds_done
            ],
            "text": text,
        }
    )


@bp.get("/reports/totals")
@doc(
    summary="Confirmed hours by stream, unit, task kind, month, instructor or district",
    response=TotalsSchema,
    tags=TAGS,
    query=RANGE_QUERY
    | {
        "by": {
            "type": "string",
            "enum": list(queries.DIMENSIONS),
            "description": "What to group by (default stream).",
        }
    },
    localized=True,
)
@require_roles(*READERS)
def report_totals() -> Response:
    """Confirmed hours (corrections included) grouped by one dimension. Streams and
    months in order, the others largest first; `key` "none" collects hours without an
    instructor or a district."""
    by = request.args.get("by", "stream")
    rng, errors = parse_range(request.args, empty_is_missing=False)
    if by not in queries.DIMENSIONS:
        errors = errors | {
            "by": [_("Choose one of: %(choices)s.", choices=", ".join(queries.DIMENSIONS))]
        }
    if rng is None or errors:
        raise ValidationFailed(errors)
    locale = current_locale()
    rows = _cached(
        ("totals", by, rng, locale), lambda: queries.hour_totals(db.session, rng, by, locale)
    )
    total = sum(r.minutes for r in rows)
    return json_response(
        _base(rng)
        | {
            "by": by,
            "rows": [
                {"key": r.key, "name": r.label, "minutes": r.minutes, "hours": _hours(r.minutes)}
                for r in rows
            ],
            "total_minutes": total,
            "total_hours": _hours(total),
        }
    )


@bp.get("/reports/quality")
@doc(
    summary="Quality figures for a period",
    response=QualitySchema,
    tags=TAGS,
    query=RANGE_QUERY,
    localized=True,
)
@require_roles(*READERS)
def report_quality() -> Response:
    """Fill rate (filled of offered slot-hours, shifts not cancelled), attendance by
    absence kind and by task kind (no-show = unexcused), cancelled shifts by unit and by
    reason, each group against its plans' weekly targets, and per month how many people
    earned close to (80 %) or over their earnings ceiling."""
    rng = _range()
    locale = current_locale()
    data = _cached(("dashboard", rng, locale), lambda: queries.dashboard(db.session, rng, locale))
    att = data.attendance
    present = att.records - att.absent

    def cancellations(rows: list[queries.CancellationRow]) -> list[dict[str, Any]]:
        return [
            {"key": r.key, "name": r.label, "shifts": r.shifts, "slot_minutes": r.slot_minutes}
            for r in rows
        ]

    return json_response(
        _base(rng)
        | {
            "fill": _fill(data.fill_total),
            "fill_by_month": [_fill(r) for r in data.fill],
            "attendance": {
                "records": att.records,
                "present": present,
                "absent": att.absent,
                "no_shows": att.no_shows,
                "absence_rate": _share(att.rate(att.absent)),
                "no_show_rate": _share(att.rate(att.no_shows)),
                "by_kind": [
                    {"kind": str(r.kind), "count": r.count, "rate": _share(att.rate(r.count))}
                    for r in att.by_kind
                ],
            },
            "attendance_by_task_kind": [
                {
                    "task_kind_id": r.kind_id,
                    "name": r.label,
                    "records": r.records,
                    "absent": r.absent,
                    "no_shows": r.no_shows,
                    "absence_rate": _share(r.absence_rate),
                    "no_show_rate": _share(r.no_show_rate),
                }
                for r in data.attendance_by_kind
            ],
            "cancellations_by_unit": cancellations(data.cancellations_by_unit),
            "cancellations_by_reason": cancellations(data.cancellations_by_reason),
            "group_targets": [
                {
                    "group_id": g.group_id,
                    "name": g.group,
                    "instructor": g.instructor,
                    "participants": g.participants,
                    "target_minutes": g.target_minutes,
                    "done_minutes": g.done_minutes,
                    "gap_minutes": g.gap_minutes,
                    "share": _share(g.share),
                }
                for g in data.group_targets
            ],
            "earnings_ceiling": [
                {"month": c.month, "with_ceiling": c.with_ceiling, "close": c.close, "over": c.over}
                for c in data.ceiling
            ],
        }
    )


@bp.get("/reports/satisfaction")
@doc(
    summary="Share of very satisfied units and participants",
    response=SatisfactionSchema,
    tags=TAGS,
    query=RANGE_QUERY,
)
@require_roles(*READERS)
def report_satisfaction() -> Response:
    """Units' ratings of tasks given in the period (very satisfied = 5 of 5) and
    participants' faces for the period's shifts (very satisfied = the happy face), in
    total, per group (the group that took the task; the participant's group) and per
    month."""
    rng = _range()
    locale = current_locale()
    data = _cached(("dashboard", rng, locale), lambda: queries.dashboard(db.session, rng, locale))
    return json_response(
        _base(rng)
        | {
            "total": _satisfaction(data.satisfaction_total),
            "by_group": [_satisfaction(r) for r in data.satisfaction_by_group],
            "by_month": [_satisfaction(r) for r in data.satisfaction_by_month],
        }
    )
