"""Shifts to check, and an instructor's own changes to one shift.

When a task changes after people said yes to one of its shifts, the shift is left as
it was and flagged `needs_review` (scheduling.operations): nobody's day is moved under
them. The instructor agrees the change with the people, then

* moves the shift to what the task now says (time, places, supervision) — its calendar
  sequence is bumped and everyone who knows about it is told at once; a day the task
  no longer has is cancelled instead;
* keeps the shift as it is (the people and the unit agreed to the old time); or
* cancels the shift, with a reason that its people are told.

Who may: an admin, the instructor of the task's group, or the shift's supervising
instructor. An instructor who only has a participant on someone else's task follows
the shift but does not change it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.core import audit, clock, system_texts
from jobcenter.core.enums import Role, SupervisionLevel
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.system_texts import SystemText
from jobcenter.core.text import control_character_message
from jobcenter.participants.policies import own_group_ids
from jobcenter.scheduling import generation, operations
from jobcenter.scheduling.models import Shift, ShiftStatus
from jobcenter.units.lifecycle import NotAllowed
from jobcenter.units.models import Task

REASON_MAX = 500


@dataclass(frozen=True)
class PendingChange:
    """What the task now asks of the shift's day, beside what the shift is."""

    day_removed: bool
    starts_at: datetime | None
    ends_at: datetime | None
    slots: int
    supervision_needed: int
    instructor_id: int | None
    people: int  # people who said yes (or whose day is recorded)

    def time_differs(self, shift: Shift) -> bool:
        return not self.day_removed and (
            self.starts_at != shift.starts_at or self.ends_at != shift.ends_at
        )

    def places_differ(self, shift: Shift) -> bool:
        return not self.day_removed and self.slots != shift.slots

    def supervision_differs(self, shift: Shift) -> bool:
        """The task's supervision changed for the shift: the supervision the shift would
        take from the task differs from what it has. A shift raised for one of its people
        (one-to-one, an orientation) keeps that raise: it is no change of the task."""
        return not self.day_removed and self.supervision_needed != shift.supervision_needed

    def any_difference(self, shift: Shift) -> bool:
        return (
            self.day_removed
            or self.time_differs(shift)
            or self.places_differ(shift)
            or self.supervision_differs(shift)
        )


def may_manage(session: Session, user: User, shift: Shift) -> bool:
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.INSTRUCTOR:
        return False
    if shift.instructor is not None and shift.instructor.user_id == user.id:
        return True
    return bool(
        session.scalar(
            sa.select(
                sa.exists().where(Task.id == shift.task_id, Task.group_id.in_(own_group_ids(user)))
            )
        )
    )


def pending_change(session: Session, shift: Shift) -> PendingChange:
    task = shift.task
    day = clock.to_local(shift.starts_at).date()
    wanted = next((o for o in generation.occurrences(task, day, day) if o.day == day), None)
    level, instructor_id = supervision_after_move(shift)
    return PendingChange(
        day_removed=wanted is None,
        starts_at=wanted.starts_at if wanted else None,
        ends_at=wanted.ends_at if wanted else None,
        slots=task.headcount,
        supervision_needed=level,
        instructor_id=instructor_id,
        people=sum(1 for a in shift.assignments if a.status in operations.PEOPLED),
    )


def people_supervision(shift: Shift) -> int:
    """The supervision the people on the shift need: the highest level of their plans on
    the shift's day; a person's orientation needs an instructor on site."""
    day = clock.to_local(shift.starts_at).date()
    needed = SupervisionLevel.INDEPENDENT
    for assignment in shift.assignments:
        if assignment.status not in operations.PEOPLED:
            continue
        plan = assignment.participant.plan_on(day)
        level = plan.supervision_level if plan is not None else SupervisionLevel.INDEPENDENT
        if assignment.is_orientation:
            level = max(level, SupervisionLevel.ON_SITE)
        needed = max(needed, level)
    return needed


