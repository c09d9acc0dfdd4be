"""The task's state machine, in one place: who may move a task, from where, to where.

    draft ──submit──▶ submitted ──accept──▶ accepted ──(shifts exist)──▶ scheduled
      ▲                 │  │                                               │
      │   changes_requested ◀─request_changes                         mark_done
      └──(unit edits, submit again)      └──reject──▶ rejected             ▼
                                                                 done ──confirm──▶ confirmed
    cancel (with a reason): from draft, submitted, changes_requested, accepted, scheduled

Every transition is a plain function `(session, task, actor, ...)` that

1. checks WHO may do it (the unit's own contact, an instructor, the supervising
   instructor, an admin) and refuses others with `NotAllowed` (HTTP 403);
2. checks the state it starts from and the rule beside it, refusing with
   `DomainError` (HTTP 409) and a translated message that says what is possible;
3. moves the status with a guarded UPDATE (… WHERE status = <from>), so two people
   answering the same task at the same moment cannot both succeed;
4. appends a `TaskEvent` (who, when, from, to, why) and queues the notices that
   belong to the change (task answered → the unit's contacts; cancelled shifts →
   the people on them) in the same transaction.

They only `flush()`: the view, API handler or job commits.

`allowed_actions(task, user)` tells a page which buttons to show: the same role and
state checks, without the deeper rules (those answer when the action is tried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.schemas import MAX_DATABASE_ID
from jobcenter.core.text import control_character_message
from jobcenter.participants.models import Group, Instructor
from jobcenter.units.models import Task, TaskEvent, TaskFeedback, TaskStatus

S = TaskStatus

STATUS_LABELS = {
    S.DRAFT: _l("draft"),
    S.SUBMITTED: _l("submitted"),
    S.CHANGES_REQUESTED: _l("changes requested"),
    S.ACCEPTED: _l("accepted"),
    S.REJECTED: _l("rejected"),
    S.SCHEDULED: _l("scheduled"),
    S.DONE: _l("done"),
    S.CONFIRMED: _l("confirmed"),
    S.CANCELLED: _l("cancelled"),
}

# A unit contact (or an admin) may change a task's details in these states; the
# supervising instructor too once it is accepted. Changes to accepted and scheduled
# tasks are carried to their future shifts (jobcenter.scheduling.operations).
EDITABLE = (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.ACCEPTED, S.SCHEDULED)
CANCELLABLE = (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.ACCEPTED, S.SCHEDULED)
REASON_MAX = 2000
COMMENT_MAX = 2000


class NotAllowed(DomainError):
    """The user's role or relation to the task does not allow the action."""

    status = 403


def status_label(status: TaskStatus | str) -> str:
    return str(STATUS_LABELS[TaskStatus(status)])


# ---------------------------------------------------------------- who is who


def is_admin(user: User | None) -> bool:
    return bool(user is not None and user.role == Role.ADMIN)


def is_unit_contact_of(user: User | None, task: Task) -> bool:
    return bool(
        user is not None
        and user.role == Role.UNIT_CONTACT
        and user.unit_id is not None
        and user.unit_id == task.unit_id
    )


def is_instructor(user: User | None) -> bool:
    return bool(user is not None and user.role == Role.INSTRUCTOR)


def is_supervising_instructor(user: User | None, task: Task) -> bool:
    """The instructor whose group accepted the task."""
    return bool(
        is_instructor(user)
        and task.group is not None
        and task.group.instructor is not None
        and task.group.instructor.user_id == user.id  # type: ignore[union-attr]
    )


def _unit_side(user: User | None, task: Task) -> bool:
    return is_admin(user) or is_unit_contact_of(user, task)


def _answering_side(user: User | None, task: Task) -> bool:
    return is_admin(user) or is_instructor(user)


def _unit_or_supervisor(user: User | None, task: Task) -> bool:
    return _unit_side(user, task) or is_supervising_instructor(user, task)


def _cancel_side(user: User | None, task: Task) -> bool:
    if _unit_side(user, task):
        return True
    # The supervising instructor can call off work they accepted (not the unit's drafts).
    return task.status in (S.ACCEPTED, S.SCHEDULED) and is_supervising_instructor(user, task)


def _system(user: User | None, task: Task) -> bool:
    return user is None or _answering_side(user, task) or _unit_side(user, task)


def can_edit(user: User | None, task: Task) -> bool:
    """May `user` change the task's details now (posting.update_task)?"""
    if task.status not in EDITABLE:
        return False
    if _unit_side(user, task):
        return True
    return task.status in (S.ACCEPTED, S.SCHEDULED) and is_supervising_instructor(user, task)


