"""Report pages in the browser: each axe-clean (WCAG 2.1 AA) for the roles that use them,
the picker used with the keyboard only, bad input shown beside its field, the printable
page, and the participant's own page on a phone."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from jobcenter.catalog.seed import seed_reference_data
from jobcenter.core import clock
from jobcenter.core.enums import Locale, Stream
from jobcenter.extensions import db
from jobcenter.hours.models import AbsenceKind, ActivityDayStatus
from tests import factories as f
from tests.e2e.conftest import PHONE, assert_accessible, sign_in
from tests.reports.conftest import TODAY, at
from tests.reports.helpers import hours_on, shift_on

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(app):
    clock.freeze(at(TODAY, 12))  # Wednesday 25.11.2026; the server thread shares it
    seed_reference_data(db.session)
    instructor = f.make_instructor(first_name="Irma", last_name="Laine", locale=Locale.EN)
    group = f.make_group(instructor, name="Aamuryhmä")
    aino = f.make_participant(
        group,
        stream=Stream.REHABILITATIVE,
        first_name="Aino",
        last_name="Aalto",
        locale=Locale.EN,
        plan={"monthly_earnings_ceiling_cents": 9000},
    )
    bo = f.make_participant(
        group, stream=Stream.DISABILITY, first_name="Bo", last_name="Berg",
        plan={"daily_allowance_cents": 1000},
    )  # fmt: skip
    contact = f.make_unit_contact(first_name="Ulla", locale=Locale.EN)
    windows = f.make_task(contact.unit, title="Ikkunoiden pesu")
    hours_on(aino, date(2026, 11, 10), 240, windows)
    hours_on(bo, date(2026, 11, 11), 300, windows)
    f.make_assignment(shift_on(date(2026, 11, 27), windows), aino)
    for day, kind in ((2, None), (3, AbsenceKind.OWN_ILLNESS), (4, AbsenceKind.UNEXCUSED)):
        f.make_activity_day(aino, date(2026, 11, day), absence_kind=kind)
    f.make_activity_day(bo, date(2026, 11, 2))
    f.make_activity_day(bo, date(2026, 12, 6), status=ActivityDayStatus.NOT_ORGANISED)
    admin = f.make_admin(locale=Locale.EN)
    manager = f.make_manager(locale=Locale.EN)
    db.session.commit()
    yield {
        "instructor": instructor.user,
        "participant": aino.user,
        "contact": contact,
        "admin": admin,
        "manager": manager,
    }
    clock.freeze(None)


def test_instructor_chooses_a_month_with_the_keyboard_and_prints_it(page: Page, people):
    sign_in(page, people["instructor"])
    page.goto("/reports/allowance")
    expect(page.locator("h1")).to_have_text("Allowance days")
    assert_accessible(page, "allowance-default")

    page.locator("#kind").focus()
    page.keyboard.press("End")  # the last option: calendar month
    page.keyboard.press("Tab")
    start = page.locator("#start")
    expect(start).to_be_focused()
    start.fill("2026-11-01")  # a date input's typing order follows the browser's locale
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/allowance?**")
    table = page.locator("table").first
    expect(table).to_contain_text("Aalto Aino")
    expect(page.locator("h2").nth(1)).to_contain_text("Calendar month")
    assert_accessible(page, "allowance-month")

    page.get_by_role("link", name="Printable page").click()
    expect(page.locator(".print-bar")).to_contain_text("ready to print")
    for nav in page.locator(".main-nav").all():
        expect(nav).to_be_hidden()
    expect(page.locator("table").first).to_contain_text("Aalto Aino")
    assert_accessible(page, "allowance-print")
    page.emulate_media(media="print")
    expect(page.locator(".print-bar")).to_be_hidden()
    page.emulate_media(media="screen")


def test_a_bad_date_is_shown_beside_its_field(page: Page, people):
    sign_in(page, people["instructor"])
    response = page.goto("/reports/allowance?start=2026-02-30")
    assert response is not None
    assert response.status == 422
    expect(page.locator(".error-summary")).to_contain_text("YYYY-MM-DD")
    expect(page.locator("#start")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "allowance-error")


def test_instructor_pages_for_wages_and_the_ceiling_are_accessible(page: Page, people):
    sign_in(page, people["instructor"])
    page.goto("/reports/wages?month=2026-11")
    expect(page.locator("table")).to_contain_text("Berg Bo")
    assert_accessible(page, "wages")
    page.goto("/reports/ceiling")
    expect(page.locator("table")).to_contain_text("Aalto Aino")  # 40 € + 40 € of 90 €
    assert_accessible(page, "ceiling")
    page.goto("/reports/ceiling?view=print")
    assert_accessible(page, "ceiling-print")


@pytest.mark.parametrize("who", ["admin", "manager", "contact"])
def test_billing_page_is_accessible_for_each_role_that_uses_it(page: Page, people, who):
    sign_in(page, people[who])
    page.goto("/reports/billing?month=2026-11")
    expect(page.locator("main")).to_contain_text("Ikkunoiden pesu")
    assert_accessible(page, f"billing-{who}")
    page.goto("/reports/billing?month=2026-11&view=print")
    expect(page.locator(".print-bar")).to_be_visible()
    assert_accessible(page, f"billing-print-{who}")


def test_participant_sees_hours_and_pay_on_a_phone(page: Page, people):
    page.set_viewport_size(PHONE)
    sign_in(page, people["participant"])
    page.goto("/reports/my-earnings")
    expect(page.locator("h1")).to_have_text("My hours and pay")
    expect(page.locator(".my-figures")).to_contain_text("40.00 €")
    expect(page.locator(".ceiling-note")).to_contain_text("You are close to your limit")
    assert_accessible(page, "my-earnings-phone")
    page.get_by_role("link", name="Previous month").click()
    expect(page.locator("main")).to_contain_text("No confirmed hours in this month.")
    assert_accessible(page, "my-earnings-october")
