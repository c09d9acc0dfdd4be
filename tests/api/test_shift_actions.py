"""POST /api/v1/shifts/<id>/move|keep|cancel: an instructor acts on one coming shift."""

from __future__ import annotations

import pytest

from jobcenter.core import clock
from tests import factories
from tests.api.conftest import assert_problem
from tests.scheduling.test_review import LATER, T0


@pytest.fixture
def setting(session):
    w = factories.make_shift_with_waiting_change(T0, LATER)
    return w.contact, w.group, w.shift


@pytest.fixture(autouse=True)
def later(app):
    with clock.frozen(LATER):
        yield


def test_instructor_takes_the_waiting_change_through_the_api(client, bearer, setting):
    _contact, group, shift = setting

    response = client.post(f"/api/v1/shifts/{shift.id}/move", headers=bearer(group.instructor.user))

    assert response.status_code == 200
    body = response.get_json()
    assert body["needs_review"] is False
    assert clock.to_local(shift.starts_at).hour == 12


def test_keep_twice_is_a_conflict(client, bearer, setting):
    _contact, group, shift = setting
    headers = bearer(group.instructor.user)
    assert client.post(f"/api/v1/shifts/{shift.id}/keep", headers=headers).status_code == 200

    body = assert_problem(client.post(f"/api/v1/shifts/{shift.id}/keep", headers=headers), 409)

    assert "no change waiting" in body["detail"]


def test_cancel_needs_a_reason(client, bearer, setting):
    _contact, group, shift = setting

    response = client.post(
        f"/api/v1/shifts/{shift.id}/cancel",
        json={"reason": ""},
        headers=bearer(group.instructor.user),
    )

    assert "reason" in assert_problem(response, 422)["errors"]


def test_cancel_with_a_reason_cancels_the_shift(client, bearer, setting):
    _contact, group, shift = setting

    response = client.post(
        f"/api/v1/shifts/{shift.id}/cancel",
        json={"reason": "The lift is broken"},
        headers=bearer(group.instructor.user),
    )

    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"


def test_unit_contact_may_not_act_on_a_shift(client, bearer, setting):
    contact, _group, shift = setting

    assert_problem(client.post(f"/api/v1/shifts/{shift.id}/keep", headers=bearer(contact)), 403)


def test_instructor_of_another_group_may_not_act_on_a_shift_they_supervise_nothing_of(
    client,
    bearer,
    session,
    setting,
):
    _contact, _group, shift = setting
    stranger = factories.make_group().instructor.user
    session.commit()

    assert_problem(client.post(f"/api/v1/shifts/{shift.id}/keep", headers=bearer(stranger)), 404)
