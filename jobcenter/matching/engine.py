"""``solve(instance) -> Solution``: the matching engine's one entry point.

1. Index the instance and evaluate every pair rule for all pairs at once
   (:mod:`rules`); pairs that no rule excludes on its own are the candidates.
2. Fast tier: the scarcity-first greedy (:mod:`greedy`) — an answer in well under
   a second, and the warm start of
3. the exact tier: the lexicographic MILP in HiGHS (:mod:`milp`), stage 1 proving
   the maximum of filled slot-minutes, then fairness, then continuity, preferences
   and travel.
4. The engine re-checks the final roster against every rule (an exact integer
   check, so solver tolerances can never let a violation through) and explains
   every unfilled slot (:mod:`explain`).

Deterministic: inputs are sorted by id, the greedy breaks ties by id, HiGHS runs
single-threaded with a fixed seed. A stage that reaches its time limit keeps its
best roster so far; only then can the roster depend on machine speed.
"""

from __future__ import annotations

import time

import numpy as np

from .explain import explain_unfilled
from .greedy import lp_guided, scarcity_first
from .model import Instance, Notice, NoticeCode, Proposal, Solution, Stage
from .rules import Context, PlanState, candidate_matrix, failure_matrices

DEFAULT_TIME_LIMIT = 60.0
# Share of the time left that each stage may use when it starts.
STAGE_BUDGETS = (0.3, 0.55, 1.0)


def solve(
    instance: Instance | Context,
    time_limit: float = DEFAULT_TIME_LIMIT,
    exact: bool = True,
    explain: bool = True,
) -> Solution:
    """Propose a roster for ``instance``.

    ``time_limit`` bounds the whole run in seconds (the greedy answer is always
    there); ``exact=False`` returns the greedy tier alone."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    # Keep a little time for the final check and the explanations.
    deadline = started + max(0.1, 0.97 * time_limit - 0.3)
    ctx = instance if isinstance(instance, Context) else Context(instance)
    failures = failure_matrices(ctx)
    ok = candidate_matrix(failures, ctx)
    greedy_state = scarcity_first(ctx, ok)
    greedy_seconds = time.perf_counter() - started
    greedy_cpu = time.process_time() - cpu_started
    greedy_minutes = _slot_minutes(ctx, greedy_state.pairs)
    trivial_bound = _trivial_bound(ctx, ok)
    stages = [
        Stage(
            "greedy",
            "greedy",
            float(greedy_minutes),
            float(trivial_bound),
            greedy_seconds,
            greedy_cpu,
        )
    ]
    pp, ps = np.nonzero(ok)
    chosen = greedy_state.pairs
    tier, proven, bound = "greedy", greedy_minutes >= trivial_bound, trivial_bound
    if exact and len(pp):
        from .milp import Milp

        built, built_cpu = time.perf_counter(), time.process_time()
        model = Milp(ctx, pp, ps)
        stages.append(
            Stage(
                "model",
                "built",
                float(model.n_x),
                None,
                time.perf_counter() - built,
                time.process_time() - built_cpu,
            )
        )
        x0 = np.array(
            [
                1.0 if (int(p), int(s)) in greedy_state.pairs else 0.0
                for p, s in zip(pp, ps, strict=True)
            ]
        )

        def guided(lp_x: np.ndarray) -> np.ndarray:
            state = lp_guided(ctx, ok, pp, ps, lp_x)
            return np.array(
                [
                    1.0 if (int(p), int(s)) in state.pairs else 0.0
                    for p, s in zip(pp, ps, strict=True)
                ]
            )

        results = model.solve(x0, deadline, STAGE_BUDGETS, guided)
        stages.extend(r.stage for r in results)
        final_x = results[-1].x
        chosen = set(ctx.locked_set) | {
            (int(pp[j]), int(ps[j])) for j in np.flatnonzero(final_x > 0.5)
        }
        first = results[0].stage
        tier = "exact"
        proven = first.status == "optimal"
        bound = round(first.bound) if first.bound is not None else trivial_bound
    elif exact:
        tier, proven, bound = "exact", True, greedy_minutes
    state, dropped = _checked_state(ctx, chosen)
    warnings = list(ctx.warnings)
    if dropped:  # never expected: the optimiser encodes the same rules
        warnings.append(
            Notice(
                NoticeCode.SELF_CHECK_DROPPED,
                {"dropped": dropped},
                f"engine self-check removed {dropped} proposals that broke a rule",
            )
        )
    if _slot_minutes(ctx, state.pairs) < greedy_minutes:
        state, _ = _checked_state(ctx, greedy_state.pairs)
    minutes = _slot_minutes(ctx, state.pairs)
    proposals = tuple(
        Proposal(
            ctx.participants[p].id,
            ctx.shifts[s].id,
            locked=(p, s) in ctx.locked_set,
            orientation=ctx.needs_orientation(p, s),
        )
        for p, s in sorted(
            state.pairs, key=lambda ps: (ctx.shifts[ps[1]].id, ctx.participants[ps[0]].id)
        )
    )
    unfilled = tuple(explain_unfilled(ctx, failures, state)) if explain else ()
    return Solution(
        assignments=proposals,
        slot_minutes=minutes,
        upper_bound_minutes=max(bound, minutes),
        tier=tier,
        proven_optimal=proven and minutes >= bound,
        stages=tuple(stages),
        unfilled=unfilled,
        warnings=tuple(warnings),
        seconds=time.perf_counter() - started,
        candidate_pairs=len(pp),
    )


def _slot_minutes(ctx: Context, pairs) -> int:
    return sum(ctx.s_minutes[s] for _p, s in pairs)


def _trivial_bound(ctx: Context, ok: np.ndarray) -> int:
    """Every slot that has locked people or candidates, filled: a bound that needs no solver."""
    cands = ok.sum(axis=0)
    return sum(
        ctx.s_minutes[s]
        * max(
            ctx.s_locked_count[s], min(ctx.shifts[s].slots, ctx.s_locked_count[s] + int(cands[s]))
        )
        for s in range(ctx.nS)
    )


def _checked_state(ctx: Context, pairs) -> tuple[PlanState, int]:
    """Rebuild the roster pair by pair through the rules; drop anything they refuse."""
    state = PlanState(ctx)
    dropped = 0
    for p, s in sorted(pairs, key=lambda ps: (ctx.s_start[ps[1]], ps[1], ps[0])):
        if (p, s) in ctx.locked_set:
            continue
        if ctx.pair_failures(p, s) or not state.can_add(p, s):
            dropped += 1
            continue
        state.add(p, s)
    return state, dropped


def greedy_baseline(instance: Instance | Context) -> int:
    """Slot-minutes of the time-ordered greedy (the benchmark's baseline)."""
    from .greedy import time_ordered

    ctx = instance if isinstance(instance, Context) else Context(instance)
    state = time_ordered(ctx, candidate_matrix(failure_matrices(ctx), ctx))
    return _slot_minutes(ctx, state.pairs)
