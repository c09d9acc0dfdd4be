"""Carrying task changes to shifts, and cancelling shifts with notices to their people.

Only *future* shifts (starting after now, still planned) are ever touched; past
shifts are history and stay as they were.

A change to an accepted task (time, length, headcount, site, supervision, dates):
- a future shift that nobody has said yes to (no assignment accepted, confirmed,
  attended or absent: see `PEOPLED`) is updated in place to match the task, and its
  iCalendar `sequence` is bumped so calendars show the change; a site change bumps
  the sequence too (the calendar's location changes);
- a future shift with such people is NOT changed: it is flagged `needs_review` for the
  instructor, who agrees the change with the people before moving it. Its place,
  however, is the task's site: a site change reaches it at once, so its sequence is
  bumped as well;
- whoever knows about a shift whose time or place changed (offered, accepted or
  confirmed people, and its supervising instructor unless they made the change) gets
  ONE "shifts changed" notice for the batch at once (dedupe key: the task, the shifts
  and their new sequences, the person);
- a future day that is no longer among the task's days: an unpeopled shift is
  cancelled (its offers withdrawn, with notices), a peopled one is flagged;
- days that are new get their shifts (jobcenter.scheduling.generation).

Cancelling a task cancels its future shifts (status cancelled, the reason, sequence
bump), cancels the open assignments on them, and queues ONE notice per person: each
participant who had been offered, had accepted or was confirmed on any of them and has
an e-mail address, and each shift's supervising instructor. Running the cancellation
again finds nothing left to cancel, and the outbox's dedupe keys stop a second notice
even if it did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session, selectinload

from jobcenter.accounts.models import User
from jobcenter.core import clock, system_texts
from jobcenter.core.system_texts import SystemText
from jobcenter.notifications import messages
from jobcenter.participants.models import Participant
from jobcenter.scheduling import generation
from jobcenter.scheduling.models import (
    AssignmentEvent,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)
from jobcenter.units.models import Task

A = AssignmentStatus
# People who said yes (or whose day is already recorded): their shift is not moved
# under them; an instructor reviews it instead.
PEOPLED = (A.ACCEPTED, A.CONFIRMED, A.ATTENDED, A.ABSENT)
# Assignments still open on a future shift: cancelled with it.
OPEN = (A.PROPOSED, A.OFFERED, A.ACCEPTED, A.CONFIRMED)
# People who know about the shift (a proposal is the planner's draft): told when it goes.
TOLD_ON_CANCEL = (A.OFFERED, A.ACCEPTED, A.CONFIRMED)
SITE_FIELDS = frozenset({"site_address", "site_postal_code", "site_city", "district_id"})
# What a calendar event shows besides time and place (SUMMARY, DESCRIPTION): calendars
# take a changed event only with a higher sequence, so these bump it too (no notice).
CALENDAR_TEXT_FIELDS = frozenset({"title", "what_to_bring", "task_kind_id"})


@dataclass
class ChangeResult:
    updated: list[int] = field(default_factory=list)  # shift ids changed in place
    flagged: list[int] = field(default_factory=list)  # shift ids marked needs_review
    cancelled: list[int] = field(default_factory=list)  # shift ids whose day went away
    created: int = 0  # new shifts for new days
    notices: int = 0  # "shifts changed" notices queued


@dataclass
class CancelResult:
    shifts: list[int] = field(default_factory=list)
    assignments: int = 0
    notices: int = 0


def horizon_weeks() -> int:
    if has_app_context():
        return int(current_app.config.get("SHIFT_HORIZON_WEEKS", generation.DEFAULT_HORIZON_WEEKS))
    return generation.DEFAULT_HORIZON_WEEKS


def future_shifts(session: Session, task: Task) -> list[Shift]:
    """The task's planned shifts that have not started yet, in time order: the ones a
    task change may still move and a cancellation may still cancel.

    Not the same rule as `jobcenter.units.lifecycle.shifts_not_over` (not *ended* yet),
    on purpose: a shift under way is over the line for changes (its people are at work
    and its attendance will be recorded), yet while it lasts the work is not done."""
    return list(
        session.scalars(
            sa.select(Shift)
            .where(
                Shift.task_id == task.id,
                Shift.status == ShiftStatus.PLANNED,
                Shift.starts_at > clock.now(),
            )
            .options(selectinload(Shift.assignments))
            .order_by(Shift.starts_at)
        )
    )


def is_peopled(shift: Shift) -> bool:
    return any(a.status in PEOPLED for a in shift.assignments)


def apply_task_change(
    session: Session, task: Task, changed: Iterable[str], *, actor: User | None = None
) -> ChangeResult:
    """Bring the task's future shifts in line with the task (see the module docstring)."""
    changed = set(changed)
    result = ChangeResult()
    from jobcenter.scheduling.review import supervision_after_move  # review imports us

    shifts = future_shifts(session, task)
    site_changed = bool(changed & SITE_FIELDS)
    moved: list[Shift] = []  # time or place changed: people who know are told
    sequences = {shift.id: shift.sequence for shift in shifts}
    if shifts:
        last_day = clock.to_local(shifts[-1].starts_at).date()
        wanted = {o.day: o for o in generation.occurrences(task, clock.today(), last_day)}
        removed: list[Shift] = []
        for shift in shifts:
            target = wanted.get(clock.to_local(shift.starts_at).date())
            if target is None:
                if is_peopled(shift):
                    _flag(shift, result)
                else:
                    removed.append(shift)
                continue
            # The task sets the floor; what the shift's people need stays (one rule with
            # the "Shifts to check" page, so a shift raised for a person is no change).
            level, instructor_id = supervision_after_move(shift)
            new_values = {
                "starts_at": target.starts_at,
                "ends_at": target.ends_at,
                "slots": task.headcount,
                "supervision_needed": level,
                "instructor_id": instructor_id,
            }
            differs = any(getattr(shift, k) != v for k, v in new_values.items())
            if not differs and not site_changed:
                continue
            if is_peopled(shift):
                _flag(shift, result)
                if site_changed:
                    # The place people see is the task's: it has changed under them.
                    shift.sequence += 1
                    moved.append(shift)
                continue
            timing = any(getattr(shift, k) != new_values[k] for k in ("starts_at", "ends_at"))
            for key, value in new_values.items():
                setattr(shift, key, value)
            shift.sequence += 1
            result.updated.append(shift.id)
            if timing or site_changed:
                moved.append(shift)
        if removed:
            cancelled = cancel_shifts(
                session,
                removed,
                reason=system_texts.stored(SystemText.TASK_DAYS_CHANGED),
                actor=actor,
                batch_key=f"task-days:{task.id}",
            )
            result.cancelled = cancelled.shifts
    if changed & CALENDAR_TEXT_FIELDS:
        for shift in shifts:
            if shift.status == ShiftStatus.PLANNED and shift.sequence == sequences[shift.id]:
                shift.sequence += 1
    session.flush()
    if moved:
        result.notices = tell_shifts_changed(session, task, moved, actor=actor)
    result.created = generation.generate_for_task(
        session, task, generation.horizon_end(horizon_weeks()), actor=actor
    )
    return result


