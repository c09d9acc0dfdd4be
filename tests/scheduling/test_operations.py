"""Task changes reach future shifts; cancelling a task cancels them and tells people once."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.notifications.models import OutboxMessage
from jobcenter.scheduling import operations
from jobcenter.scheduling.models import AssignmentEvent, AssignmentStatus, Shift, ShiftStatus
from jobcenter.units import lifecycle
from jobcenter.units.posting import update_task
from tests import factories
from tests.scheduling.conftest import LATER, shift_on

A = AssignmentStatus
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def task_dates() -> list[str]:
    return ["2026-03-03", "2026-03-04", "2026-03-10", "2026-03-11", "2026-03-12"]


def snapshot(shift: Shift) -> tuple:
    return (shift.starts_at, shift.ends_at, shift.slots, shift.sequence, shift.status)


def person(email: str | None = None, **kw):
    return factories.make_participant(email=email, **kw)


def notices(session) -> list[OutboxMessage]:
    return list(session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


# ---------------------------------------------------------------- change propagation


def test_time_change_moves_an_unpeopled_future_shift_and_bumps_its_sequence(session, task, contact):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        factories.make_assignment(shift, person(), status=A.PROPOSED)
        change = update_task(session, task, actor=contact, values={"preferred_start": "10:30"})
    assert clock.to_local(shift.starts_at).time() == time(10, 30)
    assert shift.ends_at - shift.starts_at == timedelta(hours=4)
    assert shift.sequence == 1
    assert not shift.needs_review
    assert shift.id in change.shifts.updated


def test_a_future_shift_with_people_is_flagged_and_not_changed(session, task, contact):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 11)
        factories.make_assignment(shift, person(), status=A.CONFIRMED)
        before = snapshot(shift)
        change = update_task(
            session, task, actor=contact, values={"preferred_start": "10:30", "headcount": "4"}
        )
    assert snapshot(shift) == before
    assert shift.needs_review is True
    assert change.shifts.flagged == [shift.id]


@pytest.mark.parametrize("status", [A.ACCEPTED, A.CONFIRMED])
def test_accepted_or_confirmed_people_both_count_as_people(session, task, contact, status):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 12)
        factories.make_assignment(shift, person(), status=status)
        update_task(session, task, actor=contact, values={"shift_minutes": "180"})
    assert shift.needs_review is True
    assert shift.ends_at - shift.starts_at == timedelta(hours=4)


def test_past_shifts_are_untouched(session, task, contact):
    with clock.frozen(LATER):
        past = shift_on(session, task, 4)
        before = snapshot(past)
        update_task(
            session, task, actor=contact, values={"preferred_start": "12:00", "headcount": "5"}
        )
    assert snapshot(past) == before
    assert past.needs_review is False


def test_headcount_change_updates_the_slots(session, task, contact):
    with clock.frozen(LATER):
        update_task(session, task, actor=contact, values={"headcount": "5"})
        assert {shift_on(session, task, d).slots for d in (10, 11, 12)} == {5}
        assert shift_on(session, task, 3).slots == 2


def test_site_change_bumps_the_sequence_of_future_shifts(session, task, contact):
    with clock.frozen(LATER):
        update_task(session, task, actor=contact, values={"site_address": "Toinen katu 5"})
        assert shift_on(session, task, 10).sequence == 1
        assert shift_on(session, task, 3).sequence == 0


def test_site_supervision_change_reassigns_the_instructor(session, task, contact):
    with clock.frozen(LATER):
        update_task(session, task, actor=contact, values={"site_supervision": "on"})
        shift = shift_on(session, task, 10)
    assert (shift.supervision_needed, shift.instructor_id) == (1, None)


def test_a_removed_day_cancels_its_unpeopled_shift_and_flags_a_peopled_one(session, task, contact):
    with clock.frozen(LATER):
        kept = shift_on(session, task, 10)
        peopled = shift_on(session, task, 11)
        emptied = shift_on(session, task, 12)
        factories.make_assignment(peopled, person(), status=A.CONFIRMED)
        change = update_task(
            session,
            task,
            actor=contact,
            values={"dates": ["2026-03-03", "2026-03-04", "2026-03-10", "2026-03-19"]},
        )
        new = shift_on(session, task, 19)
    assert emptied.status == ShiftStatus.CANCELLED
    assert emptied.sequence == 1
    assert peopled.status == ShiftStatus.PLANNED
    assert peopled.needs_review
    assert kept.status == ShiftStatus.PLANNED
    assert kept.sequence == 0
    assert change.shifts.cancelled == [emptied.id]
    assert change.shifts.created == 1
    assert new.status == ShiftStatus.PLANNED


def test_an_unrelated_change_leaves_shifts_alone(session, task, contact):
    with clock.frozen(LATER):
        shift = shift_on(session, task, 10)
        before = snapshot(shift)
        change = update_task(session, task, actor=contact, values={"description": "Uusi kuvaus"})
    assert change.shifts is None
    assert snapshot(shift) == before


def test_a_new_title_bumps_the_calendar_sequence_of_future_shifts_without_a_notice(
    session, task, contact, group
):
    with clock.frozen(LATER):
        empty, peopled = shift_on(session, task, 10), shift_on(session, task, 11)
        factories.make_assignment(peopled, person("anna@example.test", group=group), A.CONFIRMED)
        before = (empty.sequence, peopled.sequence)
        queued = len(notices(session))
        update_task(session, task, actor=contact, values={"title": "Ikkunat ja ovet"})

    assert (empty.sequence, peopled.sequence) == (before[0] + 1, before[1] + 1)
    assert (empty.starts_at, peopled.needs_review) == (snapshot(empty)[0], False)
    assert len(notices(session)) == queued


# ---------------------------------------------------------------- cancellation


@pytest.fixture
def crew(session, task, group):
    """People on the task's future shifts of 10.3. and 11.3."""
    with clock.frozen(LATER):
        s10, s11 = shift_on(session, task, 10), shift_on(session, task, 11)
        anna = person("anna@example.test", group=group)  # on both shifts
        bea = person("bea@example.test", group=group)  # offered only
        cai = person(None, group=group)  # no e-mail
        dan = person("dan@example.test", group=group)  # only proposed: never told
        factories.make_assignment(s10, anna, status=A.CONFIRMED)
        factories.make_assignment(s11, anna, status=A.ACCEPTED)
        factories.make_assignment(s10, bea, status=A.OFFERED)
        factories.make_assignment(s11, cai, status=A.CONFIRMED)
        factories.make_assignment(s11, dan, status=A.PROPOSED)
        past = shift_on(session, task, 4)
        factories.make_assignment(past, anna, status=A.ATTENDED)
    return {"anna": anna, "bea": bea, "cai": cai, "dan": dan}


