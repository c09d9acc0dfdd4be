"""Browser journeys: Debian's Chromium driven by Playwright against a real server.

- `live_server`: the app served by werkzeug on 127.0.0.1 (a free port) in a thread, on
  the test database, with CSRF on as in production. Data the test makes must be
  committed (`session.commit()`) before the browser can see it; the `app` fixture
  empties the tables after each test.
- `browser`: one Chromium for the whole session; `context`/`page`: a fresh context (own
  cookies) per test, so tests never share a signed-in user.
- `sign_in(page, user)`: signs in through the real login form (or, for a participant
  without an e-mail address, through a real one-time sign-in link).
- `assert_accessible(page)`: axe-core (WCAG 2.0/2.1 A and AA) must report zero
  violations and the page must have broken no Content-Security-Policy rule; a full-page
  screenshot goes to test-artifacts/screenshots/<test-name>.png either way.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from werkzeug.serving import make_server

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("JOBCENTER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}

_AXE = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/e2e is a browser journey."""
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


# ---------------------------------------------------------------- server


class LiveServer:
    def __init__(self, application) -> None:
        self.app = application
        self._server = make_server("127.0.0.1", 0, application, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="live-server", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(_schema, make_app) -> Iterator[str]:
    """Base URL of the app served on 127.0.0.1, on the test database."""
    server = LiveServer(make_app(WTF_CSRF_ENABLED=True))
    server.start()
    yield server.url
    server.stop()


# ---------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser, live_server: str, app) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=live_server, viewport=DESKTOP, locale="fi-FI")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


_console_problems: dict[int, list[str]] = {}


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    new_page = context.new_page()
    problems: list[str] = []
    _console_problems[id(new_page)] = problems

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(message.text)

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    yield new_page
    _console_problems.pop(id(new_page), None)


# ---------------------------------------------------------------- helpers


def sign_in(page: Page, user, password: str = factories.PASSWORD) -> None:
    """Sign `user` in through the real sign-in form (committed data only)."""
    if user.email:
        page.goto("/login")
        page.locator("#email").fill(user.email)
        page.locator("#password").fill(password)
        page.locator("main form button[type=submit]").click()
    else:
        page.goto(_sign_in_link_path(user))
        page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/home")


def _sign_in_link_path(user) -> str:
    """Participants without an e-mail address sign in with a link from their instructor."""
    from jobcenter.accounts.operations import create_sign_in_link
    from jobcenter.extensions import db

    participant = user.participant
    issued = create_sign_in_link(db.session, participant, participant.instructor.user)
    db.session.commit()
    return f"/sign-in/{issued.secret}"


def _test_name() -> str:
    current = os.environ.get("PYTEST_CURRENT_TEST", "test").split(" ")[0]
    name = current.rsplit("::", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "-", name)


def screenshot(page: Page, label: str | None = None) -> Path:
    """A full-page screenshot in test-artifacts/screenshots/<test-name>[--label].png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if label:
        label = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-") or "root"
    name = _test_name() + (f"--{label}" if label else "")
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Page) -> tuple[int, str]:
    """(number of WCAG 2.1 A/AA violations, readable report) for the current page."""
    result = _AXE.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return result.violations_count, result.generate_report()


def page_problems(page: Page, label: str | None = None) -> list[str]:
    """Screenshot the page, then list its axe violations and CSP breaks (empty: fine)."""
    page.wait_for_load_state("load")
    shot = screenshot(page, label)
    problems = []
    count, report = axe_violations(page)
    if count:
        problems.append(f"{page.url}: {report}\n(screenshot: {shot})")
    console = _console_problems.get(id(page), [])
    if console:
        problems.append(f"{page.url}: {console}")
        console.clear()
    return problems


def assert_accessible(page: Page, label: str | None = None) -> None:
    """Zero axe-core violations (WCAG 2.1 A and AA) and no CSP breaks on this page."""
    problems = page_problems(page, label)
    assert not problems, "\n\n".join(problems)


def has_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
