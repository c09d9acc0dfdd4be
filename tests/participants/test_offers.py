"""Offers: a participant accepts or declines in one step; never two people in one slot."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.core.errors import DomainError
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling import offers
from jobcenter.scheduling.models import SLOT_HOLDING, Assignment, AssignmentEvent, AssignmentStatus
from tests import factories

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=clock.HELSINKI)  # a Monday


@pytest.fixture(autouse=True)
def frozen(app):
    with clock.frozen(NOW):
        yield


def _offer(**kw) -> Assignment:
    instructor = factories.make_instructor(email="irma@example.test", first_name="Irma")
    person = factories.make_participant(factories.make_group(instructor), locale=Locale.EN)
    return factories.make_offered_shift(person, **kw)


def test_accepting_an_offer_records_the_answer_with_history(client, session, login):
    offer = _offer()
    session.commit()
    login(offer.participant.user)

    response = client.post(f"/my/shifts/{offer.shift_id}/accept", data={})

    assert response.status_code == 303
    session.expire_all()
    assert offer.status == AssignmentStatus.ACCEPTED
    assert offer.responded_at is not None
    event = session.scalars(sa.select(AssignmentEvent)).one()
    assert (event.from_status, event.to_status, event.actor_id) == (
        AssignmentStatus.OFFERED,
        AssignmentStatus.ACCEPTED,
        offer.participant.user_id,
    )


def test_declining_with_a_reason_frees_the_slot_and_tells_the_instructor(client, session, login):
    offer = _offer(title="Ikkunanpesu")
    session.commit()
    login(offer.participant.user)

    response = client.post(f"/my/shifts/{offer.shift_id}/decline", data={"reason": "sick"})

    assert response.status_code == 303
    session.expire_all()
    assert offer.status == AssignmentStatus.DECLINED
    assert offer.decline_reason == "sick"
    assert offer.status not in SLOT_HOLDING
    notice = session.scalars(sa.select(OutboxMessage)).one()
    assert notice.to_address == "irma@example.test"
    assert "Ikkunanpesu" in notice.body
    assert "sick" not in notice.body.lower()  # health stays out of e-mail


def test_declining_without_a_reason_is_refused_and_changes_nothing(client, session, login):
    offer = _offer()
    session.commit()
    login(offer.participant.user)

    response = client.post(f"/my/shifts/{offer.shift_id}/decline", data={"reason": "bored"})

    assert response.status_code == 422
    assert "Choose a reason." in response.get_data(as_text=True)
    session.expire_all()
    assert offer.status == AssignmentStatus.OFFERED


def test_accepting_a_full_shift_gets_a_kind_message_and_no_second_person(client, session, login):
    offer = _offer(slots=1)
    factories.make_assignment(offer.shift, status=AssignmentStatus.ACCEPTED)
    session.commit()
    login(offer.participant.user)

    response = client.post(f"/my/shifts/{offer.shift_id}/accept", data={})

    assert response.status_code == 409
    assert "this shift is already full" in response.get_data(as_text=True)
    session.expire_all()
    assert offer.status == AssignmentStatus.OFFERED


def test_a_full_offer_shows_no_yes_button(client, session, login):
    offer = _offer(slots=1)
    factories.make_assignment(offer.shift, status=AssignmentStatus.CONFIRMED)
    session.commit()
    login(offer.participant.user)

    html = client.get("/my/shifts").get_data(as_text=True)

    assert "This shift is full now." in html
    assert "Yes, I will come" not in html


def test_participant_cannot_answer_another_participants_offer(client, session, login):
    offer = _offer()
    other = factories.make_participant(offer.participant.group)
    session.commit()
    login(other.user)

    response = client.post(f"/my/shifts/{offer.shift_id}/accept", data={})

    assert response.status_code == 404
    session.expire_all()
    assert offer.status == AssignmentStatus.OFFERED


def test_a_shift_that_has_started_cannot_be_declined(session):
    offer = _offer(starts_at=datetime(2026, 11, 23, 9, 0, tzinfo=clock.HELSINKI))

    with pytest.raises(DomainError):
        offers.decline_offer(session, offer, offer.participant.user, "sick")


def test_a_confirmed_shift_asks_to_call_the_instructor_instead(session):
    offer = _offer(status=AssignmentStatus.CONFIRMED)

    with force_locale("en"), pytest.raises(DomainError, match="call your instructor"):
        offers.decline_offer(session, offer, offer.participant.user, "sick")


def test_instructor_sees_the_latest_answers_on_the_home_page(client, session, login):
    offer = _offer(title="Ikkunanpesu")
    offer.participant.user.first_name = "Pekka"
    session.commit()
    offers.decline_offer(session, offer, offer.participant.user, "appointment")
    session.commit()
    login(offer.participant.group.instructor.user)

    html = client.get("/home").get_data(as_text=True)

    assert "Latest answers to offers" in html
    assert "Pekka" in html
    assert "said no" in html
    assert "I have another appointment" in html
    assert "The place is open again." in html


@pytest.mark.skipif(
    "postgresql" not in __import__("os").environ.get("DATABASE_URL", ""),
    reason="row locks: PostgreSQL only",
)
def test_two_people_accepting_the_last_slot_at_once_leaves_exactly_one(app, session):
    from jobcenter.extensions import db

    first = _offer(slots=1)
    second = factories.make_assignment(
        first.shift, factories.make_participant(first.participant.group),
        status=AssignmentStatus.OFFERED,
    )  # fmt: skip
    session.commit()
    pairs = [(first.id, first.participant.user_id), (second.id, second.participant.user_id)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(assignment_id: int, user_id: int) -> None:
        from jobcenter.accounts.models import User

        with app.app_context(), clock.frozen(NOW):
            s = db.session
            try:
                assignment = s.get(Assignment, assignment_id)
                user = s.get(User, user_id)
                _ = assignment.shift, assignment.participant.group.instructor
                barrier.wait(timeout=10)
                offers.accept_offer(s, assignment, user)
                s.commit()
                outcomes.append("accepted")
            except DomainError:
                s.rollback()
                outcomes.append("full")
            finally:
                s.remove()

    threads = [threading.Thread(target=answer, args=pair) for pair in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "full"]
    session.expire_all()
    taken = session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(
            Assignment.shift_id == first.shift_id, Assignment.status == AssignmentStatus.ACCEPTED
        )
    )
    assert taken == 1
