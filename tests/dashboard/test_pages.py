"""The dashboard pages: who may open them, what they show, drill-down with the audit
log, range validation and downloads read back."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from jobcenter.accounts.models import AuditEvent
from jobcenter.core.enums import Role
from tests import factories
from tests.dashboard.conftest import RANGE_ARGS


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def read_csv(response) -> list[list[str]]:
    body = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def audit_events(session) -> list[AuditEvent]:
    return list(session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)))


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMIN])
def test_managers_and_admins_open_the_dashboard(client, login, session, role):
    login(factories.make_user(role))
    session.commit()
    assert client.get("/dashboard").status_code == 200


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.PARTICIPANT])
def test_other_roles_are_refused_the_dashboard_and_its_drill_down(
    client, login, session, world, role
):
    if role == Role.INSTRUCTOR:
        user = world.groups.irma.user
    elif role == Role.PARTICIPANT:
        user = world.people.pekka.user
    else:
        user = factories.make_unit_contact(unit=world.units.kallio)
        session.commit()
    login(user)
    for url in (
        "/dashboard",
        f"/dashboard/hours/unit/{world.units.kallio.id}",
        f"/dashboard/tasks/{world.tasks.t1.id}",
        f"/dashboard/shifts/{world.shifts.s1.id}",
        "/dashboard/export/summary?format=csv",
        "/dashboard/tables/hours_by_unit",
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_the_dashboard_menu_entry_is_shown_to_managers_only(client, login, session, world):
    login(world.manager)
    assert 'href="/dashboard"' in client.get("/home").get_data(as_text=True)
    login(world.people.pekka.user)
    assert 'href="/dashboard"' not in client.get("/home").get_data(as_text=True)


def test_the_dashboard_shows_the_pilot_summary_for_the_period(client, login, world):
    login(world.manager)
    page = text_of(client.get("/dashboard", query_string=RANGE_ARGS))
    assert (
        "Hours done: disability work activity 11.5 h, rehabilitative work activity 7 h, "
        "total 18.5 h." in page
    )
    assert "Participants: 2 in disability work activity, 1 in rehabilitative work activity" in page
    assert "Tasks done: Window washing, Dishwashing." in page


def test_the_dashboard_shows_quality_and_satisfaction_figures(client, login, world):
    login(world.manager)
    page = text_of(client.get("/dashboard", query_string=RANGE_ARGS))
    assert "77.1 % fill rate" in page  # 1620 of 2100 slot-minutes
    assert "14.3 % no-shows" in page  # 1 of 7 records
    assert "Tila oli varattu." in page
    assert "50.0 % of unit ratings very satisfied" in page
    assert "60.0 % of participants' ratings very satisfied" in page


def test_the_charts_are_labelled_images_with_their_data_tables(client, login, world):
    login(world.manager)
    html = client.get("/dashboard", query_string=RANGE_ARGS).get_data(as_text=True)
    for chart, table in (
        ("chart-hours", "table-hours_by_month"),
        ("chart-fill", "table-fill_rate"),
    ):
        svg = re.search(rf'<svg class="chart" id="{chart}"[^>]*>', html)
        assert svg, chart
        assert 'role="img"' in svg.group(0)
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in svg.group(0)
        assert f'<title id="{chart}-title">' in html
        assert f'id="{table}"' in html
    assert "url(#chart-hours-hatch)" in html  # the second stream is hatched, not only coloured


def test_a_reversed_range_is_refused_with_422_and_shows_no_figures(client, login, world):
    login(world.manager)
    response = client.get("/dashboard", query_string={"from": "2026-03-31", "to": "2026-01-01"})
    assert response.status_code == 422
    page = text_of(response)
    assert "The last day cannot be before the first day." in page
    assert "Hours done" not in page


def test_a_day_typed_the_finnish_way_is_understood(client, login, world):
    login(world.manager)
    typed = client.get("/dashboard", query_string={"from": "1.1.2026", "to": "31.3.2026"})
    iso = client.get("/dashboard", query_string={"from": "2026-01-01", "to": "2026-03-31"})
    assert typed.status_code == 200
    assert 'value="2026-01-01"' in text_of(typed) or "2026-01-01" in typed.get_data(as_text=True)
    assert figures_of(typed) == figures_of(iso)


def test_a_badly_typed_day_says_how_to_write_it(client, login, world):
    login(world.manager)
    response = client.get("/dashboard", query_string={"from": "31.2.2026", "lang": "en"})
    assert response.status_code == 422
    assert "Write the day as 31.1.2025." in response.get_data(as_text=True)


def figures_of(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"Computed at [^<]*", "", html[html.find("<main") :])


@pytest.mark.parametrize(
    "args",
    [{"from": "yesterday"}, {"to": "2026-02-30"}, {"from": "20260101"}, {"from": "1999-12-31"},
     {"from": "2000-01-01", "to": "2026-01-01"}, {"format": "pdf"}],
)  # fmt: skip
def test_bad_input_is_422_not_an_error(client, login, world, args):
    login(world.manager)
    assert client.get("/dashboard", query_string=args).status_code == 422


def test_drill_down_from_a_unit_to_its_tasks_and_shifts(client, login, world):
    login(world.manager)
    unit = text_of(
        client.get(f"/dashboard/hours/unit/{world.units.kallio.id}", query_string=RANGE_ARGS)
    )
    assert "Unit: Kallion kirjasto" in unit
    assert "Ikkunat" in unit
    assert "Astiat" not in unit
    task = client.get(f"/dashboard/tasks/{world.tasks.t1.id}", query_string=RANGE_ARGS)
    assert task.status_code == 200
    assert f"/dashboard/shifts/{world.shifts.s1.id}?" in task.get_data(as_text=True)
    assert "Cancelled: Tila oli varattu." in text_of(task)


def test_drill_down_to_unknown_things_is_404(client, login, world):
    login(world.manager)
    for url in ("/dashboard/hours/unit/999999", "/dashboard/hours/colour/1",
                "/dashboard/hours/month/2020-01", "/dashboard/tasks/999999",
                "/dashboard/shifts/999999", "/dashboard/export/nothing",
                "/dashboard/tables/nothing"):  # fmt: skip
        assert client.get(url, query_string=RANGE_ARGS).status_code == 404, url


def test_the_people_on_a_shift_show_first_name_initial_and_hours_only(client, login, world):
    login(world.manager)
    page = text_of(client.get(f"/dashboard/shifts/{world.shifts.s1.id}", query_string=RANGE_ARGS))
    assert "Pekka V." in page
    assert "Liisa K." in page
    assert "Virtanen" not in page
    assert "Korhonen" not in page
    assert "3.5" in page  # Pekka's corrected 210 minutes


def test_a_manager_cannot_see_people_on_a_shift_without_an_audit_entry(
    client, login, session, world
):
    login(world.manager)
    assert not audit_events(session)
    client.get(f"/dashboard/shifts/{world.shifts.s1.id}", query_string=RANGE_ARGS)
    session.expire_all()
    events = audit_events(session)
    assert {e.participant_id for e in events} == {world.people.pekka.id, world.people.liisa.id}
    assert all(e.actor_id == world.manager.id for e in events)
    assert all(e.action == "dashboard.shift_people_viewed" for e in events)


def test_aggregate_pages_write_no_audit_entries(client, login, session, world):
    login(world.manager)
    client.get("/dashboard", query_string=RANGE_ARGS)
    client.get(f"/dashboard/tasks/{world.tasks.t1.id}", query_string=RANGE_ARGS)
    session.expire_all()
    assert audit_events(session) == []


def test_downloading_the_people_on_a_shift_is_audited_too(client, login, session, world):
    login(world.manager)
    response = client.get(
        f"/dashboard/shifts/{world.shifts.s2.id}", query_string=RANGE_ARGS | {"format": "csv"}
    )
    assert read_csv(response)[1:] == [
        ["Olli M.", "Attended", "4.00"],
        ["Pekka V.", "Absent", "0.00"],
        ["Total", "", "4.00"],
    ]
    session.expire_all()
    assert {e.participant_id for e in audit_events(session)} == {
        world.people.olli.id,
        world.people.pekka.id,
    }


def test_a_table_downloads_as_csv_with_the_figures_shown(client, login, world):
    login(world.manager)
    response = client.get(
        "/dashboard/export/hours_by_unit", query_string=RANGE_ARGS | {"format": "csv"}
    )
    assert response.mimetype == "text/csv"
    assert "hours-by-unit-2026-01-01-2026-03-31.csv" in response.headers["Content-Disposition"]
    assert read_csv(response) == [
        ["Unit", "Hours", "Share (%)"],
        ["Kallion kirjasto", "11.50", "62.2"],
        ["Myllypuron palvelukeskus", "7.00", "37.8"],
        ["Total", "18.50", "100.0"],
    ]


def test_the_whole_dashboard_downloads_as_xlsx_one_sheet_per_table(client, login, world):
    login(world.manager)
    response = client.get("/dashboard", query_string=RANGE_ARGS | {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.get_data()))
    assert "Pilot summary" in book.sheetnames
    assert len(book.sheetnames) == 17
    rows = list(book["Pilot summary"].iter_rows(values_only=True))
    assert rows == [
        ("Stream", "Hours", "Participants"),
        ("Disability work activity", 11.5, 2),
        ("Rehabilitative work activity", 7, 1),
        ("Total", 18.5, 3),
    ]


def test_drill_down_tables_download_too(client, login, world):
    login(world.manager)
    response = client.get(
        f"/dashboard/tasks/{world.tasks.t2.id}", query_string=RANGE_ARGS | {"format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    hours = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert hours == [4, 0, 3, 7]  # S2, S6, S4 and the total


def test_long_tables_show_their_first_rows_and_link_to_the_whole_table(
    client, login, session, world
):
    for n in range(14):
        unit = factories.make_unit(name=f"Yksikkö {n:02d}")
        task = factories.make_task(unit, task_kind=world.kinds.windows)
        shift = factories.make_shift(task, starts_at=world.shifts.s1.starts_at)
        factories.make_hour_entry(world.people.olli, shift, minutes=10 + n)
    session.commit()
    login(world.manager)
    html = client.get("/dashboard", query_string=RANGE_ARGS).get_data(as_text=True)
    unit_table = html[html.index('id="table-hours_by_unit"') :]
    unit_table = unit_table[: unit_table.index("</table>")]
    assert unit_table.count('<th scope="row">') == 12 + 1  # twelve rows and the total
    assert "All 16 rows of “Hours by unit”" in html
    whole = text_of(client.get("/dashboard/tables/hours_by_unit", query_string=RANGE_ARGS))
    assert "Yksikkö 00" in whole
    assert "Yksikkö 13" in whole


@pytest.mark.parametrize(("lang", "total"), [("fi", "18,50"), ("sv", "18,50"), ("en", "18.50")])
def test_figures_are_written_the_way_each_language_writes_numbers(
    client, login, world, lang, total
):
    login(world.manager)
    response = client.get("/dashboard", query_string=RANGE_ARGS | {"lang": lang})
    assert response.status_code == 200
    summary = response.get_data(as_text=True)
    summary = summary[summary.index('id="table-summary"') :]
    assert f'<td class="num">{total}</td>' in summary[: summary.index("</table>")]


def test_this_months_projected_earnings_against_ceilings_are_counted(client, login, session, world):
    # April: Pekka has 2 h (20 €) confirmed; one more 2-hour shift takes him to 40 € of
    # his 30 € ceiling.
    more = factories.make_shift(
        world.tasks.t1, starts_at=world.shifts.s8.starts_at + timedelta(days=1, hours=8)
    )
    factories.make_hour_entry(world.people.pekka, more, minutes=120)
    session.commit()
    login(world.manager)
    page = text_of(client.get("/dashboard", query_string=RANGE_ARGS))
    assert "This month (April 2026)" in page
    assert "0 people are close to their earnings ceiling and 1 are at or over it" in page
