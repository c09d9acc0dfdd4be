"""The instructors' inbox: submitted tasks, answering them, the pool and shifts to check."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling.models import Shift
from jobcenter.units import lifecycle
from jobcenter.units.models import TaskStatus
from tests import factories
from tests.units.helpers import T0, instructor_with_group, unit_contact

S = TaskStatus


@pytest.fixture(autouse=True)
def monday(app):
    with clock.frozen(T0):
        yield


def test_inbox_lists_submitted_tasks_oldest_first_without_drafts(client, login, session):
    instructor, _group = instructor_with_group()
    contact = unit_contact()
    with clock.frozen(T0 - timedelta(days=2)):
        factories.make_posted_task(contact, title="Vanhin")
    factories.make_posted_task(contact, title="Uusin")
    factories.make_posted_task(contact, submit=False, title="Luonnos")
    session.commit()
    login(instructor.user)

    page = client.get("/inbox").get_data(as_text=True)

    assert page.index("Vanhin") < page.index("Uusin")
    assert "Luonnos" not in page
    assert "Waiting for an answer (2)" in page


def test_instructor_accepts_a_task_into_their_group_and_shifts_are_made(client, login, session):
    instructor, group = instructor_with_group()
    task = factories.make_posted_task(unit_contact())
    session.commit()
    login(instructor.user)

    assert "Accept the task" in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    response = client.post(f"/tasks/{task.id}/accept", data={"group_id": str(group.id)})

    assert response.status_code == 303
    session.refresh(task)
    assert task.status == S.SCHEDULED
    assert task.group_id == group.id
    assert session.scalar(sa.select(sa.func.count()).select_from(Shift)) == 1
    assert "Accepted work (1)" in client.get("/inbox").get_data(as_text=True)


def test_instructor_cannot_accept_into_another_instructors_group(client, login, session):
    instructor, _group = instructor_with_group()
    _other, others_group = instructor_with_group()
    task = factories.make_posted_task(unit_contact())
    session.commit()
    login(instructor.user)

    response = client.post(f"/tasks/{task.id}/accept", data={"group_id": str(others_group.id)})

    assert response.status_code == 422
    assert "Choose one of your own groups." in response.get_data(as_text=True)
    session.refresh(task)
    assert task.status == S.SUBMITTED


def test_accepting_without_a_group_is_refused_with_422(client, login, session):
    instructor, _group = instructor_with_group()
    task = factories.make_posted_task(unit_contact())
    session.commit()
    login(instructor.user)

    response = client.post(f"/tasks/{task.id}/accept", data={"group_id": ""})

    assert response.status_code == 422
    assert "Choose the group that will do the work." in response.get_data(as_text=True)


def test_instructor_rejects_with_a_reason_and_the_unit_sees_it(client, login, session):
    instructor, _group = instructor_with_group()
    contact = unit_contact()
    task = factories.make_posted_task(contact)
    session.commit()
    login(instructor.user)

    response = client.post(
        f"/tasks/{task.id}/reject", data={"reject-reason": "Työ vaatii trukkikortin."}
    )

    assert response.status_code == 303
    session.refresh(task)
    assert task.status == S.REJECTED
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) >= 1
    login(contact)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "The task was rejected." in page
    assert "Työ vaatii trukkikortin." in page


def test_rejecting_without_a_reason_is_refused_with_422(client, login, session):
    instructor, _group = instructor_with_group()
    task = factories.make_posted_task(unit_contact())
    session.commit()
    login(instructor.user)

    response = client.post(f"/tasks/{task.id}/reject", data={"reject-reason": ""})

    assert response.status_code == 422
    assert "Write a reason. The unit will see it." in response.get_data(as_text=True)
    session.refresh(task)
    assert task.status == S.SUBMITTED


def test_instructor_asks_for_changes_and_the_unit_can_edit(client, login, session):
    instructor, _group = instructor_with_group()
    contact = unit_contact()
    task = factories.make_posted_task(contact)
    session.commit()
    login(instructor.user)

    client.post(f"/tasks/{task.id}/request-changes", data={"changes-reason": "Lisää osoite."})

    session.refresh(task)
    assert task.status == S.CHANGES_REQUESTED
    login(contact)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Lisää osoite." in page
    assert "Edit the task" in page


def test_answering_an_already_answered_task_is_a_409(client, login, session):
    instructor, group = instructor_with_group()
    task = factories.make_posted_task(unit_contact())
    lifecycle.accept(session, task, instructor.user, group)
    session.commit()
    login(instructor.user)

    response = client.post(f"/tasks/{task.id}/reject", data={"reject-reason": "Myöhässä"})

    assert response.status_code == 409
    assert "Only a submitted task can be rejected." in response.get_data(as_text=True)


def test_instructor_cannot_open_a_units_draft(client, login, session):
    instructor, _group = instructor_with_group()
    draft = factories.make_posted_task(unit_contact(), submit=False)
    session.commit()
    login(instructor.user)

    assert client.get(f"/tasks/{draft.id}").status_code == 404


def test_inbox_lists_shifts_flagged_for_review(client, login, session):
    instructor, group = instructor_with_group()
    task = factories.make_accepted_task(unit_contact(), group, title="Muuttunut tehtävä")
    shift = session.scalars(sa.select(Shift).where(Shift.task_id == task.id)).one()
    shift.needs_review = True
    session.commit()
    login(instructor.user)

    page = client.get("/inbox").get_data(as_text=True)

    assert "Shifts to check (1)" in page
    assert "Muuttunut tehtävä" in page.split("Shifts to check", 1)[1]


def test_unit_contacts_and_participants_have_no_inbox(client, login, session):
    contact = unit_contact()
    session.commit()
    login(contact)

    assert client.get("/inbox").status_code == 403
