"""A participant's forms and API with hostile input: a clear message, nothing stored
(found by tests/test_bad_input_matrix.py)."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from jobcenter.accounts.operations import create_api_token
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.participants.forms import parse_time
from jobcenter.participants.models import AvailabilityWindow
from jobcenter.scheduling.models import AssignmentEvent, AssignmentStatus
from tests import factories

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=clock.HELSINKI)  # a Monday


@pytest.fixture(autouse=True)
def frozen(app):
    with clock.frozen(NOW):
        yield


@pytest.fixture
def offer(session):
    person = factories.make_participant(locale=Locale.EN)
    assignment = factories.make_offered_shift(person)
    session.commit()
    return assignment


def _events(session) -> int:
    session.rollback()
    return session.scalar(sa.select(sa.func.count()).select_from(AssignmentEvent))


def test_a_decline_note_with_a_nul_byte_is_refused_and_the_offer_stays_open(
    client, session, login, offer
):
    login(offer.participant.user)

    response = client.post(
        f"/my/shifts/{offer.shift_id}/decline", data={"reason": "other", "note": "en\x00pääse"}
    )

    assert response.status_code == 422
    assert "Remove control characters from the text." in response.get_data(as_text=True)
    assert _events(session) == 0
    assert offer.status == AssignmentStatus.OFFERED


def test_the_api_refuses_a_decline_note_with_a_nul_byte(client, session, offer):
    _row, secret = create_api_token(session, offer.participant.user)
    session.commit()

    response = client.post(
        f"/api/v1/me/shifts/{offer.shift_id}/decline",
        json={"reason": "other", "note": "en\x00pääse"},
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {"note": ["Remove control characters from the text."]}
    assert _events(session) == 0


@pytest.mark.parametrize("raw", ["9999999999999999999999", "99999999999999999999:00", "1e309"])
def test_a_time_too_large_for_any_clock_is_not_a_time(raw):
    assert parse_time(raw) is None


def test_an_availability_window_with_an_enormous_hour_is_refused_with_a_message(
    client, session, login
):
    person = factories.make_participant(locale=Locale.EN)
    session.commit()
    login(person.user)

    response = client.post(
        "/my/availability",
        data={
            "action": "add_window",
            "window-weekday": "0",
            "window-start": "9999999999999999999999",
            "window-end": "13:00",
        },
    )

    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    session.rollback()
    assert session.scalars(sa.select(AvailabilityWindow)).all() == []


def test_a_feedback_word_with_a_nul_byte_is_refused_and_nothing_is_saved(client, session, login):
    from jobcenter.hours.models import ShiftFeedback

    person = factories.make_participant(locale=Locale.EN)
    done = factories.make_offered_shift(
        person,
        status=AssignmentStatus.ATTENDED,
        starts_at=datetime(2026, 11, 20, 9, 0, tzinfo=clock.HELSINKI),
    )
    session.commit()
    login(person.user)

    response = client.post(
        f"/my/shifts/{done.shift_id}/feedback", data={"face": "3", "word": "kiva\x00"}
    )

    assert response.status_code == 422
    assert "Remove control characters from the text." in response.get_data(as_text=True)
    session.rollback()
    assert session.scalars(sa.select(ShiftFeedback)).all() == []
