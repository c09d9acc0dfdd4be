"""Exports are read back the way a spreadsheet user would open them."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jobcenter.core.exports import (
    Table,
    euros_value,
    hours_value,
    table_response,
    to_csv,
    to_xlsx,
)


def _table() -> Table:
    table = Table("Hours", ["Unit", "Day", "Hours", "Price"])
    table.add("Kallion kirjasto", date(2026, 1, 5), 4.5, Decimal("12.40"))
    table.add('=HYPERLINK("x")', None, 0, Decimal("0"))
    return table


def test_csv_reads_back_with_headings_and_values():
    text = to_csv(_table()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Unit", "Day", "Hours", "Price"]
    assert rows[1] == ["Kallion kirjasto", "2026-01-05", "4.5", "12.40"]


def test_csv_and_xlsx_neutralise_formulas():
    text = to_csv(_table()).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[2][0] == '\'=HYPERLINK("x")'
    sheet = load_workbook(io.BytesIO(to_xlsx(_table()))).active
    assert sheet["A3"].value == '\'=HYPERLINK("x")'
    assert sheet["A3"].data_type == "s"


def test_xlsx_reads_back_with_typed_cells():
    sheet = load_workbook(io.BytesIO(to_xlsx(_table())))["Hours"]
    assert [c.value for c in sheet[1]] == ["Unit", "Day", "Hours", "Price"]
    assert sheet["B2"].value.date() == date(2026, 1, 5)
    assert sheet["C2"].value == 4.5


def test_several_tables_become_sheets_with_distinct_names():
    book = load_workbook(io.BytesIO(to_xlsx([_table(), _table()])))
    assert book.sheetnames == ["Hours", "Hours (2)"]


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="1 values for 2 columns"):
        Table("x", ["a", "b"]).add(1)


def test_response_is_a_private_attachment_with_a_safe_name(app):
    with app.test_request_context():
        response = table_response("csv", 'hours 2026/01"', _table())
    assert response.headers["Content-Disposition"] == 'attachment; filename="hours-2026-01.csv"'
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.content_type == "text/csv; charset=utf-8"


def test_hours_value_rounds_minutes_half_up_to_two_decimals():
    assert hours_value(1385) == Decimal("23.08")
    assert hours_value(2140) == Decimal("35.67")
    assert hours_value(700) == Decimal("11.67")
    assert hours_value(-45) == Decimal("-0.75")
    assert hours_value(None) == Decimal("0.00")


def test_euros_value_keeps_two_decimals():
    assert euros_value(900) == Decimal("9.00")
    assert euros_value(1050) == Decimal("10.50")
    assert euros_value(None) == Decimal("0.00")


def test_rounded_figures_read_back_with_two_decimals_in_csv():
    table = Table("Hours", ["Hours", "Euros"])
    table.add(hours_value(1385), euros_value(1000))
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[1] == ["23.08", "10.00"]


def test_xlsx_keeps_decimals_as_numbers_with_a_matching_number_format():
    table = Table("Hours", ["Hours", "Euros", "Share", "Count"])
    table.add(hours_value(1385), euros_value(1000), Decimal("12.5"), 3)
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Hours"]
    hours, euros, share, count = sheet[2]
    assert (hours.value, hours.data_type, hours.number_format) == (23.08, "n", "0.00")
    assert (euros.value, euros.number_format) == (10, "0.00")
    assert (share.value, share.number_format) == (12.5, "0.0")
    assert (count.value, count.number_format) == (3, "General")


# ---------------------------------------------------------------- sheet names


def _sheets(*tables: Table) -> list[str]:
    return load_workbook(io.BytesIO(to_xlsx(list(tables)))).sheetnames


def test_a_table_names_its_sheet_with_its_short_name():
    table = Table("Tehdyt tunnit työtoiminnan muodoittain", ["a"], sheet="Pilotin yhteenveto")
    assert _sheets(table) == ["Pilotin yhteenveto"]


def test_a_long_title_without_a_short_name_is_cut_between_words():
    table = Table("Tehdyt tunnit työtoiminnan muodoittain", ["a"])
    assert _sheets(table) == ["Tehdyt tunnit työtoiminnan"]


def test_a_long_short_name_is_cut_between_words_without_a_dangling_comma():
    table = Table("x", ["a"], sheet="Erittäin tyytyväiset, kuukausittain ja ryhmittäin")
    assert _sheets(table) == ["Erittäin tyytyväiset"]


def test_only_a_single_word_longer_than_the_limit_is_cut_inside():
    word = "Työtoimintapalvelujärjestämissuunnitelma"  # 40 characters
    assert _sheets(Table(word, ["a"])) == [word[:31]]


def test_sheet_names_stay_unique_and_within_the_limit():
    title = "Perutut työvuorot yksiköittäin"  # 30 characters
    names = _sheets(Table(title, ["a"]), Table(title, ["a"]), Table(title.upper(), ["a"]))
    assert names == [title, "Perutut työvuorot (2)", "PERUTUT TYÖVUOROT (3)"]
    assert all(len(n) <= 31 for n in names)


def test_characters_excel_refuses_in_a_sheet_name_become_spaces():
    assert _sheets(Table("Tunnit: 1/2026 [alustava]?", ["a"])) == ["Tunnit 1 2026 alustava"]


def test_the_short_name_changes_nothing_in_csv():
    table = Table("Hours by stream", ["Stream"], sheet="Streams")
    table.add("Disability")
    assert to_csv(table).decode("utf-8-sig").splitlines() == ["Stream", "Disability"]


# ---------------------------------------------------------------- hours in running text


@pytest.mark.parametrize(
    ("lang", "minutes", "text"),
    [("en", 480, "8"), ("en", 270, "4.5"), ("en", 1385, "23.08"), ("fi", 2140, "35,67"),
     ("fi", 70_000, "1\xa0166,67"), ("sv", 270, "4,5")],
)  # fmt: skip
def test_hours_in_running_text_round_as_the_downloads_do(app, lang, minutes, text):
    from jobcenter.core.web import minutes_as_hours

    with app.test_request_context(f"/?lang={lang}"):
        assert minutes_as_hours(minutes) == text
    assert Decimal(text.replace("\xa0", "").replace(",", ".")) == hours_value(minutes).normalize()
