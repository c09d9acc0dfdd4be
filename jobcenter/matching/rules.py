"""The hard rules of matching, in one place.

Every rule is written here once and used by the greedy tier, the exact optimiser
(which turns the same quantities into constraints), the explanations and the
engine's own final check. Two kinds of rule:

*Pair rules* depend on one participant and one shift only (plan dates, public
holidays, days away, availability windows, skills, avoided task kinds, whether the
shift can give the supervision the person needs, orientation). They are evaluated
both for one pair (:meth:`Context.pair_failures`, for explanations) and for all
pairs at once with numpy (:func:`failure_matrices`, for speed); a test proves the
two agree.

*Coupling rules* tie assignments together (no overlaps incl. travel between sites,
hours per day, days per week, hours per week, the monthly earnings ceiling, slots,
instructor capacity). :class:`PlanState` checks them incrementally against what is
already planned; the same quantities (:attr:`Context.fixed`) feed the optimiser.

Supervision (DOMAIN.md) as implemented:

* level 0 needs nothing; level 1 needs the site's own supervision, an instructor on
  site, or the person's own instructor reachable (their availability window covers
  the shift and they are not away that day);
* level 2 needs an instructor on site and takes 1 of their capacity K;
  level 3 needs an instructor on site and takes all of K;
* orientation: a person's first shift on a task kind or at a site (the kind or site
  is not among their ``known_kinds``/``known_sites``) needs an instructor on site and
  takes 1 of K even at level 0–1. Every such shift in the week counts as an
  orientation (conservative: the engine does not rely on the order of shifts);
* an instructor is in one place at a time: capacity is shared between overlapping
  shifts the instructor has at the same site; if the input puts one instructor on
  two overlapping shifts at different sites (travel time included), neither shift
  counts as having an instructor on site and a warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import numpy as np

from .model import (
    Instance,
    InstanceError,
    Notice,
    NoticeCode,
    Participant,
    ReasonCode,
    Shift,
    Window,
    validate,
)

UNLIMITED = 10**9
NO_SITE = -1


def _tod(t: time) -> int:
    return t.hour * 60 + t.minute


def window_covers(windows: tuple[Window, ...], weekday: int, start: int, end: int) -> bool:
    """Does one weekly window cover [start, end) (minutes of the day) on ``weekday``?"""
    return any(
        w.weekday == weekday and _tod(w.start) <= start and _tod(w.end) >= end for w in windows
    )


def intervals_conflict(a0: int, a1: int, b0: int, b1: int, travel: int) -> bool:
    """Two stretches of time clash when they overlap or leave less than ``travel``
    minutes between them (travel is 0 at the same site)."""
    return a0 < b1 + travel and b0 < a1 + travel


@dataclass(slots=True)
class Fixed:
    """What a participant already has this week: commitments outside the instance and
    locked assignments. Everything the engine adds comes on top of it."""

    intervals: list[tuple[int, int, int]]  # (start, end) in week minutes, site index
    day_minutes: list[int]  # 7 days
    days: set[int]
    week_minutes: int
    earn_cent_minutes: dict[int, int]  # month index -> wage_cents_per_hour * minutes


class Context:
    """An instance indexed for the rules: participants and shifts sorted by id, times
    as minutes from the start of the week, limits resolved to integers."""

    def __init__(self, instance: Instance):
        problems = validate(instance)
        if problems:
            raise InstanceError(problems)
        self.instance = instance
        self.warnings: list[Notice] = []
        self.participants: list[Participant] = sorted(instance.participants, key=lambda p: p.id)
        self.shifts: list[Shift] = sorted(instance.shifts, key=lambda s: s.id)
        self.p_index = {p.id: i for i, p in enumerate(self.participants)}
        self.s_index = {s.id: i for i, s in enumerate(self.shifts)}
        self.nP, self.nS = len(self.participants), len(self.shifts)
        self.wage = instance.wage_cents_per_hour
        week0 = datetime.combine(instance.week_start, time())
        self.week0 = week0
        self.days = [instance.week_start + timedelta(days=d) for d in range(7)]
        months = sorted({d.strftime("%Y-%m") for d in self.days})
        self.months = months
        self.month_of_day = [months.index(d.strftime("%Y-%m")) for d in self.days]

        # Sites and travel.
        self.sites = sorted(instance.sites, key=lambda s: s.id)
        self.site_index = {s.id: i for i, s in enumerate(self.sites)}
        n_sites = len(self.sites)
        travel = np.full((n_sites + 1, n_sites + 1), instance.default_travel_minutes, np.int64)
        for a, sa in enumerate(self.sites):
            for b, sb in enumerate(self.sites):
                travel[a, b] = self._site_travel(sa.district, sb.district, a == b)
        # Index -1 (NO_SITE) is the last row/column: an unknown place, default travel.
        self.travel = travel
        self.travel_list = travel.tolist()

        # Instructors.
        self.instructors = sorted(instance.instructors, key=lambda i: i.id)
        self.i_index = {ins.id: i for i, ins in enumerate(self.instructors)}

        # Shifts.
        def minutes(dt: datetime) -> int:
            return int((dt - week0).total_seconds() // 60)

        self.s_start = [minutes(s.start) for s in self.shifts]
        self.s_end = [minutes(s.end) for s in self.shifts]
        self.s_minutes = [s.minutes for s in self.shifts]
        self.s_day = [(s.start.date() - instance.week_start).days for s in self.shifts]
        self.s_date = [s.start.date() for s in self.shifts]
        self.s_weekday = [s.start.weekday() for s in self.shifts]
        self.s_tod = [(_tod(s.start.time()), _tod(s.end.time())) for s in self.shifts]
        self.s_month = [self.month_of_day[d] for d in self.s_day]
        self.s_site = [self.site_index[s.site] for s in self.shifts]
        self.s_holiday = [s.start.date() in instance.holidays for s in self.shifts]
        self.s_earn = [
            self.wage * m if s.paid else 0 for s, m in zip(self.shifts, self.s_minutes, strict=True)
        ]
        self._resolve_instructors()

        # Participants: limits as integers.
        self.p_max_day = [_lim(p.max_minutes_per_day) for p in self.participants]
        self.p_max_days = [_lim(p.max_days_per_week) for p in self.participants]
        self.p_max_week = [_lim(p.max_minutes_per_week) for p in self.participants]
        # Earnings room per month in cent-minutes (wage cents/h × minutes = 60 × cents).
        self.p_earn_room: list[list[int]] = []
        for p in self.participants:
            if p.monthly_earnings_ceiling_cents is None:
                self.p_earn_room.append([UNLIMITED * 60] * len(months))
            else:
                self.p_earn_room.append(
                    [
                        60 * (p.monthly_earnings_ceiling_cents - p.earned_cents.get(m, 0))
                        for m in months
                    ]
                )

        # Locked assignments and commitments.
        self.locked: list[tuple[int, int]] = sorted(
            {(self.p_index[lk.participant], self.s_index[lk.shift]) for lk in instance.locked}
        )
        self.locked_set = set(self.locked)
        self.s_locked_count = [0] * self.nS
        for _, s in self.locked:
            self.s_locked_count[s] += 1
        for s in range(self.nS):
            if self.s_locked_count[s] > self.shifts[s].slots:
                shift_id, locked, slots = (
                    self.shifts[s].id,
                    self.s_locked_count[s],
                    self.shifts[s].slots,
                )
                self.warnings.append(
                    Notice(
                        NoticeCode.LOCKED_OVER_SLOTS,
                        {"shift": shift_id, "locked": locked, "slots": slots},
                        f"shift {shift_id}: {locked} locked assignments for {slots} slots",
                    )
                )
        self.fixed = [self._fixed_usage(i) for i in range(self.nP)]
        self.group_locked_weight = [0] * len(self.groups)
        for p, s in self.locked:
            w = self.weight(p, s)
            for g in self.s_groups[s]:
                self.group_locked_weight[g] += w

    # ------------------------------------------------------------------ building

    def _site_travel(self, da: str | None, db: str | None, same_site: bool) -> int:
        inst = self.instance
        if same_site:
            return 0
        if da is not None and db is not None:
            table = inst.district_travel_minutes
            if (da, db) in table:
                return table[(da, db)]
            if (db, da) in table:
                return table[(db, da)]
            if da == db:
                return inst.same_district_travel_minutes
        return inst.default_travel_minutes

    def travel_between(self, site_a: int, site_b: int) -> int:
        return self.travel_list[site_a][site_b]

    def _resolve_instructors(self) -> None:
        """Effective on-site instructor per shift, and capacity groups: sets of one
        instructor's shifts at the same site that run at the same moment."""
        self.s_instructor: list[int] = [-1] * self.nS
        by_instructor: dict[int, list[int]] = {}
        for s, shift in enumerate(self.shifts):
            if shift.instructor is not None:
                i = self.i_index[shift.instructor]
                self.s_instructor[s] = i
                by_instructor.setdefault(i, []).append(s)
        # One place at a time.
        for i, shifts in sorted(by_instructor.items()):
            clash: set[int] = set()
            for a_pos, a in enumerate(shifts):
                for b in shifts[a_pos + 1 :]:
                    if self.s_site[a] == self.s_site[b]:
                        continue
                    if intervals_conflict(
                        self.s_start[a],
                        self.s_end[a],
                        self.s_start[b],
                        self.s_end[b],
                        self.travel_between(self.s_site[a], self.s_site[b]),
                    ):
                        clash.update((a, b))
            for s in sorted(clash):
                self.s_instructor[s] = -1
                shift_id, instructor_id = self.shifts[s].id, self.instructors[i].id
                self.warnings.append(
                    Notice(
                        NoticeCode.INSTRUCTOR_DOUBLE_BOOKED,
                        {"shift": shift_id, "instructor": instructor_id},
                        f"shift {shift_id}: instructor {instructor_id} is also at another site "
                        "at the same time or without time to travel between them, so the shift "
                        "counts as having no instructor on site",
                    )
                )
        self.s_capacity = [self.instructors[i].capacity if i >= 0 else 0 for i in self.s_instructor]
        # Capacity groups (maximal sets of simultaneous shifts of one instructor).
        self.groups: list[tuple[int, list[int]]] = []  # (instructor, shifts)
        self.s_groups: list[list[int]] = [[] for _ in range(self.nS)]
        by_instr_site: dict[tuple[int, int], list[int]] = {}
        for s in range(self.nS):
            if self.s_instructor[s] >= 0:
                by_instr_site.setdefault((self.s_instructor[s], self.s_site[s]), []).append(s)
        for (i, _site), shifts in sorted(by_instr_site.items()):
            sets: list[frozenset[int]] = []
            for t in sorted({self.s_start[s] for s in shifts}):
                sets.append(frozenset(s for s in shifts if self.s_start[s] <= t < self.s_end[s]))
            maximal = sorted(
                {a for a in sets if not any(a < b for b in sets)}, key=lambda g: sorted(g)
            )
            for members in maximal:
                gid = len(self.groups)
                self.groups.append((i, sorted(members)))
                for s in members:
                    self.s_groups[s].append(gid)

    def _fixed_usage(self, p: int) -> Fixed:
        part = self.participants[p]
        fx = Fixed([], [0] * 7, set(), 0, {})
        week0 = self.week0
        for c in part.commitments:
            start = int((c.start - week0).total_seconds() // 60)
            end = int((c.end - week0).total_seconds() // 60)
            site = self.site_index[c.site] if c.site is not None else NO_SITE
            fx.intervals.append((start, end, site))
            day = (c.start.date() - self.instance.week_start).days
            if 0 <= day < 7:
                fx.day_minutes[day] += end - start
                fx.days.add(day)
                fx.week_minutes += end - start
        for lp, s in self.locked:
            if lp != p:
                continue
            fx.intervals.append((self.s_start[s], self.s_end[s], self.s_site[s]))
            day = self.s_day[s]
            fx.day_minutes[day] += self.s_minutes[s]
            fx.days.add(day)
            fx.week_minutes += self.s_minutes[s]
            if self.s_earn[s]:
                month = self.s_month[s]
                fx.earn_cent_minutes[month] = fx.earn_cent_minutes.get(month, 0) + self.s_earn[s]
        return fx

    # ---------------------------------------------------------------- pair rules

    def needs_orientation(self, p: int, s: int) -> bool:
        part, shift = self.participants[p], self.shifts[s]
        return shift.kind not in part.known_kinds or shift.site not in part.known_sites

    def weight(self, p: int, s: int) -> int:
        """Instructor capacity this person takes on this shift."""
        level = self.participants[p].supervision_level
        if level == 3:
            return self.s_capacity[s]
        if level == 2 or self.needs_orientation(p, s):
            return 1
        return 0

    def instructor_reachable(self, p: int, s: int) -> bool:
        part = self.participants[p]
        if part.instructor is None:
            return False
        ins = self.instructors[self.i_index[part.instructor]]
        if self.s_date[s] in ins.days_away:
            return False
        start, end = self.s_tod[s]
        return window_covers(ins.availability, self.s_weekday[s], start, end)

    def pair_failures(self, p: int, s: int) -> list[tuple[ReasonCode, dict]]:
        """Every pair rule that stops participant ``p`` from taking shift ``s``."""
        part, shift = self.participants[p], self.shifts[s]
        out: list[tuple[ReasonCode, dict]] = []
        day = self.s_date[s]
        if not part.plan_start <= day <= part.plan_end:
            out.append(
                (
                    ReasonCode.PLAN_DATES,
                    {
                        "plan_start": part.plan_start.isoformat(),
                        "plan_end": part.plan_end.isoformat(),
                    },
                )
            )
        if self.s_holiday[s] and not (shift.holiday_work_allowed and part.works_on_holidays):
            out.append((ReasonCode.HOLIDAY, {"date": day.isoformat()}))
        if day in part.days_away:
            out.append((ReasonCode.DAY_AWAY, {"date": day.isoformat()}))
        start, end = self.s_tod[s]
        if not window_covers(part.availability, self.s_weekday[s], start, end):
            out.append((ReasonCode.AVAILABILITY, {}))
        missing = sorted(shift.required_skills - part.skills)
        if missing:
            out.append((ReasonCode.SKILLS, {"missing": missing}))
        if shift.kind in part.avoided_kinds:
            out.append((ReasonCode.AVOIDED_KIND, {"kind": shift.kind}))
        has_instructor = self.s_instructor[s] >= 0
        level = part.supervision_level
        if (level >= 2 and not has_instructor) or (
            level == 1
            and not (shift.site_supervision or has_instructor or self.instructor_reachable(p, s))
        ):
            out.append((ReasonCode.SUPERVISION, {"level": level}))
        if self.needs_orientation(p, s) and not has_instructor:
            out.append(
                (
                    ReasonCode.ORIENTATION,
                    {
                        "new_kind": shift.kind not in part.known_kinds,
                        "new_site": shift.site not in part.known_sites,
                    },
                )
            )
        return out


def _lim(value: int | None) -> int:
    return UNLIMITED if value is None else value


# ------------------------------------------------------------ vectorised pair rules

PAIR_RULE_ORDER = (
    ReasonCode.PLAN_DATES,
    ReasonCode.HOLIDAY,
    ReasonCode.DAY_AWAY,
    ReasonCode.AVAILABILITY,
    ReasonCode.SKILLS,
    ReasonCode.AVOIDED_KIND,
    ReasonCode.SUPERVISION,
    ReasonCode.ORIENTATION,
)
# Coupling rules checked against what is fixed (commitments and locked assignments).
FIXED_RULE_ORDER = (
    ReasonCode.SLOTS_FULL,
    ReasonCode.OVERLAP,
    ReasonCode.DAILY_HOURS,
    ReasonCode.DAYS_PER_WEEK,
    ReasonCode.WEEKLY_HOURS,
    ReasonCode.EARNINGS_CEILING,
    ReasonCode.INSTRUCTOR_CAPACITY,
)


def _availability_matrix(windows_per_row, weekday, start, end) -> np.ndarray:
    rows = len(windows_per_row)
    width = max((len(w) for w in windows_per_row), default=0)
    out = np.zeros((rows, len(weekday)), dtype=bool)
    if width == 0 or rows == 0:
        return out
    wd = np.full((rows, width), -1, np.int64)
    ws = np.zeros((rows, width), np.int64)
    we = np.zeros((rows, width), np.int64)
    for r, windows in enumerate(windows_per_row):
        for j, w in enumerate(windows):
            wd[r, j], ws[r, j], we[r, j] = w.weekday, _tod(w.start), _tod(w.end)
    for j in range(width):
        out |= (
            (wd[:, j, None] == weekday[None, :])
            & (ws[:, j, None] <= start[None, :])
            & (we[:, j, None] >= end[None, :])
        )
    return out


def failure_matrices(ctx: Context) -> dict[ReasonCode, np.ndarray]:
    """For each rule, a participants × shifts boolean matrix: True where the rule
    stops the pair. Pair rules, then coupling rules against the fixed usage."""
    P, S = ctx.nP, ctx.nS
    parts, shifts = ctx.participants, ctx.shifts
    out: dict[ReasonCode, np.ndarray] = {}
    s_ord = np.array([d.toordinal() for d in ctx.s_date], np.int64)
    s_dayi = np.array(ctx.s_day, np.int64)
    s_weekday = np.array(ctx.s_weekday, np.int64)
    s_tod0 = np.array([t[0] for t in ctx.s_tod], np.int64)
    s_tod1 = np.array([t[1] for t in ctx.s_tod], np.int64)
    s_min = np.array(ctx.s_minutes, np.int64)

    start = np.array([p.plan_start.toordinal() for p in parts], np.int64)
    end = np.array([p.plan_end.toordinal() for p in parts], np.int64)
    out[ReasonCode.PLAN_DATES] = (start[:, None] > s_ord[None, :]) | (end[:, None] < s_ord[None, :])

    s_hol = np.array(ctx.s_holiday, bool)
    s_hol_ok = np.array([s.holiday_work_allowed for s in shifts], bool)
    p_hol = np.array([p.works_on_holidays for p in parts], bool)
    out[ReasonCode.HOLIDAY] = s_hol[None, :] & ~(s_hol_ok[None, :] & p_hol[:, None])

    away = np.zeros((P, 7), bool)
    for i, p in enumerate(parts):
        for d in p.days_away:
            k = (d - ctx.instance.week_start).days
            if 0 <= k < 7:
                away[i, k] = True
    out[ReasonCode.DAY_AWAY] = away[:, s_dayi]
    out[ReasonCode.AVAILABILITY] = ~_availability_matrix(
        [p.availability for p in parts], s_weekday, s_tod0, s_tod1
    )

    skills = sorted(set().union(*(s.required_skills for s in shifts)) if shifts else set())
    if skills:
        k_index = {k: j for j, k in enumerate(skills)}
        req = np.zeros((S, len(skills)), np.int32)
        for j, s in enumerate(shifts):
            for k in s.required_skills:
                req[j, k_index[k]] = 1
        lack = np.ones((P, len(skills)), np.int32)
        for i, p in enumerate(parts):
            for k in p.skills:
                if k in k_index:
                    lack[i, k_index[k]] = 0
        out[ReasonCode.SKILLS] = (lack @ req.T) > 0
    else:
        out[ReasonCode.SKILLS] = np.zeros((P, S), bool)

    kinds = sorted({s.kind for s in shifts})
    kind_index = {k: j for j, k in enumerate(kinds)}
    s_kind = np.array([kind_index[s.kind] for s in shifts], np.int64)
    avoid = np.zeros((P, len(kinds)), bool)
    known_kind = np.zeros((P, len(kinds)), bool)
    n_sites = len(ctx.sites)
    known_site = np.zeros((P, n_sites), bool)
    for i, p in enumerate(parts):
        for k in p.avoided_kinds:
            if k in kind_index:
                avoid[i, kind_index[k]] = True
        for k in p.known_kinds:
            if k in kind_index:
                known_kind[i, kind_index[k]] = True
        for site in p.known_sites:
            if site in ctx.site_index:
                known_site[i, ctx.site_index[site]] = True
    out[ReasonCode.AVOIDED_KIND] = avoid[:, s_kind]

    s_site = np.array(ctx.s_site, np.int64)
    has_inst = np.array([i >= 0 for i in ctx.s_instructor], bool)
    site_sup = np.array([s.site_supervision for s in shifts], bool)
    level = np.array([p.supervision_level for p in parts], np.int64)
    # Own instructor reachable: instructor availability covers the shift, not away.
    i_ok = _availability_matrix(
        [ins.availability for ins in ctx.instructors], s_weekday, s_tod0, s_tod1
    )
    for i, ins in enumerate(ctx.instructors):
        for d in ins.days_away:
            k = (d - ctx.instance.week_start).days
            if 0 <= k < 7:
                i_ok[i, s_dayi == k] = False
    own = np.array([ctx.i_index[p.instructor] if p.instructor else -1 for p in parts], np.int64)
    reach = np.zeros((P, S), bool)
    has_own = own >= 0
    if has_own.any():
        reach[has_own] = i_ok[own[has_own]]
    out[ReasonCode.SUPERVISION] = ((level[:, None] >= 2) & ~has_inst[None, :]) | (
        (level[:, None] == 1) & ~(site_sup[None, :] | has_inst[None, :] | reach)
    )
    orient = ~known_kind[:, s_kind] | ~known_site[:, s_site]
    out[ReasonCode.ORIENTATION] = orient & ~has_inst[None, :]

    # ---- coupling rules against the fixed usage (commitments + locked).
    s_room = np.array(
        [s.slots - c for s, c in zip(shifts, ctx.s_locked_count, strict=True)], np.int64
    )
    out[ReasonCode.SLOTS_FULL] = np.broadcast_to(s_room[None, :] <= 0, (P, S)).copy()
    fx = ctx.fixed
    overlap = np.zeros((P, S), bool)
    width = max((len(f.intervals) for f in fx), default=0)
    if width:
        s_end = np.array(ctx.s_end, np.int64)
        s_beg = np.array(ctx.s_start, np.int64)
        for j in range(width):
            rows = np.array([i for i in range(P) if len(fx[i].intervals) > j], np.int64)
            f0 = np.array([fx[i].intervals[j][0] for i in rows], np.int64)
            f1 = np.array([fx[i].intervals[j][1] for i in rows], np.int64)
            fs = np.array([fx[i].intervals[j][2] for i in rows], np.int64)
            t = ctx.travel[fs[:, None], s_site[None, :]]
            overlap[rows] |= (f0[:, None] < s_end[None, :] + t) & (s_beg[None, :] < f1[:, None] + t)
    out[ReasonCode.OVERLAP] = overlap
    fday = np.array([f.day_minutes for f in fx], np.int64).reshape(P, 7)
    max_day = np.array(ctx.p_max_day, np.int64)
    out[ReasonCode.DAILY_HOURS] = fday[:, s_dayi] + s_min[None, :] > max_day[:, None]
    has_day = np.zeros((P, 7), bool)
    for i, f in enumerate(fx):
        for d in f.days:
            has_day[i, d] = True
    ndays = has_day.sum(axis=1)
    max_days = np.array(ctx.p_max_days, np.int64)
    out[ReasonCode.DAYS_PER_WEEK] = ~has_day[:, s_dayi] & (ndays >= max_days)[:, None]
    fweek = np.array([f.week_minutes for f in fx], np.int64)
    max_week = np.array(ctx.p_max_week, np.int64)
    out[ReasonCode.WEEKLY_HOURS] = fweek[:, None] + s_min[None, :] > max_week[:, None]
    n_months = len(ctx.months)
    room = np.array(ctx.p_earn_room, np.int64).reshape(P, n_months)
    used = np.array(
        [[f.earn_cent_minutes.get(m, 0) for m in range(n_months)] for f in fx], np.int64
    ).reshape(P, n_months)
    s_month = np.array(ctx.s_month, np.int64)
    s_earn = np.array(ctx.s_earn, np.int64)
    out[ReasonCode.EARNINGS_CEILING] = (s_earn[None, :] > 0) & (
        used[:, s_month] + s_earn[None, :] > room[:, s_month]
    )
    cap = np.array(ctx.s_capacity, np.int64)
    cap_room = cap.copy()
    for s in range(S):
        if ctx.s_groups[s]:
            cap_room[s] -= max(ctx.group_locked_weight[g] for g in ctx.s_groups[s])
    weight = np.where(
        level[:, None] == 3, cap[None, :], np.where((level[:, None] == 2) | orient, 1, 0)
    )
    out[ReasonCode.INSTRUCTOR_CAPACITY] = (weight > 0) & (weight > cap_room[None, :])
    return out


def candidate_matrix(failures: dict[ReasonCode, np.ndarray], ctx: Context) -> np.ndarray:
    """Pairs that no rule excludes on its own (locked pairs are not candidates:
    they are fixed)."""
    ok = np.ones((ctx.nP, ctx.nS), bool)
    for m in failures.values():
        ok &= ~m
    for p, s in ctx.locked:
        ok[p, s] = False
    return ok


# --------------------------------------------------------------- coupling rules


class PlanState:
    """A roster being built on top of the fixed usage, with incremental checks of
    every coupling rule."""

    __slots__ = (
        "ctx",
        "day_minutes",
        "days",
        "earn",
        "filled",
        "group_weight",
        "intervals",
        "pairs",
        "shifts_of",
        "week_minutes",
    )

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.intervals = [list(f.intervals) for f in ctx.fixed]
        self.day_minutes = [list(f.day_minutes) for f in ctx.fixed]
        self.days = [set(f.days) for f in ctx.fixed]
        self.week_minutes = [f.week_minutes for f in ctx.fixed]
        self.earn = [dict(f.earn_cent_minutes) for f in ctx.fixed]
        self.filled = list(ctx.s_locked_count)
        self.group_weight = list(ctx.group_locked_weight)
        self.pairs: set[tuple[int, int]] = set(ctx.locked_set)
        self.shifts_of: list[list[int]] = [[] for _ in range(ctx.nP)]
        for p, s in ctx.locked:
            self.shifts_of[p].append(s)

    def blocking(self, p: int, s: int, first_only: bool = True) -> list[tuple[ReasonCode, dict]]:
        """Coupling rules that adding (p, s) would break, given what is planned."""
        ctx = self.ctx
        out: list[tuple[ReasonCode, dict]] = []
        if self.filled[s] >= ctx.shifts[s].slots:
            out.append((ReasonCode.SLOTS_FULL, {"slots": ctx.shifts[s].slots}))
            if first_only:
                return out
        s0, s1, site = ctx.s_start[s], ctx.s_end[s], ctx.s_site[s]
        row = ctx.travel_list[site]
        for a0, a1, asite in self.intervals[p]:
            if intervals_conflict(a0, a1, s0, s1, row[asite]):
                out.append((ReasonCode.OVERLAP, {}))
                if first_only:
                    return out
                break
        minutes = ctx.s_minutes[s]
        day = ctx.s_day[s]
        if self.day_minutes[p][day] + minutes > ctx.p_max_day[p]:
            out.append(
                (
                    ReasonCode.DAILY_HOURS,
                    {
                        "limit_minutes": ctx.p_max_day[p],
                        "planned_minutes": self.day_minutes[p][day],
                    },
                )
            )
            if first_only:
                return out
        if day not in self.days[p] and len(self.days[p]) >= ctx.p_max_days[p]:
            out.append(
                (
                    ReasonCode.DAYS_PER_WEEK,
                    {"limit_days": ctx.p_max_days[p], "planned_days": len(self.days[p])},
                )
            )
            if first_only:
                return out
        if self.week_minutes[p] + minutes > ctx.p_max_week[p]:
            out.append(
                (
                    ReasonCode.WEEKLY_HOURS,
                    {"limit_minutes": ctx.p_max_week[p], "planned_minutes": self.week_minutes[p]},
                )
            )
            if first_only:
                return out
        earn = ctx.s_earn[s]
        if earn:
            month = ctx.s_month[s]
            if self.earn[p].get(month, 0) + earn > ctx.p_earn_room[p][month]:
                out.append((ReasonCode.EARNINGS_CEILING, {"month": ctx.months[month]}))
                if first_only:
                    return out
        w = ctx.weight(p, s) if ctx.s_groups[s] else 0
        if w:
            cap = ctx.s_capacity[s]
            if any(self.group_weight[g] + w > cap for g in ctx.s_groups[s]):
                out.append((ReasonCode.INSTRUCTOR_CAPACITY, {"capacity": cap, "needed": w}))
        return out

    def can_add(self, p: int, s: int) -> bool:
        return not self.blocking(p, s)

    def add(self, p: int, s: int, weight: int | None = None) -> None:
        ctx = self.ctx
        self.pairs.add((p, s))
        self.shifts_of[p].append(s)
        self.filled[s] += 1
        self.intervals[p].append((ctx.s_start[s], ctx.s_end[s], ctx.s_site[s]))
        day = ctx.s_day[s]
        self.day_minutes[p][day] += ctx.s_minutes[s]
        self.days[p].add(day)
        self.week_minutes[p] += ctx.s_minutes[s]
        if ctx.s_earn[s]:
            month = ctx.s_month[s]
            self.earn[p][month] = self.earn[p].get(month, 0) + ctx.s_earn[s]
        if ctx.s_groups[s]:
            w = ctx.weight(p, s) if weight is None else weight
            for g in ctx.s_groups[s]:
                self.group_weight[g] += w

    def remove(self, p: int, s: int) -> None:
        ctx = self.ctx
        self.pairs.discard((p, s))
        self.shifts_of[p].remove(s)
        self.filled[s] -= 1
        self.intervals[p].remove((ctx.s_start[s], ctx.s_end[s], ctx.s_site[s]))
        day = ctx.s_day[s]
        self.day_minutes[p][day] -= ctx.s_minutes[s]
        if day not in ctx.fixed[p].days and not any(ctx.s_day[t] == day for t in self.shifts_of[p]):
            self.days[p].discard(day)
        self.week_minutes[p] -= ctx.s_minutes[s]
        if ctx.s_earn[s]:
            month = ctx.s_month[s]
            self.earn[p][month] -= ctx.s_earn[s]
        if ctx.s_groups[s]:
            w = ctx.weight(p, s)
            for g in ctx.s_groups[s]:
                self.group_weight[g] -= w
