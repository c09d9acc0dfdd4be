"""An instructor checks a shift whose task changed after people said yes, by keyboard
only: from the inbox's "Shifts to check" to the shift's page, where they move the
shift to the task's new time. axe-core checks the inbox and the shift page before and
after."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from jobcenter.scheduling.models import AssignmentStatus, Shift
from jobcenter.units.posting import update_task
from tests import factories
from tests.e2e.conftest import assert_accessible, has_horizontal_scroll, sign_in
from tests.e2e.test_attendance import tab_to

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=clock.HELSINKI)


@pytest.fixture
def world(app):
    clock.freeze(NOW)  # the live server's thread reads the same clock
    contact = factories.make_unit_contact()
    group = factories.make_group()
    group.instructor.user.locale = Locale.EN
    task = factories.make_accepted_task(
        contact, group, title="Archive boxes", dates=["2026-11-24"], preferred_start="09:00"
    )
    shift = db.session.scalars(sa.select(Shift).where(Shift.task_id == task.id)).one()
    person = factories.make_participant(group=group, first_name="Aino", last_name="Aalto")
    factories.make_assignment(shift, person, AssignmentStatus.CONFIRMED)
    update_task(db.session, task, actor=contact, values={"preferred_start": "12:00"})
    db.session.commit()
    return group.instructor.user, shift


def test_instructor_moves_a_changed_shift_with_the_keyboard(page: Page, world):
    instructor, _shift = world
    sign_in(page, instructor)
    page.goto("/inbox")
    assert_accessible(page, "inbox")

    tab_to(page, lambda f: f.split("|")[2].startswith("Archive boxes,"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Shift: Archive boxes")
    assert_accessible(page, "shift to check")

    tab_to(page, lambda f: f.endswith("|Change the shift and tell the people"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("The shift now follows the task.")).to_be_visible()
    expect(page.get_by_text("No change is waiting on this shift.")).to_be_visible()
    assert_accessible(page, "shift moved")


PHONE_390 = {"width": 390, "height": 844}


def test_shift_to_check_fits_a_390_px_phone_in_swedish(page: Page, world):
    """The comparison of the shift and its task stacks on a phone: long Swedish words
    ("Arbetsuppgiften nu") and the supervision words never make the page scroll sideways."""
    instructor, shift = world
    instructor.locale = Locale.SV
    shift.task.title = "Arkivering av examensarbeten och flyttpackning"
    shift.task.site_address = "Stadsbibliotekets mångfunktionssal, Kyrkoherdevägen 3"
    shift.supervision_needed = 3  # raised for Aino, who needs one-to-one supervision
    shift.assignments[0].participant.plans[0].supervision_level = 3
    db.session.commit()
    sign_in(page, instructor)
    page.set_viewport_size(PHONE_390)

    page.goto(f"/shifts/{shift.id}/manage")

    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Arbetsuppgiften nu")
    expect(page.get_by_role("row", name="Handledning")).not_to_contain_text("(ändrad)")
    assert not has_horizontal_scroll(page)
    assert_accessible(page, "phone shift to check in Swedish")
