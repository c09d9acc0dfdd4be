"""Attendance: what happened on each assignment, recorded once and corrected openly.

Plain operations `(session, actor, ...)` that only flush; the web page and the API call
the same functions. The flow (DOMAIN.md, issue 6):

1. **Record** (`record`, `record_all_present`): an instructor who may record for the
   person (`jobcenter.hours.policies.may_record`) writes present with real start and end
   in quarter hours (late / left early), or absent with a kind. Refused: a shift that has
   not started or was cancelled, times that are not on quarter hours (except a time the
   record being replaced already holds: older data keeps its times when only something
   else changes), an end not after the start, more than the shift's length plus
   ATTENDANCE_TOLERANCE_MINUTES without a reason in the note, and a note or reason with
   control characters (`jobcenter.core.text`). Until confirmed, a record is a draft that recording
   again replaces; it counts for nothing yet.
2. **Confirm** (`confirm_shift`, `confirm_record`): only confirmed records count.
   Confirming adds the paid task hours (`HourEntry`, valued at the wage, price and VAT
   valid on the work day: `jobcenter.hours.valuation`) and the person's activity day
   (`ActivityDay`: attended if any shift that day was attended, else absent by kind).
3. **Correct** (`correct`): never overwrites. A new record supersedes the confirmed one
   with who, when and why; the old hour entry is reversed by a negative entry that
   references it and a new entry is added; the activity day is superseded if it changed.
4. **Months** (`close_month`, `reopen_month`): a month can be closed once it is over
   (Helsinki time) and every shift of the group's people in it has confirmed attendance
   (`close_block` says why not, for the page and the API's 409). A closed month of a group refuses
   recording and corrections for its people until it is reopened explicitly with a
   reason; entries written after a reopening carry `after_month_close`. Closing a month
   also marks the public holidays on which no service was organised
   (`ActivityDayStatus.NOT_ORGANISED`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session, selectinload

from jobcenter.accounts.models import User
from jobcenter.core import audit, clock, system_texts
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.i18n import local_date
from jobcenter.core.system_texts import SystemText
from jobcenter.core.text import control_character_message
from jobcenter.hours import policies
from jobcenter.hours.models import (
    AbsenceKind,
    ActivityDay,
    ActivityDayStatus,
    AttendanceRecord,
    HourEntry,
    MonthClosure,
)
from jobcenter.hours.valuation import RateRow, load_rates, valuation_on
from jobcenter.participants.models import AvailabilityWindow, Group, Participant
from jobcenter.scheduling.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)

QUARTER = 15
DEFAULT_TOLERANCE_MINUTES = 30
MAX_NOTE = 2000
# Assignments that are expected at the shift: attendance is recorded for them.
EXPECTED = (
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.ATTENDED,
    AssignmentStatus.ABSENT,
)
# How far back unrecorded shifts are still listed as overdue.
OVERDUE_LOOKBACK_DAYS = 62


@dataclass(frozen=True)
class Entry:
    """What an instructor says happened to one person on one shift."""

    present: bool
    start: datetime | None = None
    end: datetime | None = None
    late: bool = False
    left_early: bool = False
    absence_kind: AbsenceKind | None = None
    note: str = ""


# ---------------------------------------------------------------- helpers


def tolerance_minutes() -> int:
    if has_app_context():
        return int(
            current_app.config.get("ATTENDANCE_TOLERANCE_MINUTES", DEFAULT_TOLERANCE_MINUTES)
        )
    return DEFAULT_TOLERANCE_MINUTES


def work_day(shift: Shift) -> date:
    """The shift's day in Helsinki (an overnight shift belongs to the day it starts)."""
    return clock.to_local(shift.starts_at).date()


def month_of(day: date) -> date:
    return day.replace(day=1)


def is_public_holiday(day: date) -> bool:
    return day in holidays.Finland(years=day.year)


