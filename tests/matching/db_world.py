"""A small group's week in the database, for the matching loader and the API tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.participants.models import AvailabilityWindow, Group, Instructor, Participant
from jobcenter.scheduling.models import Shift
from jobcenter.units.models import TaskStatus
from tests import factories

# A Monday with no Finnish public holiday in its week; "now" is the week before.
WEEK = date(2026, 3, 9)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=clock.HELSINKI)


def at(day: int, hour: int) -> datetime:
    d = WEEK + timedelta(days=day)
    return datetime(d.year, d.month, d.day, hour, tzinfo=clock.HELSINKI)


def available_all_week(participant: Participant) -> None:
    for weekday in range(7):
        factories._add(
            AvailabilityWindow(
                user_id=participant.user_id,
                weekday=weekday,
                start_time=time(7, 0),
                end_time=time(18, 0),
            )
        )


@dataclass
class World:
    instructor: Instructor
    group: Group
    people: list[Participant]
    shifts: list[Shift]


def make_world(people: int = 3, *, email: bool = True) -> World:
    """An instructor on site at every shift; three shifts: two overlapping on Monday
    morning (2 slots each) and one on Tuesday (1 slot), all of one task at one site."""
    instructor = factories.make_instructor(capacity=6)
    group = factories.make_group(instructor)
    members = []
    for i in range(people):
        extra = {"email": f"person{i}.{group.id}@example.org"} if email else {}
        person = factories.make_participant(
            group,
            stream=Stream.DISABILITY,
            plan={
                "start_date": WEEK - timedelta(days=60),
                "end_date": WEEK + timedelta(days=60),
                "supervision_level": 0,
            },
            **extra,
        )
        available_all_week(person)
        members.append(person)
    task = factories.make_task(group=group, status=TaskStatus.SCHEDULED, headcount=2)
    shifts = [
        factories.make_shift(task, starts_at=at(0, 9), instructor=instructor),
        factories.make_shift(task, starts_at=at(0, 10), instructor=instructor),
        factories.make_shift(task, starts_at=at(1, 9), instructor=instructor, slots=1),
    ]
    return World(instructor, group, members, shifts)
