"""Units through the API: scoped reads for every role, per-role fields, admin writes."""

from __future__ import annotations

import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from jobcenter.core.enums import Locale
from jobcenter.units.models import TaskStatus, Unit, UnitKind
from tests import factories
from tests.api.conftest import assert_problem

NEW_UNIT = {
    "name": "Kallion kirjasto",
    "kind": "city_unit",
    "business_id": "0201256-6",
    "street_address": "Viides linja 11",
    "postal_code": "00530",
    "city": "Helsinki",
    "email": "kallio.kirjasto@example.com",
    "phone": "+358 9 310 85000",
    "billing_reference": "KIR-530",
}


def _unit_count(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Unit))


# --- reading -------------------------------------------------------------------------


def test_manager_lists_every_unit_ordered_by_id(client, session, bearer):
    units = [factories.make_unit() for _ in range(3)]
    body = client.get("/api/v1/units", headers=bearer(factories.make_manager())).get_json()
    assert [item["id"] for item in body["items"]] == [u.id for u in units]
    assert body["total"] == 3


def test_instructor_lists_every_unit(client, session, bearer):
    units = [factories.make_unit() for _ in range(2)]
    body = client.get("/api/v1/units", headers=bearer(factories.make_instructor().user)).get_json()
    assert [item["id"] for item in body["items"]] == [u.id for u in units]


def test_unit_contact_lists_only_their_own_unit(client, session, bearer):
    factories.make_unit()
    contact = factories.make_unit_contact()
    factories.make_unit()
    body = client.get("/api/v1/units", headers=bearer(contact)).get_json()
    assert [item["id"] for item in body["items"]] == [contact.unit_id]
    assert body["total"] == 1


def test_unit_contact_gets_404_for_another_unit(client, session, bearer):
    other = factories.make_unit()
    contact = factories.make_unit_contact()
    response = client.get(f"/api/v1/units/{other.id}", headers=bearer(contact))
    assert_problem(response, 404)


def test_unit_contact_reads_their_own_unit_with_billing_details(client, session, bearer):
    unit = factories.make_unit(business_id="0201256-6", billing_reference="REF-1")
    contact = factories.make_unit_contact(unit=unit)
    body = client.get(f"/api/v1/units/{unit.id}", headers=bearer(contact)).get_json()
    assert body["name"] == unit.name
    assert body["business_id"] == "0201256-6"
    assert body["billing_reference"] == "REF-1"


def test_instructor_does_not_see_billing_details(client, session, bearer):
    unit = factories.make_unit(business_id="0201256-6", billing_reference="REF-1")
    body = client.get(
        f"/api/v1/units/{unit.id}", headers=bearer(factories.make_instructor().user)
    ).get_json()
    assert body["name"] == unit.name
    assert "business_id" not in body
    assert "billing_reference" not in body


def test_manager_and_admin_see_billing_details(client, session, bearer):
    unit = factories.make_unit(business_id="0201256-6", billing_reference="REF-1")
    for user in (factories.make_manager(), factories.make_admin()):
        body = client.get(f"/api/v1/units/{unit.id}", headers=bearer(user)).get_json()
        assert body["billing_reference"] == "REF-1"


def test_participant_sees_only_units_they_work_for_without_billing(client, session, bearer):
    participant = factories.make_participant()
    task = factories.make_task(unit=factories.make_unit(billing_reference="REF-9"))
    factories.make_assignment(shift=factories.make_shift(task=task), participant=participant)
    other = factories.make_unit()
    headers = bearer(participant.user)
    body = client.get("/api/v1/units", headers=headers).get_json()
    assert [item["id"] for item in body["items"]] == [task.unit_id]
    assert "billing_reference" not in body["items"][0]
    assert_problem(client.get(f"/api/v1/units/{other.id}", headers=headers), 404)


def test_unknown_unit_is_404_problem(client, session, bearer):
    response = client.get("/api/v1/units/4242", headers=bearer(factories.make_admin()))
    assert_problem(response, 404)


def test_unit_id_beyond_the_database_range_is_404(client, session, bearer):
    headers = bearer(factories.make_admin())
    for unit_id in ("0", "-1", "99999999999999999999", "abc"):
        assert_problem(client.get(f"/api/v1/units/{unit_id}", headers=headers), 404)


# --- creating ------------------------------------------------------------------------