def current_record(session: Session, assignment_id: int) -> AttendanceRecord | None:
    """The latest version of the assignment's attendance (the one nothing supersedes)."""
    superseded = sa.select(AttendanceRecord.supersedes_id).where(
        AttendanceRecord.supersedes_id.is_not(None)
    )
    return session.scalars(
        sa.select(AttendanceRecord)
        .where(
            AttendanceRecord.assignment_id == assignment_id,
            AttendanceRecord.id.not_in(superseded),
        )
        .order_by(AttendanceRecord.id.desc())
    ).first()


def history(session: Session, assignment_id: int) -> list[AttendanceRecord]:
    """Every version of the assignment's attendance, oldest first."""
    return list(
        session.scalars(
            sa.select(AttendanceRecord)
            .where(AttendanceRecord.assignment_id == assignment_id)
            .order_by(AttendanceRecord.recorded_at, AttendanceRecord.id)
        )
    )


def hour_entries_of(session: Session, assignment_id: int) -> list[HourEntry]:
    records = sa.select(AttendanceRecord.id).where(AttendanceRecord.assignment_id == assignment_id)
    return list(
        session.scalars(
            sa.select(HourEntry)
            .where(HourEntry.attendance_record_id.in_(records))
            .order_by(HourEntry.created_at, HourEntry.id)
        )
    )


def expected_assignments(session: Session, shift: Shift) -> list[Assignment]:
    return list(
        session.scalars(
            sa.select(Assignment)
            .where(Assignment.shift_id == shift.id, Assignment.status.in_(EXPECTED))
            .options(selectinload(Assignment.participant).selectinload(Participant.user))
            .order_by(Assignment.id)
        )
    )


def recordable_assignments(session: Session, actor: User, shift: Shift) -> list[Assignment]:
    """The people on the shift this actor may record for (all of them for the shift's
    supervising instructor; their own group's people for a group instructor)."""
    return [a for a in expected_assignments(session, shift) if policies.may_record(actor, a)]


# ---------------------------------------------------------------- months


def closure(session: Session, group_id: int, month: date) -> MonthClosure | None:
    return session.scalars(
        sa.select(MonthClosure).where(
            MonthClosure.group_id == group_id, MonthClosure.month == month
        )
    ).first()


def month_state(session: Session, group_id: int, day: date) -> tuple[bool, bool]:
    """(locked, reopened) for the group's month of `day`."""
    row = closure(session, group_id, month_of(day))
    if row is None:
        return False, False
    return row.reopened_at is None, row.reopened_at is not None


def _check_month_open(session: Session, participant: Participant, day: date) -> bool:
    """Refuse when the month is closed; True when it was closed and then reopened."""
    locked, reopened = month_state(session, participant.group_id, day)
    if locked:
        raise DomainError(
            _(
                "The month %(month)s is closed for this group. Reopen it with a reason "
                "before recording or correcting.",
                month=month_of(day).strftime("%Y-%m"),
            )
        )
    return reopened


# ---------------------------------------------------------------- validation


def _text_problem(text: str) -> str | None:
    """Why a typed note or reason cannot be stored (too long, control characters), or
    None: the one rule of `jobcenter.core.text`, with line breaks allowed as in the API."""
    if len(text.strip()) > MAX_NOTE:
        return _("Write at most %(count)s characters.", count=MAX_NOTE)
    return control_character_message(text, multiline=True)


def recorded_times(rec: AttendanceRecord | None) -> frozenset[datetime]:
    """The real times a record holds: saving them again is accepted even when they are
    off the quarter hours (older data), so that a correction of something else keeps them."""
    if rec is None or not rec.present:
        return frozenset()
    return frozenset(t for t in (rec.actual_start, rec.actual_end) if t is not None)


