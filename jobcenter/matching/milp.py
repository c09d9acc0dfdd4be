"""The exact optimiser: a mixed-integer programme solved with HiGHS (highspy).

Model
-----
One binary ``x`` per candidate pair (pairs that no rule excludes on its own, see
:func:`rules.candidate_matrix`). Locked assignments and commitments are constants:
they only lower the right-hand sides. Rows (each added only when it can bind):

* slots: ``Σ x ≤ slots − locked`` per shift;
* instructor capacity: ``Σ weight·x ≤ K − locked weight`` per capacity group (an
  instructor's simultaneous shifts at one site); weight 1 for level 2 and for
  orientations, K for level 3;
* no overlaps: per participant, one clique row per distinct start time over the
  shifts running at that moment (exact, and a tight LP); travel between sites: the
  shifts starting at one time at one site plus the shifts elsewhere that end less
  than the travel time before form a clique (checked; pair rows otherwise);
* days per week: binary ``y[p, day]`` where the limit can bind, linked through the
  clique rows (``Σ clique ≤ y``) and ``Σ y ≤ days left``;
* minutes per day and per week, and the monthly earnings ceiling (wage × minutes
  of paid shifts within the cents left that month).

Objective, lexicographic: each stage keeps the previous stage's result as a row.

1. filled slot-minutes;
2. fairness: Σ over participants of a concave piecewise-linear utility of their
   week's minutes up to their weekly target (4 equal segments, weights 4, 3, 2, 1),
   so minutes go first to those furthest below their target;
3. per assignment: 1000 if the person worked the task before (continuity), 100 if
   they prefer the task kind, 0–60 for a short trip from home (60 − travel minutes).

Solving
-------
Branch-and-bound on the whole model is fast for small weeks but HiGHS spends
minutes in presolve and set-up on a 2,000 × 1,500 week (≈120,000 binaries), before
its first node. The LP relaxation, though, is tight (measured within 0.1–0.4 % of
the optimum) and solves in about a second without presolve. So each stage:

1. solves the LP relaxation of the whole model (dual simplex, warm-started from the
   previous stage): its optimum is a proven bound;
2. improves the incumbent (stage 1: the greedy tier and an LP-guided greedy) with
   RINS sub-MIPs: variables on which the LP and the incumbent agree are fixed, the
   rest is solved exactly by HiGHS branch-and-bound; the neighbourhood widens while
   time is left;
3. stage 1 is *proven optimal* when the incumbent reaches the LP bound rounded down
   to the granularity of shift lengths, or when branch-and-bound on the whole model
   (used when it is small) closes the gap.
"""

from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass

import numpy as np

try:  # The plain core class: the Python wrapper prints a banner to stdout.
    from highspy._core import _Highs as _HighsClass
except ImportError:  # pragma: no cover - other highspy layouts
    from highspy import Highs as _HighsClass
import highspy

from .model import Stage
from .rules import Context

INF = highspy.kHighsInf
FAIRNESS_WEIGHTS = (4, 3, 2, 1)
CONTINUITY_POINTS = 1000
PREFERENCE_POINTS = 100
TRAVEL_POINTS_MAX = 60
# Branch-and-bound on the whole model only below this many binaries.
FULL_MIP_MAX_COLUMNS = 40_000
# Free binaries in one RINS sub-MIP (small enough for HiGHS to finish quickly).
RINS_MAX_COLUMNS = 4_000
# Later stages (fairness, continuity…): exact on the whole model only when small,
# else large-neighbourhood search over windows of about this many pairs.
FULL_MIP_LATER_STAGES_MAX_COLUMNS = 5_000
LNS_COLUMNS = 2_500
SUB_MIP_PRESOLVE_MAX_COLUMNS = 6_000
FEASIBLE = 2  # HiGHS solution status "feasible"
# Weights of the earlier stages' objectives in a later stage's LP (see Milp._stage).
# Any weight ≥ 0 keeps the bound valid; it loosens it by at most weight × (the
# LP's slot-minutes − the held slot-minutes). Measured dual simplex iterations for
# the fairness LP on L: 21,384 at weight 0, 13,367 at 0.05, 8,250 at 1, 7,840 at 2,
# 7,360 at 5; on M 3,571 at 2 and 3,464 at 5. 1 keeps the bound within 0.07 % on L.
SLOT_LP_WEIGHT = 1.0
FAIRNESS_LP_WEIGHT = 0.0


@dataclass
class StageResult:
    stage: Stage
    x: np.ndarray  # 0/1 per candidate pair


def _new_highs(time_limit: float | None = None, **options):
    h = _HighsClass()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    if time_limit is not None:
        h.setOptionValue("time_limit", max(0.01, float(time_limit)))
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


