"""Factories: each builds one valid row (and what it needs) and flushes it.

Pass keyword arguments to override any column. Call `session.commit()` in the test
when the data must be visible to a request.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import Any

from jobcenter.accounts.models import User
from jobcenter.accounts.secrets import hash_password
from jobcenter.catalog.models import District, Skill, TaskKind
from jobcenter.core import clock
from jobcenter.core.enums import Locale, Role, Stream
from jobcenter.extensions import db
from jobcenter.participants.models import Group, Instructor, Participant, Plan
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift
from jobcenter.units.models import Task, TaskStatus, Unit

PASSWORD = "correct horse battery"
_PASSWORD_HASH: str | None = None
_seq = itertools.count(1)


def reset_sequence() -> None:
    global _seq
    _seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:  # argon2 is slow on purpose: hash once per run
        _PASSWORD_HASH = hash_password(PASSWORD)
    return _PASSWORD_HASH


def _add(obj: Any) -> Any:
    db.session.add(obj)
    db.session.flush()
    return obj


def make_district(**kw) -> District:
    n = _n()
    return _add(
        District(
            **{"code": f"d{n}", "name_fi": f"Piiri {n}", "name_sv": f"Distrikt {n}",
               "name_en": f"District {n}"} | kw
        )
    )  # fmt: skip


def make_skill(**kw) -> Skill:
    n = _n()
    return _add(
        Skill(**{"code": f"skill{n}", "name_fi": f"Taito {n}", "name_sv": f"Färdighet {n}",
                 "name_en": f"Skill {n}"} | kw)
    )  # fmt: skip


def make_task_kind(**kw) -> TaskKind:
    n = _n()
    return _add(
        TaskKind(**{"code": f"kind{n}", "name_fi": f"Tehtävä {n}", "name_sv": f"Uppgift {n}",
                    "name_en": f"Kind {n}"} | kw)
    )  # fmt: skip


def make_unit(**kw) -> Unit:
    n = _n()
    return _add(
        Unit(**{"name": f"Palvelukeskus {n}", "street_address": f"Testikatu {n}",
                "postal_code": "00100", "city": "Helsinki"} | kw)
    )  # fmt: skip


def make_user(role: Role = Role.MANAGER, **kw) -> User:
    n = _n()
    values: dict[str, Any] = {
        "email": f"user{n}@example.test",
        "first_name": f"Etu{n}",
        "last_name": f"Suku{n}",
        "role": role,
        "locale": Locale.EN,  # tests read English pages; Finnish is tested explicitly
        "password_hash": _password_hash(),
    }
    if role == Role.UNIT_CONTACT and "unit" not in kw and "unit_id" not in kw:
        values["unit"] = make_unit()
    return _add(User(**(values | kw)))


def make_admin(**kw) -> User:
    return make_user(Role.ADMIN, **kw)


def make_manager(**kw) -> User:
    return make_user(Role.MANAGER, **kw)


def make_unit_contact(**kw) -> User:
    return make_user(Role.UNIT_CONTACT, **kw)


def make_instructor(capacity: int = 4, **kw) -> Instructor:
    user = kw.pop("user", None) or make_user(Role.INSTRUCTOR, **kw)
    return _add(Instructor(user=user, supervision_capacity=capacity))


def make_group(instructor: Instructor | None = None, **kw) -> Group:
    instructor = instructor or make_instructor()
    return _add(Group(**{"name": f"Ryhmä {_n()}", "instructor": instructor} | kw))


def make_participant(
    group: Group | None = None,
    stream: Stream = Stream.DISABILITY,
    plan: dict[str, Any] | None = None,
    **user_kw,
) -> Participant:
    user = make_user(Role.PARTICIPANT, **({"email": None} | user_kw))
    participant = _add(Participant(user=user, group=group or make_group(), stream=stream))
    today = clock.today()
    plan_values = {
        "participant": participant,
        "start_date": today - timedelta(days=30),
        "end_date": today + timedelta(days=180),
        "days_per_week": 3,
        "min_minutes_per_day": 240,
        "max_minutes_per_day": 360,
        "weekly_target_minutes": 720,
        "supervision_level": 1,
    } | (plan or {})
    _add(Plan(**plan_values))
    return participant


def make_task(unit: Unit | None = None, **kw) -> Task:
    kind = kw.pop("task_kind", None) or make_task_kind()
    unit = unit or make_unit()
    values = {
        "unit": unit,
        "title": f"Tehtävä {_n()}",
        "task_kind": kind,
        "site_address": unit.street_address,
        "headcount": 2,
        "shift_minutes": 240,
        "status": TaskStatus.ACCEPTED,
    }
    return _add(Task(**(values | kw)))


def make_shift(task: Task | None = None, starts_at: datetime | None = None, **kw) -> Shift:
    task = task or make_task()
    if starts_at is None:
        day = clock.today() + timedelta(days=7)
        starts_at = datetime.combine(day, time(9, 0), tzinfo=clock.HELSINKI)
    values = {
        "task": task,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=task.shift_minutes),
        "slots": task.headcount,
    }
    return _add(Shift(**(values | kw)))


def make_assignment(
    shift: Shift | None = None,
    participant: Participant | None = None,
    status: AssignmentStatus = AssignmentStatus.CONFIRMED,
    **kw,
) -> Assignment:
    return _add(
        Assignment(
            shift=shift or make_shift(),
            participant=participant or make_participant(),
            status=status,
            **kw,
        )
    )


def a_date(days_from_today: int = 0) -> date:
    return clock.today() + timedelta(days=days_from_today)


# ---------------------------------------------------------------- posted tasks (issue 3)


def task_values(task_kind: TaskKind | None = None, **overrides) -> dict[str, Any]:
    """Plain input values for jobcenter.units.posting, as a form would send them:
    a single date a week from today, at 09:00, four hours, two people."""
    kind = task_kind or make_task_kind()
    values: dict[str, Any] = {
        "title": "Ikkunoiden pesu",
        "description": "Aulan ja ruokasalin ikkunat.",
        "task_kind_id": str(kind.id),
        "headcount": "2",
        "shift_minutes": "240",
        "dates": [(clock.today() + timedelta(days=7)).isoformat()],
        "preferred_start": "09:00",
    }
    return values | overrides


def make_posted_task(contact: User | None = None, *, submit: bool = True, **overrides) -> Task:
    """A task posted through jobcenter.units.posting (submitted unless submit=False)."""
    from jobcenter.units.posting import create_task

    contact = contact or make_unit_contact()
    return create_task(
        db.session,
        unit=contact.unit,
        actor=contact,
        values=task_values(**overrides),
        submit=submit,
    )


def make_accepted_task(
    contact: User | None = None, group: Group | None = None, **overrides
) -> Task:
    """A task posted, submitted and accepted by the group's instructor (so scheduled
    when it has shifts within the horizon)."""
    from jobcenter.units import lifecycle

    task = make_posted_task(contact, submit=True, **overrides)
    group = group or make_group()
    lifecycle.accept(db.session, task, group.instructor.user, group)
    return task


# ---------------------------------------------------------------- hours and activity days (reports)


def make_attendance_record(assignment: Assignment | None = None, **kw):
    """A confirmed 'present' record for an assignment (the shift's planned minutes)."""
    from jobcenter.hours.models import AttendanceRecord

    assignment = assignment or make_assignment(status=AssignmentStatus.ATTENDED)
    shift = assignment.shift
    values: dict[str, Any] = {
        "assignment_id": assignment.id,
        "present": True,
        "actual_start": shift.starts_at,
        "actual_end": shift.ends_at,
        "minutes": shift.minutes,
        "confirmed_at": clock.now(),
    }
    return _add(AttendanceRecord(**(values | kw)))


def make_hour_entry(
    participant: Participant | None = None,
    shift: Shift | None = None,
    *,
    minutes: int | None = None,
    wage_cents_per_hour: int = 1000,
    price_cents_per_hour: int = 1450,
    vat_percent: str = "25.50",
    **kw,
):
    """A confirmed hour entry (with the assignment and attendance record behind it) for
    `participant` on `shift`; the report dimensions are copied from the shift's task and
    the person's group, as confirmation does. `work_date` defaults to the shift's day."""
    from decimal import Decimal

    from jobcenter.hours.models import HourEntry
    from jobcenter.scheduling.models import Assignment as _Assignment

    participant = participant or make_participant()
    shift = shift or make_shift()
    assignment = db.session.scalars(
        db.select(_Assignment).filter_by(shift_id=shift.id, participant_id=participant.id)
    ).first() or make_assignment(shift, participant, status=AssignmentStatus.ATTENDED)
    record = make_attendance_record(assignment)
    task = shift.task
    values: dict[str, Any] = {
        "attendance_record_id": record.id,
        "participant_id": participant.id,
        "shift_id": shift.id,
        "work_date": clock.to_local(shift.starts_at).date(),
        "minutes": shift.minutes if minutes is None else minutes,
        "stream": participant.stream,
        "unit_id": task.unit_id,
        "task_kind_id": task.task_kind_id,
        "instructor_id": shift.instructor_id or participant.group.instructor_id,
        "district_id": task.district_id,
        "wage_cents_per_hour": wage_cents_per_hour,
        "price_cents_per_hour": price_cents_per_hour,
        "vat_percent": Decimal(str(vat_percent)),
    }
    return _add(HourEntry(**(values | kw)))


def correct_hour_entry(entry, minutes: int, **kw):
    """A correction of `entry` as the ledger keeps it: a corrected attendance record, a
    reversal of the old entry (negative minutes) and a new entry with `minutes`, both
    at the old entry's rates. Returns (reversal, new entry)."""
    from jobcenter.hours.models import HourEntry

    correction = make_attendance_record(
        db.session.get(Assignment, _assignment_id_of(entry)),
        minutes=minutes,
        supersedes_id=entry.attendance_record_id,
        correction_reason="Korjaus",
    )
    same = {
        column: getattr(entry, column)
        for column in (
            "participant_id", "shift_id", "work_date", "stream", "unit_id", "task_kind_id",
            "instructor_id", "district_id", "wage_cents_per_hour", "price_cents_per_hour",
            "vat_percent",
        )
    }  # fmt: skip
    reversal = _add(
        HourEntry(
            **same,
            attendance_record_id=correction.id,
            reverses_id=entry.id,
            minutes=-entry.minutes,
            **kw,
        )
    )
    new = _add(HourEntry(**same, attendance_record_id=correction.id, minutes=minutes, **kw))
    return reversal, new


def _assignment_id_of(entry) -> int:
    from jobcenter.hours.models import AttendanceRecord

    return db.session.get(AttendanceRecord, entry.attendance_record_id).assignment_id


def make_activity_day(participant: Participant | None = None, day: date | None = None, **kw):
    """An activity day (attended unless `status`/`absence_kind` say otherwise)."""
    from jobcenter.hours.models import ActivityDay, ActivityDayStatus

    values: dict[str, Any] = {
        "participant_id": (participant or make_participant()).id,
        "day": day or clock.today(),
        "status": ActivityDayStatus.ATTENDED,
    }
    if kw.get("absence_kind") is not None:
        values["status"] = ActivityDayStatus.ABSENT
    return _add(ActivityDay(**(values | kw)))


def correct_activity_day(old, **kw):
    """A correction superseding `old` (same person and day), with a reason."""
    from jobcenter.hours.models import ActivityDay, ActivityDayStatus

    values: dict[str, Any] = {
        "participant_id": old.participant_id,
        "day": old.day,
        "status": ActivityDayStatus.ATTENDED,
        "supersedes_id": old.id,
        "correction_reason": "Korjattu",
    }
    if kw.get("absence_kind") is not None:
        values["status"] = ActivityDayStatus.ABSENT
    return _add(ActivityDay(**(values | kw)))


# ---------------------------------------------------------------- attendance (issue 6)


def make_rate(kind: str, cents_per_hour: int, valid_from: date, **kw):
    """A wage or price version (VAT 0 unless given), open-ended unless `valid_to`."""
    from decimal import Decimal

    from jobcenter.catalog.models import Rate

    values: dict[str, Any] = {
        "kind": kind,
        "cents_per_hour": cents_per_hour,
        "vat_percent": Decimal("0"),
        "valid_from": valid_from,
        "valid_to": None,
    }
    return _add(Rate(**(values | kw)))


def make_shift_on(
    task: Task, day: date, start: time = time(9, 0), minutes: int = 240, **kw
) -> Shift:
    """A shift of `task` on a Helsinki day at `start`, lasting `minutes`."""
    starts_at = datetime.combine(day, start, tzinfo=clock.HELSINKI)
    return make_shift(task, starts_at, ends_at=starts_at + timedelta(minutes=minutes), **kw)


def make_attendance_setup(
    day: date,
    start: time = time(9, 0),
    minutes: int = 240,
    stream: Stream = Stream.REHABILITATIVE,
    supervised: bool = True,
):
    """An instructor's group with one participant confirmed on a shift of the group's
    task on `day` (supervised by the instructor unless `supervised=False`). Returns a
    namespace: instructor, group, participant, task, shift, assignment."""
    from types import SimpleNamespace

    instructor = make_instructor()
    group = make_group(instructor)
    participant = make_participant(
        group,
        stream=stream,
        plan={"start_date": day - timedelta(days=60), "end_date": day + timedelta(days=120)},
    )
    task = make_task(group=group, shift_minutes=minutes)
    shift = make_shift_on(task, day, start, minutes, instructor=instructor if supervised else None)
    assignment = make_assignment(shift, participant)
    return SimpleNamespace(
        instructor=instructor,
        group=group,
        participant=participant,
        task=task,
        shift=shift,
        assignment=assignment,
    )


def make_paid_attendance_setup(day: date, *, price_vat: str = "0", **kw: Any):
    """`make_attendance_setup` with a wage (10 €/h) and a price (14,50 €/h, VAT
    `price_vat` %) in force from the start of the year, so confirming writes hours;
    `user` is the instructor's user, who records and confirms."""
    from decimal import Decimal

    from jobcenter.catalog.models import RateKind

    make_rate(RateKind.WAGE, 1000, date(day.year, 1, 1))
    make_rate(RateKind.PRICE, 1450, date(day.year, 1, 1), vat_percent=Decimal(price_vat))
    w = make_attendance_setup(day, **kw)
    w.user = w.instructor.user
    return w


def confirm_as_planned(session: Any, w: Any) -> Any:
    """The instructor records the person present as planned and confirms the shift;
    returns the confirmed attendance record (flushed, not committed)."""
    from jobcenter.hours import attendance

    attendance.record(session, w.user, w.assignment, attendance.planned_entry(w.shift))
    [record] = attendance.confirm_shift(session, w.user, w.shift)
    return record


# ---------------------------------------------------------------- participant journey (issue 5)


def make_offered_shift(
    participant: Participant | None = None,
    *,
    status: AssignmentStatus = AssignmentStatus.OFFERED,
    starts_at: datetime | None = None,
    slots: int = 1,
    **task_kw,
) -> Assignment:
    """A participant's assignment (offered unless `status`) on a shift of a task of
    their own group, two days from today at 9–13 unless `starts_at`."""
    participant = participant or make_participant()
    if starts_at is None:
        day = clock.today() + timedelta(days=2)
        starts_at = datetime.combine(day, time(9, 0), tzinfo=clock.HELSINKI)
    task = make_task(group=participant.group, headcount=slots, **task_kw)
    shift = make_shift(task, starts_at=starts_at, slots=slots)
    return make_assignment(shift, participant, status=status)


# ---------------------------------------------------------------- shifts to check


def make_shift_with_waiting_change(start: datetime, later: datetime) -> Any:
    """At `start` a unit's task is accepted with a shift a week later at 9:00; by
    `later` a participant is confirmed on it and the unit has moved the task to 12:00,
    so the shift waits for its instructor's check (needs_review)."""
    from types import SimpleNamespace

    from jobcenter.units.posting import update_task

    contact = make_unit_contact()
    group = make_group()
    with clock.frozen(start):
        day = (clock.today() + timedelta(days=7)).isoformat()
        task = make_accepted_task(contact, group, dates=[day], preferred_start="09:00")
    with clock.frozen(later):
        shift = db.session.scalars(db.select(Shift).where(Shift.task_id == task.id)).one()
        person = make_participant(group=group, first_name="Anna", last_name="Aalto")
        make_assignment(shift, person, AssignmentStatus.CONFIRMED)
        update_task(db.session, task, actor=contact, values={"preferred_start": "12:00"})
    db.session.commit()
    return SimpleNamespace(contact=contact, group=group, task=task, shift=shift, person=person)