def _validate(shift: Shift, entry: Entry, kept: frozenset[datetime] = frozenset()) -> dict:
    """The record's values, or ValidationFailed with every problem at once. A time in
    `kept` (the times the record being replaced holds) need not be on a quarter hour."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    note = (entry.note or "").strip()
    problem = _text_problem(entry.note or "")
    if problem:
        fail("note", problem)
    values: dict = {
        "present": bool(entry.present),
        "note": note,
        "late": False,
        "left_early": False,
        "absence_kind": None,
        "actual_start": None,
        "actual_end": None,
        "minutes": None,
    }
    if entry.present:
        start, end = entry.start, entry.end
        if start is None:
            fail("start", _("Choose the start time."))
        if end is None:
            fail("end", _("Choose the end time."))
        if start is not None and end is not None:
            for name, value in (("start", start), ("end", end)):
                if value.tzinfo is None:
                    fail(name, _("Give the time with its time zone."))
                    continue
                local = clock.to_local(value)
                if value in kept:
                    continue
                if local.minute % QUARTER or local.second or local.microsecond:
                    fail(name, _("Choose a time on the quarter hour (00, 15, 30 or 45)."))
            if not errors:
                minutes = int((end - start).total_seconds() // 60)
                if minutes <= 0:
                    fail("end", _("The end must be after the start."))
                elif minutes > shift.minutes + tolerance_minutes() and not note:
                    fail(
                        "note",
                        _(
                            "%(hours)s is more than the shift's length plus %(tolerance)s "
                            "minutes. Write the reason in the note.",
                            hours=format_minutes(minutes),
                            tolerance=tolerance_minutes(),
                        ),
                    )
                elif end - start > timedelta(hours=24):
                    fail("end", _("One record can cover at most 24 hours."))
                values.update(
                    actual_start=start,
                    actual_end=end,
                    minutes=minutes,
                    late=bool(entry.late) or start > shift.starts_at,
                    left_early=bool(entry.left_early) or end < shift.ends_at,
                )
    else:
        if entry.absence_kind is None:
            fail("absence_kind", _("Choose the kind of absence."))
        else:
            try:
                values["absence_kind"] = AbsenceKind(entry.absence_kind)
            except ValueError:
                fail("absence_kind", _("Choose the kind of absence."))
    if errors:
        raise ValidationFailed(errors)
    return values


def format_minutes(minutes: int) -> str:
    """ "4 h 15 min" style, for messages (hours and minutes are international units)."""
    hours, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if rest:
        return f"{sign}{hours} h {rest} min"
    return f"{sign}{hours} h"


def _check_shift(shift: Shift) -> None:
    if shift.status == ShiftStatus.CANCELLED:
        raise DomainError(_("The shift was cancelled: there is no attendance to record."))
    if clock.now() < shift.starts_at:
        raise DomainError(_("The shift has not started yet. Record attendance once it has."))


def _check_may_record(actor: User, assignment: Assignment) -> None:
    if not policies.may_record(actor, assignment):
        raise DomainError(_("You cannot record attendance for this person."), status=404)


def _set_assignment_status(
    session: Session, actor: User, assignment: Assignment, present: bool, reason: str | None
) -> None:
    to = AssignmentStatus.ATTENDED if present else AssignmentStatus.ABSENT
    if assignment.status == to:
        return
    session.add(
        AssignmentEvent(
            assignment=assignment,
            actor_id=actor.id,
            from_status=assignment.status,
            to_status=to,
            reason=reason,
        )
    )
    assignment.status = to


# ---------------------------------------------------------------- recording


def record(session: Session, actor: User, assignment: Assignment, entry: Entry) -> AttendanceRecord:
    """Record (or re-record, while unconfirmed) what happened to one person."""
    _check_may_record(actor, assignment)
    shift = assignment.shift
    _check_shift(shift)
    if assignment.status not in EXPECTED:
        raise DomainError(_("This person is not expected on the shift."))
    _check_month_open(session, assignment.participant, work_day(shift))
    existing = current_record(session, assignment.id)
    values = _validate(shift, entry, recorded_times(existing))
    if existing is not None and existing.confirmed_at is not None:
        raise DomainError(
            _("This attendance is already confirmed. Make a correction with a reason instead.")
        )
    now = clock.now()
    if existing is None:
        rec = AttendanceRecord(assignment_id=assignment.id, **values)
        session.add(rec)
    else:
        rec = existing  # an unconfirmed draft: nothing counts it yet
        for name, value in values.items():
            setattr(rec, name, value)
    rec.recorded_by_id = actor.id
    rec.recorded_at = now
    _set_assignment_status(session, actor, assignment, values["present"], None)
    session.flush()
    audit.record(
        "attendance.record",
        rec,
        participant_id=assignment.participant_id,
        actor_id=actor.id,
        detail={"shift_id": shift.id, "present": values["present"]},
    )
    return rec


def planned_entry(shift: Shift) -> Entry:
    return Entry(present=True, start=shift.starts_at, end=shift.ends_at)


def record_all_present(session: Session, actor: User, shift: Shift) -> list[AttendanceRecord]:
    """Everyone the actor records for and who has no record yet: present as planned.
    People already recorded (e.g. marked absent) keep what was recorded."""
    _check_shift(shift)
    done = []
    for assignment in recordable_assignments(session, actor, shift):
        if current_record(session, assignment.id) is None:
            done.append(record(session, actor, assignment, planned_entry(shift)))
    return done


def record_many(
    session: Session, actor: User, shift: Shift, entries: dict[int, Entry]
) -> list[AttendanceRecord]:
    """Record several people of one shift (by assignment id) at once: all or nothing.
    Errors are collected per assignment (`errors[<assignment id>] = {field: [...]}`)."""
    by_id = {a.id: a for a in expected_assignments(session, shift)}
    errors: dict[str, dict] = {}
    done = []
    for assignment_id, entry in entries.items():
        assignment = by_id.get(assignment_id)
        if assignment is None or not policies.may_record(actor, assignment):
            raise DomainError(_("You cannot record attendance for this person."), status=404)
        try:
            done.append(record(session, actor, assignment, entry))
        except ValidationFailed as exc:
            errors[str(assignment_id)] = exc.errors
    if errors:
        raise ValidationFailed(errors)
    return done


# ---------------------------------------------------------------- confirming


def _hour_entry(
    session: Session,
    rec: AttendanceRecord,
    assignment: Assignment,
    actor: User,
    flagged: bool,
    rates: list[RateRow] | None = None,
) -> HourEntry | None:
    if not rec.present or not rec.minutes:
        return None
    shift = assignment.shift
    task = shift.task
    participant = assignment.participant
    day = work_day(shift)
    value = valuation_on(session, day, rates)
    if task.group is not None:
        instructor_id = task.group.instructor_id
    elif shift.instructor_id is not None:
        instructor_id = shift.instructor_id
    else:
        instructor_id = participant.group.instructor_id
    entry = HourEntry(
        attendance_record_id=rec.id,
        participant_id=participant.id,
        shift_id=shift.id,
        work_date=day,
        minutes=rec.minutes,
        stream=participant.stream,
        unit_id=task.unit_id,
        task_kind_id=task.task_kind_id,
        instructor_id=instructor_id,
        district_id=task.district_id,
        wage_cents_per_hour=value.wage_cents_per_hour,
        price_cents_per_hour=value.price_cents_per_hour,
        vat_percent=value.vat_percent,
        created_by_id=actor.id,
        created_at=clock.now(),
        after_month_close=flagged,
    )
    session.add(entry)
    return entry


def _reverse(
    session: Session, rec: AttendanceRecord, actor: User, flagged: bool
) -> HourEntry | None:
    """A negative entry cancelling the record's hours (if it had any)."""
    original = session.scalars(
        sa.select(HourEntry).where(
            HourEntry.attendance_record_id == rec.id, HourEntry.reverses_id.is_(None)
        )
    ).first()
    if original is None:
        return None
    already = session.scalar(sa.select(HourEntry.id).where(HourEntry.reverses_id == original.id))
    if already is not None:
        return None
    reversal = HourEntry(
        attendance_record_id=rec.id,
        reverses_id=original.id,
        participant_id=original.participant_id,
        shift_id=original.shift_id,
        work_date=original.work_date,
        minutes=-original.minutes,
        stream=original.stream,
        unit_id=original.unit_id,
        task_kind_id=original.task_kind_id,
        instructor_id=original.instructor_id,
        district_id=original.district_id,
        wage_cents_per_hour=original.wage_cents_per_hour,
        price_cents_per_hour=original.price_cents_per_hour,
        vat_percent=original.vat_percent,
        created_by_id=actor.id,
        created_at=clock.now(),
        after_month_close=flagged,
    )
    session.add(reversal)
    return reversal


