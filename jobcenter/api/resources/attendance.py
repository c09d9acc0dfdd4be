"""Attendance, hour entries, corrections and month closing.

Recording is for instructors only: the shift's supervising instructor records for
everyone on it, a group instructor for their own people (`jobcenter.hours.policies`);
any other shift, record or group is 404. The rules live in `jobcenter.hours.attendance`
(the same operations as the pages); each request commits once or writes nothing.

Hour entries are a ledger: rows are confirmed, valued hours; a correction adds a
reversal (negative minutes, `reverses_id`) and a new entry, so totals are plain sums.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Response, abort
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validates_schema

from jobcenter.api import bp
from jobcenter.api.auth import require_roles
from jobcenter.api.http import json_response, load_json, query_day_range
from jobcenter.api.openapi import doc
from jobcenter.api.pagination import paginate
from jobcenter.core.authz import get_visible, scope
from jobcenter.core.enums import Role
from jobcenter.core.errors import ValidationFailed
from jobcenter.core.schemas import DatabaseId, Text
from jobcenter.core.transactions import unit_of_work
from jobcenter.extensions import db
from jobcenter.hours import attendance, policies
from jobcenter.hours.attendance import Entry
from jobcenter.hours.models import AbsenceKind, AttendanceRecord, HourEntry, MonthClosure
from jobcenter.participants.models import Group
from jobcenter.scheduling.models import Assignment, Shift

TAGS = ["attendance"]
RECORDERS = (Role.INSTRUCTOR,)
READERS = (Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.PARTICIPANT, Role.MANAGER, Role.ADMIN)
KINDS = [k.value for k in AbsenceKind]


class EntrySchema(Schema):
    """What happened to one person: present with real times, or absent with a kind."""

    present = fields.Boolean(required=True)
    start = fields.AwareDateTime(
        load_default=None, metadata={"description": "Real start, on a quarter hour."}
    )
    end = fields.AwareDateTime(
        load_default=None, metadata={"description": "Real end, on a quarter hour."}
    )
    late = fields.Boolean(load_default=False)
    left_early = fields.Boolean(load_default=False)
    absence_kind = fields.String(load_default=None, allow_none=True, metadata={"enum": KINDS})
    note = Text(
        multiline=True,
        load_default="",
        metadata={"description": "Free text; required when longer than the shift allows."},
    )

    @validates_schema
    def _kind(self, data: dict[str, Any], **_kw: Any) -> None:
        kind = data.get("absence_kind")
        if kind is not None and kind not in KINDS:
            raise ValidationError(
                _("Choose one of: %(choices)s.", choices=", ".join(KINDS)), "absence_kind"
            )


class RowEntrySchema(EntrySchema):
    assignment_id = DatabaseId(required=True)


class RecordRequestSchema(Schema):
    """Either `entries` (one per person) or `all_present: true` (everyone not yet
    recorded: present as planned)."""

    entries = fields.List(fields.Nested(RowEntrySchema), load_default=list)
    all_present = fields.Boolean(load_default=False)

    @validates_schema
    def _one(self, data: dict[str, Any], **_kw: Any) -> None:
        if bool(data.get("entries")) == bool(data.get("all_present")):
            raise ValidationError(_("Send either entries or all_present: true."), "entries")


class CorrectionSchema(EntrySchema):
    reason = Text(multiline=True, required=True, metadata={"description": "Why it is corrected."})


class ReopenSchema(Schema):
    reason = Text(multiline=True, required=True)


class AttendanceRecordSchema(Schema):
    id = fields.Integer(required=True)
    assignment_id = fields.Integer(required=True)
    present = fields.Boolean(required=True)
    absence_kind = fields.String(allow_none=True, metadata={"enum": KINDS})
    actual_start = fields.DateTime(allow_none=True)
    actual_end = fields.DateTime(allow_none=True)
    minutes = fields.Integer(allow_none=True)
    late = fields.Boolean(required=True)
    left_early = fields.Boolean(required=True)
    note = fields.String(required=True)
    recorded_by_id = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime(required=True)
    confirmed_by_id = fields.Integer(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    supersedes_id = fields.Integer(allow_none=True)
    correction_reason = fields.String(allow_none=True)


class SheetRowSchema(Schema):
    assignment_id = fields.Integer(required=True)
    participant_id = fields.Integer(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    planned_start = fields.DateTime(required=True)
    planned_end = fields.DateTime(required=True)
    record = fields.Nested(AttendanceRecordSchema, allow_none=True)


class SheetSchema(Schema):
    shift_id = fields.Integer(required=True)
    rows = fields.List(fields.Nested(SheetRowSchema), required=True)


class HourEntrySchema(Schema):
    id = fields.Integer(required=True)
    attendance_record_id = fields.Integer(required=True)
    reverses_id = fields.Integer(allow_none=True)
    participant_id = fields.Integer(required=True)
    shift_id = fields.Integer(required=True)
    work_date = fields.Date(required=True)
    minutes = fields.Integer(required=True)
    stream = fields.String(required=True)
    unit_id = fields.Integer(required=True)
    task_kind_id = fields.Integer(required=True)
    instructor_id = fields.Integer(allow_none=True)
    district_id = fields.Integer(allow_none=True)
    wage_cents_per_hour = fields.Integer(required=True)
    price_cents_per_hour = fields.Integer(required=True)
    vat_percent = fields.String(
        required=True, metadata={"description": "VAT % of the price, as a decimal string."}
    )
    created_at = fields.DateTime(required=True)
    after_month_close = fields.Boolean(required=True)


class MonthClosureSchema(Schema):
    group_id = fields.Integer(required=True)
    month = fields.Date(required=True)
    closed = fields.Boolean(required=True)
    closed_by_id = fields.Integer(allow_none=True)
    closed_at = fields.DateTime(required=True)
    reopened_by_id = fields.Integer(allow_none=True)
    reopened_at = fields.DateTime(allow_none=True)
    reopen_reason = fields.String(allow_none=True)


def _record_data(rec: AttendanceRecord | None) -> dict[str, Any] | None:
    if rec is None:
        return None
    data = AttendanceRecordSchema().dump(rec)
    data["absence_kind"] = str(rec.absence_kind) if rec.absence_kind else None
    return data


def _entry(data: dict[str, Any]) -> Entry:
    return Entry(
        present=data["present"],
        start=data.get("start"),
        end=data.get("end"),
        late=data.get("late", False),
        left_early=data.get("left_early", False),
        absence_kind=AbsenceKind(data["absence_kind"]) if data.get("absence_kind") else None,
        note=data.get("note") or "",
    )


def _recordable_shift(shift_id: int) -> Shift:
    shift = get_visible(Shift, shift_id, current_user)
    allowed = db.session.scalar(
        sa.select(Shift.id).where(
            Shift.id == shift.id, Shift.id.in_(policies.recordable_shift_ids(current_user))
        )
    )
    if not allowed:
        abort(404)
    return shift


def _sheet(shift: Shift) -> dict[str, Any]:
    rows = []
    for assignment, rec in attendance.shift_rows(db.session, current_user, shift):
        user = assignment.participant.user
        rows.append(
            {
                "assignment_id": assignment.id,
                "participant_id": assignment.participant_id,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "planned_start": shift.starts_at.isoformat(),
                "planned_end": shift.ends_at.isoformat(),
                "record": _record_data(rec),
            }
        )
    return {"shift_id": shift.id, "rows": rows}


def _audit(shift: Shift, sheet: dict[str, Any]) -> None:
    from jobcenter.core import audit

    for row in sheet["rows"]:
        audit.record("attendance.view", shift, participant_id=row["participant_id"])


@bp.get("/shifts/<db_id:shift_id>/attendance")
@doc(summary="A shift's attendance sheet", response=SheetSchema, tags=TAGS)
@require_roles(*RECORDERS)
def get_shift_attendance(shift_id: int) -> Response:
    """The people on the shift whom the instructor records for, each with the current
    version of their attendance (or null)."""
    shift = _recordable_shift(shift_id)
    sheet = _sheet(shift)
    with unit_of_work():
        _audit(shift, sheet)
    return json_response(sheet)


@bp.post("/shifts/<db_id:shift_id>/attendance")
@doc(
    summary="Record attendance on a shift",
    body=RecordRequestSchema,
    response=SheetSchema,
    errors=(404, 409),
    tags=TAGS,
)
@require_roles(*RECORDERS)
def record_shift_attendance(shift_id: int) -> Response:
    """Record present (real start and end on quarter hours) or absent with a kind, per
    person; or everyone not yet recorded present as planned. Unconfirmed records are
    replaced; confirmed ones change only by a correction. All or nothing."""
    data = load_json(RecordRequestSchema())
    shift = _recordable_shift(shift_id)
    with unit_of_work():
        if data["all_present"]:
            attendance.record_all_present(db.session, current_user, shift)
        else:
            entries: dict[int, Entry] = {}
            for row in data["entries"]:
                if row["assignment_id"] in entries:
                    raise ValidationFailed({"entries": [_("Each person only once.")]})
                entries[row["assignment_id"]] = _entry(row)
            attendance.record_many(db.session, current_user, shift, entries)
    return json_response(_sheet(shift))


@bp.post("/shifts/<db_id:shift_id>/attendance/confirm")
@doc(summary="Confirm a shift's attendance", response=SheetSchema, errors=(404, 409), tags=TAGS)
@require_roles(*RECORDERS)
def confirm_shift_attendance(shift_id: int) -> Response:
    """Confirm every recorded row the instructor records for: paid hours and activity
    days are written. Refused (409) when someone is not recorded yet."""
    shift = _recordable_shift(shift_id)
    with unit_of_work():
        attendance.confirm_shift(db.session, current_user, shift)
    return json_response(_sheet(shift))


@bp.post("/attendance/<db_id:record_id>/corrections")
@doc(
    summary="Correct confirmed attendance",
    body=CorrectionSchema,
    response=AttendanceRecordSchema,
    status=201,
    errors=(404, 409),
    tags=TAGS,
)
@require_roles(*RECORDERS)
def correct_attendance(record_id: int) -> Response:
    """A new version supersedes the confirmed record (with who, when and why); its hours
    are reversed and the corrected hours added. Only the latest version can be
    corrected; a closed month is refused until it is reopened."""
    data = load_json(CorrectionSchema())
    rec = get_visible(AttendanceRecord, record_id, current_user)
    assignment = db.session.get(Assignment, rec.assignment_id)
    if not policies.may_record(current_user, assignment):
        abort(404)
    with unit_of_work():
        new = attendance.correct(db.session, current_user, rec, _entry(data), data["reason"])
    return json_response(_record_data(new), status=201)


@bp.get("/hour-entries")
@doc(
    summary="Hour entries (the ledger)",
    response=HourEntrySchema,
    paginated=True,
    tags=TAGS,
    query={
        "from": {"type": "string", "format": "date", "description": "First work day"},
        "to": {"type": "string", "format": "date", "description": "Last work day"},
    },
)
@require_roles(*READERS)
def list_hour_entries() -> Response:
    """Confirmed, valued hours the user may see (an instructor: their groups' people and
    the shifts they supervise; a unit: its own; a participant: their own). Reversals
    have negative minutes and `reverses_id`; the sum is the confirmed total."""
    errors: dict[str, list[str]] = {}
    first, last = query_day_range(errors)
    if errors:
        raise ValidationFailed(errors)
    stmt = sa.select(HourEntry)
    if first is not None:
        stmt = stmt.where(HourEntry.work_date >= first)
    if last is not None:
        stmt = stmt.where(HourEntry.work_date <= last)

    def dump(rows: list[HourEntry]) -> list[dict[str, Any]]:
        out = HourEntrySchema(many=True).dump(rows)
        for item, row in zip(out, rows, strict=True):
            item["stream"] = str(row.stream)
            item["vat_percent"] = str(row.vat_percent)
        return out

    return paginate(scope(stmt, HourEntry, current_user), HourEntry.id, dump)


def _own_group(group_id: int) -> Group:
    group = get_visible(Group, group_id, current_user)
    if current_user.instructor is None or group.instructor_id != current_user.instructor.id:
        abort(404)
    return group


def _month(value: str) -> date:
    try:
        return attendance.parse_month(value)
    except ValidationFailed:
        abort(404)


def _closure_data(row: MonthClosure) -> dict[str, Any]:
    data = MonthClosureSchema().dump(
        {
            "group_id": row.group_id,
            "month": row.month,
            "closed": row.reopened_at is None,
            "closed_by_id": row.closed_by_id,
            "closed_at": row.closed_at,
            "reopened_by_id": row.reopened_by_id,
            "reopened_at": row.reopened_at,
            "reopen_reason": row.reopen_reason,
        }
    )
    return data


@bp.post("/months/<db_id:group_id>/<month>/close")
@doc(summary="Close a group's month", response=MonthClosureSchema, errors=(404, 409), tags=TAGS)
@require_roles(*RECORDERS)
def close_month(group_id: int, month: str) -> Response:
    """Lock the month (`YYYY-MM`) of one of the instructor's groups; its weekday public
    holidays are marked "service not organised" for the people who usually work then."""
    group = _own_group(group_id)
    day = _month(month)
    with unit_of_work():
        row = attendance.close_month(db.session, current_user, group, day)
    return json_response(_closure_data(row))


@bp.post("/months/<db_id:group_id>/<month>/reopen")
@doc(
    summary="Reopen a closed month",
    body=ReopenSchema,
    response=MonthClosureSchema,
    errors=(404, 409),
    tags=TAGS,
)
@require_roles(*RECORDERS)
def reopen_month(group_id: int, month: str) -> Response:
    """Reopen with a reason; entries written until it is closed again carry
    `after_month_close`."""
    data = load_json(ReopenSchema())
    group = _own_group(group_id)
    day = _month(month)
    with unit_of_work():
        row = attendance.reopen_month(db.session, current_user, group, day, data["reason"])
    return json_response(_closure_data(row))
