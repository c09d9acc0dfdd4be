"""A participant's answers about a shift: accept or decline an offer, and feedback after it.

Plain operations `(session, ...) -> value` that only flush; the request commits.

- `accept_offer(session, assignment, actor)`: OFFERED → ACCEPTED. The shift's row is
  locked before the people who said yes are counted (`SELECT … FOR UPDATE` on
  PostgreSQL; on SQLite a no-op write takes the database's write lock first), so two
  people answering at the same moment can never both take the last slot: the second
  gets a kind `DomainError` and nothing changes.
- `decline_offer(session, assignment, actor, reason, note="")`: OFFERED or ACCEPTED →
  DECLINED with one of `DECLINE_REASONS`. A declined assignment holds no slot, so the
  instructor's planning board and the next matching run see the slot as open again.
  The group's instructor gets a short notice through the outbox (no reason in it: a
  reason such as "I am sick" is health information and stays in the application).
- `give_feedback(session, assignment, actor, face, word="")`: once per assignment,
  after a shift the person was on has ended.

Each state change writes an `AssignmentEvent` (who, when, from, to, why) and sets
`responded_at`. Who may answer: the participant themselves, or the instructor of their
group on their behalf (and admins); anyone else gets a 404-like refusal.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.enums import Role
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.core.text import control_character_message
from jobcenter.hours.models import ShiftFeedback
from jobcenter.notifications.models import OutboxMessage
from jobcenter.notifications.outbox import enqueue
from jobcenter.participants.models import Participant
from jobcenter.scheduling.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)

A = AssignmentStatus

# People who said yes: each holds one of the shift's slots for certain.
TAKEN = (A.ACCEPTED, A.CONFIRMED, A.ATTENDED)
# What a participant may still decline (a confirmed shift: call the instructor).
DECLINABLE = (A.OFFERED, A.ACCEPTED)
# Shifts a person was on, and may rate once they have ended.
RATEABLE = (A.CONFIRMED, A.ATTENDED)

DECLINE_NOTICE = "offer_declined"
WORD_MAX = 200
NOTE_MAX = 200


@dataclass(frozen=True)
class DeclineReason:
    code: str
    label: object  # lazy translation


DECLINE_REASONS: tuple[DeclineReason, ...] = (
    DeclineReason("sick", _l("I am sick")),
    DeclineReason("appointment", _l("I have another appointment")),
    DeclineReason("not_this_task", _l("I do not want this task")),
    DeclineReason("other", _l("Other reason")),
)
DECLINE_CODES = tuple(r.code for r in DECLINE_REASONS)


def decline_reason_label(code: str | None) -> str:
    for reason in DECLINE_REASONS:
        if reason.code == code:
            return str(reason.label)
    return ""


# Faces: 3 good, 2 okay, 1 bad (ShiftFeedback.face).
@dataclass(frozen=True)
class Face:
    value: int
    code: str
    label: object


FACES: tuple[Face, ...] = (
    Face(3, "good", _l("Good")),
    Face(2, "okay", _l("Okay")),
    Face(1, "bad", _l("Bad")),
)


def face_label(value: int | None) -> str:
    for face in FACES:
        if face.value == value:
            return str(face.label)
    return ""


# --------------------------------------------------------------------------- access


def may_answer_for(actor: User, participant: Participant) -> bool:
    """The person themselves, their group's instructor, or an admin."""
    if actor.role == Role.PARTICIPANT:
        return participant.user_id == actor.id
    if actor.role == Role.INSTRUCTOR:
        return participant.group.instructor.user_id == actor.id
    return actor.role == Role.ADMIN


def _check_actor(assignment: Assignment, actor: User) -> None:
    if not may_answer_for(actor, assignment.participant):
        raise DomainError(_("You cannot answer for this person."), status=404)


def _event(
    session: Session,
    assignment: Assignment,
    actor: User,
    to_status: AssignmentStatus,
    reason: str | None = None,
) -> AssignmentEvent:
    event = AssignmentEvent(
        assignment_id=assignment.id,
        actor_id=actor.id,
        from_status=assignment.status,
        to_status=to_status,
        reason=reason,
        at=clock.now(),
    )
    session.add(event)
    assignment.status = to_status
    assignment.responded_at = event.at
    return event


def _refuse_if_not_open(assignment: Assignment) -> None:
    shift = assignment.shift
    if shift.status != ShiftStatus.PLANNED:
        raise DomainError(_("This shift was cancelled. You do not need to answer."))
    if shift.starts_at <= clock.now():
        raise DomainError(_("This shift has already started. Please call your instructor."))


# --------------------------------------------------------------------------- accept