class Milp:
    def __init__(
        self,
        ctx: Context,
        pairs_p: np.ndarray,
        pairs_s: np.ndarray,
        skip_kinds: frozenset[str] = frozenset(),
    ):
        self.ctx = ctx
        self.pp = np.asarray(pairs_p, np.int64)
        self.ps = np.asarray(pairs_s, np.int64)
        self.n_x = len(self.pp)
        self._cols: list[np.ndarray] = []
        self._vals: list[np.ndarray] = []
        self._lo: list[float] = []
        self._up: list[float] = []
        self.col_lower: list[float] = [0.0] * self.n_x
        self.col_upper: list[float] = [1.0] * self.n_x
        self.col_int: list[bool] = [True] * self.n_x
        self.y_index: dict[tuple[int, int], int] = {}
        self.z_cols: list[tuple[int, int, int]] = []  # (col, participant, weight)
        self.row_kinds: list[str] = []
        self.skip_kinds: frozenset[str] = skip_kinds
        self._build()
        self._finish()

    # ------------------------------------------------------------------ building

    def _new_col(self, lower: float, upper: float, integer: bool) -> int:
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.col_int.append(integer)
        return len(self.col_lower) - 1

    def _row(self, cols, coefs, lower: float, upper: float, kind: str) -> None:
        if kind in self.skip_kinds:
            return
        self.row_kinds.append(kind)
        self._cols.append(np.asarray(cols, np.int64))
        self._vals.append(np.asarray(coefs, float))
        self._lo.append(lower)
        self._up.append(upper)

    def _build(self) -> None:
        ctx = self.ctx
        self.s_start = np.asarray(ctx.s_start, np.int64)
        self.s_end = np.asarray(ctx.s_end, np.int64)
        self.s_site = np.asarray(ctx.s_site, np.int64)
        self.s_day = np.asarray(ctx.s_day, np.int64)
        self.s_min = np.asarray(ctx.s_minutes, np.int64)
        order = np.lexsort((self.ps, self.pp))
        assert (order == np.arange(self.n_x)).all(), "pairs must be sorted by participant"
        by_shift = np.argsort(self.ps, kind="stable")
        shift_bounds = np.searchsorted(self.ps[by_shift], np.arange(ctx.nS + 1))
        self.shift_cols = [by_shift[shift_bounds[s] : shift_bounds[s + 1]] for s in range(ctx.nS)]
        part_bounds = np.searchsorted(self.pp, np.arange(ctx.nP + 1))
        self.part_cols = [np.arange(part_bounds[p], part_bounds[p + 1]) for p in range(ctx.nP)]

        for s in range(ctx.nS):
            js = self.shift_cols[s]
            room = ctx.shifts[s].slots - ctx.s_locked_count[s]
            if len(js) > room:
                self._row(js, np.ones(len(js)), -INF, max(0, room), "slots")
        self.weights = np.array(
            [
                ctx.weight(int(p), int(s)) if ctx.s_groups[int(s)] else 0
                for p, s in zip(self.pp, self.ps, strict=True)
            ],
            np.int64,
        )
        for g, (i, members) in enumerate(ctx.groups):
            js = np.concatenate([self.shift_cols[s] for s in members])
            js = js[self.weights[js] > 0]
            room = ctx.instructors[i].capacity - ctx.group_locked_weight[g]
            if len(js) and self.weights[js].sum() > room:
                self._row(js, self.weights[js].astype(float), -INF, max(0, room), "capacity")
        for p in range(ctx.nP):
            if len(self.part_cols[p]):
                self._participant_rows(p, self.part_cols[p])

    def _participant_rows(self, p: int, js: np.ndarray) -> None:
        ctx = self.ctx
        fx = ctx.fixed[p]
        shifts = self.ps[js]
        st, en, site = self.s_start[shifts], self.s_end[shifts], self.s_site[shifts]
        day, mins = self.s_day[shifts], self.s_min[shifts]

        # Days per week: y variables only where the limit can bind.
        new_days = sorted(set(day.tolist()) - fx.days)
        days_room = ctx.p_max_days[p] - len(fx.days)
        y_of_day: dict[int, int] = {}
        if len(new_days) > days_room:
            for d in new_days:
                y_of_day[d] = self.y_index[(p, d)] = self._new_col(0.0, 1.0, True)
            ys = list(y_of_day.values())
            self._row(ys, np.ones(len(ys)), -INF, max(0, days_room), "days")

        def clique_row(members: np.ndarray) -> None:
            days = set(day[members].tolist())
            y = y_of_day.get(next(iter(days))) if len(days) == 1 else None
            if y is not None:
                self._row(
                    np.append(js[members], y),
                    np.append(np.ones(len(members)), -1.0),
                    -INF,
                    0.0,
                    "clique",
                )
            elif len(members) > 1:
                self._row(js[members], np.ones(len(members)), -INF, 1.0, "clique")

        # Overlap cliques: shifts running at each distinct start time, maximal sets only.
        times = np.unique(st)
        running = (st[None, :] <= times[:, None]) & (times[:, None] < en[None, :])
        inter = running.astype(np.int32) @ running.T.astype(np.int32)
        size = running.sum(axis=1)
        idx = np.arange(len(times))
        subset = inter == size[:, None]  # [a, b]: the set at a lies within the set at b
        bigger = (size[None, :] > size[:, None]) | (
            (size[None, :] == size[:, None]) & (idx[None, :] < idx[:, None])
        )
        np.fill_diagonal(subset, False)
        for a in np.flatnonzero(~(subset & bigger).any(axis=1)):
            clique_row(np.flatnonzero(running[a]))

        # Travel between different sites.
        travel = ctx.travel[site[:, None], site[None, :]]
        conflict = (st[:, None] < en[None, :] + travel) & (st[None, :] < en[:, None] + travel)
        keys = np.unique(np.stack([st, site], axis=1), axis=0)
        key_t, key_site = keys[:, 0], keys[:, 1]
        before_all = (
            (site[None, :] != key_site[:, None])
            & (en[None, :] <= key_t[:, None])
            & (key_t[:, None] < en[None, :] + ctx.travel[site[None, :], key_site[:, None]])
        )
        for g in np.flatnonzero(before_all.any(axis=1)):
            before = np.flatnonzero(before_all[g])
            members = np.flatnonzero((st == key_t[g]) & (site == key_site[g]))
            if len(before) == 1 or conflict[np.ix_(before, before)].all():
                clique_row(np.concatenate([before, members]))
            else:
                for a in before:
                    for b in members:
                        self._row([js[a], js[b]], [1.0, 1.0], -INF, 1.0, "travel")

        # Minutes per day and per week.
        # The room is tightened to the largest sum of shift lengths that fits in it
        # (valid for every roster, and it closes most of the LP's gap).
        for d in sorted(set(day.tolist())):
            sel = day == d
            room = ctx.p_max_day[p] - fx.day_minutes[d]
            if mins[sel].sum() > room:
                room = largest_subset_sum(mins[sel].tolist(), room)
                self._row(js[sel], mins[sel].astype(float), -INF, room, "day_minutes")
        room = ctx.p_max_week[p] - fx.week_minutes
        if mins.sum() > room:
            room = largest_subset_sum(mins.tolist(), room)
            self._row(js, mins.astype(float), -INF, room, "week_minutes")
        # Monthly earnings ceiling (whole numbers scaled by their gcd).
        earn = np.array([ctx.s_earn[s] for s in shifts], np.int64)
        month = np.array([ctx.s_month[s] for s in shifts], np.int64)
        for m in sorted(set(month[earn > 0].tolist())):
            sel = (month == m) & (earn > 0)
            room = ctx.p_earn_room[p][m] - fx.earn_cent_minutes.get(m, 0)
            if earn[sel].sum() > room:
                g = math.gcd(*earn[sel].tolist()) or 1
                room = largest_subset_sum((earn[sel] // g).tolist(), max(0, room) // g)
                self._row(js[sel], earn[sel] / g, -INF, room, "earnings")
        # Fairness: utility segments of the weekly target.
        target = ctx.participants[p].weekly_target_minutes
        if target:
            seg = target / len(FAIRNESS_WEIGHTS)
            cols = []
            for w in FAIRNESS_WEIGHTS:
                c = self._new_col(0.0, seg, False)
                self.z_cols.append((c, p, w))
                cols.append(c)
            self._row(
                np.concatenate([cols, js]),
                np.concatenate([np.ones(len(cols)), -mins.astype(float)]),
                -INF,
                float(fx.week_minutes),
                "fairness",
            )

    def _finish(self) -> None:
        lengths = np.array([len(c) for c in self._cols], np.int64)
        self.start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self.index = np.concatenate(self._cols) if self._cols else np.zeros(0, np.int64)
        self.value = np.concatenate(self._vals) if self._vals else np.zeros(0)
        self.row_lo = np.array(self._lo, float)
        self.row_up = np.array(self._up, float)
        self.row_of = np.repeat(np.arange(len(lengths)), lengths)
        self._cols, self._vals = [], []
        self.n_col = len(self.col_lower)
        self.col_lo = np.array(self.col_lower)
        self.col_up = np.array(self.col_upper)
        self.is_int = np.array(self.col_int)

    def add_row(self, cols: np.ndarray, coefs: np.ndarray, lower: float, upper: float) -> None:
        r = len(self.row_lo)
        self.start = np.append(self.start, self.start[-1] + len(cols))
        self.index = np.concatenate([self.index, np.asarray(cols, np.int64)])
        self.value = np.concatenate([self.value, np.asarray(coefs, float)])
        self.row_kinds.append("stage")
        self.row_lo = np.append(self.row_lo, lower)
        self.row_up = np.append(self.row_up, upper)
        self.row_of = np.concatenate([self.row_of, np.full(len(cols), r)])

    # ---------------------------------------------------------------- objectives

    def slot_costs(self) -> np.ndarray:
        cost = np.zeros(self.n_col)
        cost[: self.n_x] = self.s_min[self.ps]
        return cost

    def fairness_costs(self) -> np.ndarray:
        cost = np.zeros(self.n_col)
        for c, _p, w in self.z_cols:
            cost[c] = w
        return cost

    def pair_costs(self) -> np.ndarray:
        ctx = self.ctx
        inst = ctx.instance
        cost = np.zeros(self.n_col)
        for j, (p, s) in enumerate(zip(self.pp.tolist(), self.ps.tolist(), strict=True)):
            part, shift = ctx.participants[p], ctx.shifts[s]
            score = 0
            if shift.task is not None and part.id in inst.previous_assignees.get(shift.task, ()):
                score += CONTINUITY_POINTS
            if shift.kind in part.preferred_kinds:
                score += PREFERENCE_POINTS
            score += travel_points(ctx, p, s)
            cost[j] = score
        return cost

    def full_vector(self, x: np.ndarray) -> np.ndarray:
        """A complete column vector (day and fairness columns consistent) for ``x``."""
        ctx = self.ctx
        vec = np.zeros(self.n_col)
        vec[: self.n_x] = x
        on = x > 0.5
        for (p, d), c in self.y_index.items():
            js = self.part_cols[p]
            vec[c] = float(bool((on[js] & (self.s_day[self.ps[js]] == d)).any()))
        left: dict[int, float] = {}
        for c, p, _w in self.z_cols:
            if p not in left:
                js = self.part_cols[p]
                left[p] = float(
                    ctx.fixed[p].week_minutes + (self.s_min[self.ps[js]] * on[js]).sum()
                )
            take = min(self.col_up[c], left[p])
            vec[c] = take
            left[p] -= take
        return vec

    # ------------------------------------------------------------------- solving

    def _lp_for(
        self, free: np.ndarray | None, fixed_values: np.ndarray | None, cost, integer: bool
    ):
        """The model (or the sub-model over ``free`` columns, the others fixed at
        ``fixed_values``) as a HighsLp."""
        n_rows = len(self.row_lo)
        if free is None:
            free = np.ones(self.n_col, bool)
            fixed_values = np.zeros(self.n_col)
        keep_entry = free[self.index]
        fixed_act = np.bincount(
            self.row_of[~keep_entry],
            weights=self.value[~keep_entry] * fixed_values[self.index[~keep_entry]],
            minlength=n_rows,
        )
        counts = np.bincount(self.row_of[keep_entry], minlength=n_rows)
        rows = np.flatnonzero(counts > 0)
        new_col = np.full(self.n_col, -1, np.int64)
        cols = np.flatnonzero(free)
        new_col[cols] = np.arange(len(cols))
        row_map = np.full(n_rows, -1, np.int64)
        row_map[rows] = np.arange(len(rows))
        entry_rows = self.row_of[keep_entry]
        lp = highspy.HighsLp()
        lp.num_col_ = len(cols)
        lp.num_row_ = len(rows)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = cost[cols]
        lp.col_lower_ = self.col_lo[cols]
        lp.col_upper_ = self.col_up[cols]
        lp.row_lower_ = np.where(
            np.isfinite(self.row_lo[rows]), self.row_lo[rows] - fixed_act[rows], -INF
        )
        lp.row_upper_ = np.where(
            np.isfinite(self.row_up[rows]), self.row_up[rows] - fixed_act[rows], INF
        )
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_ = len(cols)
        lp.a_matrix_.num_row_ = len(rows)
        lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(counts[rows])]).astype(np.int32)
        order = np.argsort(row_map[entry_rows], kind="stable")
        lp.a_matrix_.index_ = new_col[self.index[keep_entry]][order].astype(np.int32)
        lp.a_matrix_.value_ = self.value[keep_entry][order]
        if integer:
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                for i in self.is_int[cols]
            ]
        return lp, cols

    def _mip(self, cost, start_vec, deadline, free=None, **options):
        """Branch-and-bound on the model or a sub-model; returns (vector, optimal, bound)."""
        limit = deadline - _time.perf_counter()
        if limit <= 0.05:
            return start_vec, False, None
        lp, cols = self._lp_for(free, start_vec, cost, integer=True)
        # HiGHS's presolve does not look at the clock: on the whole M model it took 20+ s
        # and on the L week's sub-MIPs (≈10,000 free columns) it ran 3–11 s past their
        # time limit. Small sub-MIPs gain from it (M's continuity stage: +6 %).
        small = free is not None and int(free.sum()) <= SUB_MIP_PRESOLVE_MAX_COLUMNS
        options.setdefault("presolve", "on" if small else "off")
        h = _new_highs(limit, mip_rel_gap=0.0, mip_abs_gap=0.5, **options)
        h.passModel(lp)
        sol = highspy.HighsSolution()
        sol.col_value = start_vec[cols]
        sol.value_valid = True
        h.setSolution(sol)
        h.run()
        info = h.getInfo()
        vec = start_vec
        if info.primal_solution_status == FEASIBLE:
            vec = start_vec.copy()
            vec[cols] = np.array(h.getSolution().col_value)
            vec[: self.n_x] = np.round(vec[: self.n_x])
        optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
        if bound is not None and free is not None:
            bound += float(cost[~free] @ start_vec[~free])
        return vec, optimal, bound

    def solve(self, x_start: np.ndarray, deadline: float, stage_budgets, guided=None):
        """Run the three stages. ``guided(lp_x) -> x`` builds an incumbent from LP
        values (the LP-guided greedy)."""
        ctx = self.ctx
        fixed_minutes = float(sum(ctx.s_minutes[s] for _p, s in ctx.locked))
        self.lp_highs = _new_highs(None, presolve="off")
        lp, _ = self._lp_for(None, None, np.zeros(self.n_col), integer=False)
        self.lp_highs.passModel(lp)
        results: list[StageResult] = []
        x = x_start.astype(float)

        step = float(np.gcd.reduce(self.s_min[np.unique(self.ps)])) if self.n_x else 1.0
        stage_deadline = _time.perf_counter() + stage_budgets[0] * (deadline - _time.perf_counter())
        r1 = self._stage("slot_minutes", self.slot_costs(), x, stage_deadline, step, guided)
        r1.stage = Stage(
            r1.stage.name,
            r1.stage.status,
            r1.stage.value + fixed_minutes,
            None if r1.stage.bound is None else r1.stage.bound + fixed_minutes,
            r1.stage.seconds,
            r1.stage.cpu_seconds,
        )
        results.append(r1)
        x = r1.x
        all_x = np.arange(self.n_x)
        slot = self.slot_costs()[: self.n_x]
        self._add_stage_row(all_x, slot, float(slot @ x) - 0.5)

        slot_full = self.slot_costs()
        held = [(slot_full, float(slot @ x), SLOT_LP_WEIGHT)]

        if self.z_cols:
            stage_deadline = _time.perf_counter() + stage_budgets[1] * (
                deadline - _time.perf_counter()
            )
            fair_cost = self.fairness_costs()
            r2 = self._stage("fairness", fair_cost, x, stage_deadline, None, None, held)
            x = r2.x
            zc = np.array([c for c, _p, _w in self.z_cols], np.int64)
            zw = np.array([w for _c, _p, w in self.z_cols], float)
            fair = float(zw @ self.full_vector(x)[zc])
            fair_lower = fair - max(1e-7 * abs(fair), 1e-4)
            self._add_stage_row(zc, zw, fair_lower)
            held = [(fair_cost, fair_lower, FAIRNESS_LP_WEIGHT), *held]
        else:
            r2 = StageResult(Stage("fairness", "skipped", 0.0, None, 0.0), x)
        results.append(r2)
        stage_deadline = _time.perf_counter() + stage_budgets[2] * (deadline - _time.perf_counter())
        r3 = self._stage(
            "continuity_preferences_travel", self.pair_costs(), x, stage_deadline, 1.0, None, held
        )
        results.append(r3)
        return results

    def _add_stage_row(self, cols, coefs, lower: float) -> None:
        self.add_row(cols, coefs, lower, INF)
        self.lp_highs.addRow(
            lower, INF, len(cols), np.asarray(cols, np.int32), np.asarray(coefs, float)
        )

    def _stage(self, name, cost, x_start, deadline, step, guided, held=()) -> StageResult:
        """LP bound, then better incumbents until the bound is reached or time is up:
        the LP-guided greedy (stage 1), then branch-and-bound on the whole model
        when it is small enough, else RINS sub-MIPs of bounded size around the LP
        solution and large-neighbourhood search over windows of shifts.

        ``held`` lists the earlier stages' objectives as ``(cost, lower, weight)``:
        their rows (objective ≥ lower) are in the model already. The LP maximises
        ``cost + Σ weight·held cost``: a small weight on slot-minutes breaks the
        massive ties of the fairness LP (its pair columns cost nothing), which makes
        dual simplex many times faster, and the bound stays valid:
        ``cost ≤ LP optimum − Σ weight·lower`` for every roster meeting the rows."""
        started = _time.perf_counter()
        cpu_started = _time.process_time()
        value_of = lambda vec: float(cost @ vec)  # noqa: E731
        best = self.full_vector(x_start)
        best_value = value_of(best)
        later = name != "slot_minutes"
        if later:  # at most a third of the stage's time
            until = started + (deadline - started) / 3
            fair = name == "fairness"
            for search in (self._replacements, self._exchanges, self._replacements):
                vec = search(cost, best, until, fairness=fair)
                if value_of(vec) > best_value + 1e-9:
                    best, best_value = vec, value_of(vec)
        h = self.lp_highs
        lp_cost = np.array(cost, float)
        offset = 0.0
        for held_cost, lower, weight in held:
            if weight:
                lp_cost = lp_cost + weight * held_cost
                offset += weight * lower
        h.changeColsCost(self.n_col, np.arange(self.n_col, dtype=np.int32), lp_cost)
        # The LP may use most of a stage's time, not all: incumbents need some.
        lp_share = 0.7 if later else 1.0
        h.setOptionValue("time_limit", max(0.05, lp_share * (deadline - _time.perf_counter())))
        h.run()
        lp_ok = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        bound = h.getInfo().objective_function_value - offset if lp_ok else None
        lp_x = np.array(h.getSolution().col_value) if lp_ok else None
        if bound is not None and step:  # whole-number objective: round the bound down
            bound = math.floor((bound + 1e-6) / step) * step

        def reached(value: float) -> bool:
            if bound is None:
                return False
            if step:
                return value >= bound - 1e-6
            return value >= bound - max(1e-4 * abs(bound), 1e-6)

        if guided is not None and lp_x is not None and not reached(best_value):
            vec = self.full_vector(guided(lp_x[: self.n_x]))
            if value_of(vec) > best_value:
                best, best_value = vec, value_of(vec)
        optimal = reached(best_value)
        if (
            not optimal
            and self.n_x <= FULL_MIP_MAX_COLUMNS
            and (not later or self.n_x <= FULL_MIP_LATER_STAGES_MAX_COLUMNS)
        ):
            vec, mip_optimal, mip_bound = self._mip(cost, best, deadline)
            if value_of(vec) > best_value:
                best, best_value = vec, value_of(vec)
            if mip_bound is not None:
                if step:
                    mip_bound = math.floor((mip_bound + 1e-6) / step) * step
                bound = mip_bound if bound is None else min(bound, mip_bound)
            optimal = mip_optimal or reached(best_value)
        elif not optimal:
            if lp_x is not None:
                # RINS: fix what the LP and the incumbent agree on; widen when stuck.
                widen = 0
                while not optimal and widen < 3:
                    left = deadline - _time.perf_counter()
                    if left < 0.5:
                        break
                    free = self._neighbourhood(lp_x, best, widen)
                    sub_deadline = _time.perf_counter() + max(1.0, left / 2)
                    vec, _optimal, _ = self._mip(cost, best, min(deadline, sub_deadline), free)
                    if value_of(vec) > best_value + 1e-9:
                        best, best_value = vec, value_of(vec)
                    else:
                        widen += 1
                    optimal = reached(best_value)
            if not optimal and deadline - _time.perf_counter() > 1.0:
                best = self._lns(cost, best, deadline, stop=lambda v: reached(v))
                best_value = value_of(best)
                optimal = reached(best_value)
        if optimal and step:
            bound = best_value
        if optimal:
            status = "optimal"
        elif _time.perf_counter() >= deadline - 0.5:
            status = "time_limit"
        else:
            status = "feasible"
        stage = Stage(
            name,
            status,
            best_value,
            bound,
            _time.perf_counter() - started,
            _time.process_time() - cpu_started,
        )
        return StageResult(stage, (best[: self.n_x] > 0.5).astype(float))

    def _utility_tables(self):
        """Per participant the fairness segments as arrays (weight, width, start)."""
        if getattr(self, "_util", None) is None:
            n = len(FAIRNESS_WEIGHTS)
            w = np.zeros((self.ctx.nP, n))
            up = np.zeros((self.ctx.nP, n))
            off = np.zeros((self.ctx.nP, n))
            seen: dict[int, int] = {}
            for c, p, weight in self.z_cols:
                k = seen.get(p, 0)
                seen[p] = k + 1
                w[p, k], up[p, k] = weight, self.col_up[c]
                off[p, k] = up[p, :k].sum()
            self._util = (w, up, off)
        return self._util

    def _utility(self, people: np.ndarray, minutes: np.ndarray) -> np.ndarray:
        w, up, off = self._utility_tables()
        filled = np.clip(minutes[:, None] - off[people], 0.0, up[people])
        return (w[people] * filled).sum(axis=1)

    def _replacements(self, cost, best: np.ndarray, deadline: float, fairness: bool):
        """Local search that keeps every shift's filled slots as they are (so the
        slot-minutes too): replace one person on a shift by another candidate for
        it when that raises the stage's objective — fairness, or (stage 3) the
        pair points without lowering fairness. Every move is checked with the
        rules (:class:`rules.PlanState`); shifts and people in index order, so the
        result is deterministic. Cheap, and it gives the sub-MIPs a better start."""
        from .rules import PlanState

        ctx = self.ctx
        x = best[: self.n_x] > 0.5
        state = PlanState(ctx)
        for j in np.flatnonzero(x):
            state.add(int(self.pp[j]), int(self.ps[j]))
        minutes = np.array(state.week_minutes, float)
        for _round in range(3):
            moved = False
            for s in range(ctx.nS):
                if _time.perf_counter() >= deadline:
                    return self.full_vector(x.astype(float))
                cols = self.shift_cols[s]
                if len(cols) < 2:
                    continue
                length = float(self.s_min[s])
                for ja in cols[x[cols]]:
                    others = cols[~x[cols]]
                    if not len(others):
                        break
                    a = int(self.pp[ja])
                    people = self.pp[others]
                    loss = float(
                        self._utility(np.array([a]), minutes[[a]])[0]
                        - self._utility(np.array([a]), minutes[[a]] - length)[0]
                    )
                    d_fair = (
                        self._utility(people, minutes[people] + length)
                        - self._utility(people, minutes[people])
                        - loss
                    )
                    if fairness:
                        gain = d_fair
                        good = gain > 1e-9
                    else:
                        gain = cost[others] - cost[ja]
                        good = (gain > 1e-9) & (d_fair >= -1e-9)
                    if not good.any():
                        continue
                    picks = np.flatnonzero(good)
                    picks = picks[np.lexsort((others[picks], -gain[picks]))]
                    state.remove(a, s)
                    for k in picks:
                        b = int(self.pp[others[k]])
                        if state.can_add(b, s):
                            state.add(b, s)
                            x[ja], x[others[k]] = False, True
                            minutes[a] -= length
                            minutes[b] += length
                            moved = True
                            break
                    else:
                        state.add(a, s)
            if not moved:
                break
        return self.full_vector(x.astype(float))

    def _exchanges(self, cost, best: np.ndarray, deadline: float, fairness: bool):
        """Local search that swaps two people's shifts: ``p`` leaves ``t`` for ``s``,
        ``q`` leaves ``s`` for ``t``. Every shift keeps its filled slots (so the
        slot-minutes too) while minutes move between the two people when the shifts'
        lengths differ. Accepted when it raises fairness (stage 2), or the pair points
        without lowering fairness (stage 3) — e.g. a previous assignee taking back
        their task from someone who does an equally long shift elsewhere instead. The
        replacement search cannot do this: it moves one person at a time."""
        from .rules import PlanState

        ctx = self.ctx
        x = best[: self.n_x] > 0.5
        state = PlanState(ctx)
        for j in np.flatnonzero(x):
            state.add(int(self.pp[j]), int(self.ps[j]))
        minutes = [float(m) for m in state.week_minutes]
        col_of = {
            (int(p), int(s)): j
            for j, (p, s) in enumerate(zip(self.pp.tolist(), self.ps.tolist(), strict=True))
        }
        locked = ctx.locked_set
        w, up, off = self._utility_tables()
        w, up, off = w.tolist(), up.tolist(), off.tolist()
        s_min = self.s_min.tolist()
        pp, ps = self.pp.tolist(), self.ps.tolist()

        reach = [sum(up[p]) for p in range(ctx.nP)]  # the weekly target's minutes

        def utility(p: int, m: float) -> float:
            total = 0.0
            for k in range(len(w[p])):
                filled = min(max(m - off[p][k], 0.0), up[p][k])
                total += w[p][k] * filled
            return total

        if fairness:
            starts = [j for j in range(self.n_x) if not x[j]]
        else:  # only pairs worth points, best first
            starts = [int(j) for j in np.flatnonzero((cost[: self.n_x] > 0) & ~x)]
            starts.sort(key=lambda j: (-cost[j], j))
        for _round in range(3):
            moved = False
            for jp_s in starts:
                if _time.perf_counter() >= deadline:
                    return self.full_vector(x.astype(float))
                if x[jp_s]:
                    continue
                p, s = pp[jp_s], ps[jp_s]
                len_s = s_min[s]
                if fairness and minutes[p] >= reach[p]:
                    continue  # at or over target: more minutes add nothing
                done = False
                for t in list(state.shifts_of[p]):
                    if done:
                        break
                    if t == s or (p, t) in locked:
                        continue
                    jp_t = col_of[(p, t)]
                    len_t = s_min[t]
                    if fairness and len_t >= len_s:
                        # Fairness rises only if someone below target gains minutes;
                        # the swap where q gains is tried from q's side.
                        continue
                    for jq_s in self.shift_cols[s]:
                        if not x[jq_s]:
                            continue
                        q = pp[jq_s]
                        if q == p or (q, s) in locked:
                            continue
                        jq_t = col_of.get((q, t))
                        if jq_t is None or x[jq_t]:
                            continue
                        d_fair = 0.0
                        if len_s != len_t:
                            d_fair = (
                                utility(p, minutes[p] - len_t + len_s)
                                - utility(p, minutes[p])
                                + utility(q, minutes[q] - len_s + len_t)
                                - utility(q, minutes[q])
                            )
                        d_pts = cost[jp_s] + cost[jq_t] - cost[jp_t] - cost[jq_s]
                        if fairness:
                            if d_fair <= 1e-9:
                                continue
                        elif d_pts <= 1e-9 or d_fair < -1e-9:
                            continue
                        state.remove(p, t)
                        state.remove(q, s)
                        if state.can_add(p, s):
                            state.add(p, s)
                            if state.can_add(q, t):
                                state.add(q, t)
                                x[jp_t] = x[jq_s] = False
                                x[jp_s] = x[jq_t] = True
                                minutes[p] += len_s - len_t
                                minutes[q] += len_t - len_s
                                moved = done = True
                                break
                            state.remove(p, s)
                        state.add(q, s)
                        state.add(p, t)
            if not moved:
                break
        return self.full_vector(x.astype(float))

    def _lns(self, cost, best: np.ndarray, deadline: float, stop=None) -> np.ndarray:
        """Large-neighbourhood search: free every pair of a window of shifts (same
        day, consecutive start times) with the rest fixed, solve that sub-MIP
        exactly, keep improvements; windows in order, twice over while time lasts."""
        ctx = self.ctx
        order = sorted(
            range(ctx.nS), key=lambda s: (ctx.s_day[s], ctx.s_start[s], ctx.s_site[s], s)
        )
        chunks: list[list[int]] = []
        current: list[int] = []
        size = 0
        for s in order:
            n = len(self.shift_cols[s])
            if not n:
                continue
            if current and (size + n > LNS_COLUMNS or ctx.s_day[s] != ctx.s_day[current[0]]):
                chunks.append(current)
                current, size = [], 0
            current.append(s)
            size += n
        if current:
            chunks.append(current)
        best_value = float(cost @ best)
        for round_no in range(2):
            improved = False
            for k, chunk in enumerate(chunks):
                left = deadline - _time.perf_counter()
                if left < 0.3:
                    return best
                per_chunk = max(0.3, left / (len(chunks) * (2 - round_no) - k))
                free = np.zeros(self.n_col, bool)
                free[np.concatenate([self.shift_cols[s] for s in chunk])] = True
                people = set(self.pp[free[: self.n_x]].tolist())
                for (p, _d), c in self.y_index.items():
                    free[c] = p in people
                for c, p, _w in self.z_cols:
                    free[c] = p in people
                vec, _, _ = self._mip(
                    cost, best, min(deadline, _time.perf_counter() + per_chunk), free
                )
                value = float(cost @ vec)
                if value > best_value + 1e-9:
                    best, best_value, improved = vec, value, True
                    if stop is not None and stop(best_value):
                        return best
            if not improved:
                break
        return best

    def _neighbourhood(self, lp_x: np.ndarray, best: np.ndarray, widen: int) -> np.ndarray:
        """Columns left free in a RINS sub-MIP: pairs where the LP disagrees with the
        incumbent, most different first, widened to all pairs of the people involved,
        at most RINS_MAX_COLUMNS; the day and fairness columns of those people."""
        diff = np.abs(lp_x[: self.n_x] - best[: self.n_x])
        order = np.lexsort((np.arange(self.n_x), -diff))
        chosen = order[diff[order] > 1e-6][: RINS_MAX_COLUMNS // (1 + widen)]
        free = np.zeros(self.n_col, bool)
        free[chosen] = True
        if widen:
            budget = RINS_MAX_COLUMNS
            people: list[int] = []
            for p in dict.fromkeys(self.pp[chosen].tolist()):
                budget -= len(self.part_cols[p])
                if budget < 0:
                    break
                people.append(p)
            for p in people:
                free[self.part_cols[p]] = True
        people_free = set(self.pp[free[: self.n_x]].tolist())
        for (p, _d), c in self.y_index.items():
            free[c] = p in people_free
        for c, p, _w in self.z_cols:
            free[c] = p in people_free
        return free


def largest_subset_sum(items: list[int], limit: int) -> int:
    """The largest sum of some of ``items`` (positive integers) that is at most
    ``limit`` (0 when the limit is negative)."""
    if limit <= 0:
        return 0
    g = math.gcd(*items) if items else 1
    cap = limit // g
    mask = (1 << (cap + 1)) - 1
    reach = 1
    for item in items:
        reach = (reach | (reach << (item // g))) & mask
    return (reach.bit_length() - 1) * g


def travel_points(ctx: Context, p: int, s: int) -> int:
    home = ctx.participants[p].home_district
    site = ctx.sites[ctx.s_site[s]]
    if home is None or site.district is None:
        return 0
    minutes = ctx._site_travel(home, site.district, False)
    return max(0, TRAVEL_POINTS_MAX - minutes)
