"""GET /api/v1/me: who the token belongs to, and nothing sensitive."""

from __future__ import annotations

from jobcenter.core.enums import Locale, Role
from tests import factories


def test_me_shows_the_tokens_user(client, session, bearer):
    user = factories.make_manager(first_name="Maija", last_name="Meikäläinen", locale=Locale.SV)
    response = client.get("/api/v1/me", headers=bearer(user))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "id": user.id,
        "first_name": "Maija",
        "last_name": "Meikäläinen",
        "name": "Maija Meikäläinen",
        "email": user.email,
        "role": "manager",
        "locale": "sv",
        "unit_id": None,
    }


def test_me_shows_a_unit_contacts_unit(client, session, bearer):
    unit = factories.make_unit()
    contact = factories.make_unit_contact(unit=unit)
    body = client.get("/api/v1/me", headers=bearer(contact)).get_json()
    assert body["role"] == Role.UNIT_CONTACT
    assert body["unit_id"] == unit.id


def test_me_shows_no_participant_plan_stream_or_supervision(client, session, bearer):
    participant = factories.make_participant(plan={"supervision_level": 3})
    body = client.get("/api/v1/me", headers=bearer(participant.user)).get_json()
    assert body["role"] == "participant"
    assert body["id"] == participant.user.id
    text = str(body).lower()
    for sensitive in ("stream", "plan", "supervision", "disability", "group", "instructor"):
        assert sensitive not in text


def test_every_role_can_read_me(client, session, bearer):
    users = [
        factories.make_admin(),
        factories.make_manager(),
        factories.make_instructor().user,
        factories.make_unit_contact(),
        factories.make_participant().user,
    ]
    for user in users:
        response = client.get("/api/v1/me", headers=bearer(user))
        assert response.status_code == 200
        assert response.get_json()["id"] == user.id
