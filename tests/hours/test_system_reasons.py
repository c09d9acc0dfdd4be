"""Attendance: the reason the system writes when an activity day changes is stored as
its English source text; what instructors type is shown as typed; the note and reason
fields say how long they may be, and the server still refuses longer ones."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.hours import attendance
from jobcenter.hours.attendance import Entry
from jobcenter.hours.models import (
    AbsenceKind,
    ActivityDay,
    ActivityDayStatus,
    AttendanceRecord,
    MonthClosure,
)
from tests import factories

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)
HINT = "At most 2,000 characters."


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    session.commit()
    return w


def confirmed(session, w) -> AttendanceRecord:
    rec = factories.confirm_as_planned(session, w)
    session.commit()
    return rec


def described_by(page: str, element_id: str) -> list[str]:
    """The ids in the aria-describedby of the element with this id."""
    tag = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(element_id)}"[^>]*>', page)
    assert tag is not None, f"no field {element_id}"
    found = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
    return found.group(1).split() if found else []


def hint_text(page: str, hint_id: str) -> str:
    found = re.search(rf'<p class="hint" id="{re.escape(hint_id)}">([^<]*)</p>', page)
    assert found is not None, f"no hint {hint_id}"
    return found.group(1)


# ---------------------------------------------------------------- what the system writes


def test_an_activity_day_changed_by_a_finnish_instructors_confirmation_keeps_the_english_text(
    client, login, session, world
):
    # In the morning the person was absent; the afternoon shift makes the day attended.
    world.user.locale = Locale.FI
    attendance.record(
        session,
        world.user,
        world.assignment,
        Entry(present=False, absence_kind=AbsenceKind.UNEXCUSED),
    )
    attendance.confirm_shift(session, world.user, world.shift)
    afternoon = factories.make_shift_on(
        world.task, DAY, time(13, 0), 60, instructor=world.instructor
    )
    second = factories.make_assignment(afternoon, world.participant)
    session.commit()
    login(world.user)

    response = client.post(
        f"/attendance/shifts/{afternoon.id}/record",
        data={
            f"present-{second.id}": "present",
            f"start-{second.id}": "2026-11-18T13:00",
            f"end-{second.id}": "2026-11-18T14:00",
            f"note-{second.id}": "",
            "action": "confirm",
        },
    )

    assert response.status_code == 302
    session.rollback()
    day = attendance.current_activity_day(session, world.participant.id, DAY)
    assert day.status == ActivityDayStatus.ATTENDED
    assert day.correction_reason == "Attendance of the day was confirmed or corrected."
    assert session.scalar(sa.select(sa.func.count()).select_from(ActivityDay)) == 2


def test_a_correction_reason_an_instructor_typed_is_shown_as_typed_to_a_swedish_reader(
    client, login, session, world
):
    # The words are a message of the catalogue, but a person wrote them: not translated.
    rec = confirmed(session, world)
    attendance.correct(
        session,
        world.user,
        rec,
        Entry(present=True, start=rec.actual_start, end=rec.actual_end),
        "This shift was cancelled.",
    )
    world.user.locale = Locale.SV
    session.commit()
    login(world.user)

    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)

    assert "<td>This shift was cancelled.</td>" in page
    assert "Arbetspasset ställdes in." not in page


# ---------------------------------------------------------------- how long a note may be


def test_the_sheet_says_how_long_a_note_may_be_and_ties_it_to_the_field(client, login, world):
    login(world.user)
    k = world.assignment.id

    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)

    assert hint_text(page, f"note-{k}-hint") == HINT
    assert f"note-{k}-hint" in described_by(page, f"note-{k}")
    assert 'maxlength="2000"' in page


def test_the_correction_reason_says_how_long_it_may_be(client, login, session, world):
    confirmed(session, world)
    login(world.user)
    k = world.assignment.id

    page = client.get(f"/attendance/shifts/{world.shift.id}").get_data(as_text=True)

    assert hint_text(page, f"creason-{k}-hint") == HINT
    assert described_by(page, f"creason-{k}") == [f"creason-{k}-hint"]
    assert hint_text(page, f"cnote-{k}-hint") == HINT


def test_a_refused_note_keeps_its_hint_and_adds_the_error_to_the_description(
    client, login, session, world
):
    login(world.user)
    k = world.assignment.id

    response = client.post(
        f"/attendance/shifts/{world.shift.id}/record",
        data={
            f"present-{k}": "present",
            f"start-{k}": "2026-11-18T09:00",
            f"end-{k}": "2026-11-18T13:00",
            f"note-{k}": "x" * 2001,
        },
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert described_by(page, f"note-{k}") == [f"note-{k}-hint", f"err-{k}"]
    assert "Write at most 2000 characters." in page
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 0


def test_a_correction_reason_over_2000_characters_is_still_refused_by_the_server(
    client, login, session, world
):
    rec = confirmed(session, world)
    login(world.user)
    k = world.assignment.id

    response = client.post(
        f"/attendance/records/{rec.id}/correct",
        data={
            f"cpresent-{k}": "present",
            f"cstart-{k}": "2026-11-18T09:00",
            f"cend-{k}": "2026-11-18T12:00",
            f"creason-{k}": "x" * 2001,
        },
    )

    assert response.status_code == 422
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 1


def test_the_reopen_reason_says_how_long_it_may_be(client, login, session, world):
    confirmed(session, world)
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    attendance.close_month(session, world.user, world.group, date(2026, 11, 1))
    session.commit()
    login(world.user)
    field = f"reason-{world.group.id}-2026-11"

    page = client.get("/attendance/months").get_data(as_text=True)

    assert hint_text(page, f"{field}-hint") == HINT
    assert described_by(page, field) == [f"{field}-hint"]


def test_a_reopen_reason_over_2000_characters_is_refused_and_the_month_stays_closed(
    client, login, session, world
):
    confirmed(session, world)
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    attendance.close_month(session, world.user, world.group, date(2026, 11, 1))
    session.commit()
    login(world.user)
    field = f"reason-{world.group.id}-2026-11"

    response = client.post(
        f"/attendance/months/{world.group.id}/2026-11/reopen", data={"reason": "x" * 2001}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert described_by(page, field) == [f"{field}-hint", f"err-{world.group.id}-2026-11"]
    session.rollback()
    assert session.scalar(sa.select(MonthClosure.reopened_at)) is None


def test_the_hint_writes_the_number_the_way_each_readers_language_does(client, login, world):
    login(world.user)
    k = world.assignment.id

    swedish = client.get(f"/attendance/shifts/{world.shift.id}?lang=sv").get_data(as_text=True)
    english = client.get(f"/attendance/shifts/{world.shift.id}?lang=en").get_data(as_text=True)

    assert "2\xa0000" in hint_text(swedish, f"note-{k}-hint")
    assert hint_text(english, f"note-{k}-hint") == HINT
