"""An independent hard-rule checker for matching rosters.

Written apart from the engine (it does not import ``jobcenter.matching.rules``): it
reads the instance's plain dataclasses and a roster of (participant id, shift id)
pairs and lists every broken rule in words. Used by the property tests and by the
benchmark (``violations`` column).

Locked assignments are given, not chosen: a roster must contain them, they are not
themselves checked, but they count toward every limit. A limit is broken when the
roster goes over it *and* over what the locked assignments and commitments alone
already use.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from jobcenter.matching.model import Instance, Participant, Shift


def _travel(instance: Instance, site_a: str | None, site_b: str | None) -> int:
    if site_a is not None and site_a == site_b:
        return 0
    districts = {s.id: s.district for s in instance.sites}
    da = districts.get(site_a) if site_a is not None else None
    db = districts.get(site_b) if site_b is not None else None
    if da is None or db is None:
        return instance.default_travel_minutes
    table = instance.district_travel_minutes
    if (da, db) in table:
        return table[(da, db)]
    if (db, da) in table:
        return table[(db, da)]
    if da == db:
        return instance.same_district_travel_minutes
    return instance.default_travel_minutes


def _clash(
    instance: Instance,
    a: tuple[datetime, datetime, str | None],
    b: tuple[datetime, datetime, str | None],
) -> bool:
    gap = _travel(instance, a[2], b[2])
    start_a, end_a = a[0].timestamp() / 60, a[1].timestamp() / 60
    start_b, end_b = b[0].timestamp() / 60, b[1].timestamp() / 60
    return start_a < end_b + gap and start_b < end_a + gap


def _covered(windows, when_start: datetime, when_end: datetime) -> bool:
    for w in windows:
        if (
            w.weekday == when_start.weekday()
            and w.start <= when_start.time()
            and when_end.time() <= w.end
        ):
            return True
    return False


def instructor_on_site(instance: Instance, shift: Shift) -> bool:
    """The shift has its instructor on site, who is not also at another site then."""
    if shift.instructor is None:
        return False
    for other in instance.shifts:
        if other.id == shift.id or other.instructor != shift.instructor or other.site == shift.site:
            continue
        if _clash(
            instance, (shift.start, shift.end, shift.site), (other.start, other.end, other.site)
        ):
            return False
    return True


def _new_here(p: Participant, shift: Shift) -> bool:
    return shift.kind not in p.known_kinds or shift.site not in p.known_sites


def _load(p: Participant, shift: Shift, instance: Instance) -> int:
    capacity = {i.id: i.capacity for i in instance.instructors}
    if p.supervision_level == 3:
        return capacity[shift.instructor]
    if p.supervision_level == 2 or _new_here(p, shift):
        return 1
    return 0


def pair_problems(instance: Instance, p: Participant, shift: Shift) -> list[str]:
    """Rules that depend on this person and this shift alone."""
    out = []
    day = shift.start.date()
    if day < p.plan_start or day > p.plan_end:
        out.append("outside plan dates")
    if day in instance.holidays and not (shift.holiday_work_allowed and p.works_on_holidays):
        out.append("public holiday")
    if day in p.days_away:
        out.append("day away")
    if not _covered(p.availability, shift.start, shift.end):
        out.append("not available")
    if not shift.required_skills <= p.skills:
        out.append("missing skill")
    if shift.kind in p.avoided_kinds:
        out.append("avoided kind")
    on_site = instructor_on_site(instance, shift)
    if p.supervision_level >= 2 and not on_site:
        out.append("needs an instructor on site")
    if p.supervision_level == 1 and not (shift.site_supervision or on_site):
        own = next((i for i in instance.instructors if i.id == p.instructor), None)
        if (
            own is None
            or day in own.days_away
            or not _covered(own.availability, shift.start, shift.end)
        ):
            out.append("level 1 without anyone reachable")
    if _new_here(p, shift) and not on_site:
        out.append("orientation without an instructor on site")
    return out


def violations(instance: Instance, roster: Iterable[tuple[str, str]]) -> list[str]:
    """Every hard rule the roster breaks, as readable strings (empty when valid)."""
    roster = sorted(set(roster))
    people = {p.id: p for p in instance.participants}
    shifts = {s.id: s for s in instance.shifts}
    locked = {(lk.participant, lk.shift) for lk in instance.locked}
    found: list[str] = []
    for pair in sorted(locked - set(roster)):
        found.append(f"locked assignment {pair} was dropped")
    for pid, sid in roster:
        if pid not in people or sid not in shifts:
            found.append(f"unknown pair {(pid, sid)}")
    roster = [(p, s) for p, s in roster if p in people and s in shifts]
    chosen = [(p, s) for p, s in roster if (p, s) not in locked]
    for pid, sid in chosen:
        for problem in pair_problems(instance, people[pid], shifts[sid]):
            found.append(f"{pid} on {sid}: {problem}")

    # Slots.
    per_shift: dict[str, list[str]] = defaultdict(list)
    for pid, sid in roster:
        per_shift[sid].append(pid)
    for sid, pids in per_shift.items():
        n_locked = sum((pid, sid) in locked for pid in pids)
        if len(pids) > shifts[sid].slots and len(pids) > n_locked:
            found.append(f"{sid}: {len(pids)} people for {shifts[sid].slots} slots")

    # Per participant: overlaps, hours, days, earnings.
    week = instance.week_start
    for pid in sorted(
        {p for p, _ in roster} | {p.id for p in instance.participants if p.commitments}
    ):
        p = people[pid]
        mine = [shifts[sid] for q, sid in roster if q == pid]
        is_locked = {sid: (pid, sid) in locked for q, sid in roster if q == pid}
        spans = [(s.start, s.end, s.site, is_locked[s.id], s.id) for s in mine]
        spans += [(c.start, c.end, c.site, True, "commitment") for c in p.commitments]
        for i, a in enumerate(spans):
            for b in spans[i + 1 :]:
                if (a[3] and b[3]) or not _clash(instance, a[:3], b[:3]):
                    continue
                found.append(f"{pid}: {a[4]} and {b[4]} overlap or leave no time to travel")

        def totals(only_fixed: bool, spans=spans):
            day_minutes: dict = defaultdict(int)
            earned: dict = defaultdict(int)
            for start, end, _site, fixed, sid in spans:
                if only_fixed and not fixed:
                    continue
                if 0 <= (start.date() - week).days < 7:
                    day_minutes[start.date()] += int((end - start).total_seconds() // 60)
                if sid != "commitment" and shifts[sid].paid:
                    minutes = int((end - start).total_seconds() // 60)
                    earned[start.strftime("%Y-%m")] += instance.wage_cents_per_hour * minutes
            return day_minutes, earned

        all_days, all_earned = totals(False)
        fixed_days, fixed_earned = totals(True)
        if p.max_minutes_per_day is not None:
            for day, minutes in all_days.items():
                if minutes > p.max_minutes_per_day and minutes > fixed_days.get(day, 0):
                    found.append(f"{pid}: {minutes} min on {day}, limit {p.max_minutes_per_day}")
        if p.max_days_per_week is not None:
            n, n_fixed = len(all_days), len(fixed_days)
            if n > p.max_days_per_week and n > n_fixed:
                found.append(f"{pid}: works {n} days, limit {p.max_days_per_week}")
        if p.max_minutes_per_week is not None:
            total, total_fixed = sum(all_days.values()), sum(fixed_days.values())
            if total > p.max_minutes_per_week and total > total_fixed:
                found.append(f"{pid}: {total} min this week, limit {p.max_minutes_per_week}")
        if p.monthly_earnings_ceiling_cents is not None:
            for month, cent_minutes in all_earned.items():
                before = 60 * p.earned_cents.get(month, 0)
                limit = 60 * p.monthly_earnings_ceiling_cents
                if before + cent_minutes > limit and cent_minutes > fixed_earned.get(month, 0):
                    found.append(f"{pid}: earnings in {month} over the ceiling")

    # Instructor capacity at every moment, per instructor and site.
    capacity = {i.id: i.capacity for i in instance.instructors}
    by_instructor: dict = defaultdict(list)
    for s in instance.shifts:
        if instructor_on_site(instance, s):
            by_instructor[(s.instructor, s.site)].append(s)
    for (iid, _site), group in sorted(by_instructor.items()):
        for moment in sorted({s.start for s in group}):
            running = [s for s in group if s.start <= moment < s.end]
            load = locked_load = 0
            for s in running:
                for pid in per_shift.get(s.id, []):
                    w = _load(people[pid], s, instance)
                    load += w
                    if (pid, s.id) in locked:
                        locked_load += w
            if load > capacity[iid] and load > locked_load:
                found.append(
                    f"instructor {iid} at {moment}: load {load} over capacity {capacity[iid]}"
                )
    return found


def slot_minutes(instance: Instance, roster: Iterable[tuple[str, str]]) -> int:
    shifts = {s.id: s for s in instance.shifts}
    return sum(
        int((shifts[s].end - shifts[s].start).total_seconds() // 60) for _p, s in set(roster)
    )