def test_admin_creates_a_unit(client, session, bearer):
    response = client.post("/api/v1/units", json=NEW_UNIT, headers=bearer(factories.make_admin()))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/units/{body['id']}")
    unit = session.get(Unit, body["id"])
    assert unit.name == "Kallion kirjasto"
    assert unit.kind == UnitKind.CITY_UNIT
    assert unit.business_id == "0201256-6"
    assert unit.is_active
    assert body["billing_reference"] == "KIR-530"
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "unit_created")).one()
    assert event.object_id == unit.id


def test_created_unit_can_be_read_back(client, session, bearer):
    headers = bearer(factories.make_admin())
    created = client.post("/api/v1/units", json=NEW_UNIT, headers=headers)
    read = client.get(created.headers["Location"], headers=headers)
    assert read.get_json() == created.get_json()


def test_create_with_only_required_fields_uses_defaults(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        json={"name": "Pieni yhdistys", "street_address": "Katu 1", "postal_code": "00100"},
        headers=bearer(factories.make_admin()),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["city"] == "Helsinki"
    assert body["kind"] == "city_unit"
    assert body["is_active"] is True
    assert body["district_id"] is None


def test_create_in_a_district(client, session, bearer):
    district = factories.make_district()
    response = client.post(
        "/api/v1/units",
        json=NEW_UNIT | {"district_id": district.id},
        headers=bearer(factories.make_admin()),
    )
    assert response.status_code == 201
    assert session.get(Unit, response.get_json()["id"]).district_id == district.id


def test_non_admins_cannot_create_units(client, session, bearer):
    for user in (
        factories.make_manager(),
        factories.make_instructor().user,
        factories.make_unit_contact(),
        factories.make_participant().user,
    ):
        response = client.post("/api/v1/units", json=NEW_UNIT, headers=bearer(user))
        assert_problem(response, 403)
    assert session.scalar(sa.select(Unit.id).where(Unit.name == NEW_UNIT["name"])) is None


def test_missing_and_invalid_fields_are_422_per_field_and_nothing_is_written(
    client, session, bearer
):
    headers = bearer(factories.make_admin())
    before = _unit_count(session)
    response = client.post(
        "/api/v1/units",
        json={"name": "", "postal_code": "123", "kind": "castle", "colour": "red"},
        headers=headers,
    )
    body = assert_problem(response, 422)
    errors = body["errors"]
    assert set(errors) == {"name", "postal_code", "kind", "colour", "street_address"}
    assert all(isinstance(messages, list) and messages for messages in errors.values())
    assert _unit_count(session) == before


def test_field_errors_are_in_the_users_language(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        json={"street_address": "Katu 1", "postal_code": "00100"},
        headers=bearer(factories.make_admin(locale=Locale.EN)),
    )
    assert assert_problem(response, 422)["errors"] == {"name": ["This field is required."]}


def test_field_errors_default_to_finnish(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        json={"street_address": "Katu 1", "postal_code": "00100"},
        headers=bearer(factories.make_admin(locale=Locale.FI)),
    )
    assert assert_problem(response, 422)["errors"] == {"name": ["Tämä kenttä on pakollinen."]}


def test_invalid_business_id_is_422_and_nothing_is_written(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        json=NEW_UNIT | {"business_id": "0201256-7"},  # wrong check digit
        headers=bearer(factories.make_admin()),
    )
    assert "business_id" in assert_problem(response, 422)["errors"]
    assert _unit_count(session) == 0


def test_unknown_district_is_422(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        json=NEW_UNIT | {"district_id": 999},
        headers=bearer(factories.make_admin()),
    )
    assert "district_id" in assert_problem(response, 422)["errors"]
    assert _unit_count(session) == 0


def test_control_characters_are_refused(client, session, bearer):
    response = client.post(
        "/api/v1/units",
        json=NEW_UNIT | {"name": "Kirjasto\x00", "city": "Hel\nsinki"},
        headers=bearer(factories.make_admin()),
    )
    assert set(assert_problem(response, 422)["errors"]) == {"name", "city"}
    assert _unit_count(session) == 0


def test_too_long_name_is_422(client, session, bearer):
    response = client.post(
        "/api/v1/units", json=NEW_UNIT | {"name": "x" * 161}, headers=bearer(factories.make_admin())
    )
    assert "name" in assert_problem(response, 422)["errors"]


def test_server_generated_fields_cannot_be_sent(client, session, bearer):
    response = client.post(
        "/api/v1/units", json=NEW_UNIT | {"id": 7}, headers=bearer(factories.make_admin())
    )
    assert "id" in assert_problem(response, 422)["errors"]


def test_duplicate_name_is_409_and_nothing_is_written(client, session, bearer):
    factories.make_unit(name="Kallion kirjasto")
    response = client.post(
        "/api/v1/units",
        json=NEW_UNIT | {"name": "KALLION KIRJASTO"},
        headers=bearer(factories.make_admin()),
    )
    body = assert_problem(response, 409)
    assert body["field"] == "name"
    assert body["errors"]["name"]
    assert _unit_count(session) == 1


def test_body_that_is_not_an_object_is_422(client, session, bearer):
    response = client.post("/api/v1/units", json=["a"], headers=bearer(factories.make_admin()))
    assert assert_problem(response, 422)["errors"]


# --- changing ------------------------------------------------------------------------


def test_admin_changes_only_the_fields_sent(client, session, bearer):
    unit = factories.make_unit(name="Vanha nimi", billing_reference="OLD")
    headers = bearer(factories.make_admin())
    response = client.patch(
        f"/api/v1/units/{unit.id}", json={"billing_reference": "NEW"}, headers=headers
    )
    assert response.status_code == 200
    session.expire_all()
    unit = session.get(Unit, unit.id)
    assert unit.billing_reference == "NEW"
    assert unit.name == "Vanha nimi"
    assert response.get_json()["billing_reference"] == "NEW"


def test_admin_can_rename_a_unit_to_its_own_name_in_other_case(client, session, bearer):
    unit = factories.make_unit(name="Kallion kirjasto")
    response = client.patch(
        f"/api/v1/units/{unit.id}",
        json={"name": "KALLION KIRJASTO"},
        headers=bearer(factories.make_admin()),
    )
    assert response.status_code == 200


def test_rename_to_another_units_name_is_409_and_nothing_changes(client, session, bearer):
    factories.make_unit(name="Ensimmäinen")
    second = factories.make_unit(name="Toinen")
    response = client.patch(
        f"/api/v1/units/{second.id}",
        json={"name": "ensimmäinen", "billing_reference": "X"},
        headers=bearer(factories.make_admin()),
    )
    assert_problem(response, 409)
    session.expire_all()
    assert session.get(Unit, second.id).name == "Toinen"
    assert session.get(Unit, second.id).billing_reference is None


def test_invalid_patch_changes_nothing(client, session, bearer):
    unit = factories.make_unit(name="Nimi", postal_code="00100")
    response = client.patch(
        f"/api/v1/units/{unit.id}",
        json={"name": "Uusi nimi", "postal_code": "ABCDE"},
        headers=bearer(factories.make_admin()),
    )
    assert "postal_code" in assert_problem(response, 422)["errors"]
    session.expire_all()
    assert session.get(Unit, unit.id).name == "Nimi"


def test_required_field_cannot_be_patched_to_null(client, session, bearer):
    unit = factories.make_unit()
    response = client.patch(
        f"/api/v1/units/{unit.id}", json={"name": None}, headers=bearer(factories.make_admin())
    )
    assert "name" in assert_problem(response, 422)["errors"]


def test_admin_deactivates_a_unit_without_open_tasks(client, session, bearer):
    unit = factories.make_unit()
    response = client.patch(
        f"/api/v1/units/{unit.id}",
        json={"is_active": False},
        headers=bearer(factories.make_admin()),
    )
    assert response.status_code == 200
    assert response.get_json()["is_active"] is False


def test_deactivating_a_unit_with_open_tasks_is_409(client, session, bearer):
    unit = factories.make_unit()
    factories.make_task(unit=unit, status=TaskStatus.SCHEDULED)
    response = client.patch(
        f"/api/v1/units/{unit.id}",
        json={"is_active": False, "billing_reference": "X"},
        headers=bearer(factories.make_admin()),
    )
    assert_problem(response, 409)
    session.expire_all()
    assert session.get(Unit, unit.id).is_active
    assert session.get(Unit, unit.id).billing_reference is None


def test_patch_of_unknown_unit_is_404(client, session, bearer):
    response = client.patch(
        "/api/v1/units/999", json={"name": "X"}, headers=bearer(factories.make_admin())
    )
    assert_problem(response, 404)


def test_unit_contact_cannot_change_their_own_unit(client, session, bearer):
    contact = factories.make_unit_contact()
    response = client.patch(
        f"/api/v1/units/{contact.unit_id}", json={"name": "Oma"}, headers=bearer(contact)
    )
    assert_problem(response, 403)
