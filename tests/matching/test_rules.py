"""The engine's two evaluations of the pair rules (one pair at a time for
explanations, all pairs at once for speed) agree, and the checker agrees with them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from jobcenter.matching.milp import largest_subset_sum
from jobcenter.matching.rules import PAIR_RULE_ORDER, Context, failure_matrices
from tests.matching.checker import pair_problems
from tests.matching.strategies import instances


@settings(
    max_examples=80, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(instances())
def test_vectorised_and_single_pair_rules_agree(instance):
    ctx = Context(instance)
    matrices = failure_matrices(ctx)
    for p in range(ctx.nP):
        for s in range(ctx.nS):
            single = {code for code, _ in ctx.pair_failures(p, s)}
            vector = {code for code in PAIR_RULE_ORDER if matrices[code][p, s]}
            assert single == vector
            independent = pair_problems(instance, ctx.participants[p], ctx.shifts[s])
            assert bool(single) == bool(independent)


def test_largest_subset_sum_tightens_a_limit_to_what_shifts_can_reach():
    assert largest_subset_sum([240, 240, 240], 600) == 480
    assert largest_subset_sum([180, 240], 600) == 420
    assert largest_subset_sum([180, 180, 240], 600) == 600
    assert largest_subset_sum([300], 200) == 0
    assert largest_subset_sum([60], -5) == 0
