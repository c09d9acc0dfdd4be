"""/api/v1/matching/runs: start a run, read its result, publish its proposals."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.matching import operations
from jobcenter.notifications.models import OutboxMessage
from jobcenter.participants.models import DayAway
from jobcenter.scheduling.models import Assignment, AssignmentStatus
from tests import factories
from tests.api.conftest import assert_problem
from tests.matching.db_world import NOW, WEEK, make_world


@pytest.fixture(autouse=True)
def frozen_now(app):
    with clock.frozen(NOW):
        yield


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Runs handed to the background worker; the tests run them with run_now."""
    runs: list[int] = []
    monkeypatch.setattr(operations, "_submit", lambda app, run_id: runs.append(run_id))
    return runs


@pytest.fixture
def world(session):
    w = make_world()
    session.commit()
    return w


def _start(client, headers, world, week=WEEK.isoformat()):
    return client.post(
        "/api/v1/matching/runs",
        json={"week_start": week, "group_id": world.group.id},
        headers=headers,
    )


def test_instructor_starts_a_run_and_gets_202_with_its_location(client, bearer, world, queued):
    response = _start(client, bearer(world.instructor.user), world)
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued"
    assert response.headers["Location"].endswith(f"/api/v1/matching/runs/{body['id']}")
    assert queued == [body["id"]]


