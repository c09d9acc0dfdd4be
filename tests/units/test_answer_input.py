"""Answering a task with hostile input: a clear message, nothing stored (found by
tests/test_bad_input_matrix.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.accounts.models import User
from jobcenter.notifications.models import OutboxMessage
from jobcenter.units.models import Task, TaskEvent, TaskStatus
from tests import factories


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def submitted(session, reference_data):
    contact = factories.make_unit_contact()
    group = factories.make_group()
    task = factories.make_posted_task(contact, submit=True)
    session.commit()
    return task, group.instructor.user, group


def _events(session, task) -> int:
    return session.scalar(sa.select(sa.func.count()).where(TaskEvent.task_id == task.id))


@pytest.mark.parametrize(
    ("action", "field"), [("reject", "reject"), ("request-changes", "changes")]
)
def test_a_reason_with_a_nul_byte_is_refused_and_the_task_stays_submitted(
    client, session, login, submitted, action, field
):
    task, instructor, _group = submitted
    events = _events(session, task)
    login(instructor)

    response = client.post(f"/tasks/{task.id}/{action}", data={f"{field}-reason": "Ei\x00käy"})

    assert response.status_code == 422
    assert "Remove control characters from the text." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.SUBMITTED
    assert _events(session, task) == events
    assert session.scalars(sa.select(OutboxMessage)).all() == []


def test_a_unit_cannot_cancel_with_a_nul_byte_in_the_reason(client, session, login, submitted):
    task, _instructor, _group = submitted
    login(session.get(User, task.created_by_id))

    response = client.post(f"/tasks/{task.id}/cancel", data={"cancel-reason": "x\x00"})

    assert response.status_code == 422
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.SUBMITTED


@pytest.mark.parametrize("group_id", ["9999999999999999999999", "-1", "0", "2147483648"])
def test_accepting_into_a_group_id_no_database_holds_asks_for_a_group(
    client, session, login, submitted, group_id
):
    task, instructor, _group = submitted
    login(instructor)

    response = client.post(f"/tasks/{task.id}/accept", data={"group_id": group_id})

    assert response.status_code == 422
    assert "Choose the group that will do the work." in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.SUBMITTED


def test_the_api_refuses_a_group_id_no_database_holds(client, session, submitted):
    from jobcenter.accounts.operations import create_api_token

    task, instructor, _group = submitted
    _row, secret = create_api_token(session, instructor)
    session.commit()

    response = client.post(
        f"/api/v1/tasks/{task.id}/accept",
        json={"group_id": 2**31},
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "group_id" in response.get_json()["errors"]


def test_the_api_refuses_a_reason_with_half_a_surrogate_pair(client, session, submitted):
    from jobcenter.accounts.operations import create_api_token

    task, instructor, _group = submitted
    _row, secret = create_api_token(session, instructor)
    session.commit()

    response = client.post(
        f"/api/v1/tasks/{task.id}/reject",
        data='{"reason": "Ei k\\ud800y"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "reason": ["The text has a broken character. Type it again."]
    }
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.SUBMITTED


def test_a_confirmation_comment_with_a_nul_byte_is_refused(client, session, login):
    contact = factories.make_unit_contact()
    task = factories.make_task(unit=contact.unit, status=TaskStatus.DONE)
    session.commit()
    login(contact)

    response = client.post(
        f"/tasks/{task.id}/confirm", data={"confirm-rating": "5", "confirm-comment": "Hyvä\x00"}
    )

    assert response.status_code == 422
    session.expire_all()
    assert session.get(Task, task.id).status == TaskStatus.DONE
