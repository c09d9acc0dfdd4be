"""What each person's feed holds, and how a shift is written: read by two parsers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from jobcenter.calendar import secrets
from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling import operations
from jobcenter.scheduling.models import AssignmentStatus, Shift
from jobcenter.units.posting import update_task
from tests import factories
from tests.calendar.conftest import by_uid, parse

A = AssignmentStatus
H = clock.HELSINKI


def fetch(client, session, user):
    secret = secrets.feed_secret(session, user)
    session.commit()
    response = client.get(f"/calendar/feed/{secret}.ics")
    assert response.status_code == 200
    return parse(response.data)


def uid(shift) -> str:
    return f"shift-{shift.id}@127.0.0.1"


def at(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=H)


# ---------------------------------------------------------------- a participant's feed


def test_participant_feed_has_the_shifts_they_said_yes_to(monday, client, session):
    me = factories.make_participant()
    accepted = factories.make_assignment(participant=me, status=A.ACCEPTED)
    confirmed = factories.make_assignment(participant=me, status=A.CONFIRMED)
    events = by_uid(fetch(client, session, me.user))
    assert set(events) == {uid(accepted.shift), uid(confirmed.shift)}


def test_a_shift_the_instructor_has_not_confirmed_yet_is_tentative(monday, client, session):
    me = factories.make_participant()
    accepted = factories.make_assignment(participant=me, status=A.ACCEPTED)
    confirmed = factories.make_assignment(participant=me, status=A.CONFIRMED)
    events = by_uid(fetch(client, session, me.user))
    assert events[uid(accepted.shift)].status == "TENTATIVE"
    assert events[uid(confirmed.shift)].status == "CONFIRMED"


@pytest.mark.parametrize("status", [A.PROPOSED, A.OFFERED, A.DECLINED])
def test_participant_feed_leaves_out_shifts_they_are_not_on(monday, client, session, status):
    me = factories.make_participant()
    factories.make_assignment(participant=me, status=status)
    assert fetch(client, session, me.user) == []


def test_participant_feed_never_has_another_participants_shifts(monday, client, session):
    me = factories.make_participant()
    mine = factories.make_assignment(participant=me)
    other = factories.make_participant(group=me.group)
    factories.make_assignment(participant=other)
    factories.make_assignment(mine.shift, other)  # a shared shift: it appears once
    events = fetch(client, session, me.user)
    assert [e.uid for e in events] == [uid(mine.shift)]
    text = repr(events)
    assert other.user.first_name not in text
    assert other.user.last_name not in text


def test_a_cancelled_shift_stays_in_the_feed_as_cancelled(monday, client, session):
    me = factories.make_participant()
    assignment = factories.make_assignment(participant=me)
    [before] = fetch(client, session, me.user)
    operations.cancel_shifts(session, [assignment.shift], reason="Vesivahinko")
    session.commit()
    [after] = fetch(client, session, me.user)
    assert after.uid == before.uid
    assert after.status == "CANCELLED"
    assert after.sequence > before.sequence
    assert "This shift is cancelled." in after.description


def test_a_person_taken_off_a_shift_sees_it_cancelled(monday, client, session):
    from jobcenter.scheduling.models import AssignmentEvent

    me = factories.make_participant()
    assignment = factories.make_assignment(participant=me)
    [before] = fetch(client, session, me.user)
    session.add(
        AssignmentEvent(assignment=assignment, from_status=A.CONFIRMED, to_status=A.CANCELLED)
    )
    assignment.status = A.CANCELLED
    session.commit()
    [after] = fetch(client, session, me.user)
    assert after.status == "CANCELLED"
    assert after.sequence > before.sequence


def test_feed_text_holds_nothing_sensitive(monday, client, session):
    me = factories.make_participant(stream=Stream.REHABILITATIVE, plan={"supervision_level": 3})
    factories.make_assignment(participant=me, is_orientation=True)
    response_events = fetch(client, session, me.user)
    secret = secrets.feed_secret(session, me.user)
    body = client.get(f"/calendar/feed/{secret}.ics").get_data(as_text=True).lower()
    assert response_events
    for word in (
        "rehabilitative", "disability", "stream", "supervision", "orientation",
        "health", "plan", me.user.last_name.lower(),
    ):  # fmt: skip
        assert word not in body


def test_event_says_what_where_and_who(monday, client, session):
    instructor = factories.make_instructor(phone="+358 40 765 4321")
    kind = factories.make_task_kind(name_en="Window washing")
    task = factories.make_task(
        title="Aulan ikkunat",
        task_kind=kind,
        site_address="Kivikatu 3",
        site_postal_code="00500",
        site_city="Helsinki",
        what_to_bring="Sisäkengät",
    )
    shift = factories.make_shift(task, instructor=instructor)
    me = factories.make_participant()
    factories.make_assignment(shift, me)
    [event] = fetch(client, session, me.user)
    assert event.summary == "Window washing – Aulan ikkunat"
    assert event.location == "Kivikatu 3, 00500 Helsinki"
    assert "What to bring: Sisäkengät" in event.description
    assert f"Instructor: {instructor.user.full_name}, tel. +358 40 765 4321" in event.description
    assert "http://127.0.0.1:5000/" in event.description


def test_event_times_are_helsinki_times(monday, client, session):
    me = factories.make_participant()
    shift = factories.make_shift(starts_at=at(10, 9))
    factories.make_assignment(shift, me)
    [event] = fetch(client, session, me.user)
    assert event.start.astimezone(UTC) == datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    assert event.end.astimezone(UTC) == datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("local_start", "utc_start"),
    [
        # Last Sunday of March 2026: clocks go forward at 03:00 → 04:00 (UTC+3 after).
        (datetime(2026, 3, 29, 9, 0), datetime(2026, 3, 29, 6, 0)),
        (datetime(2026, 3, 28, 9, 0), datetime(2026, 3, 28, 7, 0)),
        # Last Sunday of October 2026: clocks go back at 04:00 → 03:00 (UTC+2 after).
        (datetime(2026, 10, 25, 9, 0), datetime(2026, 10, 25, 7, 0)),
        (datetime(2026, 10, 24, 9, 0), datetime(2026, 10, 24, 6, 0)),
    ],
)
def test_dst_change_days_give_the_right_instants(monday, client, session, local_start, utc_start):
    me = factories.make_participant()
    shift = factories.make_shift(starts_at=local_start.replace(tzinfo=H))
    factories.make_assignment(shift, me)
    [event] = fetch(client, session, me.user)
    assert event.start.astimezone(UTC) == utc_start.replace(tzinfo=UTC)
    assert event.end - event.start == timedelta(hours=4)


def test_a_night_shift_across_the_spring_change_lasts_its_real_hours(monday, client, session):
    me = factories.make_participant()
    # 01:00–06:00 local on 29.3.2026 is only four real hours (03:00 does not exist).
    start = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    shift = factories.make_shift(starts_at=start, ends_at=start + timedelta(hours=4))
    factories.make_assignment(shift, me)
    [event] = fetch(client, session, me.user)
    assert event.start.astimezone(UTC) == start
    assert event.end.astimezone(UTC) == start + timedelta(hours=4)
    assert event.end.replace(tzinfo=None) == datetime(2026, 3, 29, 6, 0)


def test_an_empty_feed_is_a_valid_calendar(monday, client, session):
    assert fetch(client, session, factories.make_participant().user) == []


# ---------------------------------------------------------------- UID and SEQUENCE across edits


@pytest.fixture
def contact(session):
    return factories.make_unit_contact()


@pytest.fixture
def atask(monday, session, contact):
    group = factories.make_group()
    return factories.make_accepted_task(
        contact, group, dates=["2026-03-10", "2026-03-11"], preferred_start="09:00"
    )


def task_shifts(session, task) -> list[Shift]:
    return list(
        session.scalars(sa.select(Shift).where(Shift.task_id == task.id).order_by(Shift.starts_at))
    )


def test_uid_stays_and_sequence_grows_with_each_time_change(client, session, contact, atask):
    first = by_uid(fetch(client, session, contact))
    update_task(session, atask, actor=contact, values={"preferred_start": "10:00"})
    session.commit()
    second = by_uid(fetch(client, session, contact))
    update_task(session, atask, actor=contact, values={"preferred_start": "11:30"})
    session.commit()
    third = by_uid(fetch(client, session, contact))
    assert set(first) == set(second) == set(third)
    for key in first:
        assert first[key].sequence < second[key].sequence < third[key].sequence
        assert third[key].start.hour == 11
        assert third[key].start.minute == 30


def test_a_site_change_reaches_the_feed_of_people_on_the_shift(client, session, contact, atask):
    shift = task_shifts(session, atask)[0]
    me = factories.make_participant(email="maija@example.test")
    factories.make_assignment(shift, me, status=A.CONFIRMED)
    session.commit()
    [before] = fetch(client, session, me.user)
    update_task(session, atask, actor=contact, values={"site_address": "Uusikatu 9"})
    session.commit()
    [after] = fetch(client, session, me.user)
    assert after.uid == before.uid
    assert after.sequence > before.sequence
    assert after.location.startswith("Uusikatu 9")


def test_a_site_change_tells_the_people_on_the_shift_at_once(session, contact, atask):
    shift = task_shifts(session, atask)[0]
    me = factories.make_participant(email="maija@example.test")
    factories.make_assignment(shift, me, status=A.ACCEPTED)
    update_task(session, atask, actor=contact, values={"site_address": "Uusikatu 9"})
    session.commit()
    [notice] = session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == "maija@example.test")
    ).all()
    assert notice.kind == "shifts_changed"
    assert "Uusikatu 9" in notice.body
    assert "Changed:" in notice.subject


def test_a_time_change_tells_people_with_an_offer(session, contact, atask):
    shift = task_shifts(session, atask)[0]
    me = factories.make_participant(email="pekka@example.test")
    factories.make_assignment(shift, me, status=A.OFFERED)
    update_task(session, atask, actor=contact, values={"preferred_start": "12:00"})
    session.commit()
    [notice] = session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.to_address == "pekka@example.test")
    ).all()
    assert notice.kind == "shifts_changed"
    assert "12:00" in notice.body


def test_the_same_change_is_never_told_twice(session, contact, atask):
    shift = task_shifts(session, atask)[0]
    me = factories.make_participant(email="maija@example.test")
    factories.make_assignment(shift, me, status=A.ACCEPTED)
    update_task(session, atask, actor=contact, values={"site_address": "Uusikatu 9"})
    # The same batch again (both of the task's shifts moved to the new site).
    again = task_shifts(session, atask)
    operations.tell_shifts_changed(session, atask, again, actor=contact)
    session.commit()
    count = session.scalar(
        sa.select(sa.func.count()).where(OutboxMessage.to_address == "maija@example.test")
    )
    assert count == 1


# ---------------------------------------------------------------- staff feeds


def test_instructor_feed_has_supervised_group_and_their_peoples_shifts(monday, client, session):
    group = factories.make_group()
    instructor = group.instructor
    supervised = factories.make_shift(instructor=instructor)
    group_task_shift = factories.make_shift(factories.make_task(group=group))
    person = factories.make_participant(group=group)
    elsewhere = factories.make_assignment(participant=person)
    not_theirs = factories.make_shift()
    events = by_uid(fetch(client, session, instructor.user))
    assert set(events) == {uid(supervised), uid(group_task_shift), uid(elsewhere.shift)}
    assert uid(not_theirs) not in events


def test_instructor_feed_names_no_participants(monday, client, session):
    group = factories.make_group()
    shift = factories.make_shift(instructor=group.instructor)
    person = factories.make_participant(group=group)
    factories.make_assignment(shift, person)
    secret = secrets.feed_secret(session, group.instructor.user)
    session.commit()
    body = client.get(f"/calendar/feed/{secret}.ics").get_data(as_text=True)
    parse(body)
    assert person.user.first_name not in body
    assert person.user.last_name not in body


def test_unit_feed_has_only_the_units_tasks_shifts(monday, client, session):
    contact = factories.make_unit_contact()
    own = factories.make_shift(factories.make_task(contact.unit))
    other = factories.make_shift()
    events = by_uid(fetch(client, session, contact))
    assert set(events) == {uid(own)}
    assert uid(other) not in events


def test_old_shifts_drop_out_of_the_feed(monday, client, session):
    contact = factories.make_unit_contact()
    task = factories.make_task(contact.unit)
    old = factories.make_shift(task, starts_at=at(2, 9, month=1) - timedelta(days=40))
    recent = factories.make_shift(task, starts_at=at(1, 9, month=2))
    events = by_uid(fetch(client, session, contact))
    assert set(events) == {uid(recent)}
    assert uid(old) not in events


def test_the_event_title_does_not_repeat_the_kind_the_task_title_already_says(
    monday, client, session
):
    kind = factories.make_task_kind(name_en="Archiving")
    task = factories.make_task(title="Archiving of theses", task_kind=kind)
    shift = factories.make_shift(task)
    me = factories.make_participant()
    factories.make_assignment(shift, me)
    [event] = fetch(client, session, me.user)
    assert event.summary == "Archiving of theses"
