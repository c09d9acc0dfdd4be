"""GET /api/v1/reports/hours (and wages, billing, allowance): confirmed hours per key,
scoped to the caller, validated (422 problem+json)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.hours.models import AbsenceKind
from tests import factories as f
from tests.api.conftest import assert_problem
from tests.reports.conftest import TODAY, at
from tests.reports.helpers import hours_on

URL = "/api/v1/reports/hours"


@pytest.fixture(autouse=True)
def frozen(app):
    clock.freeze(at(TODAY, 12))
    yield
    clock.freeze(None)


@pytest.fixture
def world(session, reference_data):
    """Two groups, two units, two kinds; hours in October and November 2026."""
    group = f.make_group()
    other_group = f.make_group()
    rehab = f.make_participant(group, stream=Stream.REHABILITATIVE, last_name="Aalto")
    disab = f.make_participant(group, stream=Stream.DISABILITY, last_name="Berg")
    stranger = f.make_participant(other_group, stream=Stream.DISABILITY, last_name="Cedar")
    contact = f.make_unit_contact()
    library = f.make_task(contact.unit, title="Kirjat")
    sports = f.make_task(title="Matot")
    hours_on(rehab, date(2026, 10, 30), 240, library)
    first = hours_on(rehab, date(2026, 11, 2), 240, library)
    f.correct_hour_entry(first, 180)  # counted once, as 180
    hours_on(disab, date(2026, 11, 3), 300, sports)
    hours_on(stranger, date(2026, 11, 30), 60, sports)
    hours_on(stranger, date(2026, 12, 1), 600, sports)
    session.commit()
    return {
        "group": group,
        "rehab": rehab,
        "disab": disab,
        "stranger": stranger,
        "contact": contact,
        "library": library,
        "sports": sports,
    }


def get(client, headers, **query):
    return client.get(URL, query_string=query, headers=headers)


def rows_by_key(body):
    return {row["key"]: row["minutes"] for row in body["rows"]}


def test_hours_by_stream_in_a_range(client, bearer, world):
    body = get(client, bearer(f.make_manager()), **{"from": "2026-11-01", "to": "2026-11-30",
                                                    "by": "stream"}).get_json()  # fmt: skip
    assert rows_by_key(body) == {"rehabilitative": 180, "disability": 360}
    assert body["total"] == {"minutes": 540, "hours": 9.0}


def test_hours_by_month_respect_the_month_edges(client, bearer, world):
    body = get(client, bearer(f.make_admin()), **{"from": "2026-10-01", "to": "2026-12-31",
                                                  "by": "month"}).get_json()  # fmt: skip
    assert rows_by_key(body) == {"2026-10": 240, "2026-11": 540, "2026-12": 600}
    assert [r["key"] for r in body["rows"]] == ["2026-10", "2026-11", "2026-12"]


def test_hours_by_unit_and_by_task_kind(client, bearer, world):
    headers = bearer(f.make_admin())
    query = {"from": "2026-11-01", "to": "2026-11-30"}
    by_unit = rows_by_key(get(client, headers, by="unit", **query).get_json())
    assert by_unit == {world["library"].unit_id: 180, world["sports"].unit_id: 360}
    by_kind = get(client, headers, by="task_kind", **query).get_json()
    assert {r["key"]: r["minutes"] for r in by_kind["rows"]} == {
        world["library"].task_kind_id: 180,
        world["sports"].task_kind_id: 360,
    }
    assert all(r["label"] for r in by_kind["rows"])


def test_hours_by_instructor(client, bearer, world):
    body = get(client, bearer(f.make_manager()), by="instructor", **{"from": "2026-11-01"})
    keys = rows_by_key(body.get_json())
    assert keys == {world["group"].instructor_id: 480, world["stranger"].group.instructor_id: 60}


def test_defaults_are_this_month_by_month(client, bearer, world):
    body = get(client, bearer(f.make_admin())).get_json()
    assert (body["from"], body["to"], body["by"]) == ("2026-11-01", "2026-11-30", "month")
    assert rows_by_key(body) == {"2026-11": 540}


def test_a_participant_gets_only_their_own_hours(client, bearer, world):
    headers = bearer(world["rehab"].user)
    body = get(client, headers, by="participant", **{"from": "2026-10-01"}).get_json()
    assert rows_by_key(body) == {world["rehab"].id: 420}
    assert rows_by_key(get(client, headers, by="stream").get_json()) == {"rehabilitative": 180}


def test_an_instructor_gets_their_groups_people_and_the_view_is_audited(
    client, bearer, session, world
):
    instructor = world["group"].instructor.user
    body = get(client, bearer(instructor), by="participant").get_json()
    assert rows_by_key(body) == {world["rehab"].id: 180, world["disab"].id: 300}
    audited = session.scalars(
        sa.select(AuditEvent.participant_id).where(AuditEvent.action == "report.hours.read")
    ).all()
    assert sorted(audited) == sorted([world["rehab"].id, world["disab"].id])


def test_a_unit_contact_gets_only_their_units_hours(client, bearer, world):
    body = get(client, bearer(world["contact"]), by="unit").get_json()
    assert rows_by_key(body) == {world["contact"].unit_id: 180}


@pytest.mark.parametrize("role_user", [f.make_manager, f.make_unit_contact])
def test_roles_that_see_totals_only_cannot_group_by_participant(client, bearer, world, role_user):
    assert_problem(get(client, bearer(role_user()), by="participant"), 403)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-11-31"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"from": "20261101"}, "from"),
        ({"to": "9999-12-31"}, "to"),
        ({"from": "2026-11-10", "to": "2026-11-09"}, "to"),
        ({"from": "2000-01-01", "to": "2026-11-30"}, "to"),
        ({"by": "district"}, "by"),
        ({"by": ""}, "by"),
    ],
)
def test_bad_parameters_are_422_problems_naming_the_field(client, bearer, world, query, field):
    body = assert_problem(get(client, bearer(f.make_admin()), **query), 422)
    assert field in body["errors"]


def test_without_a_token_the_answer_is_401(client, world):
    assert_problem(client.get(URL), 401)


# ---------------------------------------------------------------- wages, billing, allowance


def test_wages_api_sums_wage_per_person(client, bearer, world):
    body = client.get(
        "/api/v1/reports/wages?month=2026-11", headers=bearer(world["group"].instructor.user)
    ).get_json()
    assert {(r["participant_id"], r["minutes"], r["wage_cents"]) for r in body["rows"]} == {
        (world["rehab"].id, 180, 3000),
        (world["disab"].id, 300, 5000),
    }
    assert body["total"]["wage_cents"] == 8000


def test_wages_api_for_another_instructors_group_is_404(client, bearer, world):
    other = world["stranger"].group_id
    response = client.get(
        f"/api/v1/reports/wages?group_id={other}", headers=bearer(world["group"].instructor.user)
    )
    assert_problem(response, 404)


@pytest.mark.parametrize("month", ["2026-1", "2026-11-01", "2026-13", "x"])
def test_wages_api_refuses_bad_months(client, bearer, world, month):
    response = client.get(f"/api/v1/reports/wages?month={month}", headers=bearer(f.make_admin()))
    assert "month" in assert_problem(response, 422)["errors"]


def test_billing_api_gives_a_unit_contact_their_unit_with_tasks(client, bearer, world):
    body = client.get(
        "/api/v1/reports/billing?month=2026-11", headers=bearer(world["contact"])
    ).get_json()
    [unit] = body["units"]
    assert (unit["unit_id"], unit["minutes"], unit["net_cents"]) == (
        world["contact"].unit_id,
        180,
        4350,
    )
    assert [t["title"] for t in unit["tasks"]] == ["Kirjat"]


def test_billing_api_for_another_unit_is_404_for_a_unit_contact(client, bearer, world):
    response = client.get(
        f"/api/v1/reports/billing?unit_id={world['sports'].unit_id}",
        headers=bearer(world["contact"]),
    )
    assert_problem(response, 404)


def test_allowance_api_lists_days_and_absence_dates(client, bearer, session, world):
    f.make_activity_day(world["rehab"], date(2026, 11, 2))
    f.make_activity_day(world["rehab"], date(2026, 11, 3), absence_kind=AbsenceKind.SICK_CHILD)
    session.commit()
    body = client.get(
        "/api/v1/reports/allowance?kind=two_weeks&start=2026-11-02",
        headers=bearer(world["group"].instructor.user),
    ).get_json()
    row = next(r for r in body["rows"] if r["participant_id"] == world["rehab"].id)
    assert (body["from"], body["to"]) == ("2026-11-02", "2026-11-15")
    assert (row["attended_days"], row["earning_days"], row["allowance_cents"]) == (1, 1, 900)
    assert row["absences"]["sick_child"] == 1
    assert row["absence_dates"] == [
        {"date": "2026-11-03", "kind": "sick_child", "spell_day": 1, "check": None}
    ]


def test_allowance_api_marks_illness_days_that_need_a_certificate(client, bearer, session, world):
    for day in (2, 3, 4, 5):
        f.make_activity_day(
            world["rehab"], date(2026, 11, day), absence_kind=AbsenceKind.OWN_ILLNESS
        )
    session.commit()
    body = client.get(
        "/api/v1/reports/allowance?kind=two_weeks&start=2026-11-02",
        headers=bearer(world["group"].instructor.user),
    ).get_json()
    row = next(r for r in body["rows"] if r["participant_id"] == world["rehab"].id)
    assert [d["check"] for d in row["absence_dates"]] == [None, None, None, "certificate_needed"]
    assert row["certificate_days"] == 1


def test_allowance_api_is_closed_to_managers(client, bearer, world):
    assert_problem(client.get("/api/v1/reports/allowance", headers=bearer(f.make_manager())), 403)
