"""iCalendar feeds of shifts: who gets which shifts, and how one shift is written.

Whose shifts are in a feed (`feed_entries`):
- a participant: the shifts they said yes to (accepted, confirmed, attended, absent).
  A shift they were on that was cancelled, or that they were taken off after saying
  yes, stays in the feed with STATUS:CANCELLED so their phone removes it visibly.
  Offers they have not answered are not in the feed (they answer them in Jobcenter);
- an instructor: the shifts they supervise, their groups' tasks' shifts, and shifts
  their participants are on (the same rows as `authz.scope(Shift)` for an instructor);
- a unit contact: the shifts of their unit's tasks.
Managers and admins have no feed. Shifts from `PAST_DAYS` ago onwards are listed.

Each shift is one VEVENT:
- UID `shift-<id>@<host of BASE_URL>`: stable for the shift's whole life;
- SEQUENCE: `Shift.sequence` (bumped by scheduling.operations on every change of
  time, place or status); in a participant's feed plus the number of times the person
  joined or left the shift, so their own cancellation also reaches their phone;
- DTSTART/DTEND with TZID=Europe/Helsinki and one VTIMEZONE (DST by RRULE, as every
  calendar program understands it); DTSTAMP and LAST-MODIFIED = when the shift, its
  task or the person's assignment last changed, so an unchanged feed is byte-for-byte
  the same and its ETag holds;
- SUMMARY "<task kind> – <title>", LOCATION the site's address, DESCRIPTION what to
  bring, the instructor's name and work phone, and a link to the shift's page.

Never in a feed: anything about a participant (stream, supervision level, plan,
health), nor the names of the people on a shift. The address is a secret URL, but
URLs leak (shared calendars, sync logs), so the text stays as plain as a notice board.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone
from sqlalchemy.orm import Session, joinedload, selectinload

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.authz import scope
from jobcenter.core.enums import Role
from jobcenter.participants.models import Instructor, Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units.models import Task

A = AssignmentStatus
PRODID = "-//Jobcenter//Shifts//EN"
PAST_DAYS = 60
FEED_ROLES = (Role.PARTICIPANT, Role.INSTRUCTOR, Role.UNIT_CONTACT)
# Statuses meaning "this person is on the shift".
ON_SHIFT = (A.ACCEPTED, A.CONFIRMED, A.ATTENDED, A.ABSENT)
# Statuses a person leaves a shift by; kept as cancelled if they had been on it.
LEFT_SHIFT = (A.CANCELLED, A.DECLINED)

# Europe/Helsinki by yearly rules (EU: last Sunday of March 03:00 → EEST, last Sunday of
# October 04:00 → EET). Written out rather than generated: the rule form is what every
# client (phones, Google, Outlook, and both parsers in our tests) reads the same way.
HELSINKI_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/Helsinki\r\n"
    "X-LIC-LOCATION:Europe/Helsinki\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0300\r\n"
    "TZNAME:EEST\r\n"
    "DTSTART:19700329T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0300\r\n"
    "TZOFFSETTO:+0200\r\n"
    "TZNAME:EET\r\n"
    "DTSTART:19701025T040000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


@dataclass(frozen=True)
class Entry:
    """One shift as one viewer's calendar shows it."""

    shift: Shift
    cancelled: bool
    sequence: int
    modified: datetime
    # The person said yes but their instructor has not confirmed yet: the phone shows
    # the shift as tentative, as the shift page says "the instructor will confirm".
    tentative: bool = False


@dataclass(frozen=True)
class FeedBody:
    body: bytes
    last_modified: datetime
    participant_id: int | None
    count: int


# ---------------------------------------------------------------- whose shifts


def _shift_options():
    return (
        joinedload(Shift.task).joinedload(Task.task_kind),
        joinedload(Shift.instructor).joinedload(Instructor.user),
    )


def _latest(*moments: datetime | None) -> datetime:
    return max(m for m in moments if m is not None)


def _crossings(assignment: Assignment) -> int:
    """How many times the person joined or left the shift (by the assignment's history)."""
    return sum(
        1
        for e in assignment.events
        if e.from_status is not None and (e.from_status in ON_SHIFT) != (e.to_status in ON_SHIFT)
    )


