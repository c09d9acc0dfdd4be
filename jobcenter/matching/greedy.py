"""The fast tier: greedy rosters in well under a second.

* :func:`scarcity_first` fills the hardest-to-fill shifts first (fewest candidates
  per open slot), and for each slot takes the eligible person with the fewest other
  options, saving instructor capacity and people with many options for later. A
  repair pass then tries one-step moves to fill what is still open. It is the
  engine's instant answer and the exact optimiser's warm start.
* :func:`time_ordered` is the naive baseline a coordinator with a spreadsheet would
  produce: shifts in time order, people in list order. The benchmark compares
  against it.

Both only ever add pairs that :class:`rules.PlanState` accepts, so every roster
they return keeps every hard rule.
"""

from __future__ import annotations

import numpy as np

from .rules import Context, PlanState


def candidate_lists(ok: np.ndarray) -> list[list[int]]:
    """Eligible participants of each shift (column of the candidate matrix)."""
    return [[int(p) for p in np.flatnonzero(ok[:, s])] for s in range(ok.shape[1])]


def time_ordered(ctx: Context, ok: np.ndarray) -> PlanState:
    state = PlanState(ctx)
    cands = candidate_lists(ok)
    for s in sorted(range(ctx.nS), key=lambda s: (ctx.s_start[s], ctx.shifts[s].id)):
        room = ctx.shifts[s].slots - state.filled[s]
        for p in cands[s]:
            if room <= 0:
                break
            if state.can_add(p, s):
                state.add(p, s)
                room -= 1
    return state


def scarcity_first(
    ctx: Context, ok: np.ndarray, repair: bool = True, state: PlanState | None = None
) -> PlanState:
    state = PlanState(ctx) if state is None else state
    cands = candidate_lists(ok)
    flexibility = ok.sum(axis=1)  # how many shifts each person could take
    minutes = np.asarray(ctx.s_minutes)
    # Minutes each person could work, relative to what they may work: a person whose
    # options far exceed their limits is easy to place elsewhere.
    supply = (ok * minutes[None, :]).sum(axis=1)

    def person_key(p: int, s: int) -> tuple:
        return (
            ctx.weight(p, s) if ctx.s_groups[s] else 0,
            int(flexibility[p]),
            int(supply[p]),
            ctx.participants[p].id,
        )

    order = sorted(
        range(ctx.nS),
        key=lambda s: (
            len(cands[s]) / max(1, ctx.shifts[s].slots - state.filled[s]),
            -ctx.s_minutes[s],
            ctx.s_start[s],
            ctx.shifts[s].id,
        ),
    )
    for s in order:
        room = ctx.shifts[s].slots - state.filled[s]
        if room <= 0 or not cands[s]:
            continue
        for p in sorted(cands[s], key=lambda p: person_key(p, s)):
            if room <= 0:
                break
            if state.can_add(p, s):
                state.add(p, s)
                room -= 1
    if repair:
        _repair(ctx, state, cands)
    return state


def lp_guided(
    ctx: Context, ok: np.ndarray, pairs_p: np.ndarray, pairs_s: np.ndarray, lp_x: np.ndarray
) -> PlanState:
    """Round an LP solution: take pairs in order of their LP value (ties by shift
    and person id), keep those the rules allow, then fill the rest scarcity-first."""
    state = PlanState(ctx)
    order = sorted(
        (j for j in range(len(lp_x)) if lp_x[j] > 1e-6),
        key=lambda j: (
            -round(float(lp_x[j]), 6),
            ctx.shifts[pairs_s[j]].id,
            ctx.participants[pairs_p[j]].id,
        ),
    )
    for j in order:
        p, s = int(pairs_p[j]), int(pairs_s[j])
        if state.can_add(p, s):
            state.add(p, s)
    return scarcity_first(ctx, ok, state=state)


def _repair(ctx: Context, state: PlanState, cands: list[list[int]]) -> None:
    """Fill open slots by moving one person: for an open slot on shift ``s`` and an
    eligible person ``p`` blocked by one of their own assignments ``t``, hand ``t``
    to someone free for it and give ``s`` to ``p`` when that adds slot-minutes."""
    open_shifts = sorted(
        (s for s in range(ctx.nS) if state.filled[s] < ctx.shifts[s].slots and cands[s]),
        key=lambda s: (-ctx.s_minutes[s], ctx.shifts[s].id),
    )
    for s in open_shifts:
        for p in cands[s]:
            if state.filled[s] >= ctx.shifts[s].slots:
                break
            if (p, s) in state.pairs:
                continue
            if state.can_add(p, s):
                state.add(p, s)
                continue
            for t in sorted(state.shifts_of[p]):
                if (p, t) in ctx.locked_set:
                    continue
                state.remove(p, t)
                if not state.can_add(p, s):
                    state.add(p, t)
                    continue
                state.add(p, s)
                replacement = next(
                    (
                        q
                        for q in cands[t]
                        if q != p and (q, t) not in state.pairs and state.can_add(q, t)
                    ),
                    None,
                )
                if replacement is not None:
                    state.add(replacement, t)
                    break
                if ctx.s_minutes[s] > ctx.s_minutes[t]:
                    break  # a longer shift for the same person: still a gain
                state.remove(p, s)
                state.add(p, t)
