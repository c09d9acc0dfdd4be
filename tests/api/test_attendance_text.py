"""/api/v1 attendance: free text (a correction's reason and note, a reopening's reason)
follows the one rule for typed text, so a NUL byte is a 422 and nothing is stored
(found by tests/test_bad_input_matrix.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.hours.models import AttendanceRecord, MonthClosure
from tests import factories
from tests.api.conftest import assert_problem

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)
CONTROL = "Remove control characters from the text."


@pytest.fixture
def confirmed(session):
    """One person's attendance on a shift, recorded and confirmed by the instructor."""
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    record = factories.confirm_as_planned(session, w)
    session.commit()
    return w, record


def _rows(session, model) -> int:
    session.rollback()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize(
    "body",
    [
        {"present": False, "absence_kind": "unexcused", "reason": "Ei\x00tullut"},
        {"present": False, "absence_kind": "unexcused", "reason": "Ei tullut", "note": "\x00"},
    ],
    ids=["reason", "note"],
)
def test_a_correction_with_a_nul_byte_is_refused(client, bearer, session, confirmed, body):
    w, record = confirmed
    response = client.post(
        f"/api/v1/attendance/{record.id}/corrections",
        json=body,
        headers=bearer(w.instructor.user) | {"Accept-Language": "en"},
    )

    problem = assert_problem(response, 422)
    assert CONTROL in str(problem["errors"])
    assert _rows(session, AttendanceRecord) == 1


def test_a_reopening_reason_with_a_nul_byte_is_refused_and_the_month_stays_closed(
    client, bearer, session, confirmed
):
    w, _record = confirmed
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))  # November is over
    headers = bearer(w.instructor.user) | {"Accept-Language": "en"}
    url = f"/api/v1/months/{w.group.id}/2026-11"
    assert client.post(f"{url}/close", headers=headers).status_code == 200

    response = client.post(f"{url}/reopen", json={"reason": "Korjaus\x00"}, headers=headers)

    problem = assert_problem(response, 422)
    assert problem["errors"] == {"reason": [CONTROL]}
    session.rollback()
    assert session.scalars(sa.select(MonthClosure.reopened_at)).one() is None


def test_a_multi_line_correction_reason_is_kept(client, bearer, session, confirmed):
    w, record = confirmed
    response = client.post(
        f"/api/v1/attendance/{record.id}/corrections",
        json={"present": False, "absence_kind": "unexcused", "reason": "Ei tullut.\nSoitti."},
        headers=bearer(w.instructor.user),
    )

    assert response.status_code == 201
    assert response.get_json()["correction_reason"] == "Ei tullut.\nSoitti."
