"""The instructor's planning board: runs, the board, hand changes and publishing."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from jobcenter.core import clock
from jobcenter.matching import operations
from jobcenter.matching.models import MatchingRun
from jobcenter.notifications.models import OutboxMessage
from jobcenter.participants.models import DayAway
from jobcenter.scheduling.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Shift,
)
from jobcenter.scheduling.operations import cancel_shifts
from jobcenter.units.models import TaskStatus
from tests import factories
from tests.matching.db_world import NOW, WEEK, at, make_world


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
    assert "cannot take the shift" in response.text
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


# ------------------------------------------------------------ swaps as one change


def _planned_by_hand(session, run, pairs) -> dict[tuple[int, int], Assignment]:
    """Replace the run's proposals with exactly `pairs` (participant, shift)."""
    for a in _proposed(session):
        session.delete(a)
    session.flush()
    made = {}
    for person, shift in pairs:
        made[(person.id, shift.id)] = factories.make_assignment(
            shift, person, AssignmentStatus.PROPOSED
        )
    run.result = dict(run.result) | {
        "assignments": [
            {"participant": str(p.id), "shift": str(s.id), "locked": False} for p, s in pairs
        ]
    }
    session.commit()
    return made


def _holders(session) -> set[tuple[int, int]]:
    session.expire_all()
    return {(a.participant_id, a.shift_id) for a in _proposed(session)}


@pytest.fixture
def planned(app, session):
    """A and B on Monday 9-13 (shift 0), C on Tuesday (shift 2): Monday 10-14 is open."""
    world = make_world()
    run = _done_run(app, session, world)
    a, b, c = world.people
    mon, _mon_later, tue = world.shifts
    made = _planned_by_hand(session, run, [(a, mon), (b, mon), (c, tue)])
    return world, run, made


def test_replacing_a_person_gives_the_place_to_another_in_one_change(
    client, session, login, planned
):
    world, run, made = planned
    a, b, c = world.people
    mon, _later, tue = world.shifts
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/replace",
        data={"assignment": made[(c.id, tue.id)].id, "participant": a.id},
    )
    assert response.status_code == 303
    assert _holders(session) == {(a.id, mon.id), (b.id, mon.id), (a.id, tue.id)}
    event = session.scalars(
        sa.select(AssignmentEvent).where(AssignmentEvent.reason.like("replaced by hand%"))
    ).one()
    assert event.actor_id == world.instructor.user_id
    page = client.get(response.headers["Location"])
    assert "now has the shift instead of" in page.text
    assert (
        session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                AuditEvent.action == "planning_assignment_replaced"
            )
        )
        == 2
    )


def test_exchanging_two_people_between_shifts_moves_both(client, session, login, planned):
    world, run, made = planned
    a, b, c = world.people
    mon, _later, tue = world.shifts
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/exchange",
        data={"assignment": made[(a.id, mon.id)].id, "other": made[(c.id, tue.id)].id},
    )
    assert response.status_code == 303
    assert _holders(session) == {(c.id, mon.id), (b.id, mon.id), (a.id, tue.id)}
    run = session.get(MatchingRun, run.id)
    assert {(r["participant"], r["shift"]) for r in run.result["assignments"]} == {
        (str(c.id), str(mon.id)),
        (str(b.id), str(mon.id)),
        (str(a.id), str(tue.id)),
    }


def test_exchange_is_checked_after_both_leave_their_shifts(client, session, login, planned):
    """A may work one day a week: moving A to Tuesday while still on Monday would break
    that, but as one exchange A leaves Monday first."""
    world, run, made = planned
    a, _b, c = world.people
    mon, _later, tue = world.shifts
    a.plans[0].days_per_week = 1
    session.commit()
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/exchange",
        data={"assignment": made[(a.id, mon.id)].id, "other": made[(c.id, tue.id)].id},
    )
    assert response.status_code == 303
    assert (a.id, tue.id) in _holders(session)


