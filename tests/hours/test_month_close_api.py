"""/api/v1 month closing follows the same rule as the page: a month still in progress, or
one with unconfirmed attendance, is refused with 409 problem+json and nothing changes."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from jobcenter.accounts.operations import create_api_token
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.hours import attendance
from jobcenter.hours.models import ActivityDay, MonthClosure
from tests import factories

DAY = date(2026, 11, 18)
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def world(session):
    clock.freeze(datetime(2026, 11, 25, 14, 0, tzinfo=clock.HELSINKI))
    w = factories.make_paid_attendance_setup(DAY)
    w.user.locale = Locale.EN
    _row, secret = create_api_token(session, w.user)
    w.headers = {"Authorization": f"Bearer {secret}"}
    session.commit()
    return w


def close(client, w):
    return client.post(f"/api/v1/months/{w.group.id}/2026-11/close", headers=w.headers)


def assert_refused(response, text: str, session) -> None:
    assert response.status_code == 409, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json(force=True)
    assert body["status"] == 409
    assert text in body["detail"]
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(MonthClosure)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(ActivityDay)) == 0


def test_api_refuses_to_close_a_month_in_progress(client, session, world):
    assert_refused(close(client, world), "not over yet", session)


def test_api_refuses_to_close_a_month_with_unconfirmed_attendance(client, session, world):
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    assert_refused(close(client, world), "1 shift still has attendance", session)


def test_api_closes_a_finished_month_whose_attendance_is_confirmed(client, session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, world.user, world.shift)
    session.commit()
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))
    response = close(client, world)
    assert response.status_code == 200
    assert response.get_json()["closed"] is True
