"""/api/v1/me/shifts and /api/v1/me/availability: a participant's own data only."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.participants.models import AvailabilityWindow
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories
from tests.api.conftest import assert_problem

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=clock.HELSINKI)


@pytest.fixture(autouse=True)
def frozen(app):
    with clock.frozen(NOW):
        yield


@pytest.fixture
def offer(session):
    return factories.make_offered_shift(title="Ikkunanpesu", what_to_bring="Kengät")


def test_list_shows_only_my_shifts_with_place_and_answer_state(client, session, bearer, offer):
    factories.make_offered_shift()  # someone else's
    headers = bearer(offer.participant.user)

    body = client.get("/api/v1/me/shifts", headers=headers).get_json()

    assert body["total"] == 1
    (item,) = body["items"]
    assert item["shift_id"] == offer.shift_id
    assert item["status"] == "offered"
    assert item["title"] == "Ikkunanpesu"
    assert item["what_to_bring"] == "Kengät"
    assert item["map_url"].startswith("https://www.openstreetmap.org/search?query=")
    assert item["can_accept"] is True


def test_list_filters_by_days(client, bearer, offer):
    headers = bearer(offer.participant.user)

    assert client.get("/api/v1/me/shifts?from=2026-11-26", headers=headers).get_json()["total"] == 0
    assert client.get("/api/v1/me/shifts?to=2026-11-25", headers=headers).get_json()["total"] == 1


def test_bad_dates_are_422(client, bearer, offer):
    response = client.get("/api/v1/me/shifts?from=tomorrow", headers=bearer(offer.participant.user))

    assert "from" in assert_problem(response, 422)["errors"]


def test_accept_and_then_decline(client, session, bearer, offer):
    headers = bearer(offer.participant.user)

    accepted = client.post(f"/api/v1/me/shifts/{offer.shift_id}/accept", headers=headers)
    declined = client.post(f"/api/v1/me/shifts/{offer.shift_id}/decline", headers=headers,
                           json={"reason": "appointment"})  # fmt: skip

    assert accepted.get_json()["status"] == "accepted"
    assert declined.get_json()["status"] == "declined"
    assert declined.get_json()["decline_reason"] == "appointment"


def test_decline_with_an_unknown_reason_is_422(client, bearer, offer):
    headers = bearer(offer.participant.user)
    url = f"/api/v1/me/shifts/{offer.shift_id}/decline"

    response = client.post(url, headers=headers, json={"reason": "meh"})

    assert "reason" in assert_problem(response, 422)["errors"]


def test_accepting_a_full_shift_is_409(client, session, bearer, offer):
    factories.make_assignment(offer.shift, status=AssignmentStatus.CONFIRMED)
    headers = bearer(offer.participant.user)

    response = client.post(f"/api/v1/me/shifts/{offer.shift_id}/accept", headers=headers)

    assert "full" in assert_problem(response, 409)["detail"]


def test_another_participants_shift_is_404(client, session, bearer, offer):
    other = factories.make_participant()
    headers = bearer(other.user)

    response = client.post(f"/api/v1/me/shifts/{offer.shift_id}/accept", headers=headers)

    assert_problem(response, 404)


def test_staff_get_403(client, bearer, session):
    headers = bearer(factories.make_instructor().user)

    assert_problem(client.get("/api/v1/me/shifts", headers=headers), 403)
    assert_problem(client.get("/api/v1/me/availability", headers=headers), 403)


def test_put_and_get_availability(client, session, bearer, offer):
    headers = bearer(offer.participant.user)
    body = {
        "windows": [{"weekday": 0, "start": "09:00", "end": "13:00"}],
        "days_away": [{"day": "2026-12-01", "note": "Lääkäri"}],
    }

    put = client.put("/api/v1/me/availability", headers=headers, json=body)

    assert put.status_code == 200
    assert client.get("/api/v1/me/availability", headers=headers).get_json() == body


def test_invalid_availability_is_422_and_changes_nothing(client, session, bearer, offer):
    headers = bearer(offer.participant.user)
    body = {
        "windows": [{"weekday": 0, "start": "13:00", "end": "09:00"}],
        "days_away": [{"day": "2026-11-01"}],
    }

    errors = assert_problem(client.put("/api/v1/me/availability", headers=headers, json=body),
                            422)["errors"]  # fmt: skip

    assert "end" in errors["windows"]["0"]
    assert "day" in errors["days_away"]["0"]
    assert session.scalars(sa.select(AvailabilityWindow)).all() == []