def test_cancelling_a_task_cancels_its_future_shifts_with_the_reason(session, task, contact, crew):
    with clock.frozen(LATER):
        lifecycle.cancel(session, task, contact, "Vesivahinko.")
        future = [shift_on(session, task, d) for d in (10, 11, 12)]
        past = shift_on(session, task, 4)
    assert {(s.status, s.cancel_reason, s.sequence) for s in future} == {
        (ShiftStatus.CANCELLED, "Vesivahinko.", 1)
    }
    assert (past.status, past.sequence) == (ShiftStatus.PLANNED, 0)
    assert past.assignments[0].status == A.ATTENDED


def test_cancelling_a_task_cancels_the_assignments_with_history(session, task, contact, crew):
    with clock.frozen(LATER):
        lifecycle.cancel(session, task, contact, "Vesivahinko.")
        future = [shift_on(session, task, d) for d in (10, 11)]
    assert {a.status for s in future for a in s.assignments} == {A.CANCELLED}
    events = session.scalars(
        sa.select(AssignmentEvent).where(AssignmentEvent.to_status == A.CANCELLED)
    ).all()
    assert len(events) == 5
    assert {(e.actor_id, e.reason) for e in events} == {(contact.id, "Vesivahinko.")}


def test_cancelling_queues_one_notice_per_person(session, task, contact, group, crew):
    with clock.frozen(LATER):
        lifecycle.cancel(session, task, contact, "Vesivahinko.")
    sent_to = sorted(m.to_address for m in notices(session) if m.kind == "shifts_cancelled")
    assert sent_to == sorted(["anna@example.test", "bea@example.test", group.instructor.user.email])
    anna_notice = next(m for m in notices(session) if m.to_address == "anna@example.test")
    assert "These shifts are cancelled" in anna_notice.body
    assert "Vesivahinko." in anna_notice.body


def test_cancel_logic_running_again_queues_nothing_twice(session, task, contact, crew):
    with clock.frozen(LATER):
        lifecycle.cancel(session, task, contact, "Vesivahinko.")
        session.commit()
        count = len(notices(session))
        again = operations.cancel_task_shifts(session, task, reason="Vesivahinko.", actor=contact)
        # Even if the shifts were somehow planned again, the same notices are not re-queued.
        for day in (10, 11, 12):
            shift_on(session, task, day).status = ShiftStatus.PLANNED
        for shift in (shift_on(session, task, d) for d in (10, 11)):
            for assignment in shift.assignments:
                assignment.status = assignment.events[-1].from_status
        session.flush()
        third = operations.cancel_task_shifts(session, task, reason="Vesivahinko.", actor=contact)
    assert (again.shifts, again.notices) == ([], 0)
    assert third.notices == 0
    assert len(third.shifts) == 3
    assert len(notices(session)) == count


def test_an_instructors_own_notice_says_to_tell_the_others(session, task, contact, group, crew):
    with clock.frozen(LATER):
        lifecycle.cancel(session, task, contact, "Vesivahinko.")
    [notice] = [m for m in notices(session) if m.to_address == group.instructor.user.email]
    assert "Tell the others yourself" in notice.body


# ---------------------------------------------------------------- future vs not over


def test_a_shift_under_way_is_no_longer_future_but_not_over_either(session, task):
    under_way = shift_on(session, task, 10)
    with clock.frozen(under_way.starts_at + timedelta(minutes=30)):
        future = operations.future_shifts(session, task)
        not_over = lifecycle.shifts_not_over(session, task)
    assert [clock.to_local(s.starts_at).day for s in future] == [11, 12]
    assert [clock.to_local(s.starts_at).day for s in not_over] == [10, 11, 12]


def test_cancelling_a_task_leaves_the_shift_under_way_as_it_is(session, task, contact):
    under_way = shift_on(session, task, 10)
    with clock.frozen(under_way.starts_at + timedelta(minutes=30)):
        lifecycle.cancel(session, task, contact, "Vesivahinko.")
        later = [shift_on(session, task, d) for d in (11, 12)]
    assert under_way.status == ShiftStatus.PLANNED
    assert {s.status for s in later} == {ShiftStatus.CANCELLED}


def test_a_shift_ends_the_not_over_list_at_its_last_minute(session, task):
    last = shift_on(session, task, 12)
    with clock.frozen(last.ends_at - timedelta(minutes=1)):
        assert lifecycle.shifts_not_over(session, task) == [last]
        assert operations.future_shifts(session, task) == []
    with clock.frozen(last.ends_at):
        assert lifecycle.shifts_not_over(session, task) == []
