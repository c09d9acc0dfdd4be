"""A recorded time off the quarter hours (from older data, e.g. "Läsnä klo 10.10–14.00"):
the sheet and the correction form show it as chosen, and saving them without touching
the times keeps it (before, the select fell back to its first option, 7.00, and a
correction of the note alone moved the paid hours from 3,83 h to 7 h). A new time off
the quarter hours is still refused."""

from __future__ import annotations

from datetime import date, datetime, time
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.core.errors import ValidationFailed
from jobcenter.hours import attendance
from jobcenter.hours.attendance import Entry
from jobcenter.hours.forms import time_choices, time_options
from jobcenter.hours.models import AttendanceRecord, HourEntry
from tests import factories

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=clock.HELSINKI)


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(DAY, time(hour, minute, second), tzinfo=clock.HELSINKI)


class FormReader(HTMLParser):
    """What a browser would post from the form with the given action: text inputs,
    checked boxes, each select's selected option (else its first one) and textareas;
    also the label of each select's shown option."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self.shown: dict[str, str] = {}
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._first: dict[str, tuple[str, str]] = {}
        self._chosen: dict[str, tuple[str, str]] = {}
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("action") == self.action
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields[a["name"]] = a.get("value", "on")
            else:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            self._option = (a.get("value", ""), "selected" in a)
            self._text = ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self._text = ""

    def handle_data(self, data):
        if self._option is not None or self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self._option is not None:
            value, selected = self._option
            self._first.setdefault(self._select, (value, self._text))
            if selected:
                self._chosen[self._select] = (value, self._text)
            self._option = None
        elif tag == "select" and self._select:
            value, label = self._chosen.get(self._select) or self._first[self._select]
            self.fields[self._select], self.shown[self._select] = value, label.strip()
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields[self._textarea] = self._text
            self._textarea = None
        elif tag == "form":
            self.inside = False


def read_form(page: str, action: str) -> FormReader:
    reader = FormReader(action)
    reader.feed(page)
    assert reader.fields, f"no form posting to {action}"
    return reader


@pytest.fixture
def world(session):
    """A 10–14 shift; the person was recorded present 10.10–14.00 (230 min) by older
    software, and the record is confirmed: 3,83 h in the ledger."""
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY, start=time(10, 0), minutes=240, price_vat="25.50")
    w.key = w.assignment.id
    w.draft = factories.make_attendance_record(
        w.assignment, actual_start=at(10, 10), actual_end=at(14), minutes=230, confirmed_at=None
    )
    session.commit()
    return w


def confirm(session, w) -> AttendanceRecord:
    [rec] = attendance.confirm_shift(session, w.user, w.shift)
    session.commit()
    return rec


def ledger(session) -> list[int]:
    session.rollback()
    return list(session.scalars(sa.select(HourEntry.minutes).order_by(HourEntry.id)))


def current(session, w) -> AttendanceRecord:
    session.rollback()
    return attendance.current_record(session, w.assignment.id)


# ---------------------------------------------------------------- the choices


def test_an_off_grid_time_is_added_to_the_choices_in_its_place(app, world):
    with app.test_request_context(), force_locale("fi"):
        grid = time_options(world.shift)
        choices = time_choices(world.shift, grid, "2026-11-18T10:10")
    values = [value for value, _label in choices]
    assert len(choices) == len(grid) + 1
    assert values.index("2026-11-18T10:10") == values.index("2026-11-18T10:00") + 1
    assert values[values.index("2026-11-18T10:10") + 1] == "2026-11-18T10:15"
    assert dict(choices)["2026-11-18T10:10"] == "10.10"


def test_a_time_on_the_grid_or_garbage_adds_no_choice(app, world):
    with app.test_request_context(), force_locale("fi"):
        grid = time_options(world.shift)
        assert time_choices(world.shift, grid, "2026-11-18T10:15", "nonsense", None, "") == grid


def test_a_recorded_time_with_seconds_is_offered_exactly(app, world):
    with app.test_request_context(), force_locale("fi"):
        grid = time_options(world.shift)
        choices = dict(time_choices(world.shift, grid, "2026-11-18T10:10:30"))
    assert choices["2026-11-18T10:10:30"] == "10.10"


# ---------------------------------------------------------------- the pages


def test_the_daily_sheet_preselects_the_recorded_off_grid_start(client, login, world):
    login(world.user)
    page = client.get("/attendance?lang=fi").get_data(as_text=True)
    form = read_form(page, f"/attendance/shifts/{world.shift.id}/record")
    assert form.fields[f"start-{world.key}"] == "2026-11-18T10:10"
    assert form.shown[f"start-{world.key}"] == "10.10"
    assert form.fields[f"end-{world.key}"] == "2026-11-18T14:00"


def test_saving_the_daily_sheet_as_shown_keeps_the_off_grid_time(client, login, session, world):
    login(world.user)
    page = client.get("/attendance?lang=fi").get_data(as_text=True)
    fields = read_form(page, f"/attendance/shifts/{world.shift.id}/record").fields
    fields[f"note-{world.key}"] = "Tarkistettu"
    fields["action"] = "confirm"
    response = client.post(f"/attendance/shifts/{world.shift.id}/record", data=fields)
    assert response.status_code == 302
    rec = current(session, world)
    assert (rec.actual_start, rec.actual_end, rec.minutes) == (at(10, 10), at(14), 230)
    assert ledger(session) == [230]


def test_the_correction_form_preselects_the_recorded_off_grid_start(client, login, session, world):
    rec = confirm(session, world)
    login(world.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}?lang=fi").get_data(as_text=True)
    assert "Läsnä klo 10.10–14.00 (3,83 h)" in page
    form = read_form(page, f"/attendance/records/{rec.id}/correct")
    assert form.fields[f"cstart-{world.key}"] == "2026-11-18T10:10"
    assert form.shown[f"cstart-{world.key}"] == "10.10"
    assert form.shown[f"cend-{world.key}"] == "14.00"


def test_a_correction_of_only_the_note_keeps_the_times_and_the_ledger(
    client, login, session, world
):
    rec = confirm(session, world)
    assert ledger(session) == [230]
    login(world.user)
    page = client.get(f"/attendance/shifts/{world.shift.id}?lang=fi").get_data(as_text=True)
    action = f"/attendance/records/{rec.id}/correct"
    fields = read_form(page, action).fields
    fields[f"cnote-{world.key}"] = "Kävi lääkärissä aamulla"
    fields[f"creason-{world.key}"] = "Huomautus puuttui"
    response = client.post(action, data=fields)
    assert response.status_code == 302
    new = current(session, world)
    assert new.supersedes_id == rec.id
    assert new.note == "Kävi lääkärissä aamulla"
    assert (new.actual_start, new.actual_end, new.minutes) == (at(10, 10), at(14), 230)
    assert sum(ledger(session)) == 230


def test_a_correction_to_a_new_off_grid_time_is_refused_and_stores_nothing(
    client, login, session, world
):
    rec = confirm(session, world)
    login(world.user)
    response = client.post(
        f"/attendance/records/{rec.id}/correct",
        data={
            f"cpresent-{world.key}": "present",
            f"cstart-{world.key}": "2026-11-18T10:20",
            f"cend-{world.key}": "2026-11-18T14:00",
            f"creason-{world.key}": "Tuli myöhemmin",
        },
    )
    assert response.status_code == 422
    assert "Choose a time on the quarter hour" in response.get_data(as_text=True)
    assert current(session, world).id == rec.id
    assert ledger(session) == [230]


# ---------------------------------------------------------------- the operations


def test_correct_accepts_the_records_own_off_grid_times(session, world):
    rec = confirm(session, world)
    with force_locale("en"):
        new = attendance.correct(
            session,
            world.user,
            rec,
            Entry(present=True, start=at(10, 10), end=at(14), note="Lisätty"),
            "Huomautus",
        )
    assert new.minutes == 230


def test_correct_refuses_an_off_grid_time_the_record_does_not_hold(session, world):
    rec = confirm(session, world)
    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        attendance.correct(
            session, world.user, rec, Entry(present=True, start=at(10), end=at(13, 50)), "Väärin"
        )
    assert "end" in refused.value.errors


def test_recording_a_new_draft_off_the_grid_is_still_refused(session):
    clock.freeze(NOW)
    w = factories.make_attendance_setup(DAY, start=time(10, 0), minutes=240)
    entry = Entry(present=True, start=at(10, 10), end=at(14))
    with force_locale("en"), pytest.raises(ValidationFailed) as refused:
        attendance.record(session, w.instructor.user, w.assignment, entry)
    assert "start" in refused.value.errors
