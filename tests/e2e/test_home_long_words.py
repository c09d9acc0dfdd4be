"""Home pages on a 390 px phone: a task title, group or unit name typed as one long
word (Finnish compounds, pasted codes) wraps inside its card instead of pushing the
whole page sideways."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from jobcenter.core import clock
from jobcenter.core.enums import Locale, Stream
from jobcenter.extensions import db
from jobcenter.scheduling.models import AssignmentEvent, AssignmentStatus
from tests import factories
from tests.e2e.conftest import has_horizontal_scroll, screenshot, sign_in

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=clock.HELSINKI)
LONG_TITLE = "Pääkirjastonaulanikkunoidenpesuurakkakokonaisuuskevätkaudelle"  # 61 chars
LONG_GROUP = "Maanantaiaamupäivänikkunanpesuryhmäkokoonpanoharjoittelijoille"
LONG_UNIT = "Kaupunginkirjastonpääkirjastonasiakaspalvelukeskusyksikkö"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.HELSINKI)


@pytest.fixture
def people(app):
    clock.freeze(MONDAY)  # the server thread shares the frozen clock
    unit = factories.make_unit(name=LONG_UNIT)
    contact = factories.make_unit_contact(unit=unit, locale=Locale.FI)
    instructor = factories.make_instructor(locale=Locale.FI)
    group = factories.make_group(instructor, name=LONG_GROUP)
    participant = factories.make_participant(
        group, stream=Stream.DISABILITY, email="osallistuja@example.test", locale=Locale.FI
    )
    task = factories.make_task(unit, title=LONG_TITLE, group=group)
    wednesday = date(2026, 3, 4)
    shift = factories.make_shift(task, starts_at=_at(wednesday, 9))
    factories.make_shift(task, starts_at=_at(wednesday + timedelta(days=1), 9))
    assignment = factories.make_assignment(shift, participant, AssignmentStatus.CONFIRMED)
    db.session.flush()
    db.session.add(
        AssignmentEvent(
            assignment_id=assignment.id,
            from_status=AssignmentStatus.OFFERED,
            to_status=AssignmentStatus.ACCEPTED,
            at=MONDAY - timedelta(hours=1),
        )
    )
    manager = factories.make_manager(locale=Locale.FI)
    db.session.commit()
    yield {
        "unit_contact": contact,
        "instructor": instructor.user,
        "participant": participant.user,
        "manager": manager,
    }
    clock.freeze(None)


@pytest.mark.parametrize("role", ["unit_contact", "instructor", "participant", "manager"])
def test_home_page_does_not_scroll_sideways_on_a_phone_with_long_words(page: Page, people, role):
    page.set_viewport_size(PHONE_390)
    sign_in(page, people[role])
    page.goto("/home")
    if role != "manager":
        expect(page.locator("main")).to_contain_text(LONG_TITLE)
    shot = screenshot(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert not has_horizontal_scroll(page), f"page is {width} px wide (see {shot})"
