"""The participant's journey at phone size (360 × 740): sign in with a link, see the next
shift, accept an offer, (subscribe to the calendar feed), and every participant page
axe-clean in Finnish, Swedish and English."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from jobcenter.catalog.models import TaskKind
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories
from tests.e2e.conftest import (
    PHONE,
    assert_accessible,
    has_horizontal_scroll,
    screenshot,
    sign_in,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=clock.HELSINKI)  # Monday


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=clock.HELSINKI)


@pytest.fixture
def journey(app, reference_data):
    with clock.frozen(NOW):
        instructor = factories.make_instructor(first_name="Irma", last_name="Laine",
                                               phone="040 123 4567")  # fmt: skip
        person = factories.make_participant(
            factories.make_group(instructor), first_name="Pekka", locale=Locale.EN
        )
        kinds = {k.code: k for k in db.session.scalars(sa.select(TaskKind))}
        unit = factories.make_unit(name="Kontulan palvelukeskus", street_address="Kontulankaari 1")
        today = NOW.date()
        confirmed = factories.make_offered_shift(
            person, status=AssignmentStatus.CONFIRMED, starts_at=at(today + timedelta(days=1), 9),
            unit=unit, title="Aulan ikkunat", what_to_bring="Työkengät",
            task_kind=kinds["window_washing"],
        )  # fmt: skip
        offer = factories.make_offered_shift(
            person,
            starts_at=at(today + timedelta(days=3), 12),
            unit=unit,
            title="Kirjeet",
            task_kind=kinds["mailing_labelling"],
        )
        db.session.commit()
        yield person, confirmed, offer


def test_participant_signs_in_sees_next_shift_and_accepts_an_offer(page: Page, journey):
    person, _confirmed, _offer = journey
    page.set_viewport_size(PHONE)
    with clock.frozen(NOW):
        sign_in(page, person.user)

        shifts = page.locator(".my-shifts > li")
        expect(shifts.first).to_contain_text("Tuesday, November 24 at 09:00–13:00")
        expect(shifts.first).to_contain_text("Confirmed")
        assert not has_horizontal_scroll(page)
        screenshot(page, "my-shifts")  # kept in test-artifacts/

        shifts.nth(1).get_by_role("button", name="Yes, I will come").click()
        expect(page.locator("[role=status]")).to_contain_text("You said yes")
        expect(page.locator(".my-shifts > li").nth(1)).to_contain_text("You said yes")
        assert_accessible(page, "accepted")

        if page.locator("a[href='/calendar/subscribe']").count():
            page.locator("a[href='/calendar/subscribe']").first.click()
            page.wait_for_url("**/calendar/subscribe")
            assert_accessible(page, "subscribe")


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_participant_page_is_accessible_in_each_language(page: Page, journey, lang):
    person, confirmed, offer = journey
    page.set_viewport_size(PHONE)
    with clock.frozen(NOW):
        sign_in(page, person.user)
        page.locator(f"button[lang={lang}]").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        paths = [
            "/my/shifts",
            "/my/week",
            "/my/month",
            f"/my/shifts/{confirmed.shift_id}",
            f"/my/shifts/{offer.shift_id}",
            "/my/availability",
        ]
        for path in paths:
            page.goto(path)
            assert not has_horizontal_scroll(page), path
            assert_accessible(page, f"{lang}-{path}")
        # A refused form shows its messages accessibly too.
        page.goto("/my/availability")
        page.locator("#window-start").fill("13:00")
        page.locator("#window-end").fill("09:00")
        page.locator("form.add-form button[type=submit]").first.click()
        expect(page.locator(".error-summary")).to_be_visible()
        assert_accessible(page, f"{lang}-availability-error")


def test_offer_can_be_declined_by_keyboard_with_a_reason(page: Page, journey):
    person, _confirmed, offer = journey
    page.set_viewport_size(PHONE)
    with clock.frozen(NOW):
        sign_in(page, person.user)
        page.goto(f"/my/shifts/{offer.shift_id}")
        page.get_by_role("button", name="I have another appointment").focus()
        page.keyboard.press("Enter")
        expect(page.locator("[role=status]")).to_contain_text("You said no")
        assert_accessible(page, "declined")
