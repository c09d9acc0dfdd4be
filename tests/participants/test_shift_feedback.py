"""After a shift: a three-face scale (good / okay / bad, each with a word) once per shift."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.hours.models import ShiftFeedback
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories

NOW = datetime(2026, 11, 25, 16, 0, tzinfo=clock.HELSINKI)
ENDED = datetime(2026, 11, 25, 9, 0, tzinfo=clock.HELSINKI)  # 9–13 today


@pytest.fixture(autouse=True)
def frozen(app):
    with clock.frozen(NOW):
        yield


def _worked(session, status=AssignmentStatus.ATTENDED, starts_at=ENDED):
    person = factories.make_participant(locale=Locale.EN)
    assignment = factories.make_offered_shift(person, status=status, starts_at=starts_at)
    session.commit()
    return assignment


def test_ended_shift_offers_three_faces_each_with_a_word(client, session, login):
    a = _worked(session)
    login(a.participant.user)

    html = client.get(f"/my/shifts/{a.shift_id}").get_data(as_text=True)

    assert "How did it go?" in html
    for word in ("Good", "Okay", "Bad"):
        assert f"<span>{word}</span>" in html
    assert "How did it go?" in client.get("/my/shifts").get_data(as_text=True)


def test_feedback_is_saved_once(client, session, login):
    a = _worked(session)
    login(a.participant.user)

    first = client.post(f"/my/shifts/{a.shift_id}/feedback", data={"face": "3", "word": "Kiva"})
    again = client.post(f"/my/shifts/{a.shift_id}/feedback", data={"face": "1"})

    assert first.status_code == 303
    assert again.status_code == 409
    row = session.scalars(sa.select(ShiftFeedback)).one()
    assert (row.face, row.word) == (3, "Kiva")
    assert "You said: Good" in client.get(f"/my/shifts/{a.shift_id}").get_data(as_text=True)


def test_feedback_without_a_face_is_refused_with_a_message(client, session, login):
    a = _worked(session)
    login(a.participant.user)

    response = client.post(f"/my/shifts/{a.shift_id}/feedback", data={"face": "7"})

    assert response.status_code == 422
    assert "Choose a face." in response.get_data(as_text=True)
    assert session.scalars(sa.select(ShiftFeedback)).all() == []


def test_no_feedback_before_the_shift_has_ended(client, session, login):
    a = _worked(session, status=AssignmentStatus.CONFIRMED,
                starts_at=datetime(2026, 11, 27, 9, 0, tzinfo=clock.HELSINKI))  # fmt: skip
    login(a.participant.user)

    assert "How did it go?" not in client.get(f"/my/shifts/{a.shift_id}").get_data(as_text=True)
    response = client.post(f"/my/shifts/{a.shift_id}/feedback", data={"face": "2"})

    assert response.status_code == 409
    assert session.scalars(sa.select(ShiftFeedback)).all() == []


def test_no_feedback_on_a_shift_the_person_was_absent_from(client, session, login):
    a = _worked(session, status=AssignmentStatus.ABSENT)
    login(a.participant.user)

    assert client.post(f"/my/shifts/{a.shift_id}/feedback", data={"face": "2"}).status_code == 409


def test_another_participant_cannot_rate_the_shift(client, session, login):
    a = _worked(session)
    other = factories.make_participant()
    session.commit()
    login(other.user)

    assert client.post(f"/my/shifts/{a.shift_id}/feedback", data={"face": "3"}).status_code == 404
