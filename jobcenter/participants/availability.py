"""When a person can work: weekly availability windows and single days away.

Plain operations `(session, ...) -> value` that only flush; the request commits. Rows
are kept by user id (participants and instructors alike); matching
(`jobcenter.matching.operations.build_instance`) reads both tables: a shift is offered
to a participant only inside one of their windows and never on a day away.

Rules (refusals are `ValidationFailed` with messages per field):
- a window ends after it starts, on a weekday 0–6 (0 = Monday);
- windows of one weekday do not overlap (touching is fine: 8–12 and 12–16);
- a day away is today or later, at most once per day, with an optional short note.

Who may change whose rows is the caller's check (the participant themselves, or an
instructor for a person of their own groups: see `jobcenter.participants.views`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from jobcenter.core import clock
from jobcenter.core.errors import ValidationFailed
from jobcenter.participants.models import AvailabilityWindow, DayAway
from jobcenter.scheduling.generation import local_day_bounds
from jobcenter.scheduling.models import Assignment, AssignmentStatus, Shift, ShiftStatus

NOTE_MAX = 200
MAX_WINDOWS = 50
MAX_DAYS_AWAY = 400


@dataclass(frozen=True)
class WindowInput:
    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class DayAwayInput:
    day: date
    note: str = ""


# --------------------------------------------------------------------------- reading


def windows_of(session: Session, user_id: int) -> list[AvailabilityWindow]:
    return list(
        session.scalars(
            sa.select(AvailabilityWindow)
            .where(AvailabilityWindow.user_id == user_id)
            .order_by(
                AvailabilityWindow.weekday, AvailabilityWindow.start_time, AvailabilityWindow.id
            )
        )
    )


def days_away_of(session: Session, user_id: int, *, from_day: date | None = None) -> list[DayAway]:
    """Days away from `from_day` on (default: today), in date order."""
    first = from_day or clock.today()
    return list(
        session.scalars(
            sa.select(DayAway)
            .where(DayAway.user_id == user_id, DayAway.day >= first)
            .order_by(DayAway.day)
        )
    )


# --------------------------------------------------------------------------- checks


def _window_errors(window: WindowInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(window.weekday, int) or not 0 <= window.weekday <= 6:
        errors["weekday"] = [_("Choose a day of the week.")]
    if window.end <= window.start:
        errors["end"] = [_("The end time must be after the start time.")]
    return errors


def _overlaps(a: WindowInput | AvailabilityWindow, b: WindowInput | AvailabilityWindow) -> bool:
    a_start, a_end = _times(a)
    b_start, b_end = _times(b)
    return a.weekday == b.weekday and a_start < b_end and b_start < a_end


def _times(w: WindowInput | AvailabilityWindow) -> tuple[time, time]:
    if isinstance(w, AvailabilityWindow):
        return w.start_time, w.end_time
    return w.start, w.end


def _overlap_message() -> str:
    return _("This time overlaps another time on the same day.")


def check_windows(windows: Sequence[WindowInput]) -> dict[str, dict[str, list[str]]]:
    """Errors per window index (as a string) and field; empty when all are fine."""
    errors: dict[str, dict[str, list[str]]] = {}
    for i, window in enumerate(windows):
        own = _window_errors(window)
        if not own:
            for j in range(i):
                other = windows[j]
                if not _window_errors(other) and _overlaps(window, other):
                    own = {"start": [_overlap_message()]}
                    break
        if own:
            errors[str(i)] = own
    return errors


def _day_errors(day: date, note: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if day < clock.today():
        errors["day"] = [_("Choose today or a later day.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Write at most %(max)d characters.", max=NOTE_MAX)]
    return errors


# --------------------------------------------------------------------------- one at a time


def add_window(
    session: Session, user_id: int, weekday: int, start: time, end: time
) -> AvailabilityWindow:
    window = WindowInput(weekday, start, end)
    errors = _window_errors(window)
    if not errors:
        existing = windows_of(session, user_id)
        if len(existing) >= MAX_WINDOWS:
            errors["weekday"] = [_("You have too many times. Remove some first.")]
        elif any(_overlaps(window, other) for other in existing):
            errors["start"] = [_overlap_message()]
    if errors:
        raise ValidationFailed(errors)
    row = AvailabilityWindow(user_id=user_id, weekday=weekday, start_time=start, end_time=end)
    session.add(row)
    session.flush()
    return row


def remove_window(session: Session, user_id: int, window_id: int) -> bool:
    """Remove one of the user's windows; False when it is not theirs or gone already."""
    row = session.scalar(
        sa.select(AvailabilityWindow).where(
            AvailabilityWindow.id == window_id, AvailabilityWindow.user_id == user_id
        )
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def add_day_away(session: Session, user_id: int, day: date, note: str = "") -> DayAway:
    note = (note or "").strip()
    errors = _day_errors(day, note)
    if not errors and session.scalar(
        sa.select(DayAway.id).where(DayAway.user_id == user_id, DayAway.day == day)
    ):
        errors["day"] = [_("This day is already on your list.")]
    if errors:
        raise ValidationFailed(errors)
    row = DayAway(user_id=user_id, day=day, note=note)
    session.add(row)
    session.flush()
    return row


# An offer not answered yet, or a shift the person said yes to or that is confirmed.
_WORK = (AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED, AssignmentStatus.CONFIRMED)


def has_work_on_day(session: Session, participant_id: int, day: date) -> bool:
    """A day away only stops new offers (matching reads it); work already offered or
    agreed for that day stays, so the person and their instructor must be told."""
    start, end = local_day_bounds(day), local_day_bounds(day + timedelta(days=1))
    work = (
        sa.select(Assignment.id)
        .join(Shift, Assignment.shift_id == Shift.id)
        .where(
            Assignment.participant_id == participant_id,
            Assignment.status.in_(_WORK),
            Shift.status == ShiftStatus.PLANNED,
            Shift.starts_at >= start,
            Shift.starts_at < end,
        )
    )
    return bool(session.scalar(sa.select(work.exists())))


def remove_day_away(session: Session, user_id: int, day_away_id: int) -> bool:
    row = session.scalar(
        sa.select(DayAway).where(DayAway.id == day_away_id, DayAway.user_id == user_id)
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


# --------------------------------------------------------------------------- all at once


def replace_availability(
    session: Session,
    user_id: int,
    windows: Iterable[WindowInput],
    days_away: Iterable[DayAwayInput],
) -> tuple[list[AvailabilityWindow], list[DayAway]]:
    """Set all of a person's windows and their days away from today on (days in the
    past are history and stay). Everything is checked first; on any error nothing
    changes and `ValidationFailed` lists the messages as
    `{"windows": {"0": {"end": [...]}}, "days_away": {"1": {"day": [...]}}}`."""
    windows = list(windows)
    days = list(days_away)
    errors: dict[str, dict] = {}
    if len(windows) > MAX_WINDOWS:
        errors["windows"] = {"_schema": [_("Send at most %(max)d times.", max=MAX_WINDOWS)]}
    else:
        window_errors = check_windows(windows)
        if window_errors:
            errors["windows"] = window_errors
    day_errors: dict[str, dict[str, list[str]]] = {}
    seen: set[date] = set()
    if len(days) > MAX_DAYS_AWAY:
        errors["days_away"] = {"_schema": [_("Send at most %(max)d days.", max=MAX_DAYS_AWAY)]}
    else:
        for i, item in enumerate(days):
            own = _day_errors(item.day, (item.note or "").strip())
            if not own and item.day in seen:
                own = {"day": [_("This day is on the list twice.")]}
            seen.add(item.day)
            if own:
                day_errors[str(i)] = own
        if day_errors:
            errors["days_away"] = day_errors
    if errors:
        raise ValidationFailed(errors)

    session.execute(sa.delete(AvailabilityWindow).where(AvailabilityWindow.user_id == user_id))
    session.execute(
        sa.delete(DayAway).where(DayAway.user_id == user_id, DayAway.day >= clock.today())
    )
    session.flush()
    for w in sorted(windows, key=lambda w: (w.weekday, w.start)):
        session.add(
            AvailabilityWindow(
                user_id=user_id, weekday=w.weekday, start_time=w.start, end_time=w.end
            )
        )
    for d in sorted(days, key=lambda d: d.day):
        session.add(DayAway(user_id=user_id, day=d.day, note=(d.note or "").strip()))
    session.flush()
    return windows_of(session, user_id), days_away_of(session, user_id)
