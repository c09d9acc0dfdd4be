"""The dashboard in the reader's language: system-written reasons translated, hours
written with two decimals in every row of a column, and XLSX sheets with short names
that are whole words in Finnish, Swedish and English.

Uses the small world of `tests/dashboard/conftest.py` (1 January – 31 March 2026)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook

from jobcenter.core import system_texts
from jobcenter.core.enums import Locale
from jobcenter.core.exports import SHEET_NAME_MAX
from jobcenter.scheduling.models import ShiftStatus
from tests import factories
from tests.dashboard.conftest import RANGE_ARGS, local

DAYS_CHANGED = system_texts.stored(system_texts.SystemText.TASK_DAYS_CHANGED)

# The dashboard's tables in page order, by the short msgid each names its sheet with.
DASHBOARD_SHEETS = [
    "Pilot summary",
    "Tasks done",
    "Hours by stream",
    "Hours by unit",
    "Hours by task kind",
    "Hours by month",
    "Hours by instructor",
    "Hours by district",
    "Fill rate",
    "Attendance",
    "Absences by task kind",
    "Cancellations by unit",
    "Cancellations by reason",
    "Weekly targets",
    "Earnings ceiling",
    "Satisfaction by group",
    "Satisfaction by month",
]


def translated(app, msgid: str, lang: str) -> str:
    with app.test_request_context("/"), force_locale(lang):
        return _(msgid)


def table_html(response, name: str) -> str:
    html = response.get_data(as_text=True)
    start = html.index(f'id="table-{name}"')
    return html[start : html.index("</table>", start)]


def cells(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html)
    ]


def column(html: str, index: int) -> list[str]:
    """The texts of one column of a table's body and footer rows (0 = the row heading)."""
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("</thead>", 1)[1], flags=re.S)
    return [cells(row)[index] for row in rows]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


@pytest.fixture
def days_changed(session, world):
    """A shift of T1 cancelled by the system because the task's days changed."""
    shift = factories.make_shift(
        world.tasks.t1,
        local(date(2026, 3, 12), 9),
        ends_at=local(date(2026, 3, 12), 9) + timedelta(hours=4),
        slots=2,
        instructor=world.groups.irma,
        status=ShiftStatus.CANCELLED,
        cancel_reason=DAYS_CHANGED,
    )
    session.commit()
    return shift


@pytest.fixture
def swedish_manager(session, login):
    manager = factories.make_manager(locale=Locale.SV)
    session.commit()
    login(manager)
    return manager


# ---------------------------------------------------------------- system-written reasons


def test_a_swedish_manager_sees_the_system_reason_in_swedish_in_the_reasons_table(
    app, client, world, days_changed, swedish_manager
):
    swedish = translated(app, DAYS_CHANGED, "sv")
    assert swedish != DAYS_CHANGED  # the catalogue has it

    page = client.get("/dashboard", query_string=RANGE_ARGS)

    reasons = table_html(page, "cancellations_by_reason")
    assert swedish in reasons
    assert DAYS_CHANGED not in reasons
    assert "Tila oli varattu." in reasons  # a person's own words stay as written


def test_a_swedish_manager_downloads_the_system_reason_in_swedish(
    app, client, world, days_changed, swedish_manager
):
    swedish = translated(app, DAYS_CHANGED, "sv")
    args = RANGE_ARGS

    rows = read_csv(client.get("/dashboard/export/cancellations_by_reason", query_string=args))
    book = load_workbook(
        io.BytesIO(client.get("/dashboard", query_string=args | {"format": "xlsx"}).get_data())
    )
    sheet = book[translated(app, "Cancellations by reason", "sv")]

    assert [swedish, "1", "8.00"] in rows
    assert (swedish, 1, 8) in list(sheet.iter_rows(values_only=True))
    assert DAYS_CHANGED not in {r[0] for r in rows}


def test_the_same_reason_is_shown_in_each_readers_language(app, client, login, world, days_changed):
    login(world.manager)
    for lang in ("fi", "sv", "en"):
        page = client.get("/dashboard", query_string=RANGE_ARGS | {"lang": lang})
        assert translated(app, DAYS_CHANGED, lang) in table_html(page, "cancellations_by_reason")


