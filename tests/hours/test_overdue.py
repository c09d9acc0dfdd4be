"""Shifts that ended without confirmed attendance are listed to the instructors who
record them, and the daily nudge e-mails each of them once a day with a count only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.hours import attendance
from jobcenter.hours.attendance import Entry
from jobcenter.hours.jobs import nudge_overdue_attendance
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduler import JOBS
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from tests import factories

DAY = date(2026, 11, 18)
NOW = datetime(2026, 11, 18, 14, 0, tzinfo=clock.HELSINKI)


@pytest.fixture
def world(session):
    clock.freeze(NOW)
    w = factories.make_paid_attendance_setup(DAY)  # 09:00–13:00: ended an hour ago
    return w


def outbox(session) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_an_ended_shift_without_attendance_is_overdue(session, world):
    assert attendance.overdue_shifts(session, world.user) == [world.shift]


def test_recorded_but_unconfirmed_attendance_is_still_overdue(session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    assert attendance.overdue_shifts(session, world.user) == [world.shift]


def test_confirmed_attendance_is_not_overdue(session, world):
    attendance.record(
        session, world.user, world.assignment, Entry(present=False, absence_kind="unexcused")
    )
    attendance.confirm_shift(session, world.user, world.shift)
    assert attendance.overdue_shifts(session, world.user) == []


def test_a_shift_still_running_is_not_overdue(session, world):
    clock.freeze(datetime.combine(DAY, time(12, 0), tzinfo=clock.HELSINKI))
    assert attendance.overdue_shifts(session, world.user) == []


def test_a_cancelled_shift_is_not_overdue(session, world):
    world.shift.status = ShiftStatus.CANCELLED
    world.shift.cancel_reason = "Sade"
    assert attendance.overdue_shifts(session, world.user) == []


def test_a_shift_with_only_declined_people_is_not_overdue(session, world):
    world.assignment.status = AssignmentStatus.DECLINED
    assert attendance.overdue_shifts(session, world.user) == []


def test_another_instructor_does_not_see_the_overdue_shift(session, world):
    assert attendance.overdue_shifts(session, factories.make_instructor().user) == []


def test_a_guests_own_instructor_sees_the_overdue_shift_too(session, world):
    own = factories.make_group()
    factories.make_assignment(world.shift, factories.make_participant(own))
    assert attendance.overdue_shifts(session, own.instructor.user) == [world.shift]
    counts = attendance.overdue_counts(session)
    assert counts == {world.instructor.id: 1, own.instructor.id: 1}


def test_counts_are_per_shift_not_per_person(session, world):
    factories.make_assignment(world.shift, factories.make_participant(world.group))
    later = factories.make_shift_on(
        world.task, DAY - timedelta(days=1), instructor=world.instructor
    )
    factories.make_assignment(later, world.participant)
    assert attendance.overdue_counts(session) == {world.instructor.id: 2}


def test_the_nudge_job_is_registered_with_the_scheduler():
    assert "nudge_overdue_attendance" in JOBS


def test_the_nudge_queues_one_mail_per_instructor_with_a_count_only(session, world):
    result = nudge_overdue_attendance(session)
    assert result == {"queued": 1, "instructors": 1}
    [mail] = outbox(session)
    assert mail.recipient_id == world.user.id
    assert mail.kind == "attendance_overdue"
    assert "1 shift" in mail.subject
    assert "/attendance/overdue" in mail.body
    participant = world.participant.user
    for secret in (participant.first_name, participant.last_name, "rehabilitative"):
        assert secret not in mail.body
        assert secret not in mail.subject


def test_the_nudge_is_sent_once_a_day(session, world):
    nudge_overdue_attendance(session)
    again = nudge_overdue_attendance(session)
    assert again["queued"] == 0
    assert len(outbox(session)) == 1
    clock.freeze(NOW + timedelta(days=1))
    nudge_overdue_attendance(session)
    assert len(outbox(session)) == 2


def test_no_nudge_when_nothing_is_overdue(session, world):
    attendance.record(session, world.user, world.assignment, attendance.planned_entry(world.shift))
    attendance.confirm_shift(session, world.user, world.shift)
    assert nudge_overdue_attendance(session) == {"queued": 0, "instructors": 0}
    assert outbox(session) == []


def test_the_nudge_is_written_in_the_instructors_language(session, world):
    world.user.locale = "fi"
    nudge_overdue_attendance(session)
    [mail] = outbox(session)
    assert mail.locale == "fi"
