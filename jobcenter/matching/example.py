"""A small, readable example instance (``python -m jobcenter.matching example``)."""

from __future__ import annotations

from datetime import date, datetime, time

from .model import (
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

MONDAY = date(2026, 5, 11)  # Ascension Day, Thursday 14 May, is a public holiday


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    # Instances use local wall-clock time (Europe/Helsinki), deliberately naive.
    return datetime(2026, 5, 11 + day, hour, minute)  # noqa: DTZ001


def _weekdays(start: int, end: int, days=range(5)) -> tuple[Window, ...]:
    return tuple(Window(d, time(start), time(end)) for d in days)


def example_instance() -> Instance:
    sites = (
        Site("kallio-library", "Kallio library", "central"),
        Site("myllypuro-senior-centre", "Myllypuro senior centre", "east"),
    )
    instructors = (
        Instructor("anna", 3, "Anna (instructor)", _weekdays(8, 16)),
        Instructor("mikko", 4, "Mikko (instructor)", _weekdays(8, 16)),
    )
    common = dict(
        plan_start=date(2026, 1, 1),
        plan_end=date(2026, 12, 31),
        instructor="anna",
    )
    participants = (
        Participant(
            "aino",
            Stream.REHABILITATIVE,
            supervision_level=0,
            name="Aino",
            availability=_weekdays(8, 16),
            skills=frozenset({"window_washing"}),
            max_minutes_per_day=480,
            max_days_per_week=4,
            max_minutes_per_week=1920,
            weekly_target_minutes=720,
            home_district="central",
            known_kinds=frozenset({"window_washing", "cleaning"}),
            known_sites=frozenset({"kallio-library"}),
            **common,
        ),
        Participant(
            "bertil",
            Stream.DISABILITY,
            supervision_level=1,
            name="Bertil",
            availability=_weekdays(9, 15, days=(0, 1, 2)),
            max_minutes_per_day=300,
            max_days_per_week=3,
            max_minutes_per_week=720,
            weekly_target_minutes=480,
            home_district="east",
            preferred_kinds=frozenset({"cleaning"}),
            known_kinds=frozenset({"cleaning"}),
            known_sites=frozenset({"myllypuro-senior-centre"}),
            **common,
        ),
        Participant(
            "cecilia",
            Stream.DISABILITY,
            supervision_level=2,
            name="Cecilia",
            availability=_weekdays(8, 14),
            max_minutes_per_day=240,
            max_days_per_week=2,
            max_minutes_per_week=480,
            weekly_target_minutes=480,
            home_district="east",
            avoided_kinds=frozenset({"window_washing"}),
            works_on_holidays=True,
            known_kinds=frozenset({"cleaning", "elderly_assistance"}),
            known_sites=frozenset({"myllypuro-senior-centre"}),
            **common,
        ),
        Participant(
            "daniel",
            Stream.REHABILITATIVE,
            supervision_level=3,
            name="Daniel",
            availability=_weekdays(8, 16),
            max_minutes_per_day=480,
            max_days_per_week=2,
            max_minutes_per_week=960,
            weekly_target_minutes=480,
            home_district="central",
            known_kinds=frozenset({"cleaning"}),
            known_sites=frozenset({"kallio-library"}),
            **common,
        ),
        Participant(
            "eeva",
            Stream.REHABILITATIVE,
            supervision_level=0,
            name="Eeva",
            availability=_weekdays(8, 16),
            skills=frozenset({"window_washing"}),
            max_minutes_per_day=480,
            max_days_per_week=4,
            max_minutes_per_week=1920,
            weekly_target_minutes=960,
            home_district="central",
            monthly_earnings_ceiling_cents=30000,
            earned_cents={"2026-05": 26000},
            known_kinds=frozenset({"window_washing"}),
            known_sites=frozenset({"kallio-library"}),
            commitments=(Commitment(_at(1, 8), _at(1, 12), "myllypuro-senior-centre"),),
            **common,
        ),
    )
    shifts = (
        Shift(
            "mon-windows",
            "window_washing",
            "kallio-library",
            _at(0, 10),
            _at(0, 14),
            2,
            task="library-windows",
            title="Library windows",
            required_skills=frozenset({"window_washing"}),
        ),
        Shift(
            "tue-windows",
            "window_washing",
            "kallio-library",
            _at(1, 10),
            _at(1, 14),
            2,
            task="library-windows",
            title="Library windows",
            required_skills=frozenset({"window_washing"}),
        ),
        Shift(
            "mon-cleaning",
            "cleaning",
            "myllypuro-senior-centre",
            _at(0, 9),
            _at(0, 13),
            3,
            task="centre-cleaning",
            title="Senior centre cleaning",
            instructor="mikko",
        ),
        Shift(
            "wed-cleaning",
            "cleaning",
            "myllypuro-senior-centre",
            _at(2, 9),
            _at(2, 13),
            3,
            task="centre-cleaning",
            title="Senior centre cleaning",
            site_supervision=True,
        ),
        Shift(
            "wed-library",
            "cleaning",
            "kallio-library",
            _at(2, 12),
            _at(2, 16),
            1,
            task="library-cleaning",
            title="Library cleaning",
            instructor="anna",
        ),
        Shift(
            "thu-assist",
            "elderly_assistance",
            "myllypuro-senior-centre",
            _at(3, 10),
            _at(3, 13),
            2,
            task="centre-assist",
            title="Assisting residents",
            instructor="mikko",
            holiday_work_allowed=True,
        ),
    )
    return Instance(
        week_start=MONDAY,
        participants=participants,
        shifts=shifts,
        instructors=instructors,
        sites=sites,
        locked=(LockedAssignment("bertil", "mon-cleaning"),),
        holidays=frozenset({date(2026, 5, 14)}),
        wage_cents_per_hour=1000,
        default_travel_minutes=40,
        same_district_travel_minutes=15,
        district_travel_minutes={("central", "east"): 35},
        previous_assignees={"library-windows": frozenset({"aino"})},
        skill_names={"window_washing": "window washing"},
        kind_names={
            "window_washing": "Window washing",
            "cleaning": "Cleaning",
            "elderly_assistance": "Assisting elderly people",
        },
    )
