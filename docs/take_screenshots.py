"""Screenshots for the README, taken from the demo data in Finnish.

    .venv/bin/python docs/take_screenshots.py

Starts Jobcenter on a throwaway SQLite database on 127.0.0.1, signs in as each role
through the real login form in Debian's Chromium, and saves PNGs in docs/screenshots/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = 5077
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "jobcenter-demo"  # noqa: S105 (the public demo password)
AKI = "aki.kinnunen@demo.jobcenter.example"  # participant
SARI = "sari.korhonen@demo.jobcenter.example"  # instructor
LEENA = "leena.heikkinen@demo.jobcenter.example"  # unit contact
PAIVI = "paivi.laine@demo.jobcenter.example"  # manager
SHOTS = [
    # (file, e-mail or None, path, phone?)
    ("login.png", None, "/login", False),
    ("participant-home-phone.png", AKI, "/home", True),
    ("unit-tasks.png", LEENA, "/tasks", False),
    ("unit-post-task.png", LEENA, "/tasks/new", False),
    ("participant-week-phone.png", AKI, "/my/week", True),
    ("participant-pay-phone.png", AKI, "/reports/my-earnings", True),
    ("instructor-inbox.png", SARI, "/inbox", False),
    ("instructor-week.png", SARI, "/calendar/week", False),
    ("instructor-attendance.png", SARI, "/attendance", False),
    ("instructor-allowance.png", SARI, "/reports/allowance", False),
    ("manager-home.png", PAIVI, "/home", False),
    ("manager-dashboard.png", PAIVI, "/dashboard", False),
    ("admin-users.png", "admin@demo.jobcenter.example", "/admin/users", False),
]

# Long pages: the first screen is what a reader of the README needs.
FIRST_SCREEN_ONLY = {"manager-dashboard.png"}


def main() -> None:
    instance = tempfile.mkdtemp(prefix="jobcenter-shots-")
    env = os.environ | {
        "JOBCENTER_INSTANCE_DIR": instance,
        "JOBCENTER_CONFIG": "development",
        "FLASK_APP": str(ROOT / "wsgi.py"),
    }
    env.pop("DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "jobcenter", "demo"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*flask, "run", "--host", "127.0.0.1", "--port", str(PORT)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"{BASE}/healthz", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        _shoot()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _shoot() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        for name, email, path, phone in SHOTS:
            size = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 860}
            context = browser.new_context(viewport=size, locale="fi-FI")
            page = context.new_page()
            if email:
                page.goto(f"{BASE}/login")
                page.fill("input[name=email]", email)
                page.fill("input[name=password]", PASSWORD)
                page.locator("form button[type=submit]").last.click()
                page.wait_for_load_state()
            page.goto(f"{BASE}{path}")
            full = not phone and name not in FIRST_SCREEN_ONLY
            page.screenshot(path=str(OUT / name), full_page=full)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