def current_activity_day(session: Session, participant_id: int, day: date) -> ActivityDay | None:
    superseded = sa.select(ActivityDay.supersedes_id).where(ActivityDay.supersedes_id.is_not(None))
    return session.scalars(
        sa.select(ActivityDay)
        .where(
            ActivityDay.participant_id == participant_id,
            ActivityDay.day == day,
            ActivityDay.id.not_in(superseded),
        )
        .order_by(ActivityDay.id.desc())
    ).first()


def _day_status(
    session: Session, participant_id: int, day: date
) -> tuple[ActivityDayStatus, AbsenceKind | None] | None:
    """Attended if any confirmed shift that day was attended, else absent (the first
    shift's kind); None when nothing is confirmed that day."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=clock.HELSINKI)
    end = start + timedelta(days=1)
    superseded = sa.select(AttendanceRecord.supersedes_id).where(
        AttendanceRecord.supersedes_id.is_not(None)
    )
    rows = session.execute(
        sa.select(AttendanceRecord.present, AttendanceRecord.absence_kind)
        .join(Assignment, AttendanceRecord.assignment_id == Assignment.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(
            Assignment.participant_id == participant_id,
            Shift.starts_at >= start,
            Shift.starts_at < end,
            AttendanceRecord.confirmed_at.is_not(None),
            AttendanceRecord.id.not_in(superseded),
        )
        .order_by(Shift.starts_at, Shift.id)
    ).all()
    if not rows:
        return None
    if any(present for present, _kind in rows):
        return ActivityDayStatus.ATTENDED, None
    return ActivityDayStatus.ABSENT, rows[0][1]


def _update_activity_day(
    session: Session, actor: User, participant_id: int, day: date, reason: str | None
) -> ActivityDay | None:
    session.flush()
    wanted = _day_status(session, participant_id, day)
    if wanted is None:
        return None
    status, kind = wanted
    current = current_activity_day(session, participant_id, day)
    if current is not None and current.status == status and current.absence_kind == kind:
        return current
    row = ActivityDay(
        participant_id=participant_id,
        day=day,
        status=status,
        absence_kind=kind,
        recorded_by_id=actor.id,
        recorded_at=clock.now(),
    )
    if current is not None:
        row.supersedes_id = current.id
        row.correction_reason = reason or system_texts.stored(SystemText.ATTENDANCE_DAY_UPDATED)
    session.add(row)
    session.flush()
    return row


def confirm_record(
    session: Session,
    actor: User,
    rec: AttendanceRecord,
    rates: list[RateRow] | None = None,
) -> AttendanceRecord:
    assignment = session.get(Assignment, rec.assignment_id)
    _check_may_record(actor, assignment)
    if rec.confirmed_at is not None:
        return rec
    if current_record(session, assignment.id) is not rec:
        raise DomainError(_("A newer version of this attendance exists."))
    day = work_day(assignment.shift)
    flagged = _check_month_open(session, assignment.participant, day)
    rec.confirmed_by_id = actor.id
    rec.confirmed_at = clock.now()
    session.flush()
    _hour_entry(session, rec, assignment, actor, flagged, rates)
    _update_activity_day(session, actor, assignment.participant_id, day, None)
    audit.record(
        "attendance.confirm",
        rec,
        participant_id=assignment.participant_id,
        actor_id=actor.id,
        detail={"shift_id": assignment.shift_id},
    )
    return rec


def confirm_shift(session: Session, actor: User, shift: Shift) -> list[AttendanceRecord]:
    """Confirm every recorded, unconfirmed row of the shift that the actor may record.
    Refused when someone the actor records for has no attendance yet."""
    _check_shift(shift)
    assignments = recordable_assignments(session, actor, shift)
    if not assignments:
        raise DomainError(
            _("There is nobody on this shift whose attendance you record."), status=404
        )
    pending = []
    missing = []
    for assignment in assignments:
        rec = current_record(session, assignment.id)
        if rec is None:
            missing.append(assignment.participant.user.first_name)
        elif rec.confirmed_at is None:
            pending.append(rec)
    if missing:
        raise DomainError(
            _(
                "Record everyone's attendance before confirming. Not recorded: %(names)s.",
                names=", ".join(missing),
            )
        )
    rates = load_rates(session)
    return [confirm_record(session, actor, rec, rates) for rec in pending]


# ---------------------------------------------------------------- corrections


def correct(
    session: Session, actor: User, rec: AttendanceRecord, entry: Entry, reason: str
) -> AttendanceRecord:
    """Supersede a confirmed record: the new version is confirmed by the corrector, the
    old hours are reversed and the new hours added; the activity day follows."""
    assignment = session.get(Assignment, rec.assignment_id)
    _check_may_record(actor, assignment)
    problem = _text_problem(reason or "")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Write why the attendance is corrected.")]})
    if problem:
        raise ValidationFailed({"reason": [problem]})
    if current_record(session, assignment.id) is not rec:
        raise DomainError(_("This version has already been corrected. Correct the latest one."))
    if rec.confirmed_at is None:
        raise DomainError(_("This attendance is not confirmed yet: record it again instead."))
    shift = assignment.shift
    day = work_day(shift)
    flagged = _check_month_open(session, assignment.participant, day)
    values = _validate(shift, entry, recorded_times(rec))
    now = clock.now()
    new = AttendanceRecord(
        assignment_id=assignment.id,
        supersedes_id=rec.id,
        correction_reason=reason,
        recorded_by_id=actor.id,
        recorded_at=now,
        confirmed_by_id=actor.id,
        confirmed_at=now,
        **values,
    )
    session.add(new)
    session.flush()
    _reverse(session, rec, actor, flagged)
    _hour_entry(session, new, assignment, actor, flagged)
    _set_assignment_status(session, actor, assignment, values["present"], reason)
    _update_activity_day(session, actor, assignment.participant_id, day, reason)
    session.flush()
    audit.record(
        "attendance.correct",
        new,
        participant_id=assignment.participant_id,
        actor_id=actor.id,
        detail={"supersedes": rec.id, "shift_id": shift.id},
    )
    return new


# ---------------------------------------------------------------- months


def _instructor_group(session: Session, actor: User, group: Group) -> None:
    if actor.instructor is None or group.instructor_id != actor.instructor.id:
        raise DomainError(
            _("Only the group's instructor can close or reopen its months."), status=404
        )


def parse_month(value: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not match or not 2000 <= int(match[1]) <= 2100 or not 1 <= int(match[2]) <= 12:
        raise ValidationFailed({"month": [_("Give the month as YYYY-MM.")]})
    return date(int(match[1]), int(match[2]), 1)


def last_day(month: date) -> date:
    return month_of(month_of(month) + timedelta(days=31)) - timedelta(days=1)


def unconfirmed_shift_count(session: Session, group: Group, month: date) -> int:
    """How many of the month's shifts (by their Helsinki work day, cancelled ones aside)
    still have someone of the group expected on them without confirmed attendance."""
    month = month_of(month)
    start = datetime.combine(month, datetime.min.time(), tzinfo=clock.HELSINKI)
    end = datetime.combine(last_day(month) + timedelta(days=1), datetime.min.time(), clock.HELSINKI)
    confirmed = sa.select(AttendanceRecord.id).where(
        AttendanceRecord.assignment_id == Assignment.id,
        AttendanceRecord.confirmed_at.is_not(None),
    )
    return session.scalar(
        sa.select(sa.func.count(sa.distinct(Shift.id)))
        .join(Assignment, Assignment.shift_id == Shift.id)
        .join(Participant, Participant.id == Assignment.participant_id)
        .where(
            Participant.group_id == group.id,
            Shift.starts_at >= start,
            Shift.starts_at < end,
            Shift.status != ShiftStatus.CANCELLED,
            Assignment.status.in_(EXPECTED),
            ~sa.exists(confirmed),
        )
    )


@dataclass(frozen=True)
class CloseBlock:
    """Why a group's month cannot be closed yet (`unconfirmed`: shifts still to confirm)."""

    message: str
    unconfirmed: int = 0