def test_exchange_refused_by_one_half_changes_nothing_and_says_why(client, session, login, planned):
    world, run, made = planned
    a, _b, c = world.people
    mon, _later, tue = world.shifts
    session.add(DayAway(user_id=c.user_id, day=WEEK))  # C is away on Monday
    session.commit()
    before = _holders(session)
    ids = {a.id for a in _proposed(session)}
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/exchange",
        data={"assignment": made[(a.id, mon.id)].id, "other": made[(c.id, tue.id)].id},
    )
    assert response.status_code == 422
    name = f"{c.user.first_name} {c.user.last_name}"
    assert f"{name} cannot take the shift" in response.text
    assert f"{name} is away on" in response.text
    assert "nothing was changed" in response.text
    assert _holders(session) == before
    assert {a.id for a in _proposed(session)} == ids


def test_replacement_that_would_overlap_another_shift_is_refused(client, session, login, planned):
    world, run, made = planned
    a, _b, c = world.people
    mon, later, _tue = world.shifts
    extra = factories.make_assignment(later, c, AssignmentStatus.PROPOSED)
    session.commit()
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/replace",
        data={"assignment": made[(a.id, mon.id)].id, "participant": c.id},
    )
    assert response.status_code == 422
    assert "has another shift at that time" in response.text
    assert "to get there: Mon, 3/9 10:00–14:00" in response.text  # the clashing shift
    session.expire_all()
    assert session.get(Assignment, made[(a.id, mon.id)].id) is not None
    assert session.get(Assignment, extra.id).participant_id == c.id


def test_replacing_with_someone_already_on_the_shift_is_refused(client, session, login, planned):
    world, run, made = planned
    a, b, _c = world.people
    mon = world.shifts[0]
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/replace",
        data={"assignment": made[(a.id, mon.id)].id, "participant": b.id},
    )
    assert response.status_code == 422
    assert "is already on this shift" in response.text
    assert session.get(Assignment, made[(a.id, mon.id)].id) is not None


def test_an_offered_shift_cannot_be_swapped_on_the_board(client, session, login, planned):
    world, run, made = planned
    a, _b, c = world.people
    mon, _later, tue = world.shifts
    offered = made[(c.id, tue.id)]
    offered.status = AssignmentStatus.OFFERED
    session.commit()
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/exchange",
        data={"assignment": made[(a.id, mon.id)].id, "other": offered.id},
    )
    assert response.status_code == 409
    assert "already offered" in response.text
    session.expire_all()
    assert session.get(Assignment, offered.id).status == AssignmentStatus.OFFERED
    assert session.get(Assignment, made[(a.id, mon.id)].id) is not None


def test_exchanging_within_one_shift_is_422(client, session, login, planned):
    world, run, made = planned
    a, b, _c = world.people
    mon = world.shifts[0]
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/exchange",
        data={"assignment": made[(a.id, mon.id)].id, "other": made[(b.id, mon.id)].id},
    )
    assert response.status_code == 422
    assert "another shift" in response.text


def test_swapping_a_shift_of_another_group_is_not_found(client, session, login, planned):
    world, run, made = planned
    a = world.people[0]
    stranger = factories.make_assignment(status=AssignmentStatus.PROPOSED)
    session.commit()
    login(world.instructor.user)
    response = client.post(
        f"/planning/runs/{run.id}/exchange",
        data={"assignment": made[(a.id, world.shifts[0].id)].id, "other": stranger.id},
    )
    assert response.status_code == 404


def test_another_instructor_cannot_swap_on_the_board(client, session, login, planned):
    world, run, made = planned
    stranger = factories.make_instructor()
    session.commit()
    login(stranger.user)
    a, _b, c = world.people
    response = client.post(
        f"/planning/runs/{run.id}/replace",
        data={"assignment": made[(a.id, world.shifts[0].id)].id, "participant": c.id},
    )
    assert response.status_code == 404


def test_board_shows_translated_reasons_warnings_and_the_people_panel(
    client, session, login, planned
):
    world, run, _made = planned
    a, _b, _c = world.people
    a.instructor_confirms = True
    run.result = dict(run.result) | {
        "unfilled": [
            {
                "shift": str(world.shifts[1].id),
                "unfilled_slots": 2,
                "message": "English only",
                "reasons": [{"code": "day_away", "message": "English only", "count": 2}],
            }
        ],
        "warnings": [
            "An old plain warning.",
            {
                "code": "self_check_dropped",
                "params": {"dropped": 2},
                "text": "English only",
            },
        ],
    }
    session.commit()
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}")
    assert "2 participants are away that day." in page.text
    assert "An old plain warning." in page.text
    assert "The final check removed 2 proposals" in page.text
    assert "English only" not in page.text
    assert "People this week" in page.text
    assert "instructor confirms" in page.text
    assert "css/planning.css" in page.text
    # Fairness: everyone is below 12 h; C (4 h) and the rest are listed with their gap.
    assert "8 h below" in page.text


