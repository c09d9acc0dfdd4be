"""The task page's "Work done": the shifts that are over, how many people worked, the
confirmed hours from the hour ledger and which shifts still wait for the instructor's
confirmation. Counts and hours only, never a name."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from jobcenter.core import clock
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from jobcenter.units import queries
from jobcenter.units.models import TaskFeedback, TaskStatus
from tests import factories
from tests.units.helpers import T0, instructor_with_group, unit_contact

S = TaskStatus
HINT = "The instructor has not confirmed the hours of"


@pytest.fixture(autouse=True)
def monday(app):
    with clock.frozen(T0):  # Monday 2.3.2026 10:00 Helsinki
        yield


def days_ago(days: int) -> date:
    return clock.today() - timedelta(days=days)


def finished_task(status: TaskStatus = S.DONE):
    """A unit contact's task done by an instructor's group, with no shifts yet."""
    contact = unit_contact()
    instructor, group = instructor_with_group()
    task = factories.make_task(contact.unit, group=group, status=status, title="Ikkunat")
    return contact, instructor, group, task


def worked(task, group, day: date, minutes: int | None = None, **person):
    """A shift of `task` on `day` (9–13) where one person of `group` worked and the
    instructor confirmed the hours (`minutes`, the shift's length unless given)."""
    shift = factories.make_shift_on(task, day)
    participant = factories.make_participant(group, **person)
    entry = factories.make_hour_entry(participant, shift, minutes=minutes)
    return shift, entry


def waiting(task, group, day: date, **person):
    """A shift of `task` on `day` whose person has no confirmed attendance yet."""
    shift = factories.make_shift_on(task, day)
    participant = factories.make_participant(group, **person)
    factories.make_assignment(shift, participant, status=AssignmentStatus.CONFIRMED)
    return shift


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def work_section(html: str) -> str:
    """The words of the page's "Work done" section ("" when there is none)."""
    match = re.search(r'<section aria-labelledby="work-heading">(.*?)</section>', html, re.S)
    return text_of(match.group(1)) if match else ""


def task_page(client, task) -> str:
    response = client.get(f"/tasks/{task.id}?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_shifts_confirmed_hours_are_summed_net_of_a_correction(client, login, session):
    contact, _instructor, group, task = finished_task()
    _shift, entry = worked(task, group, days_ago(7))  # 4 h, corrected to 3 h
    factories.correct_hour_entry(entry, 180)
    worked(task, group, days_ago(6), minutes=90)
    session.commit()
    login(contact)

    section = work_section(task_page(client, task))

    assert "Monday, February 23 at 09:00–13:00 1 3 Confirmed" in section
    assert "Tuesday, February 24 at 09:00–13:00 1 1.5 Confirmed" in section
    assert "All confirmed hours of the task 4.5" in section


def test_the_newest_shift_that_is_over_comes_first(session):
    contact, _instructor, group, task = finished_task()
    older, _ = worked(task, group, days_ago(7))
    newer, _ = worked(task, group, days_ago(6))
    session.commit()

    work = queries.work_done(session, task, contact)

    assert [s.id for s in work.shifts] == [newer.id, older.id]
    assert (work.total, work.minutes, work.unconfirmed) == (2, 480, 0)


def test_a_shift_without_confirmed_attendance_is_marked_and_counted_in_the_hint(
    client, login, session
):
    contact, _instructor, group, task = finished_task()
    worked(task, group, days_ago(7))
    waiting(task, group, days_ago(6))
    session.commit()
    login(contact)

    html = task_page(client, task)

    section = work_section(html)
    assert "Tuesday, February 24 at 09:00–13:00 0 0 Hours not confirmed yet" in section
    assert "Monday, February 23 at 09:00–13:00 1 4 Confirmed" in section
    assert "1 shift not confirmed yet" in section
    assert (
        "The instructor has not confirmed the hours of 1 shift yet. You can confirm the work "
        "now; the hours are added when the instructor confirms them."
    ) in text_of(html)


def test_the_hint_counts_every_shift_still_waiting(client, login, session):
    contact, _instructor, group, task = finished_task()
    waiting(task, group, days_ago(7))
    waiting(task, group, days_ago(6))
    session.commit()
    login(contact)

    assert "has not confirmed the hours of 2 shifts yet." in text_of(task_page(client, task))


def test_no_hint_when_every_shift_has_confirmed_hours(client, login, session):
    contact, _instructor, group, task = finished_task()
    worked(task, group, days_ago(7))
    session.commit()
    login(contact)

    html = task_page(client, task)

    assert "Confirm the work was done" in html
    assert HINT not in html


def test_the_unit_can_confirm_the_work_while_hours_still_wait(client, login, session):
    contact, _instructor, group, task = finished_task()
    waiting(task, group, days_ago(6))
    session.commit()
    login(contact)

    response = client.post(f"/tasks/{task.id}/confirm", data={"confirm-rating": "5"})

    assert response.status_code == 303
    session.refresh(task)
    assert task.status == S.CONFIRMED
    assert session.query(TaskFeedback).filter_by(task_id=task.id).one().rating == 5


def test_cancelled_and_coming_shifts_are_not_in_work_done(client, login, session):
    contact, _instructor, group, task = finished_task(S.SCHEDULED)
    worked(task, group, days_ago(7))
    factories.make_shift_on(task, days_ago(5), status=ShiftStatus.CANCELLED, cancel_reason="Sade")
    factories.make_shift_on(task, clock.today() + timedelta(days=7))
    session.commit()
    login(contact)

    section = work_section(task_page(client, task))

    assert "Monday, February 23" in section
    assert "Wednesday, February 25" not in section  # cancelled
    assert "March 9" not in section  # still coming
    assert queries.work_done(session, task, contact).total == 1


def test_a_shift_that_has_started_but_not_ended_is_not_work_done_yet(session):
    contact, _instructor, _group, task = finished_task(S.SCHEDULED)
    factories.make_shift_on(task, clock.today())  # 9–13, it is 10:00 now
    session.commit()

    assert queries.work_done(session, task, contact).total == 0


def test_a_unit_contact_of_another_unit_gets_404(client, login, session):
    _contact, _instructor, group, task = finished_task()
    worked(task, group, days_ago(7))
    stranger = unit_contact()
    session.commit()
    login(stranger)

    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_a_finished_tasks_page_no_longer_says_shifts_will_be_planned(client, login, session):
    contact, _instructor, group, task = finished_task()
    worked(task, group, days_ago(7))
    session.commit()
    login(contact)

    words = text_of(task_page(client, task))

    assert "When an instructor plans shifts" not in words
    assert "No more shifts are coming. The work done is shown below." in words


def test_a_task_with_only_ended_shifts_does_not_promise_planning(client, login, session):
    contact, _instructor, group, task = finished_task(S.SCHEDULED)
    worked(task, group, days_ago(7))
    session.commit()
    login(contact)

    words = text_of(task_page(client, task))

    assert "No shifts are coming up." in words
    assert "When an instructor plans shifts" not in words


def test_work_done_shows_no_participant_names(client, login, session):
    contact, _instructor, group, task = finished_task()
    worked(task, group, days_ago(7), first_name="Kaarina", last_name="Virtanen")
    waiting(task, group, days_ago(6), first_name="Oskari", last_name="Mäkelä")
    session.commit()
    login(contact)

    html = task_page(client, task)

    section = work_section(html)
    assert section
    for name in ("Kaarina", "Virtanen", "Oskari", "Mäkelä"):
        assert name not in html


def test_without_ended_shifts_there_is_no_work_done_section(client, login, session):
    contact, _instructor, _group, task = finished_task(S.SCHEDULED)
    factories.make_shift_on(task, clock.today() + timedelta(days=7))
    session.commit()
    login(contact)

    html = task_page(client, task)

    assert 'id="work-heading"' not in html


def test_the_groups_instructor_and_an_admin_see_work_done(client, login, session):
    _contact, instructor, group, task = finished_task()
    worked(task, group, days_ago(7))
    admin = factories.make_admin()
    session.commit()

    for user in (instructor.user, admin):
        login(user)
        assert "All confirmed hours of the task 4" in work_section(task_page(client, task))


def test_another_groups_instructor_does_not_see_the_work_done(client, login, session):
    _contact, _instructor, group, task = finished_task()
    worked(task, group, days_ago(7))
    other, _other_group = instructor_with_group()
    session.commit()
    login(other.user)

    assert work_section(task_page(client, task)) == ""


def test_only_the_twenty_newest_shifts_are_listed_with_the_rest_counted(client, login, session):
    contact, _instructor, group, task = finished_task()
    for days in range(1, 23):
        worked(task, group, days_ago(days), minutes=60)
    session.commit()
    login(contact)

    section = work_section(task_page(client, task))

    assert section.count(" 1 1 Confirmed") == 20
    assert "2 earlier shifts are not shown." in section
    assert "All confirmed hours of the task 22" in section


def test_a_shift_waiting_longer_than_the_reminders_look_back_still_counts(session):
    contact, _instructor, group, task = finished_task()
    waiting(task, group, days_ago(90))
    session.commit()

    work = queries.work_done(session, task, contact)

    assert (work.total, work.unconfirmed) == (1, 1)
