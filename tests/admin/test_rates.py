"""Rates: wages and prices with dates of validity that never overlap."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from jobcenter.catalog.models import Rate, RateKind
from jobcenter.catalog.operations import create_rate_version, rate_in_force
from jobcenter.core.errors import ValidationFailed
from tests.admin.conftest import page_text

pytestmark = pytest.mark.usefixtures("reference_data")


def _rate_form(**over) -> dict:
    return {
        "kind": "price",
        "cents_per_hour": "15,20",
        "vat_percent": "25,5",
        "valid_from": "2030-01-01",
        "valid_to": "",
    } | over


def _prices(session) -> list[tuple]:
    session.expire_all()
    return [
        (r.valid_from, r.valid_to, r.cents_per_hour)
        for r in session.scalars(
            sa.select(Rate).where(Rate.kind == RateKind.PRICE).order_by(Rate.valid_from)
        )
    ]


def test_rates_page_shows_wage_and_price_versions(admin_client):
    html = page_text(admin_client.get("/admin/rates"))
    assert "Wage per hour" in html
    assert "Price per hour" in html
    assert "14.50" in html or "14,50" in html
    assert "25.5" in html or "25,5" in html


def test_new_price_closes_the_open_version(admin_client, session):
    response = admin_client.post("/admin/rates/new", data=_rate_form())
    assert response.status_code == 303
    assert _prices(session) == [
        (date(2021, 1, 1), date(2024, 9, 1), 1450),
        (date(2024, 9, 1), date(2030, 1, 1), 1450),
        (date(2030, 1, 1), None, 1520),
    ]
    new = rate_in_force(session, RateKind.PRICE, date(2030, 6, 1))
    assert new.vat_percent == Decimal("25.50")


@pytest.mark.parametrize("typed", ["15,20", "15.20", "15,2", "15.2 €"])
def test_money_accepts_a_decimal_comma_or_point(admin_client, session, typed):
    response = admin_client.post("/admin/rates/new", data=_rate_form(cents_per_hour=typed))
    assert response.status_code == 303
    assert rate_in_force(session, RateKind.PRICE, date(2030, 1, 1)).cents_per_hour == 1520


def test_overlapping_validity_is_refused_and_nothing_changes(admin_client, session, count):
    before = _prices(session)
    response = admin_client.post(
        "/admin/rates/new", data=_rate_form(valid_from="2023-01-01", valid_to="2023-12-31")
    )
    assert response.status_code == 422
    assert "The validity overlaps the version valid" in page_text(response)
    assert _prices(session) == before


def test_a_version_starting_inside_a_closed_period_is_refused(session):
    with pytest.raises(ValidationFailed) as caught:
        create_rate_version(
            session,
            kind=RateKind.PRICE,
            cents_per_hour=1500,
            vat_percent=Decimal("24"),
            valid_from=date(2024, 1, 1),
        )
    assert "valid_from" in caught.value.errors


def test_a_closed_version_may_fill_a_gap_before_the_first(session):
    rate = create_rate_version(
        session,
        kind=RateKind.WAGE,
        cents_per_hour=900,
        valid_from=date(2020, 1, 1),
        valid_to=date(2021, 1, 1),
    )
    assert rate.valid_to == date(2021, 1, 1)
    assert rate_in_force(session, RateKind.WAGE, date(2020, 12, 31)).cents_per_hour == 900
    assert rate_in_force(session, RateKind.WAGE, date(2021, 1, 1)).cents_per_hour == 1000


def test_a_closed_version_overlapping_the_next_one_is_refused(session):
    with pytest.raises(ValidationFailed):
        create_rate_version(
            session,
            kind=RateKind.WAGE,
            cents_per_hour=900,
            valid_from=date(2020, 1, 1),
            valid_to=date(2021, 1, 2),
        )


def test_same_start_day_as_the_open_version_is_refused(session):
    with pytest.raises(ValidationFailed):
        create_rate_version(
            session, kind=RateKind.WAGE, cents_per_hour=1100, valid_from=date(2021, 1, 1)
        )


def test_last_valid_day_in_the_form_is_stored_as_the_day_after(admin_client, session):
    response = admin_client.post(
        "/admin/rates/new",
        data=_rate_form(
            kind="wage", vat_percent="0", valid_from="2030-01-01", valid_to="2030-12-31"
        ),
    )
    assert response.status_code == 303
    rate = rate_in_force(session, RateKind.WAGE, date(2030, 12, 31))
    assert rate.valid_to == date(2031, 1, 1)
    assert rate_in_force(session, RateKind.WAGE, date(2031, 1, 1)) is None


def test_a_wage_has_no_vat(admin_client, count):
    before = count(Rate)
    response = admin_client.post("/admin/rates/new", data=_rate_form(kind="wage", vat_percent="24"))
    assert response.status_code == 422
    assert "A wage has no VAT." in page_text(response)
    assert count(Rate) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cents_per_hour", "-1"),
        ("cents_per_hour", "14,505"),
        ("cents_per_hour", "1.234,50"),
        ("cents_per_hour", "kymppi"),
        ("cents_per_hour", ""),
        ("vat_percent", "100"),
        ("vat_percent", "25,555"),
        ("valid_from", ""),
        ("kind", "bonus"),
    ],
)
def test_bad_rate_input_is_refused_and_nothing_is_written(
    admin_client, session, count, field, value
):
    before = (count(Rate), _prices(session))
    response = admin_client.post("/admin/rates/new", data=_rate_form(**{field: value}))
    assert response.status_code == 422
    assert (count(Rate), _prices(session)) == before


def test_end_before_start_is_refused(admin_client, count):
    before = count(Rate)
    response = admin_client.post(
        "/admin/rates/new", data=_rate_form(valid_from="2030-01-01", valid_to="2029-12-30")
    )
    assert response.status_code == 422
    assert "The last day must not be before the first day." in page_text(response)
    assert count(Rate) == before