def lock_shift(session: Session, shift_id: int) -> None:
    """Hold the shift's row until the transaction ends, so counting its people and
    taking a slot is one step for one answer at a time."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(Shift.id).where(Shift.id == shift_id).with_for_update())
    else:
        # SQLite has no row locks: a write (that changes nothing) takes the database's
        # write lock now, before the count, and holds it until commit.
        session.execute(sa.text("UPDATE shifts SET id = id WHERE id = :id"), {"id": shift_id})


def people_taking(session: Session, shift_id: int, *, excluding: int | None = None) -> int:
    stmt = sa.select(sa.func.count(Assignment.id)).where(
        Assignment.shift_id == shift_id, Assignment.status.in_(TAKEN)
    )
    if excluding is not None:
        stmt = stmt.where(Assignment.id != excluding)
    return int(session.scalar(stmt) or 0)


def accept_offer(session: Session, assignment: Assignment, actor: User) -> Assignment:
    """Say yes to an offer. Accepting again is harmless (nothing changes)."""
    _check_actor(assignment, actor)
    if assignment.status in (A.ACCEPTED, A.CONFIRMED):
        return assignment
    if assignment.status != A.OFFERED:
        raise DomainError(_("This offer is no longer open. Please ask your instructor."))
    _refuse_if_not_open(assignment)
    lock_shift(session, assignment.shift_id)
    session.refresh(assignment)  # the state as of the lock, not as first read
    if assignment.status != A.OFFERED:
        if assignment.status in (A.ACCEPTED, A.CONFIRMED):
            return assignment
        raise DomainError(_("This offer is no longer open. Please ask your instructor."))
    if people_taking(session, assignment.shift_id, excluding=assignment.id) >= (
        assignment.shift.slots
    ):
        raise DomainError(
            _(
                "Sorry, this shift is already full. Someone else said yes first. "
                "Your instructor will offer you other work."
            ),
            status=409,
        )
    _event(session, assignment, actor, A.ACCEPTED)
    session.flush()
    return assignment


# --------------------------------------------------------------------------- decline


def decline_offer(
    session: Session, assignment: Assignment, actor: User, reason: str, note: str = ""
) -> Assignment:
    """Say no, with a reason; the slot is open again for the instructor and matching."""
    _check_actor(assignment, actor)
    errors: dict[str, list[str]] = {}
    if reason not in DECLINE_CODES:
        errors["reason"] = [_("Choose a reason.")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Write at most %(max)d characters.", max=NOTE_MAX)]
    elif message := control_character_message(note, multiline=True):
        errors["note"] = [message]
    if errors:
        raise ValidationFailed(errors)
    if assignment.status == A.DECLINED:
        return assignment
    if assignment.status not in DECLINABLE:
        if assignment.status == A.CONFIRMED:
            raise DomainError(
                _("This shift is confirmed. If you cannot come, please call your instructor.")
            )
        raise DomainError(_("This offer is no longer open. Please ask your instructor."))
    _refuse_if_not_open(assignment)
    assignment.decline_reason = reason
    assignment.is_locked = False
    event = _event(session, assignment, actor, A.DECLINED, note or None)
    session.flush()
    _notify_instructor(session, assignment, event)
    return assignment


def _notify_instructor(session: Session, assignment: Assignment, event: AssignmentEvent) -> None:
    """A short notice to the group's instructor (unless they declined it themselves)."""
    instructor = assignment.participant.group.instructor.user
    if not instructor.email or event.actor_id == instructor.id:
        return
    key = f"offer-declined:{event.id}"
    if session.scalar(sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)):
        return
    shift = assignment.shift
    start = clock.to_local(shift.starts_at)
    end = clock.to_local(shift.ends_at)
    locale = str(instructor.locale)
    with force_locale(locale):
        subject = _("A participant declined a shift offer")
        body = _(
            "%(name)s declined the offer for the shift %(task)s on %(day)s at "
            "%(start)s–%(end)s. The place is open again: you can offer it to "
            "someone else on the planning board.",
            name=assignment.participant.user.first_name,
            task=shift.task.title,
            day=start.strftime("%d.%m.%Y"),
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
        )
    enqueue(
        session,
        recipient=instructor,
        to_address=instructor.email,
        kind=DECLINE_NOTICE,
        subject=subject,
        body=body + "\n",
        locale=locale,
        dedupe_key=key,
    )


# --------------------------------------------------------------------------- feedback


def feedback_for(session: Session, assignment_id: int) -> ShiftFeedback | None:
    return session.scalar(
        sa.select(ShiftFeedback).where(ShiftFeedback.assignment_id == assignment_id)
    )


def can_give_feedback(assignment: Assignment) -> bool:
    """A shift the person was on, which has ended (feedback not yet given is checked
    separately)."""
    return (
        assignment.status in RATEABLE
        and assignment.shift.status != ShiftStatus.CANCELLED
        and assignment.shift.ends_at <= clock.now()
    )


def give_feedback(
    session: Session, assignment: Assignment, actor: User, face: int | None, word: str = ""
) -> ShiftFeedback:
    """The person's own three-face rating of a shift they were on, once."""
    if actor.role != Role.PARTICIPANT or assignment.participant.user_id != actor.id:
        raise DomainError(_("Only the person who worked can give this feedback."), status=404)
    errors: dict[str, list[str]] = {}
    if face not in {f.value for f in FACES}:
        errors["face"] = [_("Choose a face.")]
    word = (word or "").strip()
    if len(word) > WORD_MAX:
        errors["word"] = [_("Write at most %(max)d characters.", max=WORD_MAX)]
    elif message := control_character_message(word, multiline=True):
        errors["word"] = [message]
    if errors:
        raise ValidationFailed(errors)
    if not can_give_feedback(assignment):
        raise DomainError(_("You can tell how it went after the shift."))
    if feedback_for(session, assignment.id) is not None:
        raise DomainError(_("You have already told how this shift went. Thank you!"))
    feedback = ShiftFeedback(
        assignment_id=assignment.id, face=int(face), word=word, created_at=clock.now()
    )
    session.add(feedback)
    session.flush()
    return feedback
