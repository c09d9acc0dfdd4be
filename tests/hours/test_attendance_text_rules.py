"""Typed text on attendance (a note, a correction's reason, a month's reopening reason)
follows the one rule of `jobcenter.core.text`: no control characters (a NUL byte cannot
even be stored in PostgreSQL), line breaks allowed. Refused with 422 and a message at
the field; nothing is stored."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.core.errors import ValidationFailed
from jobcenter.hours import attendance
from jobcenter.hours.attendance import Entry
from jobcenter.hours.models import AttendanceRecord, HourEntry, MonthClosure
from tests import factories

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)
CONTROL = "Remove control characters from the text."


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    w.key = w.assignment.id
    session.commit()
    return w


def confirmed(session, w) -> AttendanceRecord:
    rec = factories.confirm_as_planned(session, w)
    session.commit()
    return rec


def count(session, model) -> int:
    session.rollback()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def planned(note: str = "") -> Entry:
    return Entry(
        present=True,
        start=datetime(2026, 11, 18, 9, 0, tzinfo=clock.HELSINKI),
        end=datetime(2026, 11, 18, 13, 0, tzinfo=clock.HELSINKI),
        note=note,
    )


# ---------------------------------------------------------------- the operations


def test_recording_a_note_with_a_nul_byte_is_refused_at_the_note(session, world):
    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        attendance.record(session, world.user, world.assignment, planned("Myöhässä\x00"))
    assert refused.value.errors == {"note": [CONTROL]}


def test_a_note_of_several_lines_is_recorded(session, world):
    rec = attendance.record(session, world.user, world.assignment, planned("Rivi 1\nRivi 2"))
    assert rec.note == "Rivi 1\nRivi 2"


def test_a_correction_note_with_a_nul_byte_is_refused(session, world):
    rec = confirmed(session, world)
    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        attendance.correct(session, world.user, rec, planned("a\x00b"), "Huomautus")
    assert refused.value.errors == {"note": [CONTROL]}


def test_a_correction_reason_with_a_nul_byte_is_refused(session, world):
    rec = confirmed(session, world)
    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        attendance.correct(session, world.user, rec, planned(), "Väärin\x00")
    assert refused.value.errors == {"reason": [CONTROL]}


def test_a_reopening_reason_with_a_nul_byte_is_refused(session, world):
    confirmed(session, world)
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    attendance.close_month(session, world.user, world.group, DAY)
    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        attendance.reopen_month(session, world.user, world.group, DAY, "\x00")
    assert refused.value.errors == {"reason": [CONTROL]}


# ---------------------------------------------------------------- the pages


def test_the_sheet_refuses_a_note_with_a_nul_byte_with_422_and_stores_nothing(
    client, login, session, world
):
    login(world.user)
    k = world.key
    response = client.post(
        f"/attendance/shifts/{world.shift.id}/record",
        data={
            f"present-{k}": "present",
            f"start-{k}": "2026-11-18T09:00",
            f"end-{k}": "2026-11-18T13:00",
            f"note-{k}": "Myöhässä\x00",
            "action": "confirm",
        },
    )
    assert response.status_code == 422
    assert CONTROL in response.get_data(as_text=True)
    assert count(session, AttendanceRecord) == 0
    assert count(session, HourEntry) == 0


@pytest.mark.parametrize("field", ["cnote", "creason"])
def test_the_correction_form_refuses_a_nul_byte_with_422_and_stores_nothing(
    client, login, session, world, field
):
    rec = confirmed(session, world)
    login(world.user)
    k = world.key
    form = {
        f"cpresent-{k}": "present",
        f"cstart-{k}": "2026-11-18T09:00",
        f"cend-{k}": "2026-11-18T12:00",
        f"cnote-{k}": "",
        f"creason-{k}": "Lähti aiemmin",
    }
    form[f"{field}-{k}"] += "\x00"
    response = client.post(f"/attendance/records/{rec.id}/correct", data=form)
    assert response.status_code == 422
    assert CONTROL in response.get_data(as_text=True)
    assert count(session, AttendanceRecord) == 1
    assert count(session, HourEntry) == 1


def test_reopening_a_month_with_a_nul_byte_answers_422_and_it_stays_closed(
    client, login, session, world
):
    confirmed(session, world)
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    login(world.user)
    url = f"/attendance/months/{world.group.id}/2026-11"
    assert client.post(f"{url}/close").status_code == 302
    response = client.post(f"{url}/reopen", data={"reason": "Korjaus\x00"})
    assert response.status_code == 422
    assert CONTROL in response.get_data(as_text=True)
    session.rollback()
    closure = session.scalar(sa.select(MonthClosure))
    assert (closure.reopened_at, closure.reopen_reason) == (None, None)