def can_post_for(user: User | None, unit_id: int) -> bool:
    """May `user` post a new task for the unit?"""
    if is_admin(user):
        return True
    return bool(user is not None and user.role == Role.UNIT_CONTACT and user.unit_id == unit_id)


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[TaskStatus, ...]
    target: TaskStatus
    who: Callable[[User | None, Task], bool]
    refused: Callable[[], str]  # "you may not": translated at call time
    wrong_state: Callable[[], str]  # "%(status)s" is the task's current status


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit",
            (S.DRAFT, S.CHANGES_REQUESTED),
            S.SUBMITTED,
            _unit_side,
            lambda: _("Only the unit's own contacts can submit its tasks."),
            lambda: _("Only a draft or a task sent back for changes can be submitted. "
                      "This task is %(status)s."),
        ),
        Transition(
            "accept",
            (S.SUBMITTED,),
            S.ACCEPTED,
            _answering_side,
            lambda: _("Only instructors can accept tasks."),
            lambda: _("Only a submitted task can be accepted. This task is %(status)s."),
        ),
        Transition(
            "reject",
            (S.SUBMITTED,),
            S.REJECTED,
            _answering_side,
            lambda: _("Only instructors can reject tasks."),
            lambda: _("Only a submitted task can be rejected. This task is %(status)s."),
        ),
        Transition(
            "request_changes",
            (S.SUBMITTED,),
            S.CHANGES_REQUESTED,
            _answering_side,
            lambda: _("Only instructors can ask for changes."),
            lambda: _("Changes can be asked for a submitted task only. "
                      "This task is %(status)s."),
        ),
        Transition(
            "schedule",
            (S.ACCEPTED,),
            S.SCHEDULED,
            _system,
            lambda: _("You cannot schedule this task."),
            lambda: _("Only an accepted task can be scheduled. This task is %(status)s."),
        ),
        Transition(
            "mark_done",
            (S.SCHEDULED,),
            S.DONE,
            _unit_or_supervisor,
            lambda: _("Only the unit's contacts or the supervising instructor can mark "
                      "this task done."),
            lambda: _("Only a scheduled task can be marked done. This task is %(status)s."),
        ),
        Transition(
            "confirm",
            (S.DONE,),
            S.CONFIRMED,
            _unit_side,
            lambda: _("Only the unit's own contacts can confirm that the work was done."),
            lambda: _("Only a task marked done can be confirmed. This task is %(status)s."),
        ),
        Transition(
            "cancel",
            CANCELLABLE,
            S.CANCELLED,
            _cancel_side,
            lambda: _("You cannot cancel this task."),
            lambda: _("A task that is %(status)s can no longer be cancelled."),
        ),
    )
}  # fmt: skip


def allowed_actions(task: Task, user: User | None) -> set[str]:
    """The transitions `user` may try on `task` now (role and state; rules may still refuse).
    "schedule" is left out: shift generation does it. "edit" means posting.update_task."""
    actions = {
        name
        for name, t in TRANSITIONS.items()
        if name != "schedule" and task.status in t.sources and t.who(user, task)
    }
    if can_edit(user, task):
        actions.add("edit")
    if task.status == S.CONFIRMED and _unit_side(user, task) and task_feedback(task) is None:
        actions.add("give_feedback")
    return actions


def _check(transition: Transition, task: Task, actor: User | None) -> None:
    if not transition.who(actor, task):
        raise NotAllowed(transition.refused())
    if task.status not in transition.sources:
        raise DomainError(transition.wrong_state() % {"status": status_label(task.status)})


def _clean_reason(
    reason: str | None, *, required: bool, who_reads: str | None = None
) -> str | None:
    """The reason as typed, trimmed; `who_reads` says who is told it (default: the unit)."""
    text = (reason or "").strip()
    if required and not text:
        raise ValidationFailed(
            {"reason": [who_reads or _("Write a reason. The unit will see it.")]}
        )
    if len(text) > REASON_MAX:
        raise ValidationFailed({"reason": [_("Use at most %(max)d characters.", max=REASON_MAX)]})
    if message := control_character_message(text, multiline=True):
        raise ValidationFailed({"reason": [message]})
    return text or None


