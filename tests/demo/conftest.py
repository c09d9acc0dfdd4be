from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.core.clock import HELSINKI

# A fixed "now" so the generated calendar (and its holidays) is the same every run:
# a Wednesday in March, with Easter a few weeks ahead and New Year in the history.
NOW = datetime(2025, 3, 12, 11, 30, tzinfo=HELSINKI)


def untangle_corrections() -> None:
    """The demo holds corrections (rows that supersede or reverse earlier rows of the
    same table, ON DELETE RESTRICT). SQLite checks RESTRICT row by row, so the shared
    table-emptying in tests/conftest.py would trip over them: remove them first."""
    from jobcenter.extensions import db
    from jobcenter.hours.models import ActivityDay, AttendanceRecord, HourEntry

    db.session.rollback()
    db.session.execute(sa.delete(HourEntry).where(HourEntry.reverses_id.isnot(None)))
    db.session.execute(sa.delete(HourEntry))
    db.session.execute(
        sa.delete(AttendanceRecord).where(AttendanceRecord.supersedes_id.isnot(None))
    )
    db.session.execute(sa.delete(ActivityDay).where(ActivityDay.supersedes_id.isnot(None)))
    db.session.commit()


def empty_database() -> None:
    from tests.conftest import _empty_all_tables

    untangle_corrections()
    _empty_all_tables()


@pytest.fixture(autouse=True)
def _untangle_after_test(app):
    yield
    untangle_corrections()


@pytest.fixture
def frozen_now(app):
    clock.freeze(NOW)
    yield NOW
    clock.freeze(None)


@pytest.fixture
def run_demo(app, frozen_now):
    """Invoke `flask jobcenter demo` with arguments; returns the click result."""
    runner = app.test_cli_runner()

    def run(*args: str):
        result = runner.invoke(args=["jobcenter", "demo", *args])
        assert result.exit_code == 0, result.output + repr(result.exception)
        return result

    return run


def login_rows(output: str) -> list[dict[str, str]]:
    """The printed table of logins: role, e-mail and password per row."""
    rows = []
    for line in output.splitlines():
        roles = "admin|manager|instructor|unit contact|participant"
        match = re.match(rf"^({roles})\s{{2,}}.+?\s{{2,}}(\S+@\S+)\s{{2,}}(\S+)$", line)
        if match:
            rows.append({"role": match[1], "email": match[2], "password": match[3]})
    return rows


def sign_in_secret(output: str) -> str:
    match = re.search(r"/sign-in/([A-Za-z0-9_-]+)\s*$", output, re.MULTILINE)
    assert match, output
    return match[1]
