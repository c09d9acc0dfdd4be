"""The instructor's planning board in the browser: choose the week, run matching, wait
for the board, publish. axe-core checks the planning page, the run page and the board."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from tests.e2e.conftest import assert_accessible, sign_in
from tests.matching.db_world import NOW, WEEK, make_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(app):
    clock.freeze(NOW)  # the server thread and the matching worker share it
    world = make_world()
    world.instructor.user.locale = Locale.EN
    db.session.commit()
    return world


def test_instructor_runs_matching_and_publishes_the_board(page: Page, world):
    sign_in(page, world.instructor.user)
    page.get_by_role("link", name="Planning").first.click()
    expect(page.locator("h1")).to_have_text("Planning")
    page.locator("#week").fill(WEEK.isoformat())
    page.locator("#week").press("Enter")
    expect(page.get_by_role("heading", name="Matching for")).to_be_visible()
    assert_accessible(page, "planning")

    page.get_by_role("button", name="Run matching").click()
    page.wait_for_url("**/planning/runs/*")
    expect(page.locator("h1")).to_contain_text("Planning board")
    assert_accessible(page, "run")

    # The background worker finishes quickly; the page refreshes itself until then.
    expect(page.get_by_role("heading", name="Warnings")).to_be_visible(timeout=30_000)
    first = world.people[0].user
    expect(page.locator("main")).to_contain_text("slots filled")
    expect(page.locator("main")).to_contain_text(first.last_name)
    assert_accessible(page, "board")

    page.get_by_role("button", name="Publish", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Published:")
    expect(page.locator("main")).to_contain_text("offered")
    assert_accessible(page, "published")
