"""A unit's journey in the browser: post a task with the keyboard, send it, an instructor
accepts it from the inbox, the unit sees it scheduled and, once the shift is over, the
work done with its confirmed hours. axe-core checks every unit
page and the inbox on the way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from jobcenter.catalog.seed import seed_reference_data
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from jobcenter.scheduling.models import Shift
from tests import factories
from tests.e2e.conftest import assert_accessible, sign_in
from tests.units.helpers import T0

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(app):
    clock.freeze(T0)  # Monday 2.3.2026 10:00 in Helsinki; the server thread shares it
    seed_reference_data(db.session)
    unit = factories.make_unit(
        name="Kontulan palvelukeskus", street_address="Kontulankaari 1", postal_code="00940"
    )
    contact = factories.make_unit_contact(
        unit=unit, first_name="Ulla", last_name="Nieminen", locale=Locale.EN
    )
    instructor = factories.make_instructor(
        first_name="Irma", last_name="Laine", phone="040 123 4567", locale=Locale.EN
    )
    group = factories.make_group(instructor, name="Aamuryhmä")
    db.session.commit()
    return {"contact": contact, "instructor": instructor.user, "group": group}


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login**")


def test_unit_posts_a_task_and_sees_it_accepted(page: Page, people):
    sign_in(page, people["contact"])

    # Our tasks, empty at first.
    page.get_by_role("link", name="Our tasks").first.click()
    expect(page.locator("h1")).to_have_text("Our tasks")
    assert_accessible(page, "our-tasks-empty")

    # The posting form; an invalid try first: 422 with messages beside the fields.
    page.get_by_role("link", name="Post a task").first.click()
    expect(page.locator("h1")).to_have_text("Post a task")
    assert_accessible(page, "posting-form")
    page.locator("#headcount").fill("0")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator(".error-summary")).to_contain_text("Give the task a short title.")
    expect(page.locator(".error-summary")).to_contain_text("At least one person is needed.")
    assert_accessible(page, "posting-form-errors")

    # Keyboard only: type the title, Tab to the kinds of work and choose one with Space.
    page.locator("#title").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Ikkunoiden pesu")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("#task_kind_id input[type=radio]").first).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Aulan ja ruokasalin ikkunat.")
    page.locator("#headcount").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.locator("#dates-0").fill("2026-03-09")
    page.locator("#preferred_start").fill("09:00")
    page.get_by_role("button", name="Submit").focus()
    page.keyboard.press("Enter")

    expect(page.locator(".flash-success")).to_contain_text("The task was sent to the instructors.")
    expect(page.locator("h1")).to_contain_text("Ikkunoiden pesu")
    expect(page.locator("#status-heading")).to_contain_text("submitted")
    assert_accessible(page, "task-submitted")
    task_url = page.url
    page.get_by_role("link", name="Back to our tasks").click()
    expect(page.locator("main")).to_contain_text("Ikkunoiden pesu")
    assert_accessible(page, "our-tasks")
    page.get_by_role("link", name="Hours and costs").first.click()
    expect(page.locator("h1")).to_have_text("Hours and costs")
    assert_accessible(page, "hours-and-costs")
    sign_out(page)

    # The instructor accepts it from the inbox into their group.
    sign_in(page, people["instructor"])
    page.get_by_role("link", name="Inbox").first.click()
    expect(page.locator("#waiting-heading")).to_contain_text("(1)")
    assert_accessible(page, "inbox")
    page.get_by_role("link", name="Ikkunoiden pesu").click()
    assert_accessible(page, "inbox-task")
    page.locator("#group_id").select_option(label="Aamuryhmä")
    page.get_by_role("button", name="Accept the task").click()
    expect(page.locator(".flash-success")).to_contain_text("The task was accepted.")
    sign_out(page)

    # The unit sees the answer: shifts planned, the instructor's contact.
    sign_in(page, people["contact"])
    page.goto(task_url)
    expect(page.locator("#status-heading")).to_contain_text("scheduled")
    expect(page.locator("main")).to_contain_text("Shifts are planned.")
    expect(page.locator("main")).to_contain_text("Irma Laine")
    expect(page.locator("main")).to_contain_text("Nobody confirmed yet")
    assert_accessible(page, "task-scheduled")

    # A week on the shift is over and the instructor has confirmed one person's hours:
    # the unit sees the work done as counts and hours, with no names.
    clock.freeze(datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    shift = db.session.scalars(sa.select(Shift).order_by(Shift.starts_at)).first()
    worker = factories.make_participant(people["group"], first_name="Kaarina")
    factories.make_hour_entry(worker, shift)
    db.session.commit()
    page.goto(task_url)
    expect(page.locator("#work-heading")).to_have_text("Work done")
    expect(page.locator("table.work-done tbody tr")).to_have_count(1)
    expect(page.locator("table.work-done tfoot")).to_contain_text("4")
    expect(page.locator("main")).not_to_contain_text("Kaarina")
    assert_accessible(page, "task-work-done")
