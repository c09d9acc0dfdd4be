"""Calendar pages in the browser: a participant subscribes on a phone (fi, sv, en) and makes
a new address by keyboard; an instructor uses the week grid by keyboard. axe-core must
find nothing on any of them."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories
from tests.e2e.conftest import PHONE, assert_accessible, has_horizontal_scroll, sign_in

pytestmark = pytest.mark.e2e

H = clock.HELSINKI
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=H)  # Monday 2 March 2026


@pytest.fixture
def world(app):
    clock.freeze(NOW)  # the server thread shares the clock
    group = factories.make_group(name="Aamuryhmä")
    group.instructor.user.locale = Locale.EN
    maija = factories.make_participant(
        group=group, email="maija@example.test", first_name="Maija", last_name="Mehiläinen"
    )
    maija.user.locale = Locale.FI
    pekka = factories.make_participant(group=group, first_name="Pekka", last_name="Puupää")
    unit = factories.make_unit(name="Kirjasto")
    task = factories.make_task(unit, title="Kirjojen lajittelu", group=group)
    shift = factories.make_shift(
        task, datetime(2026, 3, 3, 9, 0, tzinfo=H), instructor=group.instructor
    )
    factories.make_assignment(shift, maija, status=AssignmentStatus.CONFIRMED)
    factories.make_assignment(shift, pekka, status=AssignmentStatus.ACCEPTED)
    db.session.commit()
    return {"group": group, "maija": maija}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_participant_subscribes_on_a_phone(page: Page, world, lang):
    page.set_viewport_size(PHONE)
    sign_in(page, world["maija"].user)
    page.goto(f"/calendar/subscribe?lang={lang}")
    address = page.locator("#feed-url")
    expect(address).to_have_value(
        re.compile(r"^http://127\.0\.0\.1:5000/calendar/feed/[\w-]{43}\.ics$")
    )
    expect(page.locator("a[href^='webcal://']")).to_be_visible()
    assert not has_horizontal_scroll(page)
    assert_accessible(page, f"subscribe-phone-{lang}")


def test_participant_makes_a_new_address_by_keyboard(page: Page, world):
    sign_in(page, world["maija"].user)
    page.goto("/calendar/subscribe?lang=en")
    old = page.locator("#feed-url").input_value()
    page.locator("#feed-url").focus()
    expect(page.locator("#feed-url")).to_be_focused()
    button = page.get_by_role("button", name="Make a new address")
    for _ in range(30):  # Tab forward until the button has the focus
        if button.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/calendar/subscribe")
    # The flash comes in the person's own language after the redirect.
    expect(page.locator(".flashes")).to_be_visible()
    assert page.locator("#feed-url").input_value() != old
    assert_accessible(page, "regenerated")


def test_subscribe_page_on_a_desktop(page: Page, world):
    sign_in(page, world["group"].instructor.user)
    page.goto("/calendar/subscribe")
    expect(page.locator("h1")).to_contain_text("Shifts in your own calendar")
    assert_accessible(page, "subscribe-instructor")


def test_instructor_uses_the_week_grid_by_keyboard(page: Page, world):
    sign_in(page, world["group"].instructor.user)
    page.get_by_role("link", name="Week calendar").first.click()
    expect(page.locator("h1")).to_contain_text("Week")
    expect(page.locator("main")).to_contain_text("Maija Mehiläinen")
    expect(page.locator("main")).to_contain_text("Kirjojen lajittelu")
    assert_accessible(page, "week")

    page.locator("#filter-unit").focus()
    page.keyboard.press("ArrowDown")  # "Kirjasto"
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**unit=*")
    expect(page.locator("#filter-unit")).to_have_value(re.compile(r"\d+"))

    page.get_by_role("link", name="Next week").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**week=2026-03-09*")
    expect(page.locator("main")).to_contain_text("No shifts this week.")
    assert_accessible(page, "week-next")


def test_week_grid_at_phone_width_is_accessible(page: Page, world):
    page.set_viewport_size(PHONE)
    sign_in(page, world["group"].instructor.user)
    page.goto("/calendar/week")
    expect(page.locator("main")).to_contain_text("Pekka Puupää")
    assert_accessible(page, "week-phone")
