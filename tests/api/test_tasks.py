"""/api/v1/tasks: the same rules and permissions as the task pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.units import lifecycle
from jobcenter.units.models import Task, TaskEvent, TaskFeedback, TaskStatus
from tests import factories
from tests.api.conftest import assert_problem
from tests.units.helpers import T0, instructor_with_group, unit_contact

S = TaskStatus


@pytest.fixture(autouse=True)
def monday(app):
    with clock.frozen(T0):
        yield


@pytest.fixture
def kind(session):
    return factories.make_task_kind()


def body(kind, **overrides):
    values = {
        "title": "Ikkunoiden pesu",
        "task_kind_id": kind.id,
        "headcount": 2,
        "shift_minutes": 240,
        "dates": [{"day": (clock.today() + timedelta(days=7)).isoformat()}],
        "preferred_start": "09:00",
    }
    return values | overrides


def test_unit_contact_posts_a_draft(client, bearer, session, kind):
    contact = unit_contact()
    headers = bearer(contact)

    response = client.post("/api/v1/tasks", json=body(kind), headers=headers)

    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "draft"
    assert data["unit_id"] == contact.unit_id
    assert data["dates"] == [{"day": "2026-03-09", "start_time": None}]
    assert "submit" in data["allowed_actions"]
    assert "edit" in data["allowed_actions"]
    assert response.headers["Location"].endswith(f"/api/v1/tasks/{data['id']}")
    assert [e["to_status"] for e in data["history"]] == ["draft"]


def test_posting_with_submit_true_sends_the_task(client, bearer, session, kind):
    headers = bearer(unit_contact())

    response = client.post("/api/v1/tasks", json=body(kind, submit=True), headers=headers)

    assert response.get_json()["status"] == "submitted"


def test_invalid_task_is_a_422_per_field_and_stores_nothing(client, bearer, session, kind):
    headers = bearer(unit_contact())

    response = client.post(
        "/api/v1/tasks",
        json=body(kind, headcount=0, dates=[{"day": "2026-01-05"}], required_skill_ids=[999]),
        headers=headers,
    )

    problem = assert_problem(response, 422)
    assert set(problem["errors"]) >= {"headcount", "dates", "required_skill_ids"}
    assert session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(TaskEvent)) == 0


def test_unknown_fields_and_wrong_types_are_422(client, bearer, session, kind):
    headers = bearer(unit_contact())

    response = client.post(
        "/api/v1/tasks", json=body(kind, headcount="two", colour="red"), headers=headers
    )

    problem = assert_problem(response, 422)
    assert set(problem["errors"]) == {"headcount", "colour"}


def test_unit_contact_cannot_post_for_another_unit(client, bearer, session, kind):
    headers = bearer(unit_contact())
    other = factories.make_unit()
    session.commit()

    response = client.post("/api/v1/tasks", json=body(kind, unit_id=other.id), headers=headers)

    assert assert_problem(response, 422)["errors"]["unit_id"]


def test_admin_posts_for_a_named_unit(client, bearer, session, kind):
    unit = factories.make_unit()
    headers = bearer(factories.make_admin())

    missing = client.post("/api/v1/tasks", json=body(kind), headers=headers)
    named = client.post("/api/v1/tasks", json=body(kind, unit_id=unit.id), headers=headers)

    assert assert_problem(missing, 422)["errors"]["unit_id"]
    assert named.status_code == 201
    assert named.get_json()["unit_id"] == unit.id


def test_instructors_and_managers_cannot_post(client, bearer, session, kind):
    instructor, _group = instructor_with_group()

    response = client.post("/api/v1/tasks", json=body(kind), headers=bearer(instructor.user))

    assert_problem(response, 403)


def test_list_is_scoped_and_filtered_by_status(client, bearer, session):
    contact = unit_contact()
    factories.make_posted_task(contact, submit=False, title="Luonnos")
    factories.make_posted_task(contact, title="Lähetetty")
    factories.make_posted_task(unit_contact(), title="Toisen")
    headers = bearer(contact)

    everything = client.get("/api/v1/tasks", headers=headers).get_json()
    drafts = client.get("/api/v1/tasks?status=draft", headers=headers).get_json()

    assert sorted(t["title"] for t in everything["items"]) == ["Luonnos", "Lähetetty"]
    assert [t["title"] for t in drafts["items"]] == ["Luonnos"]
    assert_problem(client.get("/api/v1/tasks?status=nope", headers=headers), 422)


def test_unit_contact_gets_404_for_another_units_task(client, bearer, session):
    ours = unit_contact()
    hidden = factories.make_posted_task(unit_contact())
    headers = bearer(ours)
    path = f"/api/v1/tasks/{hidden.id}"

    assert_problem(client.get(path, headers=headers), 404)
    assert_problem(client.patch(path, json={"title": "Minun"}, headers=headers), 404)
    assert_problem(client.post(f"{path}/cancel", json={"reason": "x"}, headers=headers), 404)
    assert_problem(client.post(f"{path}/submit", headers=headers), 404)
    session.refresh(hidden)
    assert (hidden.title, hidden.status) != ("Minun", S.CANCELLED)


def test_instructor_does_not_see_drafts(client, bearer, session):
    instructor, _group = instructor_with_group()
    draft = factories.make_posted_task(unit_contact(), submit=False)
    headers = bearer(instructor.user)

    assert_problem(client.get(f"/api/v1/tasks/{draft.id}", headers=headers), 404)
    assert client.get("/api/v1/tasks", headers=headers).get_json()["total"] == 0


def test_patch_changes_only_the_fields_sent_and_can_submit(client, bearer, session, kind):
    contact = unit_contact()
    task = factories.make_posted_task(contact, submit=False, task_kind=kind)
    headers = bearer(contact)

    response = client.patch(
        f"/api/v1/tasks/{task.id}", json={"headcount": 3, "submit": True}, headers=headers
    )

    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert (data["headcount"], data["status"], data["title"]) == (3, "submitted", task.title)


def test_patch_of_a_confirmed_task_is_a_409(client, bearer, session):
    contact = unit_contact()
    task = factories.make_task(contact.unit, status=S.CONFIRMED)
    headers = bearer(contact)

    response = client.patch(f"/api/v1/tasks/{task.id}", json={"title": "Uusi"}, headers=headers)

    assert_problem(response, 409)


def test_instructor_accepts_and_the_unit_sees_it_scheduled(client, bearer, session):
    contact = unit_contact()
    instructor, group = instructor_with_group()
    task = factories.make_posted_task(contact)
    path = f"/api/v1/tasks/{task.id}"

    response = client.post(
        f"{path}/accept", json={"group_id": group.id}, headers=bearer(instructor.user)
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "scheduled"
    seen = client.get(path, headers=bearer(contact)).get_json()
    assert (seen["status"], seen["group_id"]) == ("scheduled", group.id)


def test_accepting_into_someone_elses_group_is_a_422(client, bearer, session):
    instructor, _group = instructor_with_group()
    _other, others_group = instructor_with_group()
    task = factories.make_posted_task(unit_contact())

    response = client.post(
        f"/api/v1/tasks/{task.id}/accept",
        json={"group_id": others_group.id},
        headers=bearer(instructor.user),
    )

    assert "group_id" in assert_problem(response, 422)["errors"]


def test_reject_needs_a_reason_and_the_unit_reads_it(client, bearer, session):
    contact = unit_contact()
    instructor, _group = instructor_with_group()
    task = factories.make_posted_task(contact)
    headers = bearer(instructor.user)
    path = f"/api/v1/tasks/{task.id}"

    empty = client.post(f"{path}/reject", json={"reason": ""}, headers=headers)
    done = client.post(f"{path}/reject", json={"reason": "Ei resursseja."}, headers=headers)

    assert "reason" in assert_problem(empty, 422)["errors"]
    assert done.get_json()["status"] == "rejected"
    seen = client.get(path, headers=bearer(contact)).get_json()
    assert seen["status_reason"] == "Ei resursseja."
    assert seen["history"][-1]["reason"] == "Ei resursseja."


def test_request_changes_sends_the_task_back(client, bearer, session):
    instructor, _group = instructor_with_group()
    task = factories.make_posted_task(unit_contact())

    response = client.post(
        f"/api/v1/tasks/{task.id}/request-changes",
        json={"reason": "Lisää kellonaika."},
        headers=bearer(instructor.user),
    )

    assert response.get_json()["status"] == "changes_requested"


def test_unit_contact_cannot_accept_a_task(client, bearer, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_posted_task(contact)

    response = client.post(
        f"/api/v1/tasks/{task.id}/accept", json={"group_id": group.id}, headers=bearer(contact)
    )

    assert_problem(response, 403)


def test_moving_from_the_wrong_state_is_a_409(client, bearer, session):
    contact = unit_contact()
    task = factories.make_posted_task(contact)

    response = client.post(f"/api/v1/tasks/{task.id}/submit", headers=bearer(contact))

    problem = assert_problem(response, 409)
    assert "can be submitted" in problem["detail"]


def test_mark_done_confirm_and_feedback(client, bearer, session):
    contact = unit_contact()
    instructor, group = instructor_with_group()
    task = factories.make_accepted_task(contact, group)
    session.commit()
    path = f"/api/v1/tasks/{task.id}"
    unit_headers = bearer(contact)

    with clock.frozen(T0 + timedelta(days=14)):
        done = client.post(f"{path}/mark-done", headers=bearer(instructor.user))
        early_feedback = client.post(f"{path}/feedback", json={"rating": 4}, headers=unit_headers)
        confirmed = client.post(f"{path}/confirm", json={}, headers=unit_headers)
        bad = client.post(f"{path}/feedback", json={"rating": 6}, headers=unit_headers)
        feedback = client.post(
            f"{path}/feedback", json={"rating": 4, "comment": "Hyvä"}, headers=unit_headers
        )

    assert done.get_json()["status"] == "done"
    assert_problem(early_feedback, 409)
    assert confirmed.get_json()["status"] == "confirmed"
    assert "rating" in assert_problem(bad, 422)["errors"]
    assert feedback.status_code == 200
    assert "give_feedback" not in feedback.get_json()["allowed_actions"]
    row = session.scalars(sa.select(TaskFeedback)).one()
    assert (row.rating, row.comment) == (4, "Hyvä")


def test_cancel_with_a_reason(client, bearer, session):
    contact = unit_contact()
    task = factories.make_posted_task(contact)

    response = client.post(
        f"/api/v1/tasks/{task.id}/cancel", json={"reason": "Ei tarvita."}, headers=bearer(contact)
    )

    assert response.get_json()["status"] == "cancelled"
    assert lifecycle.allowed_actions(task, contact) == set()


def test_anonymous_gets_401(client, session):
    assert_problem(client.get("/api/v1/tasks"), 401)


def test_tasks_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    assert {"get", "post"} <= set(paths["/api/v1/tasks"])
    assert {"get", "patch"} <= set(paths["/api/v1/tasks/{task_id}"])
    for action in ("submit", "accept", "reject", "request-changes", "cancel", "mark-done",
                   "confirm", "feedback"):  # fmt: skip
        assert "post" in paths[f"/api/v1/tasks/{{task_id}}/{action}"]