def test_the_task_drill_down_shows_the_system_reason_in_the_readers_language(
    app, client, world, days_changed, swedish_manager
):
    swedish = translated(app, DAYS_CHANGED, "sv")
    url = f"/dashboard/tasks/{world.tasks.t1.id}"

    page = client.get(url, query_string=RANGE_ARGS)
    rows = read_csv(client.get(url, query_string=RANGE_ARGS | {"format": "csv"}))

    assert swedish in table_html(page, "shifts")
    assert any(swedish in row[1] for row in rows)
    assert not any(DAYS_CHANGED in cell for row in rows for cell in row)


# ---------------------------------------------------------------- hours, evenly written


def test_hours_have_two_decimals_in_every_row_of_a_column_in_finnish(client, login, world):
    login(world.manager)
    page = client.get("/dashboard", query_string=RANGE_ARGS | {"lang": "fi"})

    # 11.5 h, 7 h and 18.5 h (see the world's table)
    assert column(table_html(page, "summary"), 1) == ["11,50", "7,00", "18,50"]
    assert column(table_html(page, "hours_by_month"), 1) == ["11,50", "4,00", "3,00", "18,50"]


def test_drill_down_hours_have_two_decimals_like_their_download(client, login, world):
    login(world.manager)
    url = f"/dashboard/tasks/{world.tasks.t2.id}"
    page = client.get(url, query_string=RANGE_ARGS | {"lang": "fi"})
    rows = read_csv(client.get(url, query_string=RANGE_ARGS | {"format": "csv"}))

    shown = column(table_html(page, "shifts"), 5)
    downloaded = [row[5] for row in rows[1:]]

    assert shown == ["4,00", "0,00", "3,00", "7,00"]  # S2, S6, S4 and the total
    assert [h.replace(".", ",") for h in downloaded] == shown


def test_weekly_target_hours_have_two_decimals_too(client, login, world):
    login(world.manager)
    page = client.get("/dashboard", query_string=RANGE_ARGS | {"lang": "en"})
    html = table_html(page, "weekly_targets")

    for index in (3, 4, 5, 6, 7):  # hours a week, target, done, short of target
        for text in column(html, index):
            assert re.fullmatch(r"\d{1,3}(,\d{3})*\.\d\d", text), (index, text)


def test_shares_keep_one_decimal_in_every_row(client, login, world):
    login(world.manager)
    page = client.get("/dashboard", query_string=RANGE_ARGS | {"lang": "en"})

    assert column(table_html(page, "hours_by_stream"), 2) == ["62.2", "37.8", "100.0"]


# ---------------------------------------------------------------- XLSX sheet names


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_dashboard_workbook_names_each_sheet_with_its_short_name(
    app, client, login, world, lang
):
    login(world.manager)
    response = client.get("/dashboard", query_string=RANGE_ARGS | {"format": "xlsx", "lang": lang})
    names = load_workbook(io.BytesIO(response.get_data())).sheetnames

    expected = [translated(app, msgid, lang) for msgid in DASHBOARD_SHEETS]
    assert names == expected  # whole names: nothing cut
    assert all(len(name) <= SHEET_NAME_MAX for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_the_finnish_workbook_has_no_name_cut_in_the_middle_of_a_word(client, login, world):
    login(world.manager)
    response = client.get("/dashboard", query_string=RANGE_ARGS | {"format": "xlsx", "lang": "fi"})
    names = load_workbook(io.BytesIO(response.get_data())).sheetnames

    assert "Tunnit työtoiminnan muodoittain" in names  # hours by stream, 31 characters
    assert "Tunnit yksiköittäin" in names
    assert not any(name.endswith("muod") for name in names)


@pytest.mark.parametrize(
    ("path", "sheet"),
    [("totals", "Tasks"), ("task", "Shifts"), ("shift", "People")],
)
def test_drill_down_downloads_name_their_sheet_short(app, client, login, world, path, sheet):
    login(world.manager)
    url = {
        "totals": f"/dashboard/hours/unit/{world.units.kallio.id}",
        "task": f"/dashboard/tasks/{world.tasks.t1.id}",
        "shift": f"/dashboard/shifts/{world.shifts.s1.id}",
    }[path]
    response = client.get(url, query_string=RANGE_ARGS | {"format": "xlsx", "lang": "fi"})

    assert load_workbook(io.BytesIO(response.get_data())).sheetnames == [
        translated(app, sheet, "fi")
    ]