def participant_entry(assignment: Assignment) -> Entry | None:
    """The participant's view of the shift of this assignment, or None if it is not in
    their calendar (a proposal, an unanswered offer, or one they never said yes to)."""
    shift = assignment.shift
    if assignment.status in ON_SHIFT:
        cancelled = shift.status == ShiftStatus.CANCELLED
    elif assignment.status in LEFT_SHIFT and any(
        e.from_status in ON_SHIFT for e in assignment.events
    ):
        cancelled = True
    else:
        return None
    return Entry(
        shift=shift,
        cancelled=cancelled,
        sequence=shift.sequence + _crossings(assignment),
        modified=_latest(shift.updated_at, shift.task.updated_at, assignment.updated_at),
        tentative=assignment.status == A.ACCEPTED and not cancelled,
    )


def staff_entry(shift: Shift) -> Entry:
    return Entry(
        shift=shift,
        cancelled=shift.status == ShiftStatus.CANCELLED,
        sequence=shift.sequence,
        modified=_latest(shift.updated_at, shift.task.updated_at),
    )


def feed_entries(session: Session, user: User) -> list[Entry]:
    """The shifts in `user`'s feed, in time order (see the module docstring)."""
    since = clock.now() - timedelta(days=PAST_DAYS)
    if user.role == Role.PARTICIPANT:
        assignments = session.scalars(
            sa.select(Assignment)
            .join(Shift, Assignment.shift_id == Shift.id)
            .join(Participant, Assignment.participant_id == Participant.id)
            .where(
                Participant.user_id == user.id,
                Assignment.status.in_(ON_SHIFT + LEFT_SHIFT),
                Shift.starts_at >= since,
            )
            .options(
                selectinload(Assignment.events),
                joinedload(Assignment.shift).options(*_shift_options()),
            )
            .order_by(Shift.starts_at, Shift.id)
        ).all()
        return [e for e in (participant_entry(a) for a in assignments) if e is not None]
    if user.role in (Role.INSTRUCTOR, Role.UNIT_CONTACT):
        shifts = session.scalars(
            scope(sa.select(Shift), Shift, user)
            .where(Shift.starts_at >= since)
            .options(*_shift_options())
            .order_by(Shift.starts_at, Shift.id)
        ).all()
        return [staff_entry(s) for s in shifts]
    return []


def entry_for(session: Session, shift: Shift, user: User) -> Entry:
    """One shift the user may see (checked by the caller), as their calendar shows it."""
    if user.role == Role.PARTICIPANT:
        assignment = session.scalars(
            sa.select(Assignment)
            .join(Participant, Assignment.participant_id == Participant.id)
            .where(Assignment.shift_id == shift.id, Participant.user_id == user.id)
            .options(selectinload(Assignment.events))
        ).first()
        if assignment is not None:
            entry = participant_entry(assignment)
            if entry is not None:
                return entry
            # An offer not yet answered: downloadable, as the shift stands.
            return Entry(
                shift=shift,
                cancelled=shift.status == ShiftStatus.CANCELLED or assignment.status in LEFT_SHIFT,
                sequence=shift.sequence + _crossings(assignment),
                modified=_latest(shift.updated_at, shift.task.updated_at, assignment.updated_at),
            )
    return staff_entry(shift)


# ---------------------------------------------------------------- writing iCalendar


def host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "jobcenter"


def shift_uid(shift_id: int) -> str:
    return f"shift-{shift_id}@{host()}"


def shift_page_url(shift: Shift, user: User) -> str:
    """The page about this shift that the viewer can open."""
    from jobcenter.notifications.mail import absolute_url

    endpoints = current_app.view_functions
    if user.role == Role.PARTICIPANT:
        if "mine.shift" in endpoints:
            return absolute_url("mine.shift", shift_id=shift.id)
        if "mine.shifts" in endpoints:
            return absolute_url("mine.shifts")
        return absolute_url("home.index")
    if user.role == Role.INSTRUCTOR and "attendance.shift" in endpoints:
        return absolute_url("attendance.shift", shift_id=shift.id)
    return absolute_url("units.task", task_id=shift.task_id)


