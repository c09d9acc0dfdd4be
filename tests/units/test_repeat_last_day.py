"""A weekly task's last day follows its repeat: set when the task is posted, kept when
it is edited, on the unit's pages and through the API alike."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from jobcenter.accounts.operations import create_api_token
from jobcenter.core import clock
from jobcenter.units.models import Task
from jobcenter.units.posting import update_task
from tests import factories
from tests.units.helpers import T0, form_data, instructor_with_group, unit_contact

# Tuesdays and Thursdays from Tuesday 4.8.2026; the repeat ends on Thursday 21.1.2027.
FIRST = date(2026, 8, 4)
LAST = date(2027, 1, 21)
RULE = "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270121"


@pytest.fixture(autouse=True)
def monday(app):
    with clock.frozen(T0):
        yield


@pytest.fixture
def kind(session):
    return factories.make_task_kind(name_en="Window washing", icon="window")


def weekly_form(kind_id: int, **overrides) -> dict:
    data = form_data(kind_id, schedule="weekly", **{"dates-0": None})
    data.update(
        {
            "weekdays": ["TU", "TH"],
            "first_date": FIRST.isoformat(),
            "until_date": LAST.isoformat(),
            "count": "",
        }
    )
    data.update(overrides)
    return data


def accepted_weekly_task(contact, kind, **overrides):
    _instructor, group = instructor_with_group()
    values = {"dates": [], "recurrence": RULE, "first_date": FIRST.isoformat()} | overrides
    return factories.make_accepted_task(contact, group, task_kind=kind, **values)


def bearer(session, user) -> dict[str, str]:
    _row, secret = create_api_token(session, user)
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_weekly_task_posted_from_the_form_ends_on_its_last_day(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)

    response = client.post("/tasks/new", data=weekly_form(kind.id))

    assert response.status_code == 303, response.get_data(as_text=True)
    task = session.scalars(sa.select(Task)).one()
    assert (task.first_date, task.last_date) == (FIRST, LAST)


def test_weekly_task_with_a_number_of_times_ends_on_its_last_time(client, login, session, kind):
    contact = unit_contact()
    session.commit()
    login(contact)

    client.post("/tasks/new", data=weekly_form(kind.id, until_date="", count="4"))

    task = session.scalars(sa.select(Task)).one()
    # Tue 4.8, Thu 6.8, Tue 11.8, Thu 13.8.
    assert task.last_date == date(2026, 8, 13)


def test_changing_only_the_time_of_a_weekly_task_keeps_its_last_day(client, login, session, kind):
    contact = unit_contact()
    task = accepted_weekly_task(contact, kind)
    session.commit()
    assert task.last_date == LAST
    login(contact)

    edit_page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/tasks/{task.id}/edit",
        data=weekly_form(kind.id, preferred_start="10:00", preferred_end="15:00"),
    )

    assert f'value="{LAST.isoformat()}"' in edit_page
    assert response.status_code == 303, response.get_data(as_text=True)
    session.expire_all()
    assert task.preferred_start.strftime("%H:%M") == "10:00"
    assert task.last_date == LAST
    tasks_page = client.get("/tasks").get_data(as_text=True)
    assert "4.8.2026 – 21.1.2027" in tasks_page


def test_instructors_pool_shows_the_whole_period_after_the_unit_edits(client, login, session, kind):
    contact = unit_contact()
    task = accepted_weekly_task(contact, kind)
    update_task(session, task, actor=contact, values=weekly_form_values(preferred_start="10:00"))
    session.commit()
    login(task.group.instructor.user)

    page = client.get("/inbox").get_data(as_text=True)

    assert "4.8.2026 – 21.1.2027" in page


def weekly_form_values(**overrides) -> dict:
    """What the posting form hands to posting for the weekly task (its last day empty:
    the repeat carries its end)."""
    return {
        "recurrence": RULE,
        "first_date": FIRST.isoformat(),
        "last_date": "",
        "dates": [],
    } | overrides


def test_api_patch_of_the_start_time_keeps_the_last_day(client, session, kind):
    contact = unit_contact()
    task = accepted_weekly_task(contact, kind)
    headers = bearer(session, contact)

    response = client.patch(
        f"/api/v1/tasks/{task.id}", json={"preferred_start": "10:00"}, headers=headers
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["last_date"] == LAST.isoformat()
    shown = client.get(f"/api/v1/tasks/{task.id}", headers=headers).get_json()
    assert shown["last_date"] == LAST.isoformat()


def test_api_patch_of_the_repeat_moves_the_last_day_with_it(client, session, kind):
    contact = unit_contact()
    task = accepted_weekly_task(contact, kind)
    headers = bearer(session, contact)

    response = client.patch(
        f"/api/v1/tasks/{task.id}",
        json={"recurrence": "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20270304"},
        headers=headers,
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["last_date"] == "2027-03-04"
    session.expire_all()
    assert session.get(Task, task.id).last_date == date(2027, 3, 4)


def test_a_last_day_later_than_the_repeat_is_the_repeats_last_day(session, kind):
    contact = unit_contact()

    task = factories.make_posted_task(
        contact,
        task_kind=kind,
        dates=[],
        recurrence=RULE,
        first_date=FIRST.isoformat(),
        last_date="2027-06-30",
    )

    assert task.last_date == LAST


def test_an_open_ended_repeat_keeps_the_last_day_given_with_it(session, kind):
    contact = unit_contact()

    task = factories.make_posted_task(
        contact,
        task_kind=kind,
        dates=[],
        recurrence="FREQ=WEEKLY;BYDAY=TU",
        first_date=FIRST.isoformat(),
        last_date="2026-09-29",
    )

    assert task.last_date == date(2026, 9, 29)


def test_edit_page_of_a_task_repeated_a_number_of_times_saves_unchanged(
    client, login, session, kind
):
    contact = unit_contact()
    task = accepted_weekly_task(contact, kind, recurrence="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4")
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/tasks/{task.id}/edit", data=weekly_form(kind.id, until_date="", count="4")
    )

    # The end is shown once, as the number of times, so saving the page as it is works.
    assert 'value="2026-08-13"' not in page
    assert response.status_code == 303, response.get_data(as_text=True)
    session.expire_all()
    assert task.last_date == date(2026, 8, 13)
