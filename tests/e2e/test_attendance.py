"""An instructor records a day's attendance with the keyboard only (Tab, Space, Enter
and the arrow keys inside radio groups and selects; no mouse clicks): one person
present but leaving early, one absent for illness; saves and confirms. axe-core checks
today's page, the shift page with its history, the overdue list and the months page."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from jobcenter.catalog.models import RateKind
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from jobcenter.hours import attendance
from jobcenter.hours.models import AbsenceKind, AttendanceRecord, HourEntry, MonthClosure
from tests import factories
from tests.e2e.conftest import assert_accessible, has_horizontal_scroll, sign_in

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)


@pytest.fixture
def world(app):
    clock.freeze(NOW)  # the live server's thread reads the same clock
    factories.make_rate(RateKind.WAGE, 1000, date(2026, 1, 1))
    factories.make_rate(RateKind.PRICE, 1450, date(2026, 1, 1))
    w = factories.make_attendance_setup(DAY)
    w.instructor.user.locale = Locale.EN
    w.second = factories.make_assignment(w.shift, factories.make_participant(w.group))
    earlier = factories.make_shift_on(w.task, date(2026, 11, 16), instructor=w.instructor)
    factories.make_assignment(earlier, w.participant)
    db.session.commit()
    return w


def focused(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return (e.id || e.name || '') + '|' + (e.value || '') + '|' + e.textContent.trim(); }"
    )


def tab_to(page: Page, predicate, limit: int = 80) -> str:
    """Press Tab until the focused element satisfies `predicate` (its 'id|value|text')."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            return now
    raise AssertionError(f"could not reach the element by Tab (last: {focused(page)})")


def test_instructor_records_and_confirms_a_day_with_the_keyboard(page: Page, world):
    first, second = world.assignment.id, world.second.id
    sign_in(page, world.instructor.user)
    page.goto("/attendance")
    expect(page.locator("h1")).to_have_text("Attendance today")
    assert_accessible(page, "today")

    # First person: Present (Space), end one quarter earlier (Arrow Up), "Left early".
    tab_to(page, lambda f: f.startswith(f"present-{first}|present"))
    page.keyboard.press("Space")
    tab_to(page, lambda f: f.startswith(f"end-{first}|"))
    page.keyboard.press("ArrowUp")
    assert focused(page).startswith(f"end-{first}|2026-11-18T12:45")
    tab_to(page, lambda f: f.startswith(f"left_early-{first}|"))
    page.keyboard.press("Space")

    # Second person: Absent (arrow within the radio group), kind "Own illness".
    tab_to(page, lambda f: f.startswith(f"present-{second}|present"))
    page.keyboard.press("ArrowDown")
    assert focused(page).startswith(f"present-{second}|absent")
    tab_to(page, lambda f: f.startswith(f"kind-{second}|"))
    page.keyboard.press("ArrowDown")
    assert focused(page).startswith(f"kind-{second}|own_illness")

    tab_to(page, lambda f: f.endswith("|Save and confirm"))
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Attendance saved and confirmed.")
    expect(page.locator("main")).to_contain_text("Present 09:00–12:45")
    expect(page.locator("main")).to_contain_text("Absent: Own illness")
    assert_accessible(page, "confirmed")

    db.session.rollback()
    entries = db.session.scalars(sa.select(HourEntry)).all()
    assert [(e.participant_id, e.minutes) for e in entries] == [(world.participant.id, 225)]
    absent = attendance.current_record(db.session, second)
    assert (absent.present, absent.absence_kind) == (False, AbsenceKind.OWN_ILLNESS)
    assert absent.confirmed_at is not None

    # The shift page: history and a correction form, reachable by keyboard.
    tab_to(page, lambda f: "Shift page and history" in f)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="History and corrections")).to_be_visible()
    assert_accessible(page, "shift")


def test_all_present_as_planned_by_keyboard_and_the_other_pages_are_accessible(page: Page, world):
    sign_in(page, world.instructor.user)
    page.goto("/attendance/overdue")
    expect(page.locator("main")).to_contain_text(world.task.title)
    assert_accessible(page, "overdue")

    page.goto("/attendance")
    tab_to(page, lambda f: "All present as planned" in f)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("2 marked present as planned")
    tab_to(page, lambda f: f.endswith("|Save and confirm"))
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("confirmed")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.sum(HourEntry.minutes))) == 480
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AttendanceRecord)) == 2

    # November is still going on: the page says so instead of offering to close it.
    page.goto("/attendance/months")
    assert_accessible(page, "months")
    expect(page.locator("main")).to_contain_text("The month November 2026 is not over yet.")
    expect(page.get_by_role("button", name="Close November 2026")).to_have_count(0)

    # On 1 December the 16 November shift is still unconfirmed: confirm it from the
    # missing list the months page points to, then November can be closed.
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    page.goto("/attendance/months")
    expect(page.locator("main")).to_contain_text("1 shift still has attendance")
    tab_to(page, lambda f: f.endswith("|Attendance missing"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Attendance missing")
    tab_to(page, lambda f: f.endswith(f"|{world.task.title}"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="History and corrections")).to_be_visible()
    tab_to(page, lambda f: "All present as planned" in f)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("1 marked present as planned")
    tab_to(page, lambda f: f.endswith("|Save and confirm"))
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Attendance saved and confirmed.")

    page.goto("/attendance/months")
    tab_to(page, lambda f: f.endswith("|Close November 2026"))
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("The month is closed.")
    assert_accessible(page, "month-closed")

    # A shift of the closed month offers no recording, only the way to correct.
    page.goto(f"/attendance/shifts/{world.shift.id}")
    expect(page.locator("main")).to_contain_text("Reopen it with a reason to correct this.")
    for name in ("Save", "Save and confirm", "All present as planned"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)


@pytest.mark.parametrize("path", ["shift", "/attendance/overdue", "/attendance/months"])
def test_attendance_pages_fit_a_390_px_phone_in_finnish(page: Page, world, path):
    """No sideways scrolling at 390 px: the sheet stacks each person's controls, wide
    tables scroll inside their own labelled region."""
    world.instructor.user.locale = Locale.FI
    world.task.title = "Tapahtumaesitteiden postitus ja tarroitus"
    world.task.site_address = "Kaupunginkirjaston monitoimisali, Kirkkoherrantie 3"
    db.session.add(  # October closed and reopened: the months page shows its reopen form
        MonthClosure(
            group_id=world.group.id,
            month=date(2026, 10, 1),
            closed_at=datetime(2026, 11, 2, 9, 0, tzinfo=clock.HELSINKI),
            reopened_at=datetime(2026, 11, 3, 9, 0, tzinfo=clock.HELSINKI),
            reopen_reason="Kelan raportissa virhe",
        )
    )
    attendance.record(
        db.session,
        world.instructor.user,
        world.assignment,
        attendance.planned_entry(world.shift),
    )
    db.session.commit()
    attendance.confirm_record(
        db.session,
        world.instructor.user,
        attendance.current_record(db.session, world.assignment.id),
    )
    db.session.commit()  # one confirmed (correction form, history), one still to record
    sign_in(page, world.instructor.user)
    page.set_viewport_size(PHONE_390)
    page.goto(f"/attendance/shifts/{world.shift.id}" if path == "shift" else path)
    expect(page.locator("h1")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page, f"phone {path}")