def close_block(session: Session, group: Group, month: date) -> CloseBlock | None:
    """None when the month may be closed: it is over (in Helsinki) and every shift of
    the group's people in it has confirmed attendance."""
    month = month_of(month)
    end = last_day(month)
    if clock.today() <= end:
        return CloseBlock(
            _(
                "The month %(month)s is not over yet. It can be closed from %(day)s, once "
                "all its attendance is confirmed.",
                month=local_date(month, "LLLL yyyy"),
                day=local_date(end + timedelta(days=1), "short"),
            )
        )
    count = unconfirmed_shift_count(session, group, month)
    if count:
        return CloseBlock(
            ngettext(
                "The month %(month)s cannot be closed yet: %(num)d shift still has "
                "attendance that is not confirmed. Confirm it first (see Attendance missing).",
                "The month %(month)s cannot be closed yet: %(num)d shifts still have "
                "attendance that is not confirmed. Confirm them first (see Attendance missing).",
                count,
                month=local_date(month, "LLLL yyyy"),
            ),
            unconfirmed=count,
        )
    return None


def close_month(session: Session, actor: User, group: Group, month: date) -> MonthClosure:
    """Lock the group's month; its public holidays with no service are marked. Refused
    while the month is not over or any of its shifts has unconfirmed attendance."""
    _instructor_group(session, actor, group)
    month = month_of(month)
    row = closure(session, group.id, month)
    if row is not None and row.reopened_at is None:
        raise DomainError(_("The month is already closed."))
    block = close_block(session, group, month)
    if block is not None:
        raise DomainError(block.message)
    now = clock.now()
    if row is None:
        row = MonthClosure(group_id=group.id, month=month, closed_by_id=actor.id, closed_at=now)
        session.add(row)
    else:
        row.closed_by_id, row.closed_at = actor.id, now
        row.reopened_by_id, row.reopened_at, row.reopen_reason = None, None, None
    mark_holidays_not_organised(session, actor, group, month)
    session.flush()
    audit.record(
        "month.close",
        row,
        actor_id=actor.id,
        detail={"group_id": group.id, "month": month.isoformat()},
    )
    return row


