"""The unit contact's task pages: our tasks, posting, the task page, confirming."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.scheduling.models import AssignmentStatus
from jobcenter.units import lifecycle
from jobcenter.units.models import Task, TaskEvent, TaskFeedback, TaskStatus
from tests import factories
from tests.units.helpers import T0, form_data, instructor_with_group, unit_contact

S = TaskStatus


@pytest.fixture(autouse=True)
def monday(app):
    with clock.frozen(T0):
        yield


@pytest.fixture
def kind(session):
    return factories.make_task_kind(name_en="Window washing", icon="window")


def test_unit_contact_saves_a_draft_from_the_posting_form(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)

    response = client.post("/tasks/new", data=form_data(kind.id))

    assert response.status_code == 303
    task = session.scalars(sa.select(Task)).one()
    assert task.status == S.DRAFT
    assert task.unit_id == contact.unit_id
    assert task.shift_minutes == 240
    assert [d.day.isoformat() for d in task.dates] == [form_data(kind.id)["dates-0"]]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ikkunoiden pesu" in page
    assert "This is a draft" in page


def test_unit_contact_submits_a_draft_from_its_task_page(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)
    client.post("/tasks/new", data=form_data(kind.id))
    task = session.scalars(sa.select(Task)).one()

    response = client.post(f"/tasks/{task.id}/submit")

    assert response.status_code == 303
    session.refresh(task)
    assert task.status == S.SUBMITTED
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "An instructor will accept it" in page


def test_posting_form_submits_at_once_with_the_submit_button(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)

    client.post("/tasks/new", data=form_data(kind.id, action="submit"))

    assert session.scalars(sa.select(Task.status)).one() == S.SUBMITTED


def test_weekly_repeat_is_built_from_weekday_checkboxes(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)
    data = form_data(kind.id, schedule="weekly", action="submit")
    data.pop("dates-0")
    data.update({"weekdays": ["MO", "WE"], "first_date": "2026-03-09", "count": "6"})

    response = client.post("/tasks/new", data=data)

    assert response.status_code == 303, response.get_data(as_text=True)
    task = session.scalars(sa.select(Task)).one()
    assert task.recurrence == "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"
    assert task.first_date.isoformat() == "2026-03-09"
    assert task.status == S.SUBMITTED


def test_invalid_posting_answers_422_with_messages_and_stores_nothing(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)
    data = form_data(kind.id, title="", headcount="0", **{"dates-0": "2026-02-01"}, action="submit")

    response = client.post("/tasks/new", data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give the task a short title." in page
    assert "At least one person is needed." in page
    assert "has already passed" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(TaskEvent)) == 0


def test_error_summary_lists_mistakes_in_the_order_of_the_form(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)
    data = form_data(kind.id, preferred_end="08:00", **{"dates-0": "2026-02-01"}, action="submit")

    page = client.post("/tasks/new", data=data).get_data(as_text=True)

    summary = page[page.index('class="error-summary"') :]
    # The times come before the dates on the page, so their mistake is listed first.
    assert summary.index("The end time must be after the start time.") < summary.index(
        "has already passed"
    )


def test_submitting_an_incomplete_task_lists_what_is_missing(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)
    data = form_data(kind.id, action="submit")
    data.pop("dates-0")

    response = client.post("/tasks/new", data=data)

    assert response.status_code == 422
    assert "Choose the dates, or make the work repeat weekly." in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0


def test_our_tasks_lists_tasks_by_status_with_counts(client, login, session):
    contact = unit_contact()
    factories.make_posted_task(contact, submit=False, title="Luonnos")
    factories.make_posted_task(contact, submit=True, title="Lähetetty A")
    factories.make_posted_task(contact, submit=True, title="Lähetetty B")
    session.commit()
    login(contact)

    page = client.get("/tasks").get_data(as_text=True)
    submitted = client.get("/tasks?status=submitted").get_data(as_text=True)

    assert 'All <span class="count">(3)</span>' in page
    assert 'Submitted <span class="count">(2)</span>' in page
    assert 'Draft <span class="count">(1)</span>' in page
    assert "Lähetetty A" in submitted
    assert "Lähetetty B" in submitted
    assert "Luonnos" not in submitted


def test_unit_contact_cannot_see_other_units_tasks(client, login, session):
    ours = unit_contact()
    theirs = unit_contact()
    hidden = factories.make_posted_task(theirs, title="Toisen yksikön tehtävä")
    session.commit()
    login(ours)

    assert "Toisen yksikön tehtävä" not in client.get("/tasks").get_data(as_text=True)
    assert client.get(f"/tasks/{hidden.id}").status_code == 404
    assert client.get(f"/tasks/{hidden.id}/edit").status_code == 404
    assert client.post(f"/tasks/{hidden.id}/cancel", data={"cancel-reason": "x"}).status_code == 404
    session.refresh(hidden)
    assert hidden.status == S.SUBMITTED


def test_unit_contact_edits_a_task_sent_back_for_changes_and_resubmits(
    client, login, session, kind
):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_posted_task(contact, task_kind=kind)
    lifecycle.request_changes(session, task, group.instructor.user, "Kerro kellonaika tarkemmin.")
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Kerro kellonaika tarkemmin." in page
    assert client.get(f"/tasks/{task.id}/edit").status_code == 200
    response = client.post(
        f"/tasks/{task.id}/edit", data=form_data(kind.id, preferred_start="10:30", action="submit")
    )

    assert response.status_code == 303
    session.refresh(task)
    assert task.status == S.SUBMITTED
    assert task.preferred_start.strftime("%H:%M") == "10:30"


def test_cancelling_needs_a_reason(client, login, session):
    contact = unit_contact()
    task = factories.make_posted_task(contact)
    session.commit()
    login(contact)

    refused = client.post(f"/tasks/{task.id}/cancel", data={"cancel-reason": " "})
    done = client.post(f"/tasks/{task.id}/cancel", data={"cancel-reason": "Ei tarvita enää"})

    assert refused.status_code == 422
    assert "Write a reason." in refused.get_data(as_text=True)
    assert done.status_code == 303
    session.refresh(task)
    assert task.status == S.CANCELLED
    assert task.status_reason == "Ei tarvita enää"


def test_unit_contact_cannot_accept_its_own_task(client, login, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_posted_task(contact)
    session.commit()
    login(contact)

    response = client.post(f"/tasks/{task.id}/accept", data={"group_id": str(group.id)})

    assert response.status_code == 403
    session.refresh(task)
    assert task.status == S.SUBMITTED


def _done_task(session, contact, group):
    task = factories.make_accepted_task(contact, group)
    with clock.frozen(T0 + timedelta(days=14)):
        lifecycle.mark_done(session, task, group.instructor.user)
    return task


def test_unit_confirms_done_work_with_feedback(client, login, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = _done_task(session, contact, group)
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Please confirm it" in page
    response = client.post(
        f"/tasks/{task.id}/confirm",
        data={"confirm-rating": "5", "confirm-comment": "Ikkunat kiiltävät!"},
    )

    assert response.status_code == 303
    session.refresh(task)
    assert task.status == S.CONFIRMED
    feedback = session.scalars(sa.select(TaskFeedback)).one()
    assert (feedback.rating, feedback.comment) == (5, "Ikkunat kiiltävät!")
    assert "Ikkunat kiiltävät!" in client.get(f"/tasks/{task.id}").get_data(as_text=True)


def test_feedback_rating_out_of_range_is_refused_with_422(client, login, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = _done_task(session, contact, group)
    session.commit()
    login(contact)

    response = client.post(f"/tasks/{task.id}/confirm", data={"confirm-rating": "9"})

    assert response.status_code == 422
    assert "Choose a rating from 1 to 5." in response.get_data(as_text=True)
    session.refresh(task)
    assert task.status == S.DONE


def test_task_page_shows_first_names_and_instructor_contact_only(client, login, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group(first_name="Irma", last_name="Laine")
    task = factories.make_accepted_task(contact, group)
    shift = task_shift(session, task)
    pekka = factories.make_participant(group, first_name="Pekka", last_name="Virtanen")
    aino = factories.make_participant(group, first_name="Aino", last_name="Mäkinen")
    offered = factories.make_participant(group, first_name="Olli", last_name="Tarjottu")
    factories.make_assignment(shift, pekka, AssignmentStatus.CONFIRMED)
    factories.make_assignment(shift, aino, AssignmentStatus.CONFIRMED)
    factories.make_assignment(shift, offered, AssignmentStatus.OFFERED)
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)

    assert "Coming: Aino, Pekka (2 of 2)" in page
    assert "Irma Laine" in page
    assert "040 123 4567" in page
    for secret in ("Virtanen", "Mäkinen", "Olli", "disability", "rehabilitative", "Supervision"):
        assert secret not in page


def test_unit_contacts_view_of_the_people_coming_is_written_to_the_audit_log(
    client, login, session
):
    from jobcenter.accounts.models import AuditEvent

    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_accepted_task(contact, group)
    shift = task_shift(session, task)
    pekka = factories.make_participant(group, first_name="Pekka")
    factories.make_assignment(shift, pekka, AssignmentStatus.CONFIRMED)
    session.commit()
    login(contact)

    client.get(f"/tasks/{task.id}")

    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "task_people_viewed")
    ).all()
    assert [(e.actor_id, e.participant_id, e.object_id) for e in events] == [
        (contact.id, pekka.id, task.id)
    ]


def task_shift(session, task):
    from jobcenter.scheduling.models import Shift

    return session.scalars(
        sa.select(Shift).where(Shift.task_id == task.id).order_by(Shift.starts_at)
    ).first()


def test_history_shows_who_moved_the_task_when_and_why(client, login, session):
    contact = unit_contact(first_name="Ulla", last_name="Nieminen")
    instructor, _group = instructor_with_group(first_name="Irma", last_name="Laine")
    task = factories.make_posted_task(contact)
    lifecycle.reject(session, task, instructor.user, "Ei ohjaajia tällä viikolla.")
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)

    history = page.split("History", 1)[1]
    assert history.index("Draft") < history.index("Submitted") < history.index("Rejected")
    assert "Ulla Nieminen" in history
    assert "Irma Laine" in history
    assert "Reason: Ei ohjaajia tällä viikolla." in history


def test_posting_is_for_unit_contacts_only(client, login, session):
    instructor, _group = instructor_with_group()
    session.commit()
    login(instructor.user)

    assert client.get("/tasks/new").status_code == 403


def test_unit_menu_links_to_the_task_pages(client, login, session):
    contact = unit_contact()
    session.commit()
    login(contact)

    page = client.get("/home").get_data(as_text=True)

    for href in ('href="/tasks"', 'href="/tasks/new"', 'href="/hours-and-costs"'):
        assert href in page


def test_every_mistake_in_the_posting_form_is_shown_at_once(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)
    data = form_data(
        kind.id, shift_minutes="abc", headcount="0", **{"dates-0": "2026-02-01"}, action="submit"
    )

    response = client.post("/tasks/new", data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter a number" in page  # the form's own check of the hours
    assert "At least one person is needed." in page  # the posting rules, in the same round
    assert "has already passed" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0


GARBAGE = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "2026-13-45",
    "25:99",
    "x" * 500,
    "ä'\"<>",
]
FIELDS = [
    "title", "task_kind_id", "site_postal_code", "district_id", "headcount", "shift_minutes",
    "schedule", "dates-0", "preferred_start", "preferred_end", "first_date", "count", "weekdays",
]  # fmt: skip


@pytest.mark.parametrize("field", FIELDS)
def test_no_garbage_in_any_posting_field_breaks_the_form(client, login, session, kind, field):
    contact = unit_contact()
    session.commit()
    login(contact)
    # One sure mistake the form itself finds, so the posting rules run beside it.
    mistake = {"headcount": "abc"} if field == "shift_minutes" else {"shift_minutes": "abc"}
    for value in GARBAGE:
        data = form_data(kind.id, action="submit", **mistake | {field: value})
        response = client.post("/tasks/new", data=data)
        assert response.status_code == 422, (field, value)
    assert session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0


def test_the_title_is_marked_required_on_the_posting_form(client, login, session):
    contact = unit_contact()
    session.commit()
    login(contact)
    page = client.get("/tasks/new").get_data(as_text=True)
    label = re.search(r'<label for="title">.*?</label>', page, re.S).group(0)
    assert "(required)" in label


def test_mark_done_waits_until_the_last_shift_is_over(client, login, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_accepted_task(contact, group)
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{task.id}?lang=en").get_data(as_text=True)

    assert "Mark the work done" not in page
    assert "You can mark the work done when the last shift is over" in page


def test_a_refused_action_is_explained_on_the_task_page(client, login, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_accepted_task(contact, group)
    session.commit()
    login(contact)

    response = client.post(f"/tasks/{task.id}/mark-done?lang=en")

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "The task still has 1 shift that is not over." in page
    assert "Edit the task" in page  # the task page, with the way forward
    session.refresh(task)
    assert task.status != S.DONE


def test_another_groups_instructor_is_told_who_plans_the_shifts(client, login, session):
    contact = unit_contact()
    _instructor, group = instructor_with_group()
    task = factories.make_accepted_task(contact, group)
    other, _other_group = instructor_with_group()
    session.commit()
    login(other.user)

    page = client.get(f"/tasks/{task.id}?lang=en").get_data(as_text=True)

    assert "You don't see this task's shifts." in page
    assert "When an instructor plans shifts, you see here" not in page
    assert "The unit sent the task" not in page  # the staff wording of the status
