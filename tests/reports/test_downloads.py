"""Report downloads carry hours and euros the way the pages show them: two decimals,
rounded half up, numbers (not text) in XLSX with a 0.00 number format."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jobcenter.core.enums import Stream
from tests import factories as f
from tests.reports.helpers import hours_on


@pytest.fixture
def odd_minutes(session, reference_data):
    """23 h 5 min for one unit (1385 minutes: 23.0833… h) and 11 h 40 min for a
    second person (700 minutes: 11.666… h), both at 10 €/h wage, 14.50 €/h price."""
    group = f.make_group()
    aino = f.make_participant(
        group, stream=Stream.REHABILITATIVE, first_name="Aino", last_name="Aalto"
    )
    eero = f.make_participant(group, stream=Stream.DISABILITY, first_name="Eero", last_name="Ek")
    contact = f.make_unit_contact()
    task = f.make_task(contact.unit, title="Ikkunat")
    hours_on(aino, date(2026, 11, 9), 480, task)
    hours_on(aino, date(2026, 11, 10), 480, task)
    hours_on(aino, date(2026, 11, 11), 425, task)
    hours_on(eero, date(2026, 11, 12), 700)
    session.commit()
    return {"admin": f.make_admin(), "instructor": group.instructor.user, "contact": contact}


def _csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _named(rows: list[list[str]], header_row: int, first_cell: str) -> dict[str, str]:
    row = next(r for r in rows if r and r[0] == first_cell)
    return dict(zip(rows[header_row], row, strict=True))


def test_billing_csv_has_hours_and_euros_with_two_decimals(client, login, odd_minutes):
    login(odd_minutes["contact"])
    rows = _csv_rows(client.get("/reports/billing?month=2026-11&format=csv&lang=en"))
    unit = dict(zip(rows[1], rows[2], strict=True))
    assert unit["Hours"] == "23.08"
    assert unit["Net (€)"] == "334.71"  # 1385 min × 14.50 €/h = 334.708… €
    task_header = rows.index(["Tasks"]) + 1
    task = dict(zip(rows[task_header], rows[task_header + 1], strict=True))
    assert task["Task"] == "Ikkunat"
    assert task["Hours"] == "23.08"
    assert task["Net (€)"] == "334.71"


def test_billing_xlsx_keeps_rounded_hours_as_numbers_with_two_decimals(client, login, odd_minutes):
    login(odd_minutes["contact"])
    response = client.get("/reports/billing?month=2026-11&format=xlsx&lang=en")
    book = load_workbook(io.BytesIO(response.get_data()))
    for sheet in (book["Billing per unit"], book["Tasks"]):
        header = [c.value for c in sheet[1]]
        hours = sheet.cell(row=2, column=header.index("Hours") + 1)
        net = sheet.cell(row=2, column=header.index("Net (€)") + 1)
        assert hours.value == 23.08
        assert hours.data_type == "n"
        assert hours.number_format == "0.00"
        assert net.value == 334.71
        assert net.number_format == "0.00"


def test_wages_csv_has_hours_and_wage_with_two_decimals(client, login, odd_minutes):
    login(odd_minutes["admin"])
    rows = _csv_rows(client.get("/reports/wages?month=2026-11&format=csv&lang=en"))
    eero = _named(rows, 0, "Ek")
    assert eero["Minutes"] == "700"
    assert eero["Hours"] == "11.67"
    assert eero["Wage (€)"] == "116.67"
    aino = _named(rows, 0, "Aalto")
    assert aino["Hours"] == "23.08"
    assert aino["Wage (€)"] == "230.83"


def test_wages_xlsx_has_rounded_numbers_with_a_two_decimal_format(client, login, odd_minutes):
    login(odd_minutes["admin"])
    response = client.get("/reports/wages?month=2026-11&format=xlsx&lang=en")
    sheet = load_workbook(io.BytesIO(response.get_data()))["Wages"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Ek")
    hours, wage = row[header.index("Hours")], row[header.index("Wage (€)")]
    assert (hours.value, hours.number_format) == (11.67, "0.00")
    assert (wage.value, wage.number_format) == (116.67, "0.00")
    assert row[header.index("Minutes")].number_format == "General"


def test_ceiling_csv_has_euros_with_two_decimals(client, login, session, odd_minutes):
    person = f.make_participant(
        first_name="Kaisa", last_name="Koski", plan={"monthly_earnings_ceiling_cents": 5050}
    )
    hours_on(person, date(2026, 11, 16), 300)  # 50.00 € of 50.50 €
    session.commit()
    login(odd_minutes["admin"])
    rows = _csv_rows(client.get("/reports/ceiling?month=2026-11&format=csv&lang=en"))
    kaisa = _named(rows, 0, "Koski")
    assert kaisa["Confirmed (€)"] == "50.00"
    assert kaisa["Ceiling (€)"] == "50.50"


def test_allowance_csv_has_the_allowance_in_euros_with_two_decimals(
    client, login, session, odd_minutes
):
    person = f.make_participant(
        f.make_group(), stream=Stream.REHABILITATIVE, first_name="Lea", last_name="Lind"
    )
    f.make_activity_day(person, date(2026, 11, 10))
    session.commit()
    login(odd_minutes["admin"])
    query = "kind=month&start=2026-11-01&format=csv&lang=en"
    rows = _csv_rows(client.get(f"/reports/allowance?{query}"))
    lea = _named(rows, 1, "Lind")
    assert lea["Allowance (€)"] == "9.00"