def tell_shifts_changed(
    session: Session, task: Task, shifts: Sequence[Shift], *, actor: User | None = None
) -> int:
    """Queue one "shifts changed" notice per person who knows about any of these shifts
    (offered, accepted or confirmed on it; its supervising instructor unless they made
    the change). Returns how many were queued; the same change never queues twice."""
    told: dict[int, tuple[User, list[Shift]]] = {}

    def tell(user: User | None, shift: Shift) -> None:
        if user is None or not user.email or not user.is_active_account:
            return
        if actor is not None and user.id == actor.id:
            return
        told.setdefault(user.id, (user, []))[1].append(shift)

    participant_users = _participant_users(session, shifts)
    for shift in shifts:
        for assignment in shift.assignments:
            if assignment.status in TOLD_ON_CANCEL:
                tell(participant_users.get(assignment.participant_id), shift)
        if shift.instructor is not None:
            tell(shift.instructor.user, shift)
    digest = hashlib.sha1(  # noqa: S324 (a name, not security)
        ",".join(f"{s.id}:{s.sequence}" for s in sorted(shifts, key=lambda s: s.id)).encode()
    ).hexdigest()[:16]
    queued = 0
    for user, user_shifts in told.values():
        notice = messages.queue_shifts_changed(
            session,
            user,
            user_shifts,
            dedupe_key=f"task-changed:{task.id}:{digest}:user:{user.id}",
        )
        if notice is not None:
            queued += 1
    return queued


