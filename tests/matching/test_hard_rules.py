"""One test per hard rule: the rule alone decides whether a person gets the shift.
Each test also shows the baseline (without the obstacle the person is assigned),
so the rule is seen to bind."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jobcenter.matching.engine import solve
from jobcenter.matching.explain import explain_pair
from jobcenter.matching.model import LockedAssignment, NoticeCode, ReasonCode
from tests.matching.builders import at, instance, person, shift
from tests.matching.checker import violations


def roster(inst) -> set[tuple[str, str]]:
    solution = solve(inst, time_limit=10)
    pairs = {(a.participant, a.shift) for a in solution.assignments}
    assert violations(inst, pairs) == []
    return pairs


def refused_for(inst, pid: str, sid: str) -> set[ReasonCode]:
    solution = solve(inst, time_limit=10)
    assert (pid, sid) not in solution.pairs()
    return {r.code for r in explain_pair(inst, solution, pid, sid)}


def test_a_person_who_fits_gets_the_shift():
    assert roster(instance()) == {("p1", "s1")}


def test_required_skill_binds():
    inst = instance(shifts=[shift(required_skills=frozenset({"window_washing"}))])
    assert roster(inst) == {("p1", "s1")}
    lacking = instance(
        participants=[person(skills=frozenset())],
        shifts=[shift(required_skills=frozenset({"window_washing"}))],
    )
    assert refused_for(lacking, "p1", "s1") == {ReasonCode.SKILLS}


def test_availability_window_binds():
    narrow = tuple(w for w in person().availability if w.weekday != 0)
    assert refused_for(instance(participants=[person(availability=narrow)]), "p1", "s1") == {
        ReasonCode.AVAILABILITY
    }
    ends_early = tuple(replace(w, end=w.end.replace(hour=13)) for w in person().availability)
    assert refused_for(instance(participants=[person(availability=ends_early)]), "p1", "s1") == {
        ReasonCode.AVAILABILITY
    }


def test_plan_dates_bind():
    later = person(plan_start=at(1, 0).date())
    assert refused_for(instance(participants=[later]), "p1", "s1") == {ReasonCode.PLAN_DATES}


def test_a_day_away_binds():
    away = person(days_away=frozenset({at(0, 0).date()}))
    assert refused_for(instance(participants=[away]), "p1", "s1") == {ReasonCode.DAY_AWAY}


def test_avoided_task_kind_binds():
    avoids = person(avoided_kinds=frozenset({"cleaning"}))
    assert refused_for(instance(participants=[avoids]), "p1", "s1") == {ReasonCode.AVOIDED_KIND}


def test_public_holiday_binds_unless_both_task_and_person_work_on_holidays():
    may_day = shift(start=at(4, 10), end=at(4, 14))
    assert refused_for(instance(shifts=[may_day]), "p1", "s1") == {ReasonCode.HOLIDAY}
    task_ok = replace(may_day, holiday_work_allowed=True)
    assert refused_for(instance(shifts=[task_ok]), "p1", "s1") == {ReasonCode.HOLIDAY}
    both = instance(participants=[person(works_on_holidays=True)], shifts=[task_ok])
    assert roster(both) == {("p1", "s1")}


def test_supervision_level_two_needs_an_instructor_on_site():
    needs = person(supervision_level=2)
    assert refused_for(instance(participants=[needs]), "p1", "s1") == {ReasonCode.SUPERVISION}
    with_instructor = instance(participants=[needs], shifts=[shift(instructor="ins1")])
    assert roster(with_instructor) == {("p1", "s1")}


def test_site_supervision_covers_level_one_but_not_level_two():
    level1 = person(supervision_level=1, instructor=None)
    assert refused_for(instance(participants=[level1]), "p1", "s1") == {ReasonCode.SUPERVISION}
    site = shift(site_supervision=True)
    assert roster(instance(participants=[level1], shifts=[site])) == {("p1", "s1")}
    level2 = person(supervision_level=2)
    assert refused_for(instance(participants=[level2], shifts=[site]), "p1", "s1") == {
        ReasonCode.SUPERVISION
    }


def test_level_one_is_covered_by_their_own_instructor_being_reachable():
    level1 = person(supervision_level=1, instructor="ins1")  # Anna works 8–16
    assert roster(instance(participants=[level1])) == {("p1", "s1")}
    evening = shift(start=at(0, 15), end=at(0, 18))
    assert refused_for(instance(participants=[level1], shifts=[evening]), "p1", "s1") == {
        ReasonCode.SUPERVISION
    }


def test_instructor_capacity_binds():
    people = [person(f"p{k}", supervision_level=2) for k in range(3)]
    full = instance(participants=people, shifts=[shift(slots=3, instructor="ins1")])  # K = 2
    assert len(roster(full)) == 2


def test_level_three_takes_the_instructors_whole_capacity():
    people = [person("p1", supervision_level=3), person("p2", supervision_level=2)]
    inst = instance(participants=people, shifts=[shift(slots=2, instructor="ins1")])
    assert len(roster(inst)) == 1
    # Level 0 people need no capacity and can join a one-to-one shift.
    people = [person("p1", supervision_level=3), person("p2", supervision_level=0)]
    inst = instance(participants=people, shifts=[shift(slots=2, instructor="ins1")])
    assert roster(inst) == {("p1", "s1"), ("p2", "s1")}


def test_capacity_is_shared_by_an_instructors_overlapping_shifts_at_one_site():
    people = [person(f"p{k}", supervision_level=2) for k in range(3)]
    shifts = [
        shift("s1", slots=3, instructor="ins1"),
        shift("s2", slots=3, instructor="ins1", start=at(0, 12), end=at(0, 16), task="other"),
    ]
    pairs = roster(instance(participants=people, shifts=shifts))
    assert len(pairs) == 2  # K = 2 at 12–14 when both run


def test_an_instructor_is_in_one_place_at_a_time():
    needs = person(supervision_level=2)
    shifts = [
        shift("s1", instructor="ins1"),
        shift("s2", instructor="ins1", site="centre", start=at(0, 11), end=at(0, 13)),
    ]
    inst = instance(participants=[needs], shifts=shifts)
    solution = solve(inst, time_limit=10)
    assert solution.assignments == ()
    assert {(w.code, w.params["shift"], w.params["instructor"]) for w in solution.warnings} == {
        (NoticeCode.INSTRUCTOR_DOUBLE_BOOKED, "s1", "ins1"),
        (NoticeCode.INSTRUCTOR_DOUBLE_BOOKED, "s2", "ins1"),
    }
    assert all("another site" in w.text for w in solution.warnings)
    assert {r.code for r in explain_pair(inst, solution, "p1", "s1")} == {ReasonCode.SUPERVISION}


def test_orientation_needs_an_instructor_on_site():
    newcomer = person(known_sites=frozenset({"centre"}))
    assert refused_for(instance(participants=[newcomer]), "p1", "s1") == {ReasonCode.ORIENTATION}
    solution = solve(instance(participants=[newcomer], shifts=[shift(instructor="ins1")]))
    assert [(a.participant, a.orientation) for a in solution.assignments] == [("p1", True)]


def test_an_orientation_takes_instructor_capacity():
    newcomers = [person(f"p{k}", known_kinds=frozenset()) for k in range(3)]
    inst = instance(participants=newcomers, shifts=[shift(slots=3, instructor="ins1")])
    assert len(roster(inst)) == 2


def test_overlapping_shifts_bind():
    shifts = [shift("s1"), shift("s2", start=at(0, 13), end=at(0, 16), task="other")]
    assert len(roster(instance(shifts=shifts))) == 1


def test_travel_time_between_sites_binds():
    back_to_back = [
        shift("s1", start=at(0, 8), end=at(0, 12)),
        shift("s2", site="centre", start=at(0, 12, 30), end=at(0, 15), task="other"),
    ]
    assert len(roster(instance(shifts=back_to_back))) == 1  # 35 min between districts
    later = [back_to_back[0], replace(back_to_back[1], start=at(0, 12, 35), end=at(0, 15))]
    assert len(roster(instance(shifts=later))) == 2
    same_site = [back_to_back[0], replace(back_to_back[1], site="library", start=at(0, 12))]
    assert len(roster(instance(shifts=same_site))) == 2


def test_hours_per_day_bind():
    shifts = [
        shift("s1", start=at(0, 8), end=at(0, 12)),
        shift("s2", start=at(0, 13), end=at(0, 17), task="other"),
    ]
    assert len(roster(instance(shifts=shifts))) == 2
    short_days = person(max_minutes_per_day=300)
    assert len(roster(instance(participants=[short_days], shifts=shifts))) == 1


def test_days_per_week_bind():
    shifts = [shift(f"s{d}", start=at(d, 10), end=at(d, 12), task=f"t{d}") for d in range(3)]
    assert len(roster(instance(shifts=shifts))) == 3
    two_days = person(max_days_per_week=2)
    assert len(roster(instance(participants=[two_days], shifts=shifts))) == 2


def test_hours_per_week_bind():
    shifts = [shift(f"s{d}", start=at(d, 10), end=at(d, 14), task=f"t{d}") for d in range(3)]
    limited = person(max_minutes_per_week=600)
    assert len(roster(instance(participants=[limited], shifts=shifts))) == 2


def test_monthly_earnings_ceiling_binds_paid_hours_only():
    near_ceiling = person(monthly_earnings_ceiling_cents=10000, earned_cents={"2026-04": 7000})
    paid = shift()  # 4 h × 10 €/h = 40 € > 30 € left
    assert refused_for(instance(participants=[near_ceiling], shifts=[paid]), "p1", "s1") == {
        ReasonCode.EARNINGS_CEILING
    }
    unpaid = shift(paid=False)
    assert roster(instance(participants=[near_ceiling], shifts=[unpaid])) == {("p1", "s1")}
    may = person(monthly_earnings_ceiling_cents=10000, earned_cents={"2026-04": 10000})
    in_may = shift(start=at(5, 10), end=at(5, 14))  # Saturday 2 May: May's own ceiling
    assert roster(instance(participants=[may], shifts=[in_may])) == {("p1", "s1")}


def test_slots_bind():
    people = [person("p1"), person("p2")]
    assert len(roster(instance(participants=people))) == 1
    assert len(roster(instance(participants=people, shifts=[shift(slots=2)]))) == 2


def test_commitments_outside_the_instance_block_time_and_count_toward_limits():
    from jobcenter.matching.model import Commitment

    busy = person(commitments=(Commitment(at(0, 9), at(0, 11), "library"),))
    assert refused_for(instance(participants=[busy]), "p1", "s1") == {ReasonCode.OVERLAP}
    elsewhere = person(
        max_minutes_per_week=300, commitments=(Commitment(at(1, 9), at(1, 11), "hall"),)
    )
    assert refused_for(instance(participants=[elsewhere]), "p1", "s1") == {ReasonCode.WEEKLY_HOURS}


def test_locked_assignments_stay_even_when_they_break_a_rule():
    no_skill = person(skills=frozenset())
    inst = instance(
        participants=[no_skill],
        shifts=[shift(required_skills=frozenset({"window_washing"}))],
        locked=(LockedAssignment("p1", "s1"),),
    )
    solution = solve(inst)
    assert [(a.participant, a.shift, a.locked) for a in solution.assignments] == [
        ("p1", "s1", True)
    ]


def test_more_locked_assignments_than_slots_stay_and_are_warned_about():
    inst = instance(
        participants=[person("p1"), person("p2")],
        locked=(LockedAssignment("p1", "s1"), LockedAssignment("p2", "s1")),
    )
    solution = solve(inst)
    assert solution.pairs() == {("p1", "s1"), ("p2", "s1")}
    [notice] = solution.warnings
    assert notice.code == NoticeCode.LOCKED_OVER_SLOTS
    assert notice.params == {"shift": "s1", "locked": 2, "slots": 1}
    assert notice.text == "shift s1: 2 locked assignments for 1 slots"


def test_locked_assignments_count_toward_limits():
    shifts = [shift("s1"), shift("s2", start=at(1, 10), end=at(1, 14), task="other")]
    limited = person(max_minutes_per_week=240)
    inst = instance(participants=[limited], shifts=shifts, locked=(LockedAssignment("p1", "s2"),))
    assert roster(inst) == {("p1", "s2")}
    assert refused_for(inst, "p1", "s1") == {ReasonCode.WEEKLY_HOURS}


@pytest.mark.parametrize("level", [2, 3])
def test_a_locked_supervised_person_uses_instructor_capacity(level):
    people = [person("p1", supervision_level=level), person("p2", supervision_level=2)]
    inst = instance(
        participants=people,
        shifts=[shift(slots=2, instructor="ins1")],
        instructors=(replace(instance().instructors[0], capacity=2 if level == 3 else 1),),
        locked=(LockedAssignment("p1", "s1"),),
    )
    assert roster(inst) == {("p1", "s1")}