def reopen_month(
    session: Session, actor: User, group: Group, month: date, reason: str
) -> MonthClosure:
    _instructor_group(session, actor, group)
    problem = _text_problem(reason or "")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Write why the month is reopened.")]})
    if problem:
        raise ValidationFailed({"reason": [problem]})
    row = closure(session, group.id, month_of(month))
    if row is None or row.reopened_at is not None:
        raise DomainError(_("The month is not closed."))
    row.reopened_by_id, row.reopened_at, row.reopen_reason = actor.id, clock.now(), reason
    session.flush()
    audit.record(
        "month.reopen",
        row,
        actor_id=actor.id,
        detail={"group_id": group.id, "month": row.month.isoformat(), "reason": reason},
    )
    return row


def _month_days(month: date) -> Iterable[date]:
    day = month
    while day.month == month.month:
        yield day
        day += timedelta(days=1)


def mark_holidays_not_organised(
    session: Session, actor: User | None, group: Group, month: date
) -> list[ActivityDay]:
    """For each weekday public holiday of the month up to today: every person of the
    group whose plan is in force and who usually works that weekday gets a "service
    not organised" day, unless their day is already recorded."""
    finnish = holidays.Finland(years=month.year)
    today = clock.today()
    days = [d for d in _month_days(month) if d in finnish and d.weekday() < 5 and d <= today]
    if not days:
        return []
    people = session.scalars(
        sa.select(Participant)
        .where(Participant.group_id == group.id)
        .options(selectinload(Participant.plans))
    ).all()
    windows: dict[int, set[int]] = {}
    for user_id, weekday in session.execute(
        sa.select(AvailabilityWindow.user_id, AvailabilityWindow.weekday).where(
            AvailabilityWindow.user_id.in_([p.user_id for p in people])
        )
    ):
        windows.setdefault(user_id, set()).add(weekday)
    added = []
    for day in days:
        for person in people:
            if person.plan_on(day) is None:
                continue
            person_windows = windows.get(person.user_id)
            if person_windows is not None and day.weekday() not in person_windows:
                continue
            if current_activity_day(session, person.id, day) is not None:
                continue
            row = ActivityDay(
                participant_id=person.id,
                day=day,
                status=ActivityDayStatus.NOT_ORGANISED,
                absence_kind=None,
                recorded_by_id=actor.id if actor else None,
                recorded_at=clock.now(),
            )
            session.add(row)
            added.append(row)
    session.flush()
    return added


