"""Notices about tasks and shifts: the recipient's language, nothing private, never twice,
delivered to a real SMTP server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.core.enums import Locale, Stream
from jobcenter.notifications import messages
from jobcenter.notifications.models import OutboxMessage, OutboxStatus
from jobcenter.notifications.sender import deliver_pending
from jobcenter.scheduling import operations
from jobcenter.scheduling.models import AssignmentStatus, Shift
from jobcenter.units import lifecycle
from tests import factories

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2.3.2026 10:00 Helsinki


@pytest.fixture(autouse=True)
def english_on_monday(app):
    with clock.frozen(T0), force_locale("en"):
        yield


@pytest.fixture
def contact(session):
    return factories.make_unit_contact()


@pytest.fixture
def group(session):
    instructor = factories.make_instructor(phone="+358 40 123 4567")
    return factories.make_group(instructor)


def outbox(session, kind=None) -> list[OutboxMessage]:
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(session.scalars(stmt))


def first_shift(session, task) -> Shift:
    return session.scalars(
        sa.select(Shift).where(Shift.task_id == task.id).order_by(Shift.starts_at)
    ).first()


# ---------------------------------------------------------------- task answered


def test_accepted_notice_names_the_instructor_in_charge(session, contact, group):
    task = factories.make_accepted_task(contact, group, title="Mattojen asennus")
    [notice] = outbox(session, messages.TASK_ANSWERED)
    instructor = group.instructor.user
    assert notice.to_address == contact.email
    assert notice.recipient_id == contact.id
    assert notice.subject == "Your task was accepted: Mattojen asennus"
    assert instructor.full_name in notice.body
    assert instructor.email in notice.body
    assert "+358 40 123 4567" in notice.body
    assert task.task_kind.name_en in notice.body  # the kind in the recipient's language


def test_rejected_notice_gives_the_reason(session, contact):
    task = factories.make_posted_task(contact)
    lifecycle.reject(session, task, factories.make_instructor().user, "Tämä on palkattua työtä.")
    [notice] = outbox(session, messages.TASK_ANSWERED)
    assert notice.subject.startswith("Your task was not accepted")
    assert "The reason:\nTämä on palkattua työtä." in notice.body


def test_changes_requested_notice_says_what_to_change(session, contact):
    task = factories.make_posted_task(contact)
    lifecycle.request_changes(session, task, factories.make_instructor().user, "Lisää osoite.")
    [notice] = outbox(session, messages.TASK_ANSWERED)
    assert notice.subject.startswith("Changes are needed to your task")
    assert "Lisää osoite." in notice.body
    assert "Change the task and send it again." in notice.body


def test_the_same_answer_is_never_queued_twice(session, contact):
    task = factories.make_posted_task(contact)
    event = lifecycle.reject(session, task, factories.make_instructor().user, "Ei.")
    assert messages.queue_task_answered(session, task, event) == []
    assert len(outbox(session)) == 1


def test_a_new_answer_after_resubmission_is_a_new_notice(session, contact, group):
    task = factories.make_posted_task(contact)
    instructor = group.instructor.user
    lifecycle.request_changes(session, task, instructor, "Tarkenna.")
    lifecycle.submit(session, task, contact)
    lifecycle.accept(session, task, instructor, group)
    assert [m.subject.split(":")[0] for m in outbox(session, messages.TASK_ANSWERED)] == [
        "Changes are needed to your task",
        "Your task was accepted",
    ]


def test_notices_are_written_in_each_recipients_language(session, contact, group):
    contact.locale = Locale.SV
    task = factories.make_accepted_task(contact, group, dates=["2026-03-10"])
    fi_person = factories.make_participant(group=group, email="fi@example.test", locale=Locale.FI)
    sv_person = factories.make_participant(group=group, email="sv@example.test", locale=Locale.SV)
    shift = first_shift(session, task)
    factories.make_assignment(shift, fi_person)
    factories.make_assignment(shift, sv_person)
    lifecycle.cancel(session, task, contact, "Peruttu.")
    by_address = {m.to_address: m for m in outbox(session, messages.SHIFTS_CANCELLED)}
    assert outbox(session, messages.TASK_ANSWERED)[0].locale == "sv"
    assert by_address["fi@example.test"].locale == "fi"
    assert "maaliskuuta" in by_address["fi@example.test"].subject
    assert by_address["sv@example.test"].locale == "sv"
    assert "mars" in by_address["sv@example.test"].subject


def test_a_shift_notice_holds_nothing_about_participants(session, contact, group):
    task = factories.make_accepted_task(contact, group, dates=["2026-03-10"])
    shift = first_shift(session, task)
    anna = factories.make_participant(
        group=group,
        stream=Stream.REHABILITATIVE,
        plan={"supervision_level": 3},
        email="anna@example.test",
        first_name="Anna",
        last_name="Aaltonen",
    )
    bert = factories.make_participant(
        group=group, stream=Stream.DISABILITY, first_name="Bert", last_name="Berg"
    )
    factories.make_assignment(shift, anna, status=AssignmentStatus.CONFIRMED)
    factories.make_assignment(shift, bert, status=AssignmentStatus.CONFIRMED)
    lifecycle.cancel(session, task, contact, "Vesivahinko.")
    for notice in outbox(session, messages.SHIFTS_CANCELLED):
        text = (notice.subject + notice.body).lower()
        for word in ("rehabilit", "disabilit", "supervision", "level", "kuntout", "vammai"):
            assert word not in text
        assert "aaltonen" not in text
        assert "bert" not in text
        assert "berg" not in text


# ---------------------------------------------------------------- delivery by SMTP


@pytest.fixture
def mail_app(app, make_app, smtp_server):
    application = make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    with application.app_context():
        yield application


def test_cancellation_notices_reach_a_real_smtp_server_once_even_after_a_restart(
    mail_app, make_app, smtp_server, session
):
    from jobcenter.extensions import db

    contact = factories.make_unit_contact()
    group = factories.make_group()
    task = factories.make_accepted_task(contact, group, dates=["2026-03-10", "2026-03-11"])
    for shift in session.scalars(sa.select(Shift).where(Shift.task_id == task.id)):
        factories.make_assignment(
            shift, factories.make_participant(group=group, email=f"p{shift.id}@example.test")
        )
    lifecycle.cancel(session, task, contact, "Vesivahinko.")
    session.commit()

    people = sorted(p.user.email for p in group.participants)
    assert deliver_pending() == 4  # the unit's answer, two participants, the instructor
    smtp_server.wait_for_message(count=4)
    received = sorted(m["To"] for m in smtp_server.messages)
    assert received == sorted([contact.email, *people, group.instructor.user.email])

    # The cancel logic runs again, and a new process starts and runs its sender.
    operations.cancel_task_shifts(db.session, task, reason="Vesivahinko.", actor=contact)
    db.session.commit()
    restarted = make_app(MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port)
    with restarted.app_context():
        assert deliver_pending() == 0
    assert deliver_pending() == 0
    assert len(smtp_server.messages) == 4
    assert {m.status for m in outbox(session)} == {OutboxStatus.SENT}
    cancelled = [m for m in smtp_server.messages if m["Subject"].startswith("Cancelled")]
    assert all("Vesivahinko." in smtp_server.body(m) for m in cancelled)
