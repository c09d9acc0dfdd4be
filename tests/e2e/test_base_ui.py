"""Browser journeys through the base layout and every role's home page, checked by axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.enums import Locale, Role
from tests import factories
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    has_horizontal_scroll,
    screenshot,
    sign_in,
)
from tests.e2e.people import NEXT_STEPS, NOW, build_world

pytestmark = pytest.mark.e2e

ROLES = [Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.PARTICIPANT]


@pytest.fixture
def world(app):
    clock.freeze(NOW)
    return build_world()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_login_page_passes_axe_in_every_language(page: Page, lang: str):
    page.goto(f"/login?lang={lang}")

    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_each_roles_home_page_passes_axe_and_shows_next_steps(page: Page, world, role: Role):
    sign_in(page, world[role])

    expect(page.locator("main")).to_contain_text(NEXT_STEPS[role])
    current = page.locator("nav[aria-label] a[aria-current=page]:visible")
    expect(current).to_have_attribute("href", "/home")
    assert_accessible(page)


def test_participant_sees_their_next_shifts_in_plain_words(page: Page, world):
    sign_in(page, world[Role.PARTICIPANT])

    shifts = page.locator(".my-shifts > li")
    expect(shifts).to_have_count(2)
    expect(shifts.first).to_contain_text("Thursday, January 16 at 09:00–13:00")
    expect(shifts.first).to_contain_text("Window washing")
    expect(shifts.first).to_contain_text("Confirmed")
    expect(shifts.nth(1)).to_contain_text("Can you come? Please answer.")
    expect(page.locator("main")).to_contain_text("Irma Laine")
    expect(page.locator("a[href='tel:0401234567']")).to_be_visible()


def test_signed_in_user_switches_language_by_keyboard_and_it_is_kept(
    page: Page, browser, live_server, world, session
):
    manager = world[Role.MANAGER]
    sign_in(page, manager)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    for _ in range(30):  # Tab to the "På svenska" button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('lang')") == "sv":
            break
    else:
        pytest.fail("the Swedish button cannot be reached with Tab")
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("button[lang=sv]")).to_have_attribute("aria-current", "true")
    assert page.url.endswith("/home")
    session.expire_all()
    assert session.get(User, manager.id).locale == Locale.SV

    elsewhere = browser.new_context(base_url=live_server)  # another device
    try:
        other = elsewhere.new_page()
        sign_in(other, manager)
        expect(other.locator("html")).to_have_attribute("lang", "sv")
    finally:
        elsewhere.close()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, app, session):
    user = factories.make_manager(locale=Locale.EN)
    session.commit()
    sign_in(page, user)

    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")

    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the page's content, not the header
    inside_main = page.evaluate(
        "() => document.querySelector('main').contains(document.activeElement)"
    )
    assert inside_main


def test_focus_is_always_visible(page: Page):
    page.goto("/login?lang=en")

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand link
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")

    assert outline == "solid"


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_home_page_fits_a_360px_phone_without_horizontal_scroll(page: Page, world, role: Role):
    page.set_viewport_size(PHONE)
    sign_in(page, world[role])

    assert not has_horizontal_scroll(page), "the page scrolls sideways on a 360 px phone"
    assert_accessible(page, "phone")
    page.set_viewport_size(DESKTOP)


def test_login_page_fits_a_360px_phone(page: Page):
    page.set_viewport_size(PHONE)
    page.goto("/login?lang=sv")

    assert not has_horizontal_scroll(page)
    screenshot(page)


def test_error_page_passes_axe_and_leads_home(page: Page, world):
    sign_in(page, world[Role.MANAGER])

    response = page.goto("/no-such-page")

    assert response is not None
    assert response.status == 404
    assert_accessible(page)
    page.get_by_role("link", name="Go to your home page").click()
    page.wait_for_url("**/home")


def test_flash_message_is_announced_after_signing_out(page: Page, world):
    sign_in(page, world[Role.MANAGER])

    page.get_by_role("button", name="Sign out").click()

    page.wait_for_url("**/login")
    expect(page.locator("[role=status]")).to_be_visible()
    assert_accessible(page)


def test_printed_page_leaves_out_menus_and_buttons(page: Page, world):
    sign_in(page, world[Role.PARTICIPANT])

    page.emulate_media(media="print")

    for nav in page.locator("nav.main-nav").all():
        expect(nav).to_be_hidden()
    expect(page.locator("form.lang-switch")).to_be_hidden()
    expect(page.locator("main")).to_contain_text("Thursday, January 16")
    page.pdf(path=str(screenshot(page).with_suffix(".pdf")))


def test_staff_menu_folds_into_one_button_on_a_phone_and_opens_by_keyboard(page: Page, world):
    page.set_viewport_size(PHONE)
    sign_in(page, world[Role.INSTRUCTOR])
    menu = page.locator("nav.nav-narrow summary")
    expect(menu).to_be_visible()
    expect(page.locator("nav.nav-wide")).to_be_hidden()
    header_height = page.evaluate("() => document.querySelector('header').offsetHeight")
    assert header_height < 160, header_height  # was about 300 with the wide menu
    screenshot(page, "menu-closed")

    menu.focus()
    page.keyboard.press("Enter")

    links = page.locator("nav.nav-narrow .nav-links a")
    expect(links.first).to_be_visible()
    assert links.count() > 4
    screenshot(page, "menu-open")
    assert_accessible(page, "phone-menu-open")
    page.set_viewport_size(DESKTOP)
    expect(page.locator("nav.nav-wide .nav-links a").first).to_be_visible()


def test_participants_short_menu_is_always_shown_on_a_phone(page: Page, world):
    page.set_viewport_size(PHONE)
    sign_in(page, world[Role.PARTICIPANT])
    expect(page.locator("nav.main-nav .nav-links a").first).to_be_visible()
    assert page.locator("nav.nav-narrow").count() == 0
    page.set_viewport_size(DESKTOP)
