"""Days in query strings are read by one parser (`jobcenter.api.http.query_day`): every
list and report takes YYYY-MM-DD only, answers anything else with a 422 problem naming
the parameter, and a caller's window of years is told in the message."""

from __future__ import annotations

import pytest

from jobcenter.core import clock
from tests import factories as f
from tests.api.conftest import assert_problem

SEND_A_DATE = "Send a date as YYYY-MM-DD."
BAD_DAYS = ["20260301", "2026-3-1", "2026-02-30", "2026-03-01T00:00", "yesterday", ""]
# (path, the day's parameter, who may read it)
ENDPOINTS = [
    ("/api/v1/shifts", "from", "admin"),
    ("/api/v1/hour-entries", "to", "admin"),
    ("/api/v1/me/shifts", "from", "participant"),
    ("/api/v1/reports/hours", "from", "admin"),
    ("/api/v1/reports/allowance", "start", "admin"),
]


@pytest.fixture
def users(session):
    people = {"admin": f.make_admin(), "participant": f.make_participant().user}
    session.commit()
    return people


def english(headers: dict[str, str]) -> dict[str, str]:
    return headers | {"Accept-Language": "en"}


@pytest.mark.parametrize("raw", BAD_DAYS)
@pytest.mark.parametrize(("path", "name", "who"), ENDPOINTS)
def test_anything_but_yyyy_mm_dd_is_a_422_problem_naming_the_parameter(
    client, bearer, users, path, name, who, raw
):
    response = client.get(path, query_string={name: raw}, headers=english(bearer(users[who])))

    body = assert_problem(response, 422)
    assert body["errors"] == {name: [SEND_A_DATE]}


@pytest.mark.parametrize(("path", "name", "who"), ENDPOINTS)
def test_a_yyyy_mm_dd_day_is_taken(client, bearer, users, path, name, who):
    day = clock.today().isoformat()
    response = client.get(path, query_string={name: day}, headers=english(bearer(users[who])))

    assert response.status_code == 200, response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "name"), [("/api/v1/reports/hours", "to"), ("/api/v1/reports/allowance", "start")]
)
def test_reports_tell_their_window_of_years(client, bearer, users, path, name):
    last = clock.today().year + 2
    response = client.get(
        path, query_string={name: f"{last + 1}-01-01"}, headers=english(bearer(users["admin"]))
    )

    body = assert_problem(response, 422)
    assert body["errors"] == {name: [f"Choose a date between the years 2000 and {last}."]}


def test_reports_take_the_last_day_of_their_window(client, bearer, users):
    last = clock.today().year + 2
    response = client.get(
        "/api/v1/reports/allowance",
        query_string={"start": f"{last}-12-31"},
        headers=english(bearer(users["admin"])),
    )

    assert response.status_code == 200


def test_my_shifts_tell_their_window_of_years(client, bearer, users):
    response = client.get(
        "/api/v1/me/shifts",
        query_string={"from": "1899-12-31"},
        headers=english(bearer(users["participant"])),
    )

    body = assert_problem(response, 422)
    assert body["errors"] == {"from": ["Choose a date between the years 1900 and 2200."]}


def test_a_range_ending_before_it_starts_is_refused_on_to(client, bearer, users):
    response = client.get(
        "/api/v1/shifts",
        query_string={"from": "2026-03-10", "to": "2026-03-09"},
        headers=english(bearer(users["admin"])),
    )

    body = assert_problem(response, 422)
    assert body["errors"] == {"to": ["The last day cannot be before the first day."]}
