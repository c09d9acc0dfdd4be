"""Small hand-made instances for rule-by-rule tests: one person, one shift that fit,
changed one field at a time with ``dataclasses.replace``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time

from jobcenter.matching.model import (
    Instance,
    Instructor,
    Participant,
    Shift,
    Site,
    Stream,
    Window,
)

MONDAY = date(2026, 4, 27)  # May Day, Friday 1 May 2026, is a public holiday


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in the test week: day 0 = Monday 27 April 2026."""
    return datetime.combine(date.fromordinal(MONDAY.toordinal() + day), time(hour, minute))


def person(pid: str = "p1", **changes) -> Participant:
    base = Participant(
        id=pid,
        stream=Stream.DISABILITY,
        plan_start=date(2026, 1, 1),
        plan_end=date(2026, 12, 31),
        supervision_level=0,
        name=pid.upper(),
        instructor="ins1",
        availability=tuple(Window(d, time(7), time(19)) for d in range(6)),
        skills=frozenset({"window_washing"}),
        home_district="central",
        max_minutes_per_day=480,
        max_days_per_week=5,
        max_minutes_per_week=1920,
        weekly_target_minutes=960,
        known_kinds=frozenset({"cleaning", "window_washing"}),
        known_sites=frozenset({"library", "centre"}),
    )
    return replace(base, **changes)


def shift(sid: str = "s1", **changes) -> Shift:
    base = Shift(
        id=sid,
        kind="cleaning",
        site="library",
        start=at(0, 10),
        end=at(0, 14),
        slots=1,
        task="task-" + sid,
        title="Library cleaning",
    )
    return replace(base, **changes)


def instance(participants=None, shifts=None, **changes) -> Instance:
    base = Instance(
        week_start=MONDAY,
        participants=tuple(participants if participants is not None else [person()]),
        shifts=tuple(shifts if shifts is not None else [shift()]),
        instructors=(
            Instructor("ins1", 2, "Anna", tuple(Window(d, time(8), time(16)) for d in range(5))),
            Instructor("ins2", 3, "Mikko", tuple(Window(d, time(8), time(16)) for d in range(5))),
        ),
        sites=(
            Site("library", "Kallio library", "central"),
            Site("centre", "Myllypuro senior centre", "east"),
            Site("hall", "Kallio sports hall", "central"),
        ),
        holidays=frozenset({date(2026, 5, 1)}),
        wage_cents_per_hour=1000,
        default_travel_minutes=40,
        same_district_travel_minutes=15,
        district_travel_minutes={("central", "east"): 35},
        skill_names={"window_washing": "window washing"},
        kind_names={"cleaning": "Cleaning", "window_washing": "Window washing"},
    )
    return replace(base, **changes)