def test_a_finished_run_shows_proposals_and_reasons_as_codes(app, client, bearer, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _start(client, headers, world).get_json()["id"]
    operations.run_now(app, run_id)
    body = client.get(f"/api/v1/matching/runs/{run_id}", headers=headers).get_json()
    assert body["status"] == "done"
    assert len(body["result"]["assignments"]) == 4
    reason = body["result"]["unfilled"][0]["reasons"][0]
    assert reason["code"] == "overlap"
    assert "message" in reason


def test_publish_creates_offers_and_notices_once(app, client, bearer, session, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _start(client, headers, world).get_json()["id"]
    operations.run_now(app, run_id)
    first = client.post(f"/api/v1/matching/runs/{run_id}/publish", headers=headers)
    assert first.status_code == 200
    assert len(first.get_json()["offered"]) == 4
    second = client.post(f"/api/v1/matching/runs/{run_id}/publish", headers=headers)
    assert second.get_json()["offered"] == []
    offers = session.scalar(
        sa.select(sa.func.count(Assignment.id)).where(Assignment.status == AssignmentStatus.OFFERED)
    )
    assert offers == 4
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 4


def test_publishing_a_queued_run_is_a_conflict(client, bearer, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _start(client, headers, world).get_json()["id"]
    response = client.post(f"/api/v1/matching/runs/{run_id}/publish", headers=headers)
    assert_problem(response, 409)


def test_admin_may_run_any_group(client, bearer, world, queued):
    assert _start(client, bearer(factories.make_admin()), world).status_code == 202


def test_another_instructor_gets_404_for_the_group_and_its_runs(
    client, bearer, session, world, queued
):
    run_id = _start(client, bearer(world.instructor.user), world).get_json()["id"]
    stranger = factories.make_instructor()
    session.commit()
    headers = bearer(stranger.user)
    assert_problem(_start(client, headers, world), 404)
    assert_problem(client.get(f"/api/v1/matching/runs/{run_id}", headers=headers), 404)
    publish = client.post(f"/api/v1/matching/runs/{run_id}/publish", headers=headers)
    assert_problem(publish, 404)


@pytest.mark.parametrize("maker", [factories.make_manager, factories.make_unit_contact])
def test_other_roles_are_forbidden(client, bearer, session, world, queued, maker):
    user = maker()
    session.commit()
    assert_problem(_start(client, bearer(user), world), 403)
    assert queued == []


def test_anonymous_gets_401(client, world, queued):
    assert_problem(_start(client, {}, world), 401)


@pytest.mark.parametrize("week", ["2026-03-10", "2026-13-01", "next week", "", "0001-01-01"])
def test_a_week_that_is_not_a_monday_date_is_422(client, bearer, session, world, queued, week):
    response = _start(client, bearer(world.instructor.user), world, week=week)
    problem = assert_problem(response, 422)
    assert "week_start" in problem["errors"]
    assert queued == []


def _done(app, client, headers, world) -> int:
    run_id = _start(client, headers, world).get_json()["id"]
    operations.run_now(app, run_id)
    return run_id


def _tuesday(session, world) -> tuple[Assignment, object]:
    held = session.scalars(
        sa.select(Assignment).where(
            Assignment.shift_id == world.shifts[2].id,
            Assignment.status == AssignmentStatus.PROPOSED,
        )
    ).one()
    return held, next(p for p in world.people if p.id != held.participant_id)


def test_publish_confirms_directly_for_people_whose_instructor_confirms(
    app, client, bearer, session, world, queued
):
    world.people[0].instructor_confirms = True
    session.commit()
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    body = client.post(f"/api/v1/matching/runs/{run_id}/publish", headers=headers).get_json()
    assert body["confirmed"]
    assert {row["participant_id"] for row in body["confirmed"]} == {world.people[0].id}
    assert world.people[0].id not in {row["participant_id"] for row in body["offered"]}
    assert len(body["offered"]) + len(body["confirmed"]) == 4


def test_a_replacement_through_the_api_is_one_change(app, client, bearer, session, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    held, other = _tuesday(session, world)
    response = client.post(
        f"/api/v1/matching/runs/{run_id}/changes",
        json={
            "remove": [held.id],
            "add": [{"participant_id": other.id, "shift_id": world.shifts[2].id}],
        },
        headers=headers,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["removed"] == [{"participant_id": held.participant_id, "shift_id": held.shift_id}]
    assert [row["participant_id"] for row in body["added"]] == [other.id]


def test_a_refused_api_change_is_422_with_reasons_as_codes(
    app, client, bearer, session, world, queued
):
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    held, other = _tuesday(session, world)
    session.add(DayAway(user_id=other.user_id, day=WEEK + timedelta(days=1)))
    session.commit()
    response = client.post(
        f"/api/v1/matching/runs/{run_id}/changes",
        json={
            "remove": [held.id],
            "add": [{"participant_id": other.id, "shift_id": world.shifts[2].id}],
        },
        headers=headers,
    )
    problem = assert_problem(response, 422)
    [refused] = problem["problems"]
    assert refused["participant_id"] == other.id
    assert refused["reasons"][0]["code"] == "day_away"
    assert "message" in refused["reasons"][0]
    session.expire_all()
    assert session.get(Assignment, held.id).participant_id == held.participant_id


def test_an_api_change_naming_a_stranger_is_422(app, client, bearer, session, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    stranger = factories.make_participant()
    session.commit()
    response = client.post(
        f"/api/v1/matching/runs/{run_id}/changes",
        json={"add": [{"participant_id": stranger.id, "shift_id": world.shifts[2].id}]},
        headers=headers,
    )
    assert "add" in assert_problem(response, 422)["errors"]


def test_another_instructor_cannot_change_the_run(app, client, bearer, session, world, queued):
    run_id = _done(app, client, bearer(world.instructor.user), world)
    stranger = factories.make_instructor()
    session.commit()
    response = client.post(
        f"/api/v1/matching/runs/{run_id}/changes",
        json={"remove": []},
        headers=bearer(stranger.user),
    )
    assert_problem(response, 404)


# ------------------------------------------------------------ why not


def _why_not(client, headers, run_id, **query):
    return client.get(
        f"/api/v1/matching/runs/{run_id}/why-not", query_string=query, headers=headers
    )


def _why_audits(session):
    from jobcenter.accounts.models import AuditEvent

    return session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "planning_why_not_viewed")
    ).all()


def test_why_not_lists_each_rule_that_stops_the_person_as_codes_and_text(
    app, client, bearer, session, world, queued
):
    headers = bearer(world.instructor.user) | {"Accept-Language": "en"}
    run_id = _done(app, client, headers, world)
    person, shift = world.people[0], world.shifts[1]
    shift.task.required_skills.append(factories.make_skill(code="windows"))
    session.add(DayAway(user_id=person.user_id, day=WEEK))
    session.commit()
    response = _why_not(client, headers, run_id, participant=person.id, shift=shift.id)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    body = response.get_json()
    assert body["chosen"] is False
    assert (body["participant_id"], body["shift_id"]) == (person.id, shift.id)
    codes = [r["code"] for r in body["reasons"]]
    assert codes[:2] == ["day_away", "skills"]  # every rule, in the engine's order
    skills = body["reasons"][1]
    assert skills["params"] == {"missing": ["windows"]}
    name = f"{person.user.first_name} {person.user.last_name}"
    assert body["reasons"][0]["text"].startswith(f"{name} is away on")
    [event] = _why_audits(session)
    assert event.participant_id == person.id


def test_why_not_when_no_rule_stops_the_person_names_the_people_chosen(
    app, client, bearer, session, world, queued
):
    headers = bearer(world.instructor.user) | {"Accept-Language": "en"}
    run_id = _done(app, client, headers, world)
    held, other = _tuesday(session, world)
    body = _why_not(
        client, headers, run_id, participant=other.id, shift=world.shifts[2].id
    ).get_json()
    assert body["chosen"] is False
    assert body["holders"] == [held.participant_id]
    [reason] = body["reasons"]
    assert reason["code"] == "better_fit_chosen"
    assert reason["params"]["chosen"] == [str(held.participant_id)]
    holder = held.participant.user
    assert f"went to {holder.first_name} {holder.last_name}" in reason["text"]
    assert body["factors"]
    assert all({"code", "participant_ids", "text"} <= f.keys() for f in body["factors"])


def test_why_not_for_the_person_on_the_shift_is_chosen(app, client, bearer, session, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    held, _other = _tuesday(session, world)
    body = _why_not(
        client, headers, run_id, participant=held.participant_id, shift=world.shifts[2].id
    ).get_json()
    assert body["chosen"] is True
    assert [r["code"] for r in body["reasons"]] == ["assigned"]


def test_why_not_outside_the_instructors_scope_is_404(app, client, bearer, session, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    stranger = factories.make_participant()
    other_shift = factories.make_shift()
    session.commit()
    person, shift = world.people[0], world.shifts[1]
    assert_problem(_why_not(client, headers, run_id, participant=stranger.id, shift=shift.id), 404)
    assert_problem(
        _why_not(client, headers, run_id, participant=person.id, shift=other_shift.id), 404
    )
    outsider = bearer(factories.make_instructor().user)
    session.commit()
    assert_problem(_why_not(client, outsider, run_id, participant=person.id, shift=shift.id), 404)
    assert _why_audits(session) == []


def test_why_not_for_a_person_of_another_own_group_is_422(
    app, client, bearer, session, world, queued
):
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    elsewhere = factories.make_participant(factories.make_group(world.instructor))
    session.commit()
    response = _why_not(client, headers, run_id, participant=elsewhere.id, shift=world.shifts[1].id)
    assert_problem(response, 422)


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"participant": "x", "shift": "1"}, {"participant"}),
        ({"participant": "1"}, {"shift"}),
        ({"participant": "-3", "shift": "99999999999"}, {"participant", "shift"}),
    ],
)
def test_why_not_with_bad_ids_is_422(app, client, bearer, session, world, queued, query, fields):
    headers = bearer(world.instructor.user)
    run_id = _done(app, client, headers, world)
    problem = assert_problem(_why_not(client, headers, run_id, **query), 422)
    assert set(problem["errors"]) == fields
    assert _why_audits(session) == []


def test_why_not_on_a_queued_run_is_a_conflict(client, bearer, session, world, queued):
    headers = bearer(world.instructor.user)
    run_id = _start(client, headers, world).get_json()["id"]
    response = _why_not(
        client, headers, run_id, participant=world.people[0].id, shift=world.shifts[1].id
    )
    assert_problem(response, 409)
