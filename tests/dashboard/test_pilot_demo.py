"""The pilot's figures (DOMAIN.md: 1000 h disability + 170 h rehabilitative = 1170 h)
reproduced by the dashboard from `flask jobcenter demo` (the small demo)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import User
from jobcenter.core.enums import Role, Stream
from jobcenter.dashboard import queries as q
from jobcenter.dashboard.period import DateRange
from tests.dashboard.test_pages import text_of
from tests.demo.conftest import _untangle_after_test, frozen_now, run_demo  # noqa: F401

HISTORY = DateRange(date(2024, 10, 1), date(2025, 3, 12))  # the demo's 16 weeks up to NOW


@pytest.fixture
def today():  # the demo's own frozen clock (tests/demo/conftest.py) rules here
    return None


@pytest.fixture
def demo(run_demo, session):  # noqa: F811
    run_demo()
    session.expire_all()


def test_the_pilot_summary_reproduces_1000_and_170_hours(demo, session):
    summary = q.pilot_summary(session, HISTORY, "en")
    assert summary.minutes_by_stream == {
        Stream.DISABILITY: 1000 * 60,
        Stream.REHABILITATIVE: 170 * 60,
    }
    assert summary.total_minutes == 1170 * 60
    people = summary.participants_by_stream
    assert people[Stream.DISABILITY] > people[Stream.REHABILITATIVE] > 0
    assert len(summary.kinds_done) >= 10


def test_the_dashboard_page_shows_the_pilot_sentence_from_the_demo(demo, session, client, login):
    manager = session.scalars(sa.select(User).where(User.role == Role.MANAGER)).one()
    manager.locale = "en"
    session.commit()
    login(manager)
    page = text_of(client.get("/dashboard", query_string=HISTORY.as_args()))
    assert (
        "Hours done: disability work activity 1,000 h, rehabilitative work activity 170 h, "
        "total 1,170 h." in page
    )
    assert "Tasks done: " in page


def test_the_summary_api_gives_the_pilot_figures_from_the_demo(demo, session, client):
    from jobcenter.accounts.operations import create_api_token

    manager = session.scalars(sa.select(User).where(User.role == Role.MANAGER)).one()
    _row, secret = create_api_token(session, manager)
    session.commit()
    response = client.get(
        "/api/v1/reports/summary",
        query_string=HISTORY.as_args(),
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.get_json()["hours"] == {
        "disability": 1000,
        "rehabilitative": 170,
        "total": 1170,
    }
