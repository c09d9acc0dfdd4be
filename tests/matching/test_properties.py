"""Properties of the engine on generated instances, judged by the independent checker."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from jobcenter.matching.engine import solve
from tests.matching.checker import pair_problems, slot_minutes, violations
from tests.matching.strategies import instances

PROFILE = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _roster(solution) -> set[tuple[str, str]]:
    return {(a.participant, a.shift) for a in solution.assignments}


@PROFILE
@given(instances())
def test_every_roster_keeps_every_hard_rule(instance):
    solution = solve(instance, time_limit=10)
    assert violations(instance, _roster(solution)) == []


@PROFILE
@given(instances())
def test_greedy_tier_keeps_every_hard_rule(instance):
    solution = solve(instance, exact=False)
    assert violations(instance, _roster(solution)) == []


@PROFILE
@given(instances())
def test_no_open_slot_could_be_filled_by_simply_adding_someone(instance):
    solution = solve(instance, time_limit=10)
    roster = _roster(solution)
    for shift in instance.shifts:
        on_shift = {p for p, s in roster if s == shift.id}
        if len(on_shift) >= shift.slots:
            continue
        for person in instance.participants:
            if person.id in on_shift:
                continue
            assert violations(instance, roster | {(person.id, shift.id)}), (person.id, shift.id)


def _brute_force_best(instance) -> int:
    """The most slot-minutes any valid roster reaches, by exhaustive search (every
    rule is monotone: adding an assignment never repairs a broken rule)."""
    locked = {(lk.participant, lk.shift) for lk in instance.locked}
    pairs = [
        (p.id, s.id)
        for s in instance.shifts
        for p in instance.participants
        if (p.id, s.id) not in locked and not pair_problems(instance, p, s)
    ]
    pairs = [pr for pr in pairs if not violations(instance, locked | {pr})]
    best = slot_minutes(instance, locked)

    def search(i: int, chosen: set) -> None:
        nonlocal best
        best = max(best, slot_minutes(instance, chosen))
        for j in range(i, len(pairs)):
            trial = chosen | {pairs[j]}
            if not violations(instance, trial):
                search(j + 1, trial)

    search(0, set(locked))
    return best


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(instances(max_participants=3, max_shifts=4))
def test_small_instances_reach_the_brute_force_optimum_of_slot_hours(instance):
    solution = solve(instance, time_limit=10, explain=False)
    assert solution.slot_minutes == _brute_force_best(instance)
    assert solution.proven_optimal


@settings(
    max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(instances())
def test_the_same_instance_gives_the_same_roster(instance):
    first = solve(instance, time_limit=10)
    second = solve(instance, time_limit=10)
    assert first.assignments == second.assignments
    assert [u.as_dict() for u in first.unfilled] == [u.as_dict() for u in second.unfilled]


@settings(
    max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(instances())
def test_every_unfilled_slot_is_explained_with_counts_that_add_up(instance):
    solution = solve(instance, time_limit=10)
    roster = _roster(solution)
    explained = {u.shift: u for u in solution.unfilled}
    for shift in instance.shifts:
        filled = sum(1 for _p, s in roster if s == shift.id)
        if filled >= shift.slots:
            assert shift.id not in explained
            continue
        explanation = explained[shift.id]
        assert explanation.unfilled_slots == shift.slots - filled
        counted = sum(r.count for r in explanation.reasons)
        assert counted == len(instance.participants) - filled
        assert all(r.code != "could_be_added" for r in explanation.reasons)
