"""Every page reachable from each role's main menu passes axe.

The menu is read from the page, so pages that other work adds to the menu are checked
too. Links found on those pages are followed one step further (same site, GET only),
one page per kind of address (/admin/units/1/edit stands for every unit's edit page)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from jobcenter.core import clock
from jobcenter.core.enums import Role
from tests.e2e.conftest import page_problems, screenshot, sign_in
from tests.e2e.people import NOW, build_world

pytestmark = pytest.mark.e2e

ROLES = [Role.ADMIN, Role.MANAGER, Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.PARTICIPANT]
# Pages that end the session or spend a one-time secret are not crawled.
SKIP_PREFIXES = ("/static/", "/logout", "/sign-in/", "/password/reset/", "/api/")
MAX_PAGES = 60


def _same_site_links(page: Page, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    links = []
    for href in hrefs:
        if not href or not href.startswith("/") or href.startswith("//"):
            continue
        path = urlsplit(href)._replace(fragment="").geturl()
        if _is_download(path):
            continue  # calendar files and exports are downloads, not pages
        if not path.startswith(SKIP_PREFIXES) and path not in links:
            links.append(path)
    return links


def _is_download(path: str) -> bool:
    parts = urlsplit(path)
    return parts.path.endswith((".ics", ".csv", ".xlsx")) or bool(
        re.search(r"(^|&)format=(csv|xlsx)(&|$)", parts.query)
    )


def _kind_of_page(path: str) -> str:
    """/admin/units/12/edit?page=2 → /admin/units/#/edit"""
    return re.sub(r"/\d+(?=/|$)", "/#", urlsplit(path).path)


@pytest.fixture
def world(app):
    clock.freeze(NOW)
    return build_world()


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_every_page_in_each_roles_menu_passes_axe(page: Page, world, role: Role):
    sign_in(page, world[role])
    menu = _same_site_links(page, "nav.main-nav a")
    assert "/home" in menu

    queue = list(menu)
    seen: set[str] = set()
    failures: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if _kind_of_page(path) in seen:
            continue
        seen.add(_kind_of_page(path))
        response = page.goto(path)
        status = response.status if response else 0
        if status >= 400:
            screenshot(page, path)
            failures.append(f"{path}: HTTP {status}")
            continue
        failures.extend(page_problems(page, path))
        if path in menu:  # one step beyond the menu
            queue.extend(_same_site_links(page, "main a"))

    assert len(seen) >= len(menu)
    assert not failures, "\n\n".join(failures)