def _move(
    session: Session,
    task: Task,
    transition: Transition,
    actor: User | None,
    reason: str | None = None,
    **values: Any,
) -> TaskEvent:
    """Move the status with a guarded UPDATE and append the history event."""
    source = task.status
    session.flush()
    now = clock.now()
    moved = session.execute(
        sa.update(Task)
        .where(Task.id == task.id, Task.status == source)
        .values(status=transition.target, status_reason=reason, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:
        raise DomainError(
            _("Someone else changed this task a moment ago. Reload the page and try again.")
        )
    set_committed_value(task, "status", transition.target)
    set_committed_value(task, "status_reason", reason)
    set_committed_value(task, "updated_at", now)
    for key, value in values.items():
        set_committed_value(task, key, value)
    event = TaskEvent(
        task=task,
        at=now,
        actor_id=actor.id if actor is not None else None,
        from_status=source,
        to_status=transition.target,
        reason=reason,
    )
    session.add(event)
    session.flush()
    return event


def record_created(session: Session, task: Task, actor: User | None) -> TaskEvent:
    """The first history line of a new task (posting.create_task calls this)."""
    event = TaskEvent(
        task=task,
        at=clock.now(),
        actor_id=actor.id if actor is not None else None,
        from_status=None,
        to_status=task.status,
    )
    session.add(event)
    session.flush()
    return event


# ---------------------------------------------------------------- transitions


def submit(session: Session, task: Task, actor: User) -> TaskEvent:
    """Send the task to the instructors. It must be complete (posting.completeness_errors)."""
    from jobcenter.units import posting

    transition = TRANSITIONS["submit"]
    _check(transition, task, actor)
    if not task.unit.is_active:
        raise DomainError(_("This unit can no longer order work."))
    errors = posting.completeness_errors(session, task)
    if errors:
        raise ValidationFailed(errors)
    return _move(session, task, transition, actor)


def accept(
    session: Session,
    task: Task,
    actor: User,
    group: Group | int | None,
    *,
    generate: bool = True,
) -> TaskEvent:
    """Take the task into the pool, supervised by `group` (an instructor chooses one of
    their own groups; an admin any group). Queues the answer to the unit's contacts and,
    with `generate`, makes the shifts within the horizon (→ scheduled if any)."""
    transition = TRANSITIONS["accept"]
    _check(transition, task, actor)
    group_row = _group(session, group)
    if group_row is None:
        raise ValidationFailed({"group_id": [_("Choose the group that will do the work.")]})
    if is_instructor(actor) and group_row.instructor.user_id != actor.id:
        raise ValidationFailed({"group_id": [_("Choose one of your own groups.")]})
    event = _move(session, task, transition, actor, group_id=group_row.id)
    task.group = group_row
    session.flush()
    from jobcenter.notifications import messages

    messages.queue_task_answered(session, task, event)
    if generate:
        from flask import current_app, has_app_context

        from jobcenter.scheduling import generation

        weeks = 8
        if has_app_context():
            weeks = int(current_app.config.get("SHIFT_HORIZON_WEEKS", 8))
        generation.generate_for_task(
            session, task, until=generation.horizon_end(weeks), actor=actor
        )
    return event


def _group(session: Session, group: Group | int | None) -> Group | None:
    if group is None or group == "":
        return None
    if isinstance(group, Group):
        return group
    try:
        group_id = int(group)
    except (TypeError, ValueError):
        return None
    if not 0 < group_id <= MAX_DATABASE_ID:
        return None  # no such group, like any unknown id (the database could not even look)
    return session.get(Group, group_id)


def reject(session: Session, task: Task, actor: User, reason: str) -> TaskEvent:
    """Turn the task down, saying why; the unit's contacts are told."""
    transition = TRANSITIONS["reject"]
    _check(transition, task, actor)
    event = _move(session, task, transition, actor, _clean_reason(reason, required=True))
    from jobcenter.notifications import messages

    messages.queue_task_answered(session, task, event)
    return event


def request_changes(session: Session, task: Task, actor: User, reason: str) -> TaskEvent:
    """Send the task back to the unit with what to change; they edit and submit again."""
    transition = TRANSITIONS["request_changes"]
    _check(transition, task, actor)
    event = _move(session, task, transition, actor, _clean_reason(reason, required=True))
    from jobcenter.notifications import messages

    messages.queue_task_answered(session, task, event)
    return event


def mark_scheduled(session: Session, task: Task, actor: User | None = None) -> TaskEvent:
    """accepted → scheduled, once the task has at least one shift (generation calls this)."""
    from jobcenter.scheduling.models import Shift

    transition = TRANSITIONS["schedule"]
    _check(transition, task, actor)
    has_shift = session.scalar(sa.select(sa.exists().where(Shift.task_id == task.id)))
    if not has_shift:
        raise DomainError(_("The task has no shifts yet, so it cannot be scheduled."))
    return _move(session, task, transition, actor)


def shifts_not_over(session: Session, task: Task) -> list[Any]:
    """The task's planned shifts that have not ended yet, in time order: while there
    are any, the work is not done.

    Not the same rule as `jobcenter.scheduling.operations.future_shifts` (not *started*
    yet, the shifts a change or cancellation still reaches), on purpose: a shift under
    way can no longer be changed, but the work is not done until it has ended."""
    from jobcenter.scheduling.models import Shift, ShiftStatus

    return list(
        session.scalars(
            sa.select(Shift)
            .where(
                Shift.task_id == task.id,
                Shift.status == ShiftStatus.PLANNED,
                Shift.ends_at > clock.now(),
            )
            .order_by(Shift.ends_at)
        )
    )


def mark_done(session: Session, task: Task, actor: User) -> TaskEvent:
    """The work is over. Refused while shifts are still planned ahead: end the series
    (change its last date) or cancel those shifts first."""
    transition = TRANSITIONS["mark_done"]
    _check(transition, task, actor)
    upcoming = len(shifts_not_over(session, task))
    if upcoming:
        raise DomainError(
            ngettext(
                "The task still has %(num)d shift that is not over. "
                "Wait until it is over, or change the task's dates first.",
                "The task still has %(num)d shifts that are not over. "
                "Wait until they are over, or change the task's dates first.",
                upcoming,
            )
        )
    return _move(session, task, transition, actor)


def confirm(
    session: Session,
    task: Task,
    actor: User,
    *,
    rating: int | str | None = None,
    comment: str = "",
) -> TaskEvent:
    """The unit confirms the work was done, optionally with feedback (1–5 and a comment)."""
    transition = TRANSITIONS["confirm"]
    _check(transition, task, actor)
    feedback = _clean_feedback(rating, comment, required=False)
    event = _move(session, task, transition, actor)
    if feedback is not None:
        _add_feedback(session, task, actor, *feedback)
    return event


def give_feedback(
    session: Session, task: Task, actor: User, *, rating: int | str | None, comment: str = ""
) -> TaskFeedback:
    """Feedback after confirmation, once per task."""
    if not _unit_side(actor, task):
        raise NotAllowed(_("Only the unit's own contacts can give feedback on its tasks."))
    if task.status != S.CONFIRMED:
        raise DomainError(
            _("Feedback can be given once the work is confirmed. This task is %(status)s.",
              status=status_label(task.status))
        )  # fmt: skip
    if task_feedback(task) is not None:
        raise DomainError(_("Feedback on this task has already been given."))
    rating_value, comment_text = _clean_feedback(rating, comment, required=True)  # type: ignore[misc]
    return _add_feedback(session, task, actor, rating_value, comment_text)


def task_feedback(task: Task) -> TaskFeedback | None:
    session = sa.inspect(task).session
    if session is None or task.id is None:
        return None
    return session.scalar(sa.select(TaskFeedback).where(TaskFeedback.task_id == task.id))


def _clean_feedback(
    rating: int | str | None, comment: str | None, *, required: bool
) -> tuple[int, str] | None:
    text = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    value: int | None = None
    if rating is None or rating == "":
        if required or text:
            errors["rating"] = [_("Choose a rating from 1 to 5.")]
    else:
        try:
            value = int(rating)
        except (TypeError, ValueError):
            value = None
        if value is None or isinstance(rating, bool) or not 1 <= value <= 5:
            errors["rating"] = [_("Choose a rating from 1 to 5.")]
    if len(text) > COMMENT_MAX:
        errors["comment"] = [_("Use at most %(max)d characters.", max=COMMENT_MAX)]
    elif message := control_character_message(text, multiline=True):
        errors["comment"] = [message]
    if errors:
        raise ValidationFailed(errors)
    if value is None:
        return None
    return value, text


def _add_feedback(
    session: Session, task: Task, actor: User, rating: int, comment: str
) -> TaskFeedback:
    feedback = TaskFeedback(task_id=task.id, rating=rating, comment=comment, given_by_id=actor.id)
    session.add(feedback)
    session.flush()
    return feedback


def cancel(session: Session, task: Task, actor: User, reason: str) -> TaskEvent:
    """Call the task off, saying why. Its future shifts are cancelled and the people on
    them are told (jobcenter.scheduling.operations.cancel_task_shifts)."""
    transition = TRANSITIONS["cancel"]
    _check(transition, task, actor)
    who_reads = (
        _("Write a reason. The instructor and the people on the task's shifts are told it.")
        if _unit_side(actor, task)
        else None
    )
    clean = _clean_reason(reason, required=True, who_reads=who_reads)
    event = _move(session, task, transition, actor, clean)
    from jobcenter.scheduling import operations

    operations.cancel_task_shifts(session, task, reason=clean or "", actor=actor)
    return event


def instructor_of(task: Task) -> Instructor | None:
    return task.group.instructor if task.group is not None else None
