"""The manager's dashboard in the browser: choose a period, read the pilot's summary,
the charts with their data tables, drill down from a unit to its tasks, a shift and the
people on it with the keyboard only. axe-core checks every page on the way."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.dashboard.conftest import today, world  # noqa: F401
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def tab_to(page: Page, text: str, limit: int = 200) -> None:
    """Press Tab until a focused link's text contains `text`."""
    script = (
        "() => { const a = document.activeElement;"
        " return a && a.tagName === 'A' ? a.innerText : ''; }"
    )
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(script)
        if focused and text in focused:
            return
    raise AssertionError(f"no link with {text!r} within {limit} Tab presses")


def test_manager_reads_the_dashboard_and_drills_down_by_keyboard(page: Page, world):  # noqa: F811
    sign_in(page, world.manager)
    page.get_by_role("link", name="Dashboard").first.click()
    expect(page.locator("h1")).to_have_text("Dashboard")

    page.locator("#from").fill("2026-01-01")
    page.locator("#to").fill("2026-03-31")
    page.locator("#to").press("Enter")
    page.wait_for_url("**/dashboard?from=2026-01-01&to=2026-03-31")
    main = page.locator("main")
    expect(main).to_contain_text(
        "Hours done: disability work activity 11.5 h, rehabilitative work activity 7 h, "
        "total 18.5 h."
    )
    for chart, table in (
        ("chart-hours", "table-hours_by_month"),
        ("chart-fill", "table-fill_rate"),
    ):
        expect(page.locator(f"svg#{chart}[role=img]")).to_be_visible()
        expect(page.locator(f"#{table}")).to_be_visible()
    expect(page.locator("#table-fill_rate tfoot")).to_contain_text("77.1")
    assert_accessible(page, "dashboard")

    tab_to(page, "Kallion kirjasto")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/hours/unit/**")
    expect(page.locator("h1")).to_have_text("Unit: Kallion kirjasto")
    assert_accessible(page, "unit")

    tab_to(page, "Ikkunat")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/tasks/**")
    expect(page.locator("h1")).to_have_text("Ikkunat")
    assert_accessible(page, "task")

    tab_to(page, "1/15/26")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/shifts/**")
    expect(main).to_contain_text("Pekka V.")
    expect(main).not_to_contain_text("Virtanen")
    expect(main).to_contain_text("recorded in the audit log")
    assert_accessible(page, "people")


def test_a_wrong_period_is_explained_next_to_the_field(page: Page, world):  # noqa: F811
    sign_in(page, world.manager)
    page.goto("/dashboard?from=2026-03-31&to=2026-01-01")
    expect(page.locator(".error-summary")).to_contain_text(
        "The last day cannot be before the first day."
    )
    expect(page.locator("#to")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "invalid")