def test_publishing_confirms_directly_for_people_whose_instructor_confirms(
    client, session, login, planned
):
    world, run, made = planned
    a, _b, _c = world.people
    a.instructor_confirms = True
    session.commit()
    login(world.instructor.user)
    response = client.post(f"/planning/runs/{run.id}/publish", follow_redirects=True)
    assert "Published: 2 offers were sent and 1 shift was confirmed directly" in response.text
    session.expire_all()
    assert session.get(Assignment, made[(a.id, world.shifts[0].id)].id).status == (
        AssignmentStatus.CONFIRMED
    )


def test_people_panel_shows_pay_this_month_and_who_is_close_to_the_ceiling(
    client, session, login, planned
):
    world, run, _made = planned
    a, _b, _c = world.people
    a.plans[-1].monthly_earnings_ceiling_cents = 10000
    # 9 h at 10 € already confirmed earlier in March: 90 € of 100 €.
    factories.make_hour_entry(a, minutes=540, wage_cents_per_hour=1000, work_date=date(2026, 3, 2))
    session.commit()
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}").text
    assert "Pay this month" in page
    assert "close to the ceiling" in page


# ------------------------------------------------------------ why not…?


def _why_not(client, run, person, shift):
    return client.get(
        f"/planning/runs/{run.id}/why-not", query_string={"participant": person, "shift": shift}
    )


def _why_audits(session) -> list[AuditEvent]:
    return session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "planning_why_not_viewed")
    ).all()


def test_why_not_names_every_rule_that_stops_the_person_beside_the_shift(
    client, session, login, planned
):
    world, run, _made = planned
    _a, _b, c = world.people
    later = world.shifts[1]
    later.task.required_skills.append(factories.make_skill())
    session.add(DayAway(user_id=c.user_id, day=WEEK))  # C is away on Monday
    session.commit()
    login(world.instructor.user)
    page = _why_not(client, run, c.id, later.id)
    assert page.status_code == 200
    name = f"{c.user.first_name} {c.user.last_name}"
    assert f'id="why-{later.id}"' in page.text
    assert f"Why not {name}?" in page.text
    assert f"{name} is away on" in page.text
    assert f"{name} lacks the skill" in page.text
    # The form asked from the board keeps the person chosen, and its details stay open.
    assert f'<option value="{c.id}" selected>' in page.text
    assert 'class="why-not" open' in page.text
    [event] = _why_audits(session)
    assert event.participant_id == c.id
    assert event.actor_id == world.instructor.user_id
    assert event.detail == {"shift_id": later.id}


def test_why_not_says_who_holds_the_places_when_no_rule_stops_the_person(
    client, session, login, planned
):
    world, run, _made = planned
    a, _b, c = world.people
    tue = world.shifts[2]
    login(world.instructor.user)
    page = _why_not(client, run, a.id, tue.id)
    assert page.status_code == 200
    a_name = f"{a.user.first_name} {a.user.last_name}"
    c_name = f"{c.user.first_name} {c.user.last_name}"
    assert f"{a_name} could do this shift, but its slots went to {c_name}" in page.text
    # C had no hours before this shift; A already has 4 h: fairness chose C.
    assert "What spoke for the people chosen:" in page.text
    assert f"Fairness: {c_name} had fewer hours planned" in page.text
    assert [e.participant_id for e in _why_audits(session)] == [a.id]


def test_why_not_for_someone_on_the_shift_says_they_are_on_it(client, session, login, planned):
    world, run, _made = planned
    _a, _b, c = world.people
    login(world.instructor.user)
    page = _why_not(client, run, c.id, world.shifts[2].id)
    assert page.status_code == 200
    assert f"{c.user.first_name} {c.user.last_name} is already on this shift." in page.text


