"""/api/v1/reports/summary, totals, quality and satisfaction: the dashboard's figures
for other systems, for managers and admins, checked against the hand-computed world of
tests/dashboard/conftest.py."""

from __future__ import annotations

import pytest

from jobcenter.core.enums import Role
from tests import factories
from tests.api.conftest import assert_problem
from tests.dashboard.conftest import RANGE_ARGS, today, world  # noqa: F401

ENDPOINTS = ("summary", "totals", "quality", "satisfaction")


@pytest.fixture
def manager_headers(bearer, world):  # noqa: F811
    return bearer(world.manager)


def get(client, headers, name: str, **args):
    return client.get(f"/api/v1/reports/{name}", query_string=RANGE_ARGS | args, headers=headers)


@pytest.mark.parametrize("name", ENDPOINTS)
@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.UNIT_CONTACT, Role.PARTICIPANT])
def test_other_roles_get_403(client, bearer, world, name, role):  # noqa: F811
    user = {
        Role.INSTRUCTOR: world.groups.irma.user,
        Role.PARTICIPANT: world.people.pekka.user,
        Role.UNIT_CONTACT: None,
    }[role] or factories.make_unit_contact(unit=world.units.kallio)
    assert_problem(get(client, bearer(user), name), 403)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_without_a_token_the_answer_is_401(client, name):
    assert_problem(client.get(f"/api/v1/reports/{name}"), 401)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_admins_read_every_report(client, bearer, world, name):  # noqa: F811
    assert get(client, bearer(world.admin), name).status_code == 200


def test_summary_gives_hours_participants_and_kinds(client, manager_headers):
    data = get(client, manager_headers, "summary").get_json()
    assert data["from"] == "2026-01-01"
    assert data["to"] == "2026-03-31"
    assert data["minutes"] == {"disability": 690, "rehabilitative": 420, "total": 1110}
    assert data["hours"] == {"disability": 11.5, "rehabilitative": 7.0, "total": 18.5}
    assert data["participants"] == {"disability": 2, "rehabilitative": 1, "total": 3}
    assert [(k["name"], k["tasks"], k["shifts"], k["minutes"]) for k in data["tasks_done"]] == [
        ("Window washing", 1, 2, 690),
        ("Dishwashing", 1, 2, 420),
    ]


def test_totals_by_month_for_the_period(client, manager_headers):
    data = get(client, manager_headers, "totals", by="month").get_json()
    assert [(r["key"], r["minutes"]) for r in data["rows"]] == [
        ("2026-01", 690),
        ("2026-02", 240),
        ("2026-03", 180),
    ]
    assert data["total_hours"] == 18.5


def test_totals_by_district_name_rows_without_a_district_none(client, manager_headers, world):  # noqa: F811
    rows = get(client, manager_headers, "totals", by="district").get_json()["rows"]
    assert [(r["key"], r["minutes"]) for r in rows] == [
        (str(world.kinds.centre.id), 690),
        ("none", 420),
    ]


def test_task_kind_names_follow_accept_language(client, manager_headers):
    headers = manager_headers | {"Accept-Language": "fi"}
    rows = get(client, headers, "totals", by="task_kind").get_json()["rows"]
    assert [r["name"] for r in rows] == ["Ikkunanpesu", "Astianpesu"]


def test_quality_gives_fill_rate_attendance_and_cancellations(client, manager_headers):
    data = get(client, manager_headers, "quality").get_json()
    assert data["fill"]["offered_slot_minutes"] == 2100
    assert data["fill"]["filled_slot_minutes"] == 1620
    assert data["fill"]["fill_rate"] == pytest.approx(0.7714, abs=1e-4)
    assert data["attendance"]["records"] == 7
    assert data["attendance"]["no_shows"] == 1
    assert data["attendance"]["absent"] == 2
    assert [(c["name"], c["shifts"]) for c in data["cancellations_by_reason"]] == [
        ("Tila oli varattu.", 1)
    ]
    assert {g["name"]: g["done_minutes"] for g in data["group_targets"]} == {
        "Kallio": 690,
        "Itä": 420,
    }
    assert [(c["month"], c["close"], c["over"]) for c in data["earnings_ceiling"]] == [
        ("2026-01", 0, 1),
        ("2026-02", 1, 0),
        ("2026-03", 0, 0),
    ]


def test_satisfaction_gives_shares_per_group_and_in_total(client, manager_headers):
    data = get(client, manager_headers, "satisfaction").get_json()
    assert data["total"]["unit_share"] == 0.5
    assert data["total"]["participant_share"] == 0.6
    kallio = next(g for g in data["by_group"] if g["name"] == "Kallio")
    assert kallio["participant_ratings"] == 3
    assert kallio["participants_very_satisfied"] == 2


def test_no_answer_names_a_participant(client, manager_headers):
    for name in ENDPOINTS:
        body = get(client, manager_headers, name).get_data(as_text=True)
        for person in ("Pekka", "Liisa", "Olli", "Virtanen"):
            assert person not in body, (name, person)


@pytest.mark.parametrize(
    ("args", "field"),
    [({"from": "2026-13-01"}, "from"), ({"to": "soon"}, "to"),
     ({"from": "2026-03-01", "to": "2026-02-01"}, "to"), ({"by": "colour"}, "by"),
     ({"from": "1990-01-01"}, "from")],
)  # fmt: skip
def test_bad_parameters_are_422_with_the_field(client, manager_headers, args, field):
    body = assert_problem(get(client, manager_headers, "totals", **args), 422)
    assert field in body["errors"]


def test_the_reports_are_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for name in ENDPOINTS:
        operation = paths[f"/api/v1/reports/{name}"]["get"]
        assert {p["name"] for p in operation["parameters"] if p.get("in") == "query"} >= {
            "from",
            "to",
        }
        assert operation["x-roles"] == ["admin", "manager"]


def test_an_empty_date_is_422_not_the_default(client, manager_headers):
    body = assert_problem(get(client, manager_headers, "summary", **{"from": ""}), 422)
    assert "from" in body["errors"]


def test_without_dates_the_reports_cover_the_last_twelve_months(client, manager_headers):
    data = client.get("/api/v1/reports/totals", headers=manager_headers).get_json()
    assert (data["from"], data["to"]) == ("2025-04-16", "2026-04-15")
    assert data["total_minutes"] == 1110 + 240 + 120  # S7 and S8 are inside this year