# ---------------------------------------------------------------- overdue


def pending_assignments(
    now: datetime, lookback_days: int | None = OVERDUE_LOOKBACK_DAYS
) -> sa.Select:
    """(shift id, participant id, shift instructor id) of expected people on shifts that
    have ended without a confirmed attendance. The instructor's reminders look back
    `lookback_days`; a task's own record of its work looks back to its start (None)."""
    confirmed = sa.select(AttendanceRecord.id).where(
        AttendanceRecord.assignment_id == Assignment.id,
        AttendanceRecord.confirmed_at.is_not(None),
    )
    stmt = (
        sa.select(Shift.id.label("shift_id"), Assignment.participant_id, Shift.instructor_id)
        .join(Assignment, Assignment.shift_id == Shift.id)
        .where(
            Shift.ends_at <= now,
            Shift.status != ShiftStatus.CANCELLED,
            Assignment.status.in_(EXPECTED),
            ~sa.exists(confirmed),
        )
    )
    if lookback_days is not None:
        stmt = stmt.where(Shift.ends_at > now - timedelta(days=lookback_days))
    return stmt


def overdue_shifts(session: Session, actor: User) -> list[Shift]:
    """Ended shifts where people the actor records for have no confirmed attendance."""
    if actor.instructor is None:
        return []
    pending = pending_assignments(clock.now()).subquery()
    own = policies.own_participant_ids(actor)
    shift_ids = sa.select(pending.c.shift_id).where(
        sa.or_(
            pending.c.instructor_id == actor.instructor.id,
            pending.c.participant_id.in_(own),
        )
    )
    return list(
        session.scalars(
            sa.select(Shift)
            .where(Shift.id.in_(shift_ids))
            .options(selectinload(Shift.task))
            .order_by(Shift.starts_at, Shift.id)
        )
    )


