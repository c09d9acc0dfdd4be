"""Hypothesis strategies: small matching instances that exercise every rule."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import strategies as st

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

# The week of May Day 2026: a public holiday on Friday and a month boundary.
WEEKS = (date(2026, 3, 2), date(2026, 4, 27))
KINDS = ("cleaning", "windows")
SKILLS = ("hygiene", "ladder")
DISTRICTS = ("north", "south")


@st.composite
def windows(draw) -> tuple[Window, ...]:
    """Mostly wide windows on most days (so pairs are usually eligible), sometimes
    narrow ones that cut shifts off."""
    out = []
    for weekday in sorted(draw(st.sets(st.integers(0, 5), min_size=4, max_size=6))):
        if draw(st.integers(0, 4)) == 0:
            start = draw(st.integers(7, 12))
            out.append(Window(weekday, time(start), time(start + draw(st.integers(2, 6)))))
        else:
            out.append(Window(weekday, time(7), time(19)))
    return tuple(out)


def mostly(value, *others):
    """``value`` three times out of four, else one of ``others``."""
    return (
        st.sampled_from([value, value, value, *others])
        if len(others) == 1
        else st.one_of(st.just(value), st.just(value), st.just(value), st.sampled_from(others))
    )


@st.composite
def instances(draw, max_participants: int = 5, max_shifts: int = 6) -> Instance:
    week = draw(st.sampled_from(WEEKS))
    days = [week + timedelta(days=d) for d in range(7)]
    n_sites = draw(st.integers(1, 3))
    sites = tuple(
        Site(f"site{k}", f"Site {k}", draw(st.sampled_from(DISTRICTS))) for k in range(n_sites)
    )
    site_ids = [s.id for s in sites]
    instructors = tuple(
        Instructor(
            f"ins{k}",
            draw(st.integers(1, 3)),
            availability=draw(windows()),
            days_away=draw(mostly(frozenset(), frozenset({days[0]}))),
        )
        for k in range(draw(st.integers(0, 2)))
    )
    instructor_ids = [i.id for i in instructors]

    shifts = []
    for k in range(draw(st.integers(1, max_shifts))):
        day = draw(st.sampled_from(days[:6]))
        start = datetime.combine(
            day, time(draw(st.integers(7, 13)), draw(st.sampled_from([0, 30])))
        )
        end = start + timedelta(minutes=draw(st.sampled_from([60, 120, 180, 240, 300])))
        shifts.append(
            Shift(
                id=f"s{k}",
                kind=draw(st.sampled_from(KINDS)),
                site=draw(st.sampled_from(site_ids)),
                start=start,
                end=end,
                slots=draw(st.integers(1, 3)),
                task=f"task{draw(st.integers(0, 2))}",
                required_skills=draw(mostly(frozenset(), frozenset(SKILLS[1:]))),
                instructor=draw(st.sampled_from([None, *instructor_ids, *instructor_ids])),
                site_supervision=draw(st.booleans()),
                paid=draw(st.booleans()),
                holiday_work_allowed=draw(st.booleans()),
            )
        )

    participants = []
    for k in range(draw(st.integers(1, max_participants))):
        ceiling = draw(st.sampled_from([None, None, 2000, 6000]))
        month = week.strftime("%Y-%m")
        commitments = ()
        if draw(st.integers(0, 4)) == 0:
            c0 = datetime.combine(draw(st.sampled_from(days[:5])), time(draw(st.integers(8, 12))))
            commitments = (
                Commitment(c0, c0 + timedelta(hours=2), draw(st.sampled_from([None, *site_ids]))),
            )
        participants.append(
            Participant(
                id=f"p{k}",
                stream=draw(st.sampled_from(list(Stream))),
                plan_start=week - timedelta(days=draw(mostly(30, -2))),
                plan_end=week + timedelta(days=draw(mostly(60, 3))),
                supervision_level=draw(st.sampled_from([0, 0, 1, 1, 2, 3])),
                instructor=draw(st.sampled_from([None, *instructor_ids])),
                availability=draw(windows()),
                days_away=draw(mostly(frozenset(), frozenset({days[1]}))),
                skills=draw(mostly(frozenset(SKILLS), frozenset(), frozenset(SKILLS[:1]))),
                preferred_kinds=frozenset(draw(st.sets(st.sampled_from(KINDS), max_size=1))),
                avoided_kinds=draw(mostly(frozenset(), frozenset(KINDS[1:]))),
                home_district=draw(st.sampled_from([None, *DISTRICTS])),
                max_minutes_per_day=draw(st.sampled_from([None, 180, 300, 480])),
                max_days_per_week=draw(st.sampled_from([None, 1, 2, 4])),
                max_minutes_per_week=draw(st.sampled_from([None, 240, 480, 600, 1920])),
                weekly_target_minutes=draw(st.sampled_from([None, 240, 480])),
                works_on_holidays=draw(st.booleans()),
                monthly_earnings_ceiling_cents=ceiling,
                earned_cents={month: draw(st.integers(0, 1500))} if ceiling else {},
                known_kinds=draw(mostly(frozenset(KINDS), frozenset(KINDS[:1]))),
                known_sites=draw(mostly(frozenset(site_ids), frozenset(site_ids[:1]))),
                commitments=commitments,
            )
        )
    locked = draw(
        st.sets(
            st.tuples(
                st.sampled_from([p.id for p in participants]),
                st.sampled_from([s.id for s in shifts]),
            ),
            max_size=2,
        )
    )
    travel = {}
    if draw(st.booleans()):
        travel[("north", "south")] = draw(st.sampled_from([20, 45, 60]))
    previous = {
        "task0": frozenset(draw(st.sets(st.sampled_from([p.id for p in participants]), max_size=2)))
    }
    return Instance(
        week_start=week,
        participants=tuple(participants),
        shifts=tuple(shifts),
        instructors=instructors,
        sites=sites,
        locked=tuple(LockedAssignment(p, s) for p, s in sorted(locked)),
        holidays=frozenset({date(2026, 5, 1)}),
        wage_cents_per_hour=draw(st.sampled_from([0, 1000])),
        default_travel_minutes=draw(st.sampled_from([0, 30])),
        same_district_travel_minutes=draw(st.sampled_from([0, 15])),
        district_travel_minutes=travel,
        previous_assignees=previous,
    )
