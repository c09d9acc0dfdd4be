"""Report pages: who may open them, what they show, pickers, downloads, print, audit."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from jobcenter.accounts.models import AuditEvent
from jobcenter.core.enums import Role, Stream
from jobcenter.hours.models import AbsenceKind
from tests import factories as f
from tests.reports.helpers import hours_on, shift_on

PAGES = {
    "/reports/allowance": {Role.INSTRUCTOR, Role.ADMIN},
    "/reports/wages": {Role.INSTRUCTOR, Role.MANAGER, Role.ADMIN},
    "/reports/billing": {Role.UNIT_CONTACT, Role.MANAGER, Role.ADMIN},
    "/reports/ceiling": {Role.INSTRUCTOR, Role.ADMIN},
    "/reports/my-earnings": {Role.PARTICIPANT},
}


@pytest.fixture
def world(session, reference_data):
    group = f.make_group()
    person = f.make_participant(
        group,
        stream=Stream.REHABILITATIVE,
        first_name="Aino",
        last_name="Aalto",
        plan={"monthly_earnings_ceiling_cents": 5000},
    )
    contact = f.make_unit_contact()
    task = f.make_task(contact.unit, title="Ikkunat")
    hours_on(person, date(2026, 11, 10), 240, task)  # 40.00 € wage, 58.00 € net
    f.make_activity_day(person, date(2026, 11, 10))
    f.make_activity_day(person, date(2026, 11, 11), absence_kind=AbsenceKind.OWN_ILLNESS)
    users = {
        Role.INSTRUCTOR: group.instructor.user,
        Role.ADMIN: f.make_admin(),
        Role.MANAGER: f.make_manager(),
        Role.UNIT_CONTACT: contact,
        Role.PARTICIPANT: person.user,
    }
    session.commit()
    return {"group": group, "person": person, "task": task, "users": users}


def audit_events(session, action):
    return session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_role_gets_the_report_page_or_403(client, login, world, path):
    for role, user in world["users"].items():
        login(user)
        expected = 200 if role in PAGES[path] else 403
        assert client.get(path).status_code == expected, (role, path)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_sign_in(client, world, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_allowance_page_shows_days_per_person_and_is_audited(client, login, session, world):
    login(world["users"][Role.INSTRUCTOR])
    response = client.get("/reports/allowance?kind=month&start=2026-11-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aalto Aino" in page
    assert "9,00" in page or "9.00" in page
    events = audit_events(session, "report.allowance.viewed")
    assert [e.participant_id for e in events] == [world["person"].id]


def test_allowance_page_marks_illness_days_that_need_a_certificate(client, login, session, world):
    for day in (12, 13, 16):  # the illness of 11.11. goes on to Monday 16.11.
        f.make_activity_day(
            world["person"], date(2026, 11, day), absence_kind=AbsenceKind.OWN_ILLNESS
        )
    session.commit()
    login(world["users"][Role.INSTRUCTOR])

    page = client.get("/reports/allowance?kind=month&start=2026-11-01&lang=en").get_data(
        as_text=True
    )

    assert "Day 6 of the illness: a medical certificate is needed." in page
    assert "Day 3 of the illness" not in page


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-13-40",
        "start=9999-12-31",
        "start=yesterday",
        "kind=fortnight",
        "group=abc",
        "group=99999999999999999999",
    ],
)
def test_allowance_picker_refuses_bad_input_with_422_and_a_message(client, login, world, query):
    login(world["users"][Role.INSTRUCTOR])
    response = client.get(f"/reports/allowance?{query}")
    assert response.status_code == 422
    assert "Please correct these" in response.get_data(as_text=True)


def test_an_instructor_cannot_choose_another_instructors_group(client, login, session, world):
    other = f.make_group()
    session.commit()
    login(world["users"][Role.INSTRUCTOR])
    response = client.get(f"/reports/allowance?group={other.id}")
    assert response.status_code == 422


def test_allowance_csv_download_reads_back_with_the_figures(client, login, world):
    login(world["users"][Role.ADMIN])
    response = client.get("/reports/allowance?kind=month&start=2026-11-05&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('.csv"')
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[1]
    person = next(r for r in rows if r[:2] == ["Aalto", "Aino"])
    values = dict(zip(header, person, strict=False))
    assert values["Attended days"] == "1"
    assert values["Own illness"] == "1"
    assert values["Allowance (€)"] == "9.00"
    assert ["Aalto", "Aino", "2026-11-11", "Own illness", ""] in rows


def test_allowance_xlsx_download_opens_in_openpyxl(client, login, session, world):
    login(world["users"][Role.ADMIN])
    response = client.get("/reports/allowance?kind=month&start=2026-11-05&format=xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["Allowance days"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("Attended days")] == 1
    assert row[header.index("Allowance (€)")] == 9
    assert book["Absences"]["D2"].value == "Own illness"
    assert len(audit_events(session, "report.allowance.exported")) == 1


def test_unknown_download_format_is_404(client, login, world):
    login(world["users"][Role.ADMIN])
    assert client.get("/reports/allowance?format=pdf").status_code == 404


def test_printable_allowance_page_has_the_report_and_no_picker(client, login, world):
    login(world["users"][Role.INSTRUCTOR])
    response = client.get("/reports/allowance?kind=month&start=2026-11-01&view=print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "report-print" in page
    assert "ready to print" in page
    assert 'id="picker-heading"' not in page
    assert "Aalto Aino" in page


def test_wages_page_shows_hours_and_wage(client, login, world):
    login(world["users"][Role.MANAGER])
    page = client.get("/reports/wages?month=2026-11").get_data(as_text=True)
    assert "Aalto Aino" in page
    assert "40.00" in page


def test_wages_xlsx_has_one_row_per_person(client, login, world):
    login(world["users"][Role.ADMIN])
    response = client.get("/reports/wages?month=2026-11&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data()))["Wages"]
    assert [c.value for c in sheet[2]][:2] == ["Aalto", "Aino"]
    assert [c.value for c in sheet[2]][6] == 40


@pytest.mark.parametrize("month", ["2026-14", "november", "1999-12", "2026-11-31"])
def test_month_pickers_refuse_bad_months_with_422(client, login, world, month):
    login(world["users"][Role.ADMIN])
    for path in ("/reports/wages", "/reports/billing", "/reports/ceiling"):
        assert client.get(f"{path}?month={month}").status_code == 422, path


def test_a_unit_contact_sees_only_their_own_units_billing(client, login, session, world):
    other_task = f.make_task(title="Toisen yksikön työ")
    hours_on(world["person"], date(2026, 11, 12), 60, other_task)
    session.commit()
    login(world["users"][Role.UNIT_CONTACT])
    page = client.get(f"/reports/billing?month=2026-11&unit={other_task.unit_id}").get_data(
        as_text=True
    )
    assert "Ikkunat" in page
    assert "Toisen yksikön työ" not in page


def test_billing_csv_lists_units_and_tasks(client, login, world):
    login(world["users"][Role.MANAGER])
    response = client.get("/reports/billing?month=2026-11&format=csv")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    unit_row = rows[2]
    assert unit_row[4:8] == ["4.00", "58.00", "14.79", "72.79"]
    assert any(r[1:3] == ["Ikkunat", str(world["task"].id)] for r in rows)


def test_ceiling_page_lists_the_person_over_eighty_percent(client, login, session, world):
    login(world["users"][Role.INSTRUCTOR])
    page = client.get("/reports/ceiling").get_data(as_text=True)
    assert "Aalto Aino" in page  # 40 € of 50 €
    assert "80 %" in page
    assert len(audit_events(session, "report.ceiling.viewed")) == 1


def test_participant_sees_own_hours_and_pay_in_plain_words(client, login, session, world):
    other = f.make_participant(world["group"], first_name="Veikko")
    hours_on(other, date(2026, 11, 12), 480)
    f.make_assignment(shift_on(date(2026, 11, 27)), world["person"])
    session.commit()
    login(world["users"][Role.PARTICIPANT])
    page = client.get("/reports/my-earnings").get_data(as_text=True)
    assert "Hours worked" in page
    assert "40.00 €" in page  # earned
    assert "Pay from coming shifts" in page
    assert "50.00 €" in page  # the limit
    assert "With your coming shifts you would earn more than your limit" in page
    assert "Veikko" not in page
    assert audit_events(session, "report.wages.viewed") == []


def test_participant_can_look_at_an_earlier_month(client, login, world):
    login(world["users"][Role.PARTICIPANT])
    response = client.get("/reports/my-earnings?month=2026-10")
    assert response.status_code == 200
    assert "No confirmed hours in this month." in response.get_data(as_text=True)
    assert client.get("/reports/my-earnings?month=x").status_code == 422


def test_report_menu_entries_follow_the_role(client, login, world):
    login(world["users"][Role.PARTICIPANT])
    page = client.get("/reports/my-earnings").get_data(as_text=True)
    assert 'href="/reports/my-earnings"' in page
    assert 'href="/reports/allowance"' not in page
    login(world["users"][Role.INSTRUCTOR])
    page = client.get("/reports/allowance").get_data(as_text=True)
    assert 'href="/reports/ceiling"' in page
    assert 'href="/reports/billing"' not in page