def supervision_after_move(shift: Shift) -> tuple[int, int | None]:
    """(supervision_needed, instructor_id) the shift takes when it follows its task.

    The task sets the floor (`generation.supervision_for`: 1 when the site guides, 2
    with an instructor on site). Supervision is a person's need too (one-to-one is never
    the task's), so the part of the shift's level that its people need stays: a shift
    raised to 3 for a participant on a task that asks for 2 stays at 3 and keeps its
    instructor. Only the rest follows the task."""
    task_level, task_instructor_id = generation.supervision_for(shift.task)
    kept = min(shift.supervision_needed, people_supervision(shift))
    level = max(task_level, kept)
    if level == shift.supervision_needed or level > task_level:
        return level, shift.instructor_id  # the same (or the people's) supervision
    return level, task_instructor_id


def move_to_task(session: Session, shift: Shift, actor: User) -> PendingChange:
    """Make the shift what the task now says and tell the people who know about it."""
    _check(session, shift, actor)
    if not shift.needs_review:
        raise DomainError(_("This shift has no change waiting."), status=409)
    change = pending_change(session, shift)
    if change.day_removed:
        operations.cancel_shifts(
            session,
            [shift],
            reason=system_texts.stored(SystemText.TASK_DAYS_CHANGED),
            actor=actor,
            batch_key=f"shift-review:{shift.id}",
        )
        audit.record("shift_review_cancelled_day", shift, actor_id=actor.id)
        return change
    if change.slots < change.people:
        raise DomainError(
            ngettext(
                "%(num)d person is on the shift but the task now has %(places)d places. "
                "Take someone off the shift first, or keep it as it is.",
                "%(num)d people are on the shift but the task now has %(places)d places. "
                "Take someone off the shift first, or keep it as it is.",
                change.people,
                places=change.slots,
            ),
            status=409,
        )
    moved = change.time_differs(shift)
    shift.starts_at = change.starts_at  # type: ignore[assignment]
    shift.ends_at = change.ends_at  # type: ignore[assignment]
    shift.slots = change.slots
    shift.supervision_needed = change.supervision_needed
    shift.instructor_id = change.instructor_id
    shift.needs_review = False
    shift.sequence += 1
    session.flush()
    if moved:
        operations.tell_shifts_changed(session, shift.task, [shift], actor=actor)
    audit.record("shift_review_moved", shift, actor_id=actor.id)
    return change


def keep_as_is(session: Session, shift: Shift, actor: User) -> None:
    """The people and the unit agreed to keep the shift as it was."""
    _check(session, shift, actor)
    if not shift.needs_review:
        raise DomainError(_("This shift has no change waiting."), status=409)
    shift.needs_review = False
    session.flush()
    audit.record("shift_review_kept", shift, actor_id=actor.id)


def cancel(session: Session, shift: Shift, actor: User, reason: str | None) -> int:
    """Cancel one coming shift; its people are told the reason. Returns notices queued."""
    _check(session, shift, actor)
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed({"reason": [_("Say why the shift is cancelled.")]})
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": [_("Use at most %(max)d characters.", max=REASON_MAX)]})
    if message := control_character_message(text, multiline=True):
        raise ValidationFailed({"reason": [message]})
    result = operations.cancel_shifts(
        session, [shift], reason=text, actor=actor, batch_key=f"shift-cancelled:{shift.id}"
    )
    audit.record("shift_cancelled", shift, actor_id=actor.id)
    return result.notices


def _check(session: Session, shift: Shift, actor: User) -> None:
    if not may_manage(session, actor, shift):
        raise NotAllowed(
            _("Only the instructor of the task's group or of the shift can change it.")
        )
    if shift.status != ShiftStatus.PLANNED:
        raise DomainError(_("This shift is cancelled."), status=409)
    if shift.starts_at <= clock.now():
        raise DomainError(
            _("This shift has already started, so it can no longer be changed."), status=409
        )
