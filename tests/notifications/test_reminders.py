"""Day-before shift reminders: due from 16:00 the day before, never at night, once per
assignment and shift version, only for people who want them, in their language."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from jobcenter import scheduler as sched
from jobcenter.core import clock
from jobcenter.core.enums import Locale, Stream
from jobcenter.notifications import reminders
from jobcenter.notifications.models import OutboxMessage
from jobcenter.notifications.sender import deliver_pending
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from tests import factories

A = AssignmentStatus
H = clock.HELSINKI
# The shift: Tuesday 10 March 2026, 09:00–13:00 Helsinki.
SHIFT_START = datetime(2026, 3, 10, 9, 0, tzinfo=H)
DAY_BEFORE_AT = lambda hour, minute=0: datetime(2026, 3, 9, hour, minute, tzinfo=H)  # noqa: E731


def reminders_in_outbox(session) -> list[OutboxMessage]:
    return list(
        session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.kind == reminders.SHIFT_REMINDER)
            .order_by(OutboxMessage.id)
        )
    )


def run_at(session, moment: datetime) -> dict[str, int]:
    with clock.frozen(moment):
        result = reminders.send_reminders(session)
        session.commit()
    return result


@pytest.fixture
def on_shift(session):
    """A participant with an e-mail, confirmed on the Tuesday shift (made a week before)."""
    with clock.frozen(datetime(2026, 3, 2, 10, 0, tzinfo=H)):
        instructor = factories.make_instructor(phone="+358 40 111 2222")
        group = factories.make_group(instructor)
        participant = factories.make_participant(
            group=group, email="maija@example.test", stream=Stream.REHABILITATIVE
        )
        task = factories.make_task(
            title="Ikkunoiden pesu", what_to_bring="Sisäkengät", site_address="Kivikatu 3"
        )
        shift = factories.make_shift(task, SHIFT_START, instructor=instructor)
        assignment = factories.make_assignment(shift, participant, status=A.CONFIRMED)
        session.commit()
    return assignment


def test_no_reminder_before_four_in_the_afternoon_the_day_before(session, on_shift):
    run_at(session, DAY_BEFORE_AT(15, 59))
    assert reminders_in_outbox(session) == []


def test_reminder_is_queued_at_four_the_day_before(session, on_shift):
    result = run_at(session, DAY_BEFORE_AT(16, 0))
    [message] = reminders_in_outbox(session)
    assert result == {"due": 1, "queued": 1}
    assert message.to_address == "maija@example.test"
    assert message.dedupe_key == f"shift-reminder:{on_shift.id}:0"


def test_reminder_is_sent_only_once(session, on_shift):
    run_at(session, DAY_BEFORE_AT(16, 0))
    run_at(session, DAY_BEFORE_AT(16, 15))
    second = run_at(session, DAY_BEFORE_AT(20, 45))
    assert len(reminders_in_outbox(session)) == 1
    assert second == {"due": 1, "queued": 0}


def test_no_reminder_two_days_before(session, on_shift):
    run_at(session, datetime(2026, 3, 8, 16, 0, tzinfo=H))
    assert reminders_in_outbox(session) == []


def test_no_reminder_at_night(session, on_shift):
    run_at(session, DAY_BEFORE_AT(21, 0))
    run_at(session, DAY_BEFORE_AT(23, 30))
    run_at(session, datetime(2026, 3, 10, 7, 59, tzinfo=H))
    assert reminders_in_outbox(session) == []


def test_a_shift_published_late_in_the_evening_gets_its_reminder_at_eight(session, on_shift):
    later = on_shift.shift
    later.starts_at = datetime(2026, 3, 10, 12, 0, tzinfo=H)
    later.ends_at = later.starts_at + timedelta(hours=4)
    session.commit()
    run_at(session, DAY_BEFORE_AT(22, 0))
    assert reminders_in_outbox(session) == []
    run_at(session, datetime(2026, 3, 10, 8, 0, tzinfo=H))
    assert len(reminders_in_outbox(session)) == 1


def test_a_shift_accepted_after_four_the_day_before_gets_a_reminder_right_away(session, on_shift):
    on_shift.status = A.OFFERED
    session.commit()
    run_at(session, DAY_BEFORE_AT(16, 0))
    assert reminders_in_outbox(session) == []
    on_shift.status = A.ACCEPTED
    session.commit()
    run_at(session, DAY_BEFORE_AT(18, 30))
    assert len(reminders_in_outbox(session)) == 1


def test_no_reminder_once_the_shift_has_started(session, on_shift):
    run_at(session, datetime(2026, 3, 10, 9, 0, tzinfo=H))
    assert reminders_in_outbox(session) == []


def test_a_changed_shift_gets_a_reminder_of_its_new_version(session, on_shift):
    run_at(session, DAY_BEFORE_AT(16, 0))
    on_shift.shift.sequence += 1
    session.commit()
    run_at(session, DAY_BEFORE_AT(16, 15))
    keys = [m.dedupe_key for m in reminders_in_outbox(session)]
    assert keys == [f"shift-reminder:{on_shift.id}:0", f"shift-reminder:{on_shift.id}:1"]


def test_people_who_turned_reminders_off_get_none(session, on_shift):
    on_shift.participant.user.reminders_enabled = False
    session.commit()
    run_at(session, DAY_BEFORE_AT(17, 0))
    assert reminders_in_outbox(session) == []


def test_people_without_an_email_address_get_none(session, on_shift):
    on_shift.participant.user.email = None
    session.commit()
    run_at(session, DAY_BEFORE_AT(17, 0))
    assert reminders_in_outbox(session) == []


def test_closed_accounts_get_none(session, on_shift):
    on_shift.participant.user.is_active_account = False
    session.commit()
    run_at(session, DAY_BEFORE_AT(17, 0))
    assert reminders_in_outbox(session) == []


@pytest.mark.parametrize("status", [A.PROPOSED, A.OFFERED, A.DECLINED, A.CANCELLED])
def test_only_accepted_or_confirmed_assignments_get_a_reminder(session, on_shift, status):
    on_shift.status = status
    session.commit()
    run_at(session, DAY_BEFORE_AT(17, 0))
    assert reminders_in_outbox(session) == []


def test_accepted_assignments_get_a_reminder(session, on_shift):
    on_shift.status = A.ACCEPTED
    session.commit()
    run_at(session, DAY_BEFORE_AT(17, 0))
    assert len(reminders_in_outbox(session)) == 1


def test_a_cancelled_shift_gets_no_reminder(session, on_shift):
    on_shift.shift.status = ShiftStatus.CANCELLED
    on_shift.shift.cancel_reason = "Sairastuminen"
    session.commit()
    run_at(session, DAY_BEFORE_AT(17, 0))
    assert reminders_in_outbox(session) == []


def test_reminder_says_what_where_when_and_who_in_plain_words(session, on_shift):
    run_at(session, DAY_BEFORE_AT(16, 0))
    [message] = reminders_in_outbox(session)
    assert message.locale == "en"
    assert "Ikkunoiden pesu" in message.subject
    assert "Tuesday, March 10 at 09:00–13:00" in message.body
    assert "Kivikatu 3" in message.body
    assert "Sisäkengät" in message.body
    instructor = on_shift.shift.instructor.user
    assert instructor.full_name in message.body
    assert "+358 40 111 2222" in message.body
    assert "http://127.0.0.1:5000/account" in message.body


def test_reminder_tells_nothing_private(session, on_shift):
    run_at(session, DAY_BEFORE_AT(16, 0))
    [message] = reminders_in_outbox(session)
    text = (message.subject + message.body).lower()
    for word in ("stream", "rehabilitative", "supervision", "level", "health", "plan"):
        assert word not in text
    assert on_shift.participant.user.last_name.lower() not in text


def test_reminder_is_in_the_persons_own_language(session, on_shift):
    on_shift.participant.user.locale = Locale.FI
    session.commit()
    run_at(session, DAY_BEFORE_AT(16, 0))
    [message] = reminders_in_outbox(session)
    assert message.locale == "fi"
    assert "Tiistaina 10.3." in message.body


def test_reminder_in_swedish(session, on_shift):
    on_shift.participant.user.locale = Locale.SV
    session.commit()
    run_at(session, DAY_BEFORE_AT(16, 0))
    [message] = reminders_in_outbox(session)
    assert message.locale == "sv"
    assert "Tisdag 10 mars" in message.body


def test_each_person_on_a_shift_gets_their_own_reminder(session, on_shift):
    other = factories.make_participant(email="pekka@example.test")
    factories.make_assignment(on_shift.shift, other, status=A.ACCEPTED)
    session.commit()
    run_at(session, DAY_BEFORE_AT(16, 0))
    assert sorted(m.to_address for m in reminders_in_outbox(session)) == [
        "maija@example.test",
        "pekka@example.test",
    ]


def test_the_scheduler_job_queues_and_commits_reminders(app, session, on_shift):
    with clock.frozen(DAY_BEFORE_AT(16, 0).astimezone(clock.HELSINKI)):
        assert sched.run_in_app(app, "send_reminders") == {"due": 1, "queued": 1}
    session.rollback()
    assert len(reminders_in_outbox(session)) == 1


def test_the_scheduler_runs_reminders_every_fifteen_minutes(app, db):
    scheduler = sched.build_scheduler(app, db.engine, "test-holder")
    job = next(j for j in scheduler.get_jobs() if j.id == "send_reminders")
    assert job.trigger.interval == timedelta(minutes=15)
    assert job.args == ("send_reminders", "test-holder")


def test_reminder_reaches_a_real_mail_server(app, make_app, session, on_shift, smtp_server):
    run_at(session, DAY_BEFORE_AT(16, 0))
    mail_app = make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    with mail_app.app_context(), clock.frozen(DAY_BEFORE_AT(16, 1)):
        assert deliver_pending() == 1
    message = smtp_server.wait_for_message()
    assert message["To"] == "maija@example.test"
    assert "Kivikatu 3" in smtp_server.body(message)
