"""The instructor's planning board in the browser: choose the week, run matching, wait
for the board, ask "why not…?" about a person and a shift by keyboard, swap people by
keyboard (a refusal and a replacement), publish. axe-core checks the planning page, the
run page, the board at 1280 and 768 px, the why-not answer and the refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.extensions import db
from jobcenter.participants.models import Participant
from jobcenter.scheduling.models import Assignment, AssignmentStatus
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

    _ask_why_not_by_keyboard(page, world)

    page.get_by_role("link", name="Publish…", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("What happens now")
    assert_accessible(page, "publish: what happens")
    page.get_by_role("button", name="Publish and tell the people").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Published:")
    expect(page.locator("main")).to_contain_text("offered")
    assert_accessible(page, "published")


def _ask_why_not_by_keyboard(page: Page, world) -> None:
    """On Monday one slot stays open (three people, two overlapping shifts): ask why a
    person is not on that shift; the answer opens beside it and takes the focus."""
    monday = page.locator(f"section:has(#day-{WEEK.isoformat()})")
    shift = monday.locator("li.board-shift.is-open").first
    summary = shift.locator("details.why-not summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(shift.locator("details.why-not")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    select = shift.get_by_label("Why is this person not on the shift?")
    expect(select).to_be_focused()
    who = select.locator("option").nth(1).inner_text()
    _choose_by_keyboard(page, select, who)
    page.keyboard.press("Tab")
    expect(shift.get_by_role("button", name="Ask")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/why-not?*#why-*")
    answer = page.locator("section.why-answer")
    expect(answer).to_be_focused()
    expect(answer.get_by_role("heading", name=f"Why not {who}?")).to_be_visible()
    # Everyone is on one of the two overlapping Monday shifts: that rule stops them.
    expect(answer).to_contain_text(f"{who} has another shift at that time")
    assert_accessible(page, "why-not")


def _name(person) -> str:
    return f"{person.user.first_name} {person.user.last_name}"


def _holders(shift) -> list:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(Assignment).where(
            Assignment.shift_id == shift.id, Assignment.status == AssignmentStatus.PROPOSED
        )
    ).all()
    return [db.session.get(Participant, a.participant_id) for a in rows]


def _open_swap(page: Page, section, who: str) -> None:
    """Open the Swap disclosure of `who` with the keyboard."""
    row = section.get_by_role("row").filter(has=page.get_by_role("rowheader", name=who))
    summary = row.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(row.locator("details")).to_have_attribute("open", "")


def _choose_by_keyboard(page: Page, select, label: str) -> None:
    """Focus a select and move with the arrow keys until `label` is chosen."""
    select.focus()
    options = select.locator("option").all_inner_texts()
    target = next(i for i, text in enumerate(options) if text.startswith(label))
    current = select.evaluate("el => el.selectedIndex")
    for _ in range(abs(target - current)):
        page.keyboard.press("ArrowDown" if target > current else "ArrowUp")
    expect(select).to_have_value(select.locator("option").nth(target).get_attribute("value"))


def test_instructor_swaps_people_by_keyboard_and_sees_refusals(page: Page, world):
    sign_in(page, world.instructor.user)
    page.goto(f"/planning?week={WEEK.isoformat()}&group={world.group.id}")
    page.get_by_role("button", name="Run matching").click()
    page.wait_for_url("**/planning/runs/*")
    expect(page.get_by_role("heading", name="People this week")).to_be_visible(timeout=30_000)
    assert_accessible(page, "board-wide")

    monday = page.locator(f"section:has(#day-{WEEK.isoformat()})")
    tuesday = page.locator(f"section:has(#day-{(WEEK + timedelta(days=1)).isoformat()})")
    early, later, tue_shift = world.shifts

    # Giving a Monday 9-13 place to someone on the overlapping 10-14 shift is refused.
    on_early = _holders(early)
    on_later = [p for p in _holders(later) if p not in on_early]
    first_early = monday.locator("li.board-shift").first
    _open_swap(page, first_early, _name(on_early[0]))
    row = first_early.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=_name(on_early[0]))
    )
    _choose_by_keyboard(page, row.locator("select[name=participant]"), _name(on_later[0]))
    page.keyboard.press("Tab")
    expect(row.get_by_role("button", name="Replace")).to_be_focused()
    page.keyboard.press("Enter")
    alert = page.locator(".board-refusal")
    expect(alert).to_contain_text("nothing was changed")
    expect(alert).to_contain_text(f"{_name(on_later[0])} has another shift at that time")
    assert {p.id for p in _holders(early)} == {p.id for p in on_early}
    assert_accessible(page, "refused")

    # Giving the Tuesday shift to someone else is done as one change.
    [holder] = _holders(tue_shift)
    newcomer = next(p for p in world.people if p.id != holder.id)
    _open_swap(page, tuesday, _name(holder))
    row = tuesday.get_by_role("row").filter(has=page.get_by_role("rowheader", name=_name(holder)))
    _choose_by_keyboard(page, row.locator("select[name=participant]"), _name(newcomer))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(
        f"{_name(newcomer)} now has the shift instead of {_name(holder)}"
    )
    assert [p.id for p in _holders(tue_shift)] == [newcomer.id]
    assert_accessible(page, "replaced")

    page.set_viewport_size({"width": 768, "height": 1024})
    expect(page.get_by_role("heading", name="Warnings")).to_be_visible()
    assert_accessible(page, "board-768")
