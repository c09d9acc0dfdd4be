"""The lexicographic stages report proven bounds that hold.

Large weeks take a different path than small ones: the later stages (fairness;
continuity, preferences and travel) get their bound from an LP whose objective is
tie-broken with slot-minutes, and their rosters from RINS and neighbourhood
sub-MIPs. The tests force that path on small instances by lowering the size
thresholds, and compare with the exact branch-and-bound of the small path."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from bench.generate import generate
from jobcenter.matching import milp
from jobcenter.matching.engine import solve
from jobcenter.matching.model import Commitment
from jobcenter.matching.rules import Context, candidate_matrix, failure_matrices
from tests.matching.builders import at, instance, person, shift
from tests.matching.checker import violations
from tests.matching.strategies import instances

LATER = ("fairness", "continuity_preferences_travel")


@pytest.fixture
def large_week_path(monkeypatch):
    """Make every instance take the path the engine uses for large weeks."""
    monkeypatch.setattr(milp, "FULL_MIP_MAX_COLUMNS", 0)
    monkeypatch.setattr(milp, "FULL_MIP_LATER_STAGES_MAX_COLUMNS", 0)


def _stages(solution) -> dict:
    return {s.name: s for s in solution.stages}


def _assert_bounds_hold(solution) -> None:
    for name in ("slot_minutes", *LATER):
        stage = _stages(solution).get(name)
        if stage is None or stage.status == "skipped" or stage.bound is None:
            continue
        assert stage.value <= stage.bound + 1e-6 * max(1.0, abs(stage.bound)), stage


@settings(
    max_examples=30, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(instances())
def test_every_stage_value_is_within_its_proven_bound(instance):
    _assert_bounds_hold(solve(instance, time_limit=10, explain=False))


def test_the_large_week_path_bounds_the_exact_optimum_of_every_later_stage(large_week_path):
    week = generate("S")
    with pytest.MonkeyPatch.context() as exact_path:
        exact_path.setattr(milp, "FULL_MIP_MAX_COLUMNS", 40_000)
        exact_path.setattr(milp, "FULL_MIP_LATER_STAGES_MAX_COLUMNS", 5_000)
        exact = solve(week, time_limit=30, explain=False)
    assert all(_stages(exact)[n].status == "optimal" for n in ("slot_minutes", *LATER))

    large = solve(week, time_limit=30, explain=False)
    assert violations(week, large.pairs()) == []
    _assert_bounds_hold(large)
    # Same slot-minutes, so the large path's fairness bound covers the exact optimum.
    assert large.slot_minutes == exact.slot_minutes
    fairness = _stages(large)["fairness"]
    assert fairness.bound is not None
    assert _stages(exact)["fairness"].value <= fairness.bound + 1e-6 * fairness.bound


@settings(
    max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(instances())
def test_the_large_week_path_keeps_every_hard_rule_and_valid_bounds(instance):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(milp, "FULL_MIP_MAX_COLUMNS", 0)
        mp.setattr(milp, "FULL_MIP_LATER_STAGES_MAX_COLUMNS", 0)
        solution = solve(instance, time_limit=10, explain=False)
    assert violations(instance, solution.pairs()) == []
    _assert_bounds_hold(solution)


def test_the_same_week_gives_the_same_roster_on_the_large_week_path(large_week_path):
    week = generate("S")
    first = solve(week, time_limit=30, explain=False)
    second = solve(week, time_limit=30, explain=False)
    assert first.assignments == second.assignments


def test_replacement_search_gives_a_shift_to_whoever_is_furthest_below_target():
    busy = person("p1", commitments=(Commitment(at(1, 8), at(1, 16), "library"),))
    idle = person("p2")
    week = instance(participants=[busy, idle], shifts=[shift("s1")])
    ctx = Context(week)
    pp, ps = np.nonzero(candidate_matrix(failure_matrices(ctx), ctx))
    model = milp.Milp(ctx, pp, ps)
    start = model.full_vector((pp == ctx.p_index["p1"]).astype(float))
    fairness = model.fairness_costs()

    better = model._replacements(fairness, start, deadline=float("inf"), fairness=True)

    on_shift = {ctx.participants[int(pp[j])].id for j in np.flatnonzero(better[: model.n_x])}
    assert on_shift == {"p2"}
    assert fairness @ better > fairness @ start


def _model_with(week, roster: dict[str, str]):
    """The model of `week` and a start vector with each person on their shift."""
    ctx = Context(week)
    pp, ps = np.nonzero(candidate_matrix(failure_matrices(ctx), ctx))
    model = milp.Milp(ctx, pp, ps)
    x = np.zeros(model.n_x)
    for pid, sid in roster.items():
        x[(pp == ctx.p_index[pid]) & (ps == ctx.s_index[sid])] = 1.0
    return ctx, model, model.full_vector(x)


def _roster(ctx, model, vec) -> dict[str, str]:
    return {
        ctx.participants[int(model.pp[j])].id: ctx.shifts[int(model.ps[j])].id
        for j in np.flatnonzero(vec[: model.n_x] > 0.5)
    }


def test_exchange_search_gives_a_task_back_to_the_person_who_did_it_before():
    week = instance(
        participants=[person("p1"), person("p2")],
        shifts=[shift("sA"), shift("sB", task="task-sB")],
        previous_assignees={"task-sA": frozenset({"p1"})},
    )
    ctx, model, start = _model_with(week, {"p1": "sB", "p2": "sA"})
    points = model.pair_costs()

    better = model._exchanges(points, start, deadline=float("inf"), fairness=False)

    assert _roster(ctx, model, better) == {"p1": "sA", "p2": "sB"}
    assert points @ better >= points @ start + milp.CONTINUITY_POINTS


def test_exchange_search_gives_the_longer_shift_to_whoever_is_further_below_target():
    week = instance(
        participants=[
            person("p1", weekly_target_minutes=360),
            person("p2", weekly_target_minutes=120),
        ],
        shifts=[shift("long", end=at(0, 16)), shift("short", end=at(0, 12))],
    )
    ctx, model, start = _model_with(week, {"p1": "short", "p2": "long"})
    fairness = model.fairness_costs()

    better = model._exchanges(fairness, start, deadline=float("inf"), fairness=True)

    assert _roster(ctx, model, better) == {"p1": "long", "p2": "short"}
    assert fairness @ better > fairness @ start
