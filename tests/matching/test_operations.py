"""Loading a group's week from the database, running matching and publishing offers."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.matching import operations
from jobcenter.matching.models import MatchingRun, RunStatus
from jobcenter.notifications.models import OutboxMessage
from jobcenter.participants.models import DayAway
from jobcenter.scheduling.models import Assignment, AssignmentEvent, AssignmentStatus
from jobcenter.units.models import TaskStatus
from tests import factories
from tests.matching.db_world import NOW, WEEK, at, make_world


@pytest.fixture(autouse=True)
def frozen_now(app):
    with clock.frozen(NOW):
        yield


def _run(app, session, world) -> MatchingRun:
    run = operations.start_run(session, world.instructor.user, WEEK, world.group.id)
    session.commit()
    operations.run_now(app, run.id)
    session.expire_all()
    return session.get(MatchingRun, run.id)


def test_instance_has_the_groups_people_with_their_plan_limits_and_availability(session):
    world = make_world()
    instance = operations.build_instance(session, WEEK, world.group.id)
    ids = sorted(p.id for p in instance.participants)
    assert ids == sorted(str(p.id) for p in world.people)
    person = instance.participants[0]
    assert person.max_minutes_per_day == 360
    assert person.max_days_per_week == 3
    assert person.weekly_target_minutes == 720
    assert len(person.availability) == 7
    assert sorted(s.id for s in instance.shifts) == sorted(str(s.id) for s in world.shifts)
    assert all(s.instructor == str(world.instructor.id) for s in instance.shifts)


def test_instance_leaves_out_people_without_a_plan_that_week(session):
    world = make_world()
    plan = world.people[0].plans[0]
    plan.end_date = WEEK - timedelta(days=1)
    session.flush()
    instance = operations.build_instance(session, WEEK, world.group.id)
    assert str(world.people[0].id) not in {p.id for p in instance.participants}


def test_instance_carries_days_away_and_locks_confirmed_assignments(session):
    world = make_world()
    person = world.people[0]
    session.add(DayAway(user_id=person.user_id, day=WEEK + timedelta(days=1)))
    factories.make_assignment(world.shifts[0], world.people[1], AssignmentStatus.CONFIRMED)
    session.flush()
    instance = operations.build_instance(session, WEEK, world.group.id)
    loaded = {p.id: p for p in instance.participants}
    assert loaded[str(person.id)].days_away == frozenset({WEEK + timedelta(days=1)})
    assert [(lk.participant, lk.shift) for lk in instance.locked] == [
        (str(world.people[1].id), str(world.shifts[0].id))
    ]


def test_instance_subtracts_slots_held_by_people_outside_the_group(session):
    world = make_world()
    outsider = factories.make_participant()
    factories.make_assignment(world.shifts[0], outsider, AssignmentStatus.OFFERED)
    session.flush()
    instance = operations.build_instance(session, WEEK, world.group.id)
    slots = {s.id: s.slots for s in instance.shifts}
    assert slots[str(world.shifts[0].id)] == 1


def test_instance_turns_other_shifts_of_the_week_into_commitments(session):
    world = make_world()
    elsewhere = factories.make_task(status=TaskStatus.SCHEDULED)
    other_shift = factories.make_shift(elsewhere, starts_at=at(2, 9))
    factories.make_assignment(other_shift, world.people[0], AssignmentStatus.CONFIRMED)
    session.flush()
    instance = operations.build_instance(session, WEEK, world.group.id)
    person = {p.id: p for p in instance.participants}[str(world.people[0].id)]
    assert [c.start for c in person.commitments] == [at(2, 9).replace(tzinfo=None)]


def test_a_run_ends_done_with_proposals_that_keep_the_hard_rules(app, session):
    world = make_world(people=3)
    run = _run(app, session, world)
    assert run.status == RunStatus.DONE
    assert run.result["assignments"]
    rows = session.scalars(
        sa.select(Assignment).where(Assignment.status == AssignmentStatus.PROPOSED)
    ).all()
    per_shift = defaultdict(int)
    per_person = defaultdict(list)
    for row in rows:
        per_shift[row.shift_id] += 1
        per_person[row.participant_id].append(row.shift)
    for shift in world.shifts:
        assert per_shift[shift.id] <= shift.slots
    for shifts in per_person.values():
        for a in shifts:
            for b in shifts:
                assert a is b or a.ends_at <= b.starts_at or b.ends_at <= a.starts_at
    # Three people fill 3 of the 4 overlapping Monday slots and the Tuesday slot.
    assert len(rows) == 4
    assert [u["unfilled_slots"] for u in run.result["unfilled"]] == [1]
    assert run.result["unfilled"][0]["reasons"][0]["code"] == "overlap"


def test_a_run_keeps_a_confirmed_assignment_as_it_is(app, session):
    world = make_world(people=3)
    kept = factories.make_assignment(world.shifts[2], world.people[2], AssignmentStatus.CONFIRMED)
    session.commit()
    _run(app, session, world)
    session.refresh(kept)
    assert kept.status == AssignmentStatus.CONFIRMED
    others = session.scalars(
        sa.select(Assignment).where(Assignment.shift_id == world.shifts[2].id)
    ).all()
    assert [a.id for a in others] == [kept.id]


def test_a_run_for_a_week_without_shifts_is_done_with_nothing_proposed(app, session):
    world = make_world()
    for shift in world.shifts:
        shift.starts_at += timedelta(days=7)
        shift.ends_at += timedelta(days=7)
    session.commit()
    run = _run(app, session, world)
    assert run.status == RunStatus.DONE
    assert run.result["assignments"] == []


def test_publish_offers_each_proposal_and_notifies_once(app, session):
    world = make_world(people=3)
    run = _run(app, session, world)
    offered = operations.publish(session, world.instructor.user, run)
    session.commit()
    assert offered
    assert {a.status for a in offered} == {AssignmentStatus.OFFERED}
    events = session.scalars(
        sa.select(AssignmentEvent).where(AssignmentEvent.to_status == AssignmentStatus.OFFERED)
    ).all()
    assert len(events) == len(offered)
    messages = session.scalars(sa.select(OutboxMessage)).all()
    assert len(messages) == len(offered)
    assert all(m.kind == "shift_offered" for m in messages)

    again = operations.publish(session, world.instructor.user, run)
    session.commit()
    assert again == []
    assert session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == len(offered)


def test_notice_is_in_the_participants_language_without_sensitive_data(app, session):
    world = make_world(people=1)
    world.people[0].user.locale = "sv"
    session.commit()
    run = _run(app, session, world)
    operations.publish(session, world.instructor.user, run)
    session.commit()
    message = session.scalars(sa.select(OutboxMessage)).first()
    assert message.locale == "sv"
    assert "supervision" not in message.body.lower()
    assert "09:00" in message.body or "10:00" in message.body


def test_publish_refuses_a_run_that_has_not_finished(session):
    world = make_world()
    run = operations.start_run(session, world.instructor.user, WEEK, world.group.id)
    with pytest.raises(operations.DomainError):
        operations.publish(session, world.instructor.user, run)


def test_another_instructor_cannot_start_a_run_for_the_group(app, session):
    world = make_world()
    stranger = factories.make_instructor()
    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        operations.start_run(session, stranger.user, WEEK, world.group.id)


def test_publish_confirms_directly_for_a_person_whose_instructor_confirms(app, session):
    world = make_world(people=3)
    world.people[0].instructor_confirms = True
    session.commit()
    run = _run(app, session, world)
    changed = operations.publish(session, world.instructor.user, run)
    session.commit()
    mine = [a for a in changed if a.participant_id == world.people[0].id]
    others = [a for a in changed if a.participant_id != world.people[0].id]
    assert mine
    assert others
    for a in mine:
        assert a.status == AssignmentStatus.CONFIRMED
        assert a.confirmed_at == clock.now()
        assert a.confirmed_by_id == world.instructor.user_id
        assert [(e.from_status, e.to_status) for e in a.events][-1] == (
            AssignmentStatus.PROPOSED,
            AssignmentStatus.CONFIRMED,
        )
    assert {a.status for a in others} == {AssignmentStatus.OFFERED}
    notices = session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.recipient_id == world.people[0].user_id)
    ).all()
    assert len(notices) == len(mine)
    assert {n.kind for n in notices} == {"shift_confirmed"}
    assert all(n.subject == "You have a new work shift" for n in notices)
    assert all("accept or decline" not in n.body for n in notices)
    assert operations.publish(session, world.instructor.user, run) == []


def _tuesday(session, world) -> tuple[Assignment, object]:
    """The proposal on the Tuesday shift (1 slot) and someone else of the group."""
    held = session.scalars(
        sa.select(Assignment).where(
            Assignment.shift_id == world.shifts[2].id,
            Assignment.status == AssignmentStatus.PROPOSED,
        )
    ).one()
    other = next(p for p in world.people if p.id != held.participant_id)
    return held, other


def test_a_refused_hand_change_writes_nothing(app, session):
    world = make_world(people=3)
    run = _run(app, session, world)
    rows = session.execute(
        sa.select(Assignment.id, Assignment.participant_id, Assignment.shift_id)
    ).all()
    held, other = _tuesday(session, world)
    session.add(DayAway(user_id=other.user_id, day=WEEK + timedelta(days=1)))
    session.commit()
    with pytest.raises(operations.ChangeRefused) as refused:
        operations.hand_change(
            session, world.instructor.user, run, remove=[held], add=[(other, held.shift)]
        )
    session.rollback()
    [problem] = refused.value.problems
    assert problem.participant.id == other.id
    assert [str(r.code) for r in problem.reasons] == ["day_away"]
    after = session.execute(
        sa.select(Assignment.id, Assignment.participant_id, Assignment.shift_id)
    ).all()
    assert sorted(after) == sorted(rows)


def test_a_hand_change_keeps_the_runs_proposals_in_step(app, session):
    world = make_world(people=3)
    run = _run(app, session, world)
    target, outsider = _tuesday(session, world)
    change = operations.hand_change(
        session, world.instructor.user, run, remove=[target], add=[(outsider, target.shift)]
    )
    session.commit()
    pairs = {(int(r["participant"]), int(r["shift"])) for r in run.result["assignments"]}
    assert (outsider.id, target.shift_id) in pairs
    assert change.removed[0] not in pairs


def test_week_hours_lists_those_furthest_below_target_first(app, session):
    world = make_world(people=3)
    world.people[2].plans[0].weekly_target_minutes = 1200
    session.commit()
    run = _run(app, session, world)
    rows = operations.week_hours(session, run)
    assert rows[0].participant.id == world.people[2].id
    gaps = [r.below_target_minutes for r in rows]
    assert gaps == sorted(gaps, reverse=True)
    assert sum(r.planned_minutes for r in rows) == 4 * 240


def test_a_run_succeeds_when_someone_works_at_another_site_that_week(app, session):
    world = make_world(people=3)
    elsewhere = factories.make_task(
        status=TaskStatus.SCHEDULED, site_address="Töölönlahdenkatu 4", site_postal_code="00100"
    )
    other_shift = factories.make_shift(elsewhere, starts_at=at(2, 9))
    factories.make_assignment(other_shift, world.people[0], AssignmentStatus.CONFIRMED)
    session.commit()
    run = _run(app, session, world)
    assert run.status == RunStatus.DONE, run.error
