"""The instructor's planning board: runs, the board, hand changes and publishing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.matching import operations
from jobcenter.matching.models import MatchingRun
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling.models import Assignment, AssignmentStatus
from tests import factories
from tests.matching.db_world import NOW, WEEK, make_world


@pytest.fixture(autouse=True)
def frozen_now(app):
    with clock.frozen(NOW):
        yield


def _done_run(app, session, world) -> MatchingRun:
    run = operations.start_run(session, world.instructor.user, WEEK, world.group.id)
    session.commit()
    operations.run_now(app, run.id)
    session.expire_all()
    return session.get(MatchingRun, run.id)


def _proposed(session):
    return session.scalars(
        sa.select(Assignment).where(Assignment.status == AssignmentStatus.PROPOSED)
    ).all()


def test_instructor_sees_only_own_groups_on_the_planning_page(client, session, login):
    world = make_world()
    other = factories.make_group(factories.make_instructor())
    session.commit()
    login(world.instructor.user)
    page = client.get(f"/planning?week={WEEK}")
    assert page.status_code == 200
    assert world.group.name in page.text
    assert client.get(f"/planning?week={WEEK}&group={other.id}").status_code == 404


def test_other_instructors_run_is_not_found(app, client, session, login):
    world = make_world()
    run = _done_run(app, session, world)
    stranger = factories.make_instructor()
    session.commit()
    login(stranger.user)
    assert client.get(f"/planning/runs/{run.id}").status_code == 404


def test_participant_cannot_open_planning(client, session, login):
    world = make_world()
    session.commit()
    login(world.people[0].user)
    assert client.get("/planning").status_code == 403


def test_running_matching_redirects_to_the_run_page(client, session, login, monkeypatch):
    world = make_world()
    session.commit()
    started = []
    monkeypatch.setattr(operations, "execute_run", lambda app, run_id: started.append(run_id))
    login(world.instructor.user)
    response = client.post("/planning/runs", data={"group": world.group.id, "week": str(WEEK)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/planning/runs/{started[0]}")
    page = client.get(response.headers["Location"])
    assert page.headers["Refresh"] == "2"
    assert "Stop updating this page" in page.text
    assert "Refresh" not in client.get(f"{response.headers['Location']}?auto=0").headers


def test_board_shows_the_proposed_people_by_name(app, client, session, login):
    world = make_world()
    run = _done_run(app, session, world)
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}")
    assert page.status_code == 200
    assert "Refresh" not in page.headers
    first = world.people[0].user
    assert f"{first.first_name} {first.last_name}" in page.text
    assert "slots filled" in page.text


def test_adding_an_unqualified_person_is_refused_with_the_reason(app, client, session, login):
    world = make_world(people=1)
    world.shifts[0].task.required_skills.append(factories.make_skill())
    session.commit()
    run = _done_run(app, session, world)
    before = session.scalar(sa.select(sa.func.count(Assignment.id)))
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/add",
        data={"shift": world.shifts[0].id, "participant": world.people[0].id},
    )
    assert response.status_code == 422
    assert "cannot take this shift" in response.text
    assert "skill" in response.text
    assert session.scalar(sa.select(sa.func.count(Assignment.id))) == before


def test_remove_add_and_lock_change_the_board(app, client, session, login):
    world = make_world()
    run = _done_run(app, session, world)
    login(world.instructor.user)
    proposal = _proposed(session)[0]
    pid, sid = proposal.participant_id, proposal.shift_id
    response = client.post(f"/planning/runs/{run.id}/remove", data={"assignment": proposal.id})
    assert response.status_code == 303
    session.expire_all()
    assert (pid, sid) not in {(a.participant_id, a.shift_id) for a in _proposed(session)}
    response = client.post(f"/planning/runs/{run.id}/add", data={"shift": sid, "participant": pid})
    assert response.status_code == 303
    session.expire_all()
    added = next(a for a in _proposed(session) if (a.participant_id, a.shift_id) == (pid, sid))
    client.post(f"/planning/runs/{run.id}/lock", data={"assignment": added.id})
    session.expire_all()
    assert session.get(Assignment, added.id).is_locked


def test_publishing_offers_proposals_once(app, client, session, login):
    world = make_world()
    run = _done_run(app, session, world)
    count = len(_proposed(session))
    assert count
    login(world.instructor.user)
    response = client.post(f"/planning/runs/{run.id}/publish", follow_redirects=True)
    assert response.status_code == 200
    client.post(f"/planning/runs/{run.id}/publish")
    offered = session.scalars(
        sa.select(Assignment).where(Assignment.status == AssignmentStatus.OFFERED)
    ).all()
    assert len(offered) == count
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == count