def location(task: Task) -> str:
    place = " ".join(p for p in (task.site_postal_code, task.site_city) if p)
    return ", ".join(p for p in (task.site_address, place) if p)


def summary(shift: Shift, locale: str) -> str:
    """ "<task kind> – <title>", or the title alone when it already says the kind."""
    kind, title = shift.task.task_kind.name(locale), shift.task.title
    if kind.casefold() in title.casefold():
        return title
    return f"{kind} – {title}"


def description(shift: Shift, user: User) -> str:
    """What to bring, who the instructor is and where to read more (the viewer's
    language must be forced by the caller)."""
    task = shift.task
    lines = []
    if shift.status == ShiftStatus.CANCELLED:
        lines.append(_("This shift is cancelled."))
    if task.what_to_bring.strip():
        lines.append(_("What to bring: %(things)s", things=task.what_to_bring.strip()))
    instructor = shift.instructor.user if shift.instructor is not None else None
    if instructor is not None:
        if instructor.phone:
            lines.append(
                _(
                    "Instructor: %(name)s, tel. %(phone)s",
                    name=instructor.full_name,
                    phone=instructor.phone,
                )
            )
        else:
            lines.append(_("Instructor: %(name)s", name=instructor.full_name))
    lines.append(_("More in Jobcenter: %(url)s", url=shift_page_url(shift, user)))
    return "\n".join(lines)


def _event_status(entry: Entry) -> str:
    if entry.cancelled:
        return "CANCELLED"
    return "TENTATIVE" if entry.tentative else "CONFIRMED"


def vevent(entry: Entry, user: User, locale: str) -> Event:
    shift = entry.shift
    event = Event()
    event.add("uid", shift_uid(shift.id))
    event.add("sequence", entry.sequence)
    modified = entry.modified.astimezone(UTC)
    event.add("dtstamp", modified)
    event.add("last-modified", modified)
    event.add("created", shift.created_at.astimezone(UTC))
    event.add("dtstart", clock.to_local(shift.starts_at))
    event.add("dtend", clock.to_local(shift.ends_at))
    event.add("summary", summary(shift, locale))
    event.add("location", location(shift.task))
    event.add("description", description(shift, user))
    event.add("status", _event_status(entry))
    event.add("transp", "TRANSPARENT" if entry.cancelled else "OPAQUE")
    event.add("class", "PRIVATE")
    event.add("url", shift_page_url(shift, user))
    return event


def calendar(entries: Iterable[Entry], user: User, locale: str, *, name: str) -> bytes:
    """A VCALENDAR of these entries (METHOD:PUBLISH), in `locale` (already forced)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Helsinki")
    # Subscribed clients that honour these check back about every hour.
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    cal.add_component(Timezone.from_ical(HELSINKI_VTIMEZONE))
    for entry in entries:
        cal.add_component(vevent(entry, user, locale))
    return cal.to_ical()


def feed_name(user: User) -> str:
    if user.role == Role.PARTICIPANT:
        return _("My shifts – Jobcenter")
    if user.role == Role.UNIT_CONTACT and user.unit is not None:
        return _("%(unit)s – Jobcenter shifts", unit=user.unit.name)
    return _("Shifts – Jobcenter")


def build_feed(session: Session, user: User) -> FeedBody:
    """The user's whole feed. Call under `force_locale(<the user's locale>)`."""
    locale = str(user.locale)
    entries = feed_entries(session, user)
    body = calendar(entries, user, locale, name=feed_name(user))
    moments = [e.modified for e in entries]
    participant = user.participant if user.role == Role.PARTICIPANT else None
    return FeedBody(
        body=body,
        last_modified=max(moments) if moments else user.created_at,
        participant_id=participant.id if participant is not None else None,
        count=len(entries),
    )


def build_single(session: Session, shift: Shift, user: User) -> tuple[bytes, datetime]:
    """One shift as an .ics file ("add to my calendar")."""
    entry = entry_for(session, shift, user)
    body = calendar([entry], user, str(user.locale), name=summary(shift, str(user.locale)))
    return body, entry.modified
