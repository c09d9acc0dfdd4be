"""Numbers typed the Finnish way (decimal comma) or the English way (decimal point)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jobcenter.admin.forms import parse_local_decimal
from jobcenter.core.enums import Locale
from tests import factories
from tests.admin.conftest import page_text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14,50", Decimal("14.50")),
        ("14.50", Decimal("14.50")),
        (" 14,5 ", Decimal("14.5")),
        ("1 200,00", Decimal("1200.00")),
        ("1\u00a0200,00 €", Decimal("1200.00")),
        ("25,5 %", Decimal("25.5")),
        ("0", Decimal("0")),
        ("", None),
    ],
)
def test_numbers_with_a_decimal_comma_or_point_are_read(typed, expected):
    assert parse_local_decimal(typed, places=2) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "1.200,50",
        "14,505",
        "abc",
        "14,5,0",
        "NaN",
        "Infinity",
        "1e309",
        "-1e309",
        "1e30",
        "1e-9999",
    ],
)
def test_ambiguous_or_invalid_numbers_are_refused(typed):
    with pytest.raises(ValueError):  # noqa: PT011 (the message is the user's, tested elsewhere)
        parse_local_decimal(typed, places=2)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1" + "0" * 30, "The number is too large."),
        ("1e309", "Enter a number, for example"),
        ("1e30", "Enter a number, for example"),
    ],
)
def test_huge_numbers_in_the_task_form_get_a_field_error_not_a_server_error(
    client, session, login, typed, message
):
    contact = factories.make_unit_contact(locale=Locale.EN)
    session.commit()
    login(contact)

    response = client.post("/tasks/new", data={**factories.task_values(), "shift_minutes": typed})

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "typed", ["1e3", "1E3", "1_000", "\u0661\u0665", "\uff11\uff15", "0x10", "15\u00b2"]
)
def test_only_plain_western_digits_are_read_as_a_number(typed):
    with pytest.raises(ValueError, match="Enter a number"):
        parse_local_decimal(typed, places=2)


def test_whole_numbers_refuse_decimals():
    with pytest.raises(ValueError):  # noqa: PT011
        parse_local_decimal("2,5", places=0)


def test_edit_form_shows_hours_with_a_decimal_comma_in_finnish(client, session, login):
    admin = factories.make_admin(locale=Locale.FI)
    participant = factories.make_participant(plan={"max_minutes_per_day": 390})
    session.commit()
    login(admin)
    html = page_text(client.get(f"/admin/users/{participant.user_id}/edit"))
    assert 'name="max_minutes_per_day" required type="text" value="6,5"' in html


def test_edit_form_shows_hours_with_a_decimal_point_in_english(client, session, login):
    admin = factories.make_admin(locale="en")
    participant = factories.make_participant(plan={"max_minutes_per_day": 390})
    session.commit()
    login(admin)
    html = page_text(client.get(f"/admin/users/{participant.user_id}/edit"))
    assert 'name="max_minutes_per_day" required type="text" value="6.5"' in html


def test_an_hours_field_gives_an_hours_example_in_its_error(client, session, login):
    contact = factories.make_unit_contact(locale=Locale.EN)
    session.commit()
    login(contact)

    response = client.post("/tasks/new", data={**factories.task_values(), "shift_minutes": "x"})

    assert "Enter a number, for example 3.5." in response.get_data(as_text=True)
