"""Managing units (customers)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.units import operations
from jobcenter.units.models import Task, TaskStatus, Unit, UnitKind
from tests import factories
from tests.admin.conftest import page_text


@pytest.fixture(autouse=True)
def _english_messages(app):
    """Rules called outside a request speak the default language (Finnish): these
    tests read them in English."""
    with force_locale("en"):
        yield


def _unit_form(**over) -> dict:
    return {
        "name": "Kallion kirjasto",
        "kind": "city_unit",
        "business_id": "0201256-6",
        "street_address": "Viides linja 11",
        "postal_code": "00530",
        "city": "Helsinki",
        "district_id": "",
        "email": "kallio.kirjasto@example.com",
        "phone": "+358 9 310 85 300",
        "billing_reference": "KIRJ-123",
    } | over


def test_unit_list_shows_units_with_their_kind(admin_client, session):
    factories.make_unit(name="Malmin liikuntahalli", kind=UnitKind.CITY_UNIT)
    factories.make_unit(name="Siivous Oy", kind=UnitKind.COMPANY)
    session.commit()
    html = page_text(admin_client.get("/admin/units"))
    assert "Malmin liikuntahalli" in html
    assert "Siivous Oy" in html
    assert "Company" in html


def test_unit_list_searches_by_name(admin_client, session):
    factories.make_unit(name="Malmin liikuntahalli")
    factories.make_unit(name="Siivous Oy")
    session.commit()
    html = page_text(admin_client.get("/admin/units?q=malmin"))
    assert "Malmin liikuntahalli" in html
    assert "Siivous Oy" not in html


def test_admin_creates_a_unit(admin_client, session):
    district_id = factories.make_district().id
    session.commit()
    response = admin_client.post("/admin/units/new", data=_unit_form(district_id=district_id))
    assert response.status_code == 303
    unit = session.scalars(sa.select(Unit)).one()
    assert unit.name == "Kallion kirjasto"
    assert unit.business_id == "0201256-6"
    assert unit.postal_code == "00530"
    assert unit.district_id == district_id
    assert unit.email == "kallio.kirjasto@example.com"
    assert unit.billing_reference == "KIRJ-123"
    assert unit.is_active


def test_optional_unit_fields_may_be_left_empty(admin_client, session):
    data = _unit_form(business_id="", email="", phone="", billing_reference="")
    response = admin_client.post("/admin/units/new", data=data)
    assert response.status_code == 303
    unit = session.scalars(sa.select(Unit)).one()
    assert (unit.business_id, unit.email, unit.phone, unit.billing_reference) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("business_id", ["0201256-7", "201256-6", "02012566", "1234567-2"])
def test_business_id_with_a_wrong_check_digit_or_format_is_refused(
    admin_client, count, business_id
):
    response = admin_client.post("/admin/units/new", data=_unit_form(business_id=business_id))
    assert response.status_code == 422
    assert "Check the business ID." in page_text(response)
    assert count(Unit) == 0


@pytest.mark.parametrize("business_id", ["0201256-6", "0112038-9", "1572860-0", "2617416-4"])
def test_real_business_ids_pass_the_check(business_id):
    assert operations.business_id_is_valid(business_id)


@pytest.mark.parametrize("postal_code", ["0053", "005300", "ABCDE", "00 530"])
def test_postal_code_must_have_five_digits(admin_client, count, postal_code):
    response = admin_client.post("/admin/units/new", data=_unit_form(postal_code=postal_code))
    assert response.status_code == 422
    assert "A postal code has five digits" in page_text(response)
    assert count(Unit) == 0


def test_required_unit_fields_are_asked_for(admin_client, count):
    response = admin_client.post(
        "/admin/units/new", data=_unit_form(name="", street_address="", city="")
    )
    assert response.status_code == 422
    html = page_text(response)
    for message in ("Enter the name of the unit.", "Enter the street address.", "Enter the city."):
        assert message in html
    assert count(Unit) == 0


def test_unit_name_is_unique_whatever_its_case(admin_client, session, count):
    factories.make_unit(name="Kallion kirjasto")
    session.commit()
    response = admin_client.post("/admin/units/new", data=_unit_form(name="KALLION KIRJASTO"))
    assert response.status_code == 422
    assert "A unit with this name already exists." in page_text(response)
    assert count(Unit) == 1


def test_unknown_unit_kind_is_refused(admin_client, count):
    response = admin_client.post("/admin/units/new", data=_unit_form(kind="government"))
    assert response.status_code == 422
    assert count(Unit) == 0


def test_admin_edits_a_unit(admin_client, session):
    unit = factories.make_unit(name="Vanha nimi")
    session.commit()
    response = admin_client.post(
        f"/admin/units/{unit.id}/edit", data=_unit_form(name="Uusi nimi", kind="association")
    )
    assert response.status_code == 303
    session.refresh(unit)
    assert (unit.name, unit.kind) == ("Uusi nimi", UnitKind.ASSOCIATION)


def test_a_unit_keeps_its_own_name_on_edit(admin_client, session):
    unit = factories.make_unit(name="Kallion kirjasto")
    session.commit()
    response = admin_client.post(f"/admin/units/{unit.id}/edit", data=_unit_form())
    assert response.status_code == 303


def test_invalid_edit_changes_nothing(admin_client, session):
    unit = factories.make_unit(name="Kallion kirjasto", postal_code="00530")
    session.commit()
    response = admin_client.post(
        f"/admin/units/{unit.id}/edit", data=_unit_form(name="Uusi", postal_code="123")
    )
    assert response.status_code == 422
    session.refresh(unit)
    assert (unit.name, unit.postal_code) == ("Kallion kirjasto", "00530")


def test_edit_form_shows_the_units_values(admin_client, session):
    unit = factories.make_unit(name="Kallion kirjasto", billing_reference="KP-77")
    session.commit()
    html = page_text(admin_client.get(f"/admin/units/{unit.id}/edit"))
    assert 'value="Kallion kirjasto"' in html
    assert 'value="KP-77"' in html


def test_admin_deactivates_and_reactivates_a_unit(admin_client, session):
    unit = factories.make_unit()
    session.commit()
    assert admin_client.post(f"/admin/units/{unit.id}/deactivate").status_code == 303
    session.refresh(unit)
    assert not unit.is_active
    assert admin_client.post(f"/admin/units/{unit.id}/reactivate").status_code == 303
    session.refresh(unit)
    assert unit.is_active


def test_a_unit_with_tasks_in_progress_cannot_be_deactivated(admin_client, session):
    unit = factories.make_unit()
    factories.make_task(unit=unit, status=TaskStatus.SCHEDULED)
    session.commit()
    response = admin_client.post(f"/admin/units/{unit.id}/deactivate", follow_redirects=True)
    assert "The unit has 1 task in progress." in page_text(response)
    session.refresh(unit)
    assert unit.is_active


def test_a_unit_with_only_finished_tasks_can_be_deactivated(session):
    unit = factories.make_unit()
    factories.make_task(unit=unit, status=TaskStatus.CONFIRMED)
    factories.make_task(unit=unit, status=TaskStatus.CANCELLED, status_reason="Tila remontissa")
    operations.deactivate_unit(session, unit)
    assert not unit.is_active
    assert session.scalar(sa.select(sa.func.count()).select_from(Task)) == 2


# ------------------------------------------------ the operations, as an API uses them


def test_create_unit_operation_reports_every_bad_field_at_once(session):
    with pytest.raises(ValidationFailed) as caught:
        operations.create_unit(session, name="", postal_code="1", business_id="1-1")
    assert {"name", "postal_code", "business_id", "street_address", "city"} <= set(
        caught.value.errors
    )


def test_update_unit_operation_changes_only_the_given_fields(session):
    unit = factories.make_unit(name="Nimi", city="Espoo")
    operations.update_unit(session, unit, phone="09 123 456")
    assert (unit.name, unit.city, unit.phone) == ("Nimi", "Espoo", "09 123 456")


def test_update_unit_operation_rejects_unknown_fields(session):
    unit = factories.make_unit()
    with pytest.raises(TypeError):
        operations.update_unit(session, unit, colour="red")


def test_deactivate_unit_operation_raises_a_domain_error_with_open_tasks(session):
    unit = factories.make_unit()
    factories.make_task(unit=unit, status=TaskStatus.SUBMITTED)
    factories.make_task(unit=unit, status=TaskStatus.ACCEPTED)
    with pytest.raises(DomainError, match="2 tasks in progress"):
        operations.deactivate_unit(session, unit)
