"""/api/v1/shifts: scoped shifts; units see first names and the instructor's contact only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.scheduling.models import AssignmentStatus
from jobcenter.units.models import TaskStatus
from tests import factories
from tests.api.conftest import assert_problem
from tests.units.helpers import T0, instructor_with_group, unit_contact


@pytest.fixture(autouse=True)
def monday(app):
    with clock.frozen(T0):
        yield


def at(days: int, hour: int = 9) -> datetime:
    day = clock.today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=clock.HELSINKI)


@pytest.fixture
def world(session):
    contact = unit_contact()
    instructor, group = instructor_with_group(first_name="Irma", last_name="Laine")
    task = factories.make_task(contact.unit, group=group, status=TaskStatus.SCHEDULED)
    monday_shift = factories.make_shift(task, starts_at=at(7), instructor=instructor)
    later = factories.make_shift(task, starts_at=at(14), instructor=instructor)
    pekka = factories.make_participant(
        group, stream=Stream.REHABILITATIVE, first_name="Pekka", last_name="Virtanen"
    )
    olli = factories.make_participant(group, first_name="Olli", last_name="Ehdotettu")
    factories.make_assignment(monday_shift, pekka, AssignmentStatus.CONFIRMED)
    factories.make_assignment(monday_shift, olli, AssignmentStatus.PROPOSED)
    other_task = factories.make_task(unit_contact().unit, group=group)
    hidden = factories.make_shift(other_task, starts_at=at(7))
    session.commit()
    return {"contact": contact, "instructor": instructor, "task": task,
            "shift": monday_shift, "later": later, "hidden": hidden}  # fmt: skip


def test_unit_contact_sees_first_names_and_the_instructors_contact_only(client, bearer, world):
    response = client.get(f"/api/v1/shifts/{world['shift'].id}", headers=bearer(world["contact"]))

    data = response.get_json()
    assert response.status_code == 200
    assert data["people"] == [{"first_name": "Pekka"}]
    assert data["instructor"] == {"name": "Irma Laine", "phone": "040 123 4567"}
    text = response.get_data(as_text=True)
    for secret in ("Virtanen", "Olli", "rehabilitative", "supervision_needed", "needs_review"):
        assert secret not in text


def test_staff_also_see_the_planning_details(client, bearer, world):
    data = client.get(
        f"/api/v1/shifts/{world['shift'].id}", headers=bearer(world["instructor"].user)
    ).get_json()

    assert {"supervision_needed", "needs_review", "sequence"} <= set(data)


def test_unit_contact_gets_404_for_another_units_shift(client, bearer, world):
    headers = bearer(world["contact"])

    assert_problem(client.get(f"/api/v1/shifts/{world['hidden'].id}", headers=headers), 404)
    ids = [s["id"] for s in client.get("/api/v1/shifts", headers=headers).get_json()["items"]]
    assert ids == [world["shift"].id, world["later"].id]


def test_shifts_filter_by_dates_and_task(client, bearer, world):
    headers = bearer(world["contact"])
    first_week = (clock.today() + timedelta(days=7)).isoformat()

    by_day = client.get(f"/api/v1/shifts?from={first_week}&to={first_week}", headers=headers)
    by_task = client.get(f"/api/v1/shifts?task_id={world['task'].id}", headers=headers)
    after = client.get(
        f"/api/v1/shifts?from={(clock.today() + timedelta(days=8)).isoformat()}", headers=headers
    )

    assert [s["id"] for s in by_day.get_json()["items"]] == [world["shift"].id]
    assert by_task.get_json()["total"] == 2
    assert [s["id"] for s in after.get_json()["items"]] == [world["later"].id]


def test_bad_filters_are_422(client, bearer, world):
    headers = bearer(world["contact"])

    problem = assert_problem(
        client.get("/api/v1/shifts?from=tomorrow&to=2026-01-01&task_id=x", headers=headers), 422
    )

    assert set(problem["errors"]) == {"from", "task_id"}
    assert_problem(client.get("/api/v1/shifts?from=2026-03-10&to=2026-03-01", headers=headers), 422)


def test_participants_cannot_use_the_shift_list(client, bearer, world):
    participant = factories.make_participant()

    assert_problem(client.get("/api/v1/shifts", headers=bearer(participant.user)), 403)


def test_shifts_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    assert "get" in paths["/api/v1/shifts"]
    assert "get" in paths["/api/v1/shifts/{shift_id}"]


@pytest.mark.parametrize("query", ["from=", "to=", "task_id="])
def test_an_empty_filter_is_422_not_ignored(client, session, query):
    from jobcenter.accounts.operations import create_api_token

    admin = factories.make_admin()
    _row, secret = create_api_token(session, admin)
    session.commit()
    response = client.get(f"/api/v1/shifts?{query}", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