def test_why_not_for_a_person_outside_the_instructors_groups_is_not_found(
    client, session, login, planned
):
    world, run, _made = planned
    stranger = factories.make_participant()
    session.commit()
    login(world.instructor.user)
    assert _why_not(client, run, stranger.id, world.shifts[1].id).status_code == 404
    assert _why_audits(session) == []


def test_why_not_for_a_shift_of_another_group_is_not_found(client, session, login, planned):
    world, run, _made = planned
    other_shift = factories.make_shift()
    session.commit()
    login(world.instructor.user)
    assert _why_not(client, run, world.people[0].id, other_shift.id).status_code == 404


def test_why_not_for_a_person_of_the_instructors_other_group_is_422(
    client, session, login, planned
):
    world, run, _made = planned
    other_group = factories.make_group(world.instructor)
    elsewhere = factories.make_participant(other_group)
    session.commit()
    login(world.instructor.user)
    page = _why_not(client, run, elsewhere.id, world.shifts[1].id)
    assert page.status_code == 422
    assert "Choose a participant of the group." in page.text
    assert _why_audits(session) == []


@pytest.mark.parametrize(
    "query",
    [
        {"participant": "abc", "shift": "1"},
        {"participant": "1"},
        {"participant": "0", "shift": "1"},
        {"participant": "99999999999", "shift": "1"},
        {},
    ],
)
def test_why_not_with_bad_input_is_422_and_writes_nothing(client, session, login, planned, query):
    world, run, _made = planned
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}/why-not", query_string=query)
    assert page.status_code == 422
    assert "Choose a" in page.text
    assert _why_audits(session) == []


def test_another_instructor_cannot_ask_why_not(client, session, login, planned):
    world, run, _made = planned
    stranger = factories.make_instructor()
    session.commit()
    login(stranger.user)
    assert _why_not(client, run, world.people[0].id, world.shifts[1].id).status_code == 404


def test_every_open_shift_offers_a_why_not_form(client, session, login, planned):
    world, run, _made = planned
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}").text
    later = world.shifts[1]
    assert f'action="/planning/runs/{run.id}/why-not#why-{later.id}"' in page
    assert f'<label for="why-person-{later.id}">Why is this person not on the shift?</label>' in (
        page
    )


def test_publishing_first_shows_what_will_happen_and_changes_nothing(app, client, session, login):
    world = make_world()
    run = _done_run(app, session, world)
    count = len(_proposed(session))
    login(world.instructor.user)

    page = client.get(f"/planning/runs/{run.id}/publish?lang=en").get_data(as_text=True)

    assert "What happens now" in page
    assert f"{count} shifts are offered to the people proposed for them." in page
    assert len(_proposed(session)) == count  # nothing published yet


def _double_booked_world(session):
    """The group's instructor is on site at a Monday 9–13 shift of another of the
    group's tasks, at another address, at the same time as the world's Monday shifts."""
    world = make_world()
    elsewhere = factories.make_task(
        group=world.group,
        status=TaskStatus.SCHEDULED,
        headcount=1,
        site_address="Toinen katu 99",
    )
    clash = factories.make_shift(elsewhere, starts_at=at(0, 9), instructor=world.instructor)
    session.commit()
    return world, clash


def test_board_warns_when_the_instructor_is_booked_at_two_sites(app, client, session, login):
    world, _clash = _double_booked_world(session)
    run = _done_run(app, session, world)
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}")
    assert "is also on a shift at another site" in page.text


def test_board_warning_goes_away_when_the_clash_is_cancelled_after_the_run(
    app, client, session, login
):
    world, clash = _double_booked_world(session)
    run = _done_run(app, session, world)
    cancel_shifts(session, [session.get(Shift, clash.id)], reason="The unit called it off.")
    session.commit()
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}")
    assert page.status_code == 200
    assert "is also on a shift at another site" not in page.text
    assert "No warnings." in page.text


def test_people_panel_shows_hours_over_the_weekly_target(client, session, login, planned):
    world, run, _made = planned
    a = world.people[0]
    a.plans[0].weekly_target_minutes = 60  # A is planned 4 h on Monday
    session.commit()
    login(world.instructor.user)
    page = client.get(f"/planning/runs/{run.id}")
    assert "3 h over" in page.text