def overdue_counts(session: Session) -> dict[int, int]:
    """Instructor id → number of overdue shifts they record for (supervised shifts and
    shifts of their groups' people), in one aggregate query."""
    pending = pending_assignments(clock.now()).subquery()
    supervised = sa.select(
        pending.c.instructor_id.label("instructor_id"), pending.c.shift_id
    ).where(pending.c.instructor_id.is_not(None))
    by_group = (
        sa.select(Group.instructor_id.label("instructor_id"), pending.c.shift_id)
        .select_from(pending)
        .join(Participant, Participant.id == pending.c.participant_id)
        .join(Group, Group.id == Participant.group_id)
    )
    both = sa.union(supervised, by_group).subquery()
    rows = session.execute(
        sa.select(both.c.instructor_id, sa.func.count(sa.distinct(both.c.shift_id))).group_by(
            both.c.instructor_id
        )
    ).all()
    return {instructor_id: count for instructor_id, count in rows}


def shift_rows(
    session: Session, actor: User, shift: Shift
) -> list[tuple[Assignment, AttendanceRecord | None]]:
    return [
        (a, current_record(session, a.id)) for a in recordable_assignments(session, actor, shift)
    ]


def shifts_on(session: Session, actor: User, day: date) -> list[Shift]:
    """The actor's shifts of a day: supervised ones and those of their groups' people."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=clock.HELSINKI)
    end = start + timedelta(days=1)
    stmt = (
        sa.select(Shift)
        .where(
            Shift.starts_at >= start,
            Shift.starts_at < end,
            Shift.status != ShiftStatus.CANCELLED,
            Shift.id.in_(policies.recordable_shift_ids(actor)),
        )
        .options(selectinload(Shift.task))
        .order_by(Shift.starts_at, Shift.id)
    )
    return list(session.scalars(stmt))
