"""/api/v1 attendance: the sheet, recording, confirming, corrections, the hour-entry
ledger and month closing; problem+json for bad input with nothing half-written."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.hours import attendance
from jobcenter.hours.models import AttendanceRecord, HourEntry, MonthClosure
from tests import factories
from tests.api.conftest import assert_problem

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)
    session.commit()
    return w


def present(w, **extra) -> dict:
    return {
        "assignment_id": w.assignment.id,
        "present": True,
        "start": "2026-11-18T09:00:00+02:00",
        "end": "2026-11-18T12:30:00+02:00",
    } | extra


def count(session, model) -> int:
    session.rollback()
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_sheet_lists_the_people_with_names_and_no_record(client, bearer, world):
    response = client.get(f"/api/v1/shifts/{world.shift.id}/attendance", headers=bearer(world.user))
    assert response.status_code == 200
    [row] = response.get_json()["rows"]
    assert row["assignment_id"] == world.assignment.id
    assert row["first_name"] == world.participant.user.first_name
    assert row["record"] is None


def test_record_then_confirm_writes_valued_hours(client, bearer, session, world):
    headers = bearer(world.user)
    url = f"/api/v1/shifts/{world.shift.id}/attendance"
    response = client.post(url, json={"entries": [present(world)]}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["rows"][0]["record"]["minutes"] == 210
    assert count(session, HourEntry) == 0
    response = client.post(f"{url}/confirm", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["rows"][0]["record"]["confirmed_at"] is not None
    entries = client.get("/api/v1/hour-entries", headers=headers).get_json()
    [entry] = entries["items"]
    assert (entry["minutes"], entry["wage_cents_per_hour"]) == (210, 1000)


def test_all_present_records_everyone_as_planned(client, bearer, world):
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance",
        json={"all_present": True},
        headers=bearer(world.user),
    )
    assert response.status_code == 200
    assert response.get_json()["rows"][0]["record"]["minutes"] == 240


def test_absent_with_a_kind(client, bearer, world):
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance",
        json={
            "entries": [
                {
                    "assignment_id": world.assignment.id,
                    "present": False,
                    "absence_kind": "sick_child",
                }
            ]
        },
        headers=bearer(world.user),
    )
    assert response.status_code == 200
    assert response.get_json()["rows"][0]["record"]["absence_kind"] == "sick_child"


@pytest.mark.parametrize(
    "body",
    [
        {"entries": []},
        {},
        {"entries": [{"present": True}]},
        {"entries": [{"assignment_id": 1, "present": False, "absence_kind": "holiday"}]},
        {"entries": [{"assignment_id": 1, "present": True, "start": "09:00"}]},
        {"entries": [{"assignment_id": 1, "present": True, "start": "2026-11-18T09:00:00"}]},
        {"entries": "all"},
        {"all_present": True, "entries": [{"assignment_id": 1, "present": True}]},
    ],
)
def test_malformed_bodies_are_422_problems(client, bearer, session, world, body):
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance", json=body, headers=bearer(world.user)
    )
    assert_problem(response, 422)
    assert count(session, AttendanceRecord) == 0


def test_times_off_the_quarter_hour_are_422_per_person(client, bearer, session, world):
    body = {"entries": [present(world, end="2026-11-18T12:20:00+02:00")]}
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance", json=body, headers=bearer(world.user)
    )
    problem = assert_problem(response, 422)
    assert "end" in problem["errors"][str(world.assignment.id)]
    assert count(session, AttendanceRecord) == 0


def test_one_bad_row_writes_nothing_for_the_others(client, bearer, session, world):
    other = factories.make_assignment(world.shift, factories.make_participant(world.group))
    session.commit()
    body = {
        "entries": [
            present(world),
            {"assignment_id": other.id, "present": True, "start": "2026-11-18T13:00:00+02:00",
             "end": "2026-11-18T09:00:00+02:00"},
        ]
    }  # fmt: skip
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance", json=body, headers=bearer(world.user)
    )
    assert_problem(response, 422)
    assert count(session, AttendanceRecord) == 0


def test_a_shift_that_has_not_started_is_409(client, bearer, session, world):
    clock.freeze(datetime(2026, 11, 18, 8, 0, tzinfo=clock.HELSINKI))
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance",
        json={"entries": [present(world)]},
        headers=bearer(world.user),
    )
    assert_problem(response, 409)


def test_someone_elses_assignment_in_the_body_is_404(client, bearer, session, world):
    stranger_shift = factories.make_attendance_setup(DAY)
    session.commit()
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance",
        json={"entries": [present(world, assignment_id=stranger_shift.assignment.id)]},
        headers=bearer(world.user),
    )
    assert_problem(response, 404)


def test_another_instructor_gets_404(client, bearer, session, world):
    stranger = factories.make_instructor().user
    session.commit()
    headers = bearer(stranger)
    url = f"/api/v1/shifts/{world.shift.id}/attendance"
    assert_problem(client.get(url, headers=headers), 404)
    assert_problem(client.post(url, json={"all_present": True}, headers=headers), 404)
    assert_problem(client.post(f"{url}/confirm", headers=headers), 404)
    assert count(session, AttendanceRecord) == 0


@pytest.mark.parametrize("maker", [factories.make_manager, factories.make_admin])
def test_managers_and_admins_cannot_record(client, bearer, session, world, maker):
    user = maker()
    session.commit()
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance",
        json={"all_present": True},
        headers=bearer(user),
    )
    assert_problem(response, 403)


def test_a_participant_cannot_record_but_reads_only_their_own_hours(client, bearer, session, world):
    headers = bearer(world.participant.user)
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance", json={"all_present": True}, headers=headers
    )
    assert_problem(response, 403)
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, world.user, world.shift)
    other = factories.make_attendance_setup(DAY)
    attendance.record(
        session, other.instructor.user, other.assignment, attendance.planned_entry(other.shift)
    )
    attendance.confirm_shift(session, other.instructor.user, other.shift)
    session.commit()
    body = client.get("/api/v1/hour-entries", headers=headers).get_json()
    items = body["items"]
    assert [e["participant_id"] for e in items] == [world.participant.id]


def test_hour_entries_filter_by_dates_and_refuse_bad_ones(client, bearer, session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, world.user, world.shift)
    session.commit()
    headers = bearer(world.user)

    def items(query):
        body = client.get(f"/api/v1/hour-entries{query}", headers=headers).get_json()
        return body["items"]

    assert len(items("?from=2026-11-18&to=2026-11-18")) == 1
    assert items("?from=2026-11-19") == []
    assert_problem(client.get("/api/v1/hour-entries?from=yesterday", headers=headers), 422)
    assert_problem(
        client.get("/api/v1/hour-entries?from=2026-11-19&to=2026-11-18", headers=headers), 422
    )


def test_a_correction_through_the_api(client, bearer, session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    [rec] = attendance.confirm_shift(session, world.user, world.shift)
    session.commit()
    headers = bearer(world.user)
    url = f"/api/v1/attendance/{rec.id}/corrections"
    assert_problem(
        client.post(url, json={"present": False, "absence_kind": "unexcused"}, headers=headers), 422
    )
    response = client.post(
        url,
        json={"present": False, "absence_kind": "unexcused", "reason": "Ei tullut"},
        headers=headers,
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["supersedes_id"], body["correction_reason"]) == (rec.id, "Ei tullut")
    session.rollback()
    assert [e.minutes for e in session.scalars(sa.select(HourEntry).order_by(HourEntry.id))] == [
        240,
        -240,
    ]
    again = client.post(url, json={"present": True, "reason": "x"}, headers=headers)
    assert_problem(again, 409)  # an old version


def test_a_correction_by_another_instructor_is_404(client, bearer, session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    [rec] = attendance.confirm_shift(session, world.user, world.shift)
    stranger = factories.make_instructor().user
    session.commit()
    response = client.post(
        f"/api/v1/attendance/{rec.id}/corrections",
        json={"present": False, "absence_kind": "unexcused", "reason": "x"},
        headers=bearer(stranger),
    )
    assert_problem(response, 404)


def test_months_close_and_reopen(client, bearer, session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    [rec] = attendance.confirm_shift(session, world.user, world.shift)
    session.commit()
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=clock.HELSINKI))  # November is over
    headers = bearer(world.user)
    url = f"/api/v1/months/{world.group.id}/2026-11"
    response = client.post(f"{url}/close", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["closed"] is True
    assert_problem(client.post(f"{url}/close", headers=headers), 409)
    correcting = client.post(
        f"/api/v1/attendance/{rec.id}/corrections",
        json={"present": False, "absence_kind": "unexcused", "reason": "x"},
        headers=headers,
    )
    assert_problem(correcting, 409)
    assert_problem(client.post(f"{url}/reopen", json={}, headers=headers), 422)
    response = client.post(f"{url}/reopen", json={"reason": "Korjaus"}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["reopen_reason"] == "Korjaus"


def test_closing_a_month_that_is_not_over_is_a_conflict(client, bearer, session, world):
    url = f"/api/v1/months/{world.group.id}/2026-11"
    assert_problem(client.post(f"{url}/close", headers=bearer(world.user)), 409)
    assert count(session, MonthClosure) == 0


def test_months_of_another_group_or_nonsense_months_are_404(client, bearer, session, world):
    stranger = factories.make_instructor().user
    session.commit()
    assert_problem(
        client.post(f"/api/v1/months/{world.group.id}/2026-11/close", headers=bearer(stranger)),
        404,
    )
    assert_problem(
        client.post(f"/api/v1/months/{world.group.id}/2026-13/close", headers=bearer(world.user)),
        404,
    )
    assert count(session, MonthClosure) == 0


def test_recording_over_confirmed_attendance_is_409(client, bearer, session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, world.user, world.shift)
    session.commit()
    response = client.post(
        f"/api/v1/shifts/{world.shift.id}/attendance",
        json={"entries": [present(world)]},
        headers=bearer(world.user),
    )
    problem = assert_problem(response, 409)
    assert "correction" in problem["detail"]
