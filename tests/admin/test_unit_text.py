"""A unit's fields with control characters are refused beside the field, before any
query (PostgreSQL refuses a NUL byte even in a WHERE): found by
tests/test_bad_input_matrix.py."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jobcenter.units.models import Unit
from tests import factories

LINE = "Remove line breaks, tabs and other control characters."


def _unit_form(**over) -> dict:
    return {
        "name": "Kallion kirjasto",
        "kind": "city_unit",
        "street_address": "Viides linja 11",
        "postal_code": "00530",
        "city": "Helsinki",
    } | over


def _names(session) -> list[str]:
    session.rollback()
    return sorted(session.scalars(sa.select(Unit.name)))


@pytest.mark.parametrize("name", ["Kallion\x00kirjasto", "Kallion\nkirjasto", "Kallion\x1b"])
def test_a_unit_name_with_a_control_character_is_refused_beside_the_field(
    admin_client, session, name
):
    response = admin_client.post("/admin/units/new", data=_unit_form(name=name))

    assert response.status_code == 422
    assert LINE in response.get_data(as_text=True)
    assert _names(session) == []


def test_editing_a_unit_refuses_a_nul_byte_and_keeps_the_old_values(admin_client, session):
    unit = factories.make_unit(name="Malmin liikuntahalli")
    session.commit()

    response = admin_client.post(
        f"/admin/units/{unit.id}/edit",
        data=_unit_form(name="Malmin\x00halli", street_address="Talvelantie 1\x00"),
    )

    assert response.status_code == 422
    assert response.get_data(as_text=True).count(LINE) >= 2
    assert _names(session) == ["Malmin liikuntahalli"]