def _flag(shift: Shift, result: ChangeResult) -> None:
    if not shift.needs_review:
        shift.needs_review = True
    result.flagged.append(shift.id)


def cancel_task_shifts(
    session: Session, task: Task, *, reason: str, actor: User | None = None
) -> CancelResult:
    """Cancel all the task's future shifts and tell their people (once)."""
    return cancel_shifts(
        session,
        future_shifts(session, task),
        reason=reason,
        actor=actor,
        batch_key=f"task-cancelled:{task.id}",
    )


def cancel_shifts(
    session: Session,
    shifts: Sequence[Shift],
    *,
    reason: str,
    actor: User | None = None,
    batch_key: str | None = None,
) -> CancelResult:
    """Cancel these planned shifts and their open assignments; queue one notice per
    person who knew about any of them. No permission check: callers (task cancel,
    task change, an instructor's own shift page) check who may do it."""
    result = CancelResult()
    now = clock.now()
    shifts = [s for s in shifts if s.status == ShiftStatus.PLANNED]
    if not shifts:
        return result
    told: dict[int, tuple[User, list[Shift]]] = {}

    def tell(user: User | None, shift: Shift) -> None:
        if user is None or not user.email or not user.is_active_account:
            return
        told.setdefault(user.id, (user, []))[1].append(shift)

    participant_users = _participant_users(session, shifts)
    for shift in shifts:
        shift.status = ShiftStatus.CANCELLED
        shift.cancel_reason = reason
        shift.needs_review = False
        shift.sequence += 1
        result.shifts.append(shift.id)
        for assignment in shift.assignments:
            if assignment.status not in OPEN:
                continue
            if assignment.status in TOLD_ON_CANCEL:
                tell(participant_users.get(assignment.participant_id), shift)
            session.add(
                AssignmentEvent(
                    assignment=assignment,
                    at=now,
                    actor_id=actor.id if actor is not None else None,
                    from_status=assignment.status,
                    to_status=A.CANCELLED,
                    reason=reason,
                )
            )
            assignment.status = A.CANCELLED
            result.assignments += 1
        if shift.instructor is not None:
            tell(shift.instructor.user, shift)
    session.flush()
    key = batch_key or "shifts-cancelled"
    if batch_key is None or batch_key.startswith("task-days:"):
        # Several change batches can happen to one task: name the batch by its shifts.
        digest = hashlib.sha1(  # noqa: S324 (a name, not security)
            ",".join(str(i) for i in sorted(result.shifts)).encode()
        ).hexdigest()[:16]
        key = f"{key}:{digest}"
    for user, user_shifts in told.values():
        queued = messages.queue_shifts_cancelled(
            session,
            user,
            user_shifts,
            reason=reason,
            dedupe_key=f"{key}:user:{user.id}",
        )
        if queued is not None:
            result.notices += 1
    return result


def _participant_users(session: Session, shifts: Sequence[Shift]) -> dict[int, User]:
    ids = {a.participant_id for s in shifts for a in s.assignments}
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Participant.id, User)
        .join(User, Participant.user_id == User.id)
        .where(Participant.id.in_(ids))
    ).all()
    return {pid: user for pid, user in rows}
