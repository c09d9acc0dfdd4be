"""Availability: weekly windows and days away, set by the participant or their instructor."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.core.errors import ValidationFailed
from jobcenter.participants import availability
from jobcenter.participants.models import AvailabilityWindow, DayAway
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=clock.HELSINKI)  # a Wednesday


@pytest.fixture(autouse=True)
def frozen(app):
    with clock.frozen(NOW):
        yield


@pytest.fixture
def person(session):
    p = factories.make_participant(locale=Locale.EN)
    session.commit()
    return p


def add_window(client, url="/my/availability", weekday="0", start="9:00", end="13:00"):
    return client.post(url, data={"action": "add_window", "window-weekday": weekday,
                                  "window-start": start, "window-end": end})  # fmt: skip


def windows(session, user_id):
    return session.scalars(
        sa.select(AvailabilityWindow).where(AvailabilityWindow.user_id == user_id)
    ).all()


def test_participant_adds_a_weekly_time(client, session, person, login):
    login(person.user)

    response = add_window(client, weekday="1", start="9", end="13.30")

    assert response.status_code == 303
    (row,) = windows(session, person.user_id)
    assert (row.weekday, row.start_time, row.end_time) == (1, time(9), time(13, 30))
    assert "Tuesday 09:00–13:30" in client.get("/my/availability").get_data(as_text=True)


def test_a_time_that_ends_before_it_starts_is_refused_with_a_message(
    client, session, person, login
):
    login(person.user)

    response = add_window(client, start="13:00", end="9:00")

    assert response.status_code == 422
    assert "The end time must be after the start time." in response.get_data(as_text=True)
    assert windows(session, person.user_id) == []


def test_overlapping_times_on_the_same_day_are_refused(client, session, person, login):
    login(person.user)
    add_window(client, start="9:00", end="13:00")

    response = add_window(client, start="12:00", end="15:00")

    assert response.status_code == 422
    assert "overlaps another time" in response.get_data(as_text=True)
    assert len(windows(session, person.user_id)) == 1


def test_touching_times_are_fine(session, person):
    availability.add_window(session, person.user_id, 0, time(8), time(12))
    availability.add_window(session, person.user_id, 0, time(12), time(16))

    assert len(windows(session, person.user_id)) == 2


def test_unreadable_time_is_refused(client, person, login):
    login(person.user)

    response = add_window(client, start="noon", end="25:99")

    assert response.status_code == 422
    assert "Write the time like this" in response.get_data(as_text=True)


def test_participant_adds_and_removes_a_day_away_with_a_note(client, session, person, login):
    login(person.user)

    response = client.post("/my/availability", data={"action": "add_day", "away-day": "2026-12-01",
                                                     "away-note": "Lääkäri"})  # fmt: skip

    assert response.status_code == 303
    row = session.scalars(sa.select(DayAway)).one()
    assert (row.day, row.note) == (date(2026, 12, 1), "Lääkäri")
    client.post("/my/availability", data={"action": "remove_day", "item_id": str(row.id)})
    assert session.scalars(sa.select(DayAway)).all() == []


def _add_day(client, url="/my/availability", day="2026-12-01"):
    return client.post(url, data={"action": "add_day", "away-day": day}, follow_redirects=True)


def _shift_on_dec_1(person, status):
    task = factories.make_task(group=person.group)
    shift = factories.make_shift_on(task, date(2026, 12, 1), time(9, 0), 240)
    return factories.make_assignment(shift, person, status)


@pytest.mark.parametrize("status", [AssignmentStatus.OFFERED, AssignmentStatus.CONFIRMED])
def test_a_day_away_on_a_day_with_work_tells_the_person_what_to_do(
    client, session, person, login, status
):
    _shift_on_dec_1(person, status)
    session.commit()
    login(person.user)

    page = _add_day(client)

    assert "You already have work on that day." in page.text
    assert session.scalars(sa.select(DayAway)).one().day == date(2026, 12, 1)


def test_a_day_away_tells_the_instructor_that_the_persons_shift_stays(
    client, session, person, login
):
    _shift_on_dec_1(person, AssignmentStatus.ACCEPTED)
    session.commit()
    login(person.group.instructor.user)

    page = _add_day(client, url=f"/participants/{person.id}/availability")

    assert f"{person.user.first_name} already has a shift or an offer on that day." in page.text


def test_a_day_away_without_work_says_nothing_more(client, session, person, login):
    _shift_on_dec_1(person, AssignmentStatus.DECLINED)
    session.commit()
    login(person.user)

    page = _add_day(client)

    assert "The day was added." in page.text
    assert "already have work" not in page.text


def test_a_day_away_in_the_past_is_refused(client, session, person, login):
    login(person.user)

    response = client.post("/my/availability", data={"action": "add_day", "away-day": "2026-11-24"})

    assert response.status_code == 422
    assert "Choose today or a later day." in response.get_data(as_text=True)
    assert session.scalars(sa.select(DayAway)).all() == []


def test_participant_cannot_remove_someone_elses_time(client, session, person, login):
    other = factories.make_participant()
    row = availability.add_window(session, other.user_id, 0, time(9), time(12))
    session.commit()
    login(person.user)

    response = client.post(
        "/my/availability", data={"action": "remove_window", "item_id": str(row.id)}
    )

    assert response.status_code == 404
    assert len(windows(session, other.user_id)) == 1


def test_instructor_sets_times_for_a_person_in_their_group_and_it_is_audited(
    client, session, person, login
):
    login(person.group.instructor.user)
    url = f"/participants/{person.id}/availability"

    assert client.get(url).status_code == 200
    response = add_window(client, url=url, weekday="4")

    assert response.status_code == 303
    assert windows(session, person.user_id)[0].weekday == 4
    actions = session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.participant_id == person.id)
    ).all()
    assert "availability_viewed" in actions
    assert "availability_changed" in actions


def test_instructor_of_another_group_gets_404(client, session, person, login):
    stranger = factories.make_instructor()
    session.commit()
    login(stranger.user)

    assert client.get(f"/participants/{person.id}/availability").status_code == 404
    assert add_window(client, url=f"/participants/{person.id}/availability").status_code == 404


@pytest.mark.parametrize("maker", ["participant", "admin", "manager"])
def test_only_instructors_use_the_instructor_availability_page(
    client, session, person, login, maker
):
    user = {"participant": lambda: person.user, "admin": factories.make_admin,
            "manager": factories.make_manager}[maker]()  # fmt: skip
    session.commit()
    login(user)

    assert client.get(f"/participants/{person.id}/availability").status_code == 403


def test_replace_refuses_everything_when_one_item_is_wrong(session, person):
    availability.add_window(session, person.user_id, 0, time(9), time(12))

    with pytest.raises(ValidationFailed) as refused:
        availability.replace_availability(
            session, person.user_id,
            [availability.WindowInput(1, time(9), time(12)),
             availability.WindowInput(1, time(11), time(14))],
            [],
        )  # fmt: skip

    assert "1" in refused.value.errors["windows"]
    assert [(w.weekday, w.start_time) for w in windows(session, person.user_id)] == [(0, time(9))]


def test_matching_reads_windows_and_days_away(session, person):
    from jobcenter.matching.operations import build_instance

    availability.add_window(session, person.user_id, 3, time(9), time(15))
    availability.add_day_away(session, person.user_id, date(2026, 12, 4))

    instance = build_instance(session, date(2026, 11, 30), person.group_id)

    (entry,) = instance.participants
    assert [(w.weekday, w.start, w.end) for w in entry.availability] == [(3, time(9), time(15))]
    assert entry.days_away == frozenset({date(2026, 12, 4)})
