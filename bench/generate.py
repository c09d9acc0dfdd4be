"""Generated weekly matching instances with a realistic mix, from fixed seeds.

The mix follows DOMAIN.md and the pilot: two streams (rehabilitative: at most
4 days, 8 h a day, 32 h a week; disability: limits set per person), supervision
levels 0–3 with on-site instructors as the scarce resource, the pilot's task kinds
and the skills catalogue, weekly availability windows, plan dates, days away,
preferred and avoided task kinds, orientation (kinds and sites people already
know), monthly earnings ceilings, commitments outside the instance, locked
assignments, Helsinki's major districts with travel times, and public holidays
from the ``holidays`` package (the M week has Ascension Day, the L week May Day and
a month boundary).
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import resources

import holidays as holiday_calendar

from jobcenter.matching.model import (
    Commitment,
    Instance,
    Instructor,
    LockedAssignment,
    Participant,
    Shift,
    Site,
    Stream,
    Window,
)


@dataclass(frozen=True)
class Size:
    name: str
    participants: int
    shifts: int
    sites: int
    instructors: int
    week_start: date
    seed: int


SIZES = {
    "S": Size("S", 100, 80, 12, 4, date(2026, 3, 2), 101),
    "M": Size("M", 1000, 600, 80, 35, date(2026, 5, 11), 202),
    "L": Size("L", 2000, 1500, 150, 80, date(2026, 4, 27), 303),
}

WAGE_CENTS_PER_HOUR = 1000  # Helsinki's model: 10 €/h for task hours


def _seed_codes(name: str) -> list[tuple[str, str]]:
    text = resources.files("jobcenter.seed").joinpath(name).read_text(encoding="utf-8")
    return [(row["code"], row["name_en"]) for row in csv.DictReader(text.splitlines())]


def _hm(h: float) -> time:
    minutes = round(h * 60)
    return time(minutes // 60, minutes % 60)


def generate(size: Size | str) -> Instance:
    if isinstance(size, str):
        size = SIZES[size]
    rng = random.Random(size.seed)
    week = [size.week_start + timedelta(days=d) for d in range(7)]
    fi_holidays = holiday_calendar.Finland(years=sorted({d.year for d in week}))
    week_holidays = frozenset(d for d in week if d in fi_holidays)

    districts = [code for code, _ in _seed_codes("districts_helsinki.csv")]
    skills = _seed_codes("skills.csv")
    kinds = _seed_codes("task_kinds.csv")
    skill_codes = [c for c, _ in skills]
    kind_codes = [c for c, _ in kinds]
    # Popularity: a few skills and kinds are common, most are rarer.
    skill_weights = [1.0 / (1 + i) ** 0.7 for i in range(len(skill_codes))]
    kind_weights = [1.0 / (1 + i) ** 0.6 for i in range(len(kind_codes))]

    pos = {d: (rng.uniform(0, 12), rng.uniform(0, 8)) for d in districts}
    travel = {}
    for a in districts:
        for b in districts:
            if a < b:
                dist = math.dist(pos[a], pos[b])
                travel[(a, b)] = 15 + 5 * round(dist * 3 / 5)

    sites = [Site(f"site{j:03d}", f"Site {j}", rng.choice(districts)) for j in range(size.sites)]
    sites_by_district: dict[str, list[Site]] = {}
    for s in sites:
        sites_by_district.setdefault(s.district, []).append(s)

    weekdays_windows = []
    instructors = []
    for k in range(size.instructors):
        start = rng.choice([7.5, 8.0, 8.0, 8.5])
        windows = tuple(Window(d, _hm(start), _hm(start + 8)) for d in range(5))
        away = frozenset({rng.choice(week[:5])}) if rng.random() < 0.1 else frozenset()
        instructors.append(
            Instructor(f"ins{k:03d}", rng.choice([3, 4, 4, 5, 6]), f"Instructor {k}", windows, away)
        )
    weekdays_windows.append(None)

    # ---- shifts: recurring tasks at sites, some days a week.
    shifts: list[Shift] = []
    task_no = 0
    busy: dict[str, list[tuple[datetime, datetime, str]]] = {i.id: [] for i in instructors}

    def instructor_free(ins: Instructor, start: datetime, end: datetime, site: Site) -> bool:
        if start.date() in ins.days_away:
            return False
        for b0, b1, bsite in busy[ins.id]:
            gap = 0 if bsite == site.id else 45
            if b0 < end + timedelta(minutes=gap) and start < b1 + timedelta(minutes=gap):
                return False
        return True

    while len(shifts) < size.shifts:
        task_no += 1
        site = rng.choice(sites)
        kind = rng.choices(kind_codes, kind_weights)[0]
        r = rng.random()
        req = (
            frozenset()
            if r < 0.5
            else frozenset(rng.choices(skill_codes, skill_weights, k=1 if r < 0.9 else 2))
        )
        length = rng.choice([2, 3, 3, 4, 4, 4, 5, 6])
        start_h = rng.choice([7, 8, 8, 9, 9, 10, 12, 13])
        if start_h + length > 17:
            start_h = 17 - length
        slots = rng.choices([1, 2, 3, 4, 6], [25, 35, 20, 15, 5])[0]
        site_sup = rng.random() < 0.3
        wants_instructor = rng.random() < 0.55
        paid = rng.random() < 0.95
        hol_ok = rng.random() < 0.15
        n_days = rng.choices([1, 2, 3, 5], [40, 30, 20, 10])[0]
        days = sorted(rng.sample(range(5), n_days))
        if rng.random() < 0.04:
            days = [5]  # a Saturday task
        for d in days:
            if len(shifts) >= size.shifts:
                break
            start = datetime.combine(week[d], time(start_h))
            end = start + timedelta(hours=length)
            instructor = None
            if wants_instructor:
                for ins in rng.sample(instructors, len(instructors)):
                    if instructor_free(ins, start, end, site):
                        instructor = ins.id
                        busy[ins.id].append((start, end, site.id))
                        break
            shifts.append(
                Shift(
                    id=f"sh{len(shifts):05d}",
                    kind=kind,
                    site=site.id,
                    start=start,
                    end=end,
                    slots=slots,
                    task=f"task{task_no:04d}",
                    title=f"{dict(kinds)[kind]} at {site.name}",
                    required_skills=req,
                    instructor=instructor,
                    site_supervision=site_sup,
                    paid=paid,
                    holiday_work_allowed=hol_ok,
                )
            )

    # ---- participants.
    participants: list[Participant] = []
    months = sorted({d.strftime("%Y-%m") for d in week})
    window_templates = [(8, 12), (8, 16), (9, 15), (12, 16), (8, 14), (10, 16), (7, 15)]
    for k in range(size.participants):
        rehab = rng.random() < 0.4
        level = rng.choices([0, 1, 2, 3], [25, 35, 30, 10])[0]
        n_days = rng.choices([2, 3, 4, 5], [25, 35, 30, 10])[0]
        av_days = sorted(rng.sample(range(5), n_days))
        windows = []
        for d in av_days:
            a, b = rng.choice(window_templates)
            windows.append(Window(d, _hm(a), _hm(b)))
        if rng.random() < 0.05:
            windows.append(Window(5, _hm(8), _hm(16)))
        if rehab:
            max_day, max_days, max_week = 480, min(4, rng.choice([2, 3, 4])), 1920
            target = rng.choice([8, 12, 16, 20, 24]) * 60
        else:
            max_day = rng.choice([240, 300, 360, 420])
            max_days = rng.choice([2, 3, 4, 5])
            max_week = rng.choice([10, 12, 15, 20, 25]) * 60
            target = min(max_week, rng.choice([6, 8, 10, 12, 16]) * 60)
        plan_start = size.week_start - timedelta(days=rng.randint(10, 300))
        plan_end = size.week_start + timedelta(days=rng.randint(20, 300))
        r = rng.random()
        if r < 0.02:
            plan_start = size.week_start + timedelta(days=rng.randint(1, 4))
        elif r < 0.04:
            plan_end = size.week_start + timedelta(days=rng.randint(0, 3))
        home = rng.choice(districts)
        n_skills = rng.choices([0, 1, 2, 3, 4], [15, 30, 30, 15, 10])[0]
        p_skills = frozenset(rng.choices(skill_codes, skill_weights, k=n_skills))
        preferred = frozenset(rng.sample(kind_codes, rng.choice([0, 1, 1, 2])))
        avoided = frozenset(
            k for k in rng.sample(kind_codes, rng.choice([0, 0, 1])) if k not in preferred
        )
        known_kinds = frozenset(rng.sample(kind_codes, rng.choice([1, 3, 5, 8])))
        near = sites_by_district.get(home, []) + rng.sample(sites, min(len(sites), 4))
        known_sites = frozenset(s.id for s in rng.sample(near, min(len(near), rng.randint(1, 6))))
        ceiling = None
        earned: dict[str, int] = {}
        if rng.random() < 0.2:
            ceiling = rng.choice([150, 250, 300, 400]) * 100
            earned = {m: rng.randint(0, ceiling) for m in months}
        commitments = ()
        if rng.random() < 0.05:
            d = rng.choice(av_days)
            c0 = datetime.combine(week[d], time(rng.choice([8, 12])))
            commitments = (Commitment(c0, c0 + timedelta(hours=3), rng.choice(sites).id),)
        away = frozenset({week[rng.choice(av_days)]}) if rng.random() < 0.05 else frozenset()
        participants.append(
            Participant(
                id=f"p{k:05d}",
                stream=Stream.REHABILITATIVE if rehab else Stream.DISABILITY,
                plan_start=plan_start,
                plan_end=plan_end,
                supervision_level=level,
                name=f"Participant {k}",
                instructor=rng.choice(instructors).id,
                availability=tuple(windows),
                days_away=away,
                skills=p_skills,
                preferred_kinds=preferred,
                avoided_kinds=avoided,
                home_district=home,
                max_minutes_per_day=max_day,
                max_days_per_week=max_days,
                max_minutes_per_week=max_week,
                weekly_target_minutes=target,
                works_on_holidays=(not rehab) and rng.random() < 0.3,
                monthly_earnings_ceiling_cents=ceiling,
                earned_cents=earned,
                known_kinds=known_kinds,
                known_sites=known_sites,
                commitments=commitments,
            )
        )

    base = Instance(
        week_start=size.week_start,
        participants=tuple(participants),
        shifts=tuple(shifts),
        instructors=tuple(instructors),
        sites=tuple(sites),
        holidays=week_holidays,
        wage_cents_per_hour=WAGE_CENTS_PER_HOUR,
        default_travel_minutes=40,
        same_district_travel_minutes=15,
        district_travel_minutes=travel,
        skill_names=dict(skills),
        kind_names=dict(kinds),
    )
    return _with_history(base, rng)


def _with_history(base: Instance, rng: random.Random) -> Instance:
    """Add previous assignees per task and some locked assignments, both drawn from
    pairs the rules allow, so the instance is consistent."""
    from dataclasses import replace

    from jobcenter.matching.rules import Context, PlanState, candidate_matrix, failure_matrices

    ctx = Context(base)
    ok = candidate_matrix(failure_matrices(ctx), ctx)
    previous: dict[str, set[str]] = {}
    for s, shift in enumerate(ctx.shifts):
        if shift.task is None or rng.random() < 0.5:
            continue
        rows = [int(p) for p in ok[:, s].nonzero()[0]]
        for p in rng.sample(rows, min(len(rows), rng.randint(1, 3))):
            previous.setdefault(shift.task, set()).add(ctx.participants[p].id)
    state = PlanState(ctx)
    locked = []
    for s in rng.sample(range(ctx.nS), ctx.nS // 25):
        rows = [int(p) for p in ok[:, s].nonzero()[0]]
        rng.shuffle(rows)
        for p in rows:
            if state.can_add(p, s):
                state.add(p, s)
                locked.append(LockedAssignment(ctx.participants[p].id, ctx.shifts[s].id))
                break
    return replace(
        base,
        locked=tuple(locked),
        previous_assignees={t: frozenset(v) for t, v in sorted(previous.items())},
    )
