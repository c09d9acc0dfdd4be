"""The matching engine's plain data: what goes in (an :class:`Instance`) and what
comes out (a :class:`Solution`). No Flask, no database: frozen dataclasses only.

Conventions
-----------
* Ids are strings (a database loader passes ``str(row.id)``); every ordering in the
  engine breaks ties by id so the same instance always gives the same roster.
* Times are local wall-clock times (Europe/Helsinki) as naive ``datetime``/``time``.
  An instance covers one ISO week starting on ``week_start`` (a Monday); every shift
  starts and ends on the same day inside that week.
* Durations are whole minutes and money is whole cents, so sums are exact.
* Limits that are ``None`` are not limits ("no statutory limit, set per person").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum


class InstanceError(ValueError):
    """The instance is malformed; ``problems`` lists every problem found, each
    naming the place (``shifts[3].site``) and what is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        shown = "; ".join(self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(f"invalid matching instance: {shown}{more}")


class Stream(StrEnum):
    REHABILITATIVE = "rehabilitative"
    DISABILITY = "disability"


@dataclass(frozen=True, slots=True)
class Window:
    """A weekly availability window: ``weekday`` 0 = Monday … 6 = Sunday."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Commitment:
    """Time a participant already has booked outside this instance (another group's
    shift, a confirmed shift not being re-planned). It blocks the time (with travel
    from/to ``site``) and counts toward hours per day, days per week and hours per
    week. Its earnings belong in :attr:`Participant.earned_cents`."""

    start: datetime
    end: datetime
    site: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    id: str
    name: str = ""
    district: str | None = None


@dataclass(frozen=True, slots=True)
class Instructor:
    id: str
    capacity: int  # K: participants supervised on site at once
    name: str = ""
    availability: tuple[Window, ...] = ()  # when reachable by phone (supervision level 1)
    days_away: frozenset[date] = frozenset()


@dataclass(frozen=True, slots=True)
class Participant:
    id: str
    stream: Stream
    plan_start: date
    plan_end: date
    supervision_level: int  # 0 independent, 1 reachable, 2 on site, 3 one-to-one
    name: str = ""
    instructor: str | None = None  # their own instructor (reachable for level 1)
    availability: tuple[Window, ...] = ()
    days_away: frozenset[date] = frozenset()
    skills: frozenset[str] = frozenset()
    preferred_kinds: frozenset[str] = frozenset()
    avoided_kinds: frozenset[str] = frozenset()
    home_district: str | None = None
    # Stream rules narrowed by the plan (the loader resolves them).
    max_minutes_per_day: int | None = None
    max_days_per_week: int | None = None
    max_minutes_per_week: int | None = None
    weekly_target_minutes: int | None = None
    works_on_holidays: bool = False
    monthly_earnings_ceiling_cents: int | None = None
    # Paid task earnings already earned or booked outside this instance, per "YYYY-MM".
    earned_cents: Mapping[str, int] = field(default_factory=dict)
    # Orientation: task kinds and sites this person has already worked on.
    known_kinds: frozenset[str] = frozenset()
    known_sites: frozenset[str] = frozenset()
    commitments: tuple[Commitment, ...] = ()


@dataclass(frozen=True, slots=True)
class Shift:
    id: str
    kind: str  # task kind code
    site: str
    start: datetime
    end: datetime
    slots: int
    task: str | None = None  # recurring task this shift belongs to (continuity)
    title: str = ""
    required_skills: frozenset[str] = frozenset()
    instructor: str | None = None  # instructor on site for the whole shift
    site_supervision: bool = False  # the unit supervises on site (covers levels 0–1)
    paid: bool = True
    holiday_work_allowed: bool = False

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True, slots=True)
class LockedAssignment:
    """A decided assignment (locked by an instructor or already confirmed): it stays
    as it is and counts toward every limit."""

    participant: str
    shift: str


@dataclass(frozen=True, slots=True)
class Instance:
    week_start: date
    participants: tuple[Participant, ...]
    shifts: tuple[Shift, ...]
    instructors: tuple[Instructor, ...] = ()
    sites: tuple[Site, ...] = ()
    locked: tuple[LockedAssignment, ...] = ()
    holidays: frozenset[date] = frozenset()
    wage_cents_per_hour: int = 0
    # Travel between two different sites: by district pair, else the default.
    default_travel_minutes: int = 30
    same_district_travel_minutes: int = 15
    district_travel_minutes: Mapping[tuple[str, str], int] = field(default_factory=dict)
    # Continuity: who worked each recurring task before (task id -> participant ids).
    previous_assignees: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Display names for explanations (code -> name).
    skill_names: Mapping[str, str] = field(default_factory=dict)
    kind_names: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- output


class ReasonCode(StrEnum):
    """Why a participant cannot take a shift. Stable codes for translation."""

    # Rules that depend on the participant and the shift only.
    PLAN_DATES = "plan_dates"
    HOLIDAY = "holiday"
    DAY_AWAY = "day_away"
    AVAILABILITY = "availability"
    SKILLS = "skills"
    AVOIDED_KIND = "avoided_kind"
    SUPERVISION = "supervision"
    ORIENTATION = "orientation"
    # Rules that couple assignments.
    OVERLAP = "overlap"
    DAILY_HOURS = "daily_hours"
    DAYS_PER_WEEK = "days_per_week"
    WEEKLY_HOURS = "weekly_hours"
    EARNINGS_CEILING = "earnings_ceiling"
    INSTRUCTOR_CAPACITY = "instructor_capacity"
    SLOTS_FULL = "slots_full"
    # Not a rule: the objective preferred someone else.
    BETTER_FIT_CHOSEN = "better_fit_chosen"
    ASSIGNED = "assigned"
    LOCKED = "locked"
    COULD_BE_ADDED = "could_be_added"


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    message: str
    count: int | None = None  # participants this reason applies to (unfilled slots)
    params: Mapping[str, object] = field(default_factory=dict)

    def as_dict(self) -> dict:
        out: dict = {"code": str(self.code), "message": self.message}
        if self.count is not None:
            out["count"] = self.count
        if self.params:
            out["params"] = dict(self.params)
        return out


@dataclass(frozen=True, slots=True)
class UnfilledExplanation:
    shift: str
    unfilled_slots: int
    message: str
    reasons: tuple[Reason, ...]

    def as_dict(self) -> dict:
        return {
            "shift": self.shift,
            "unfilled_slots": self.unfilled_slots,
            "message": self.message,
            "reasons": [r.as_dict() for r in self.reasons],
        }


class NoticeCode(StrEnum):
    """What a solution warning is about. Stable codes for translation."""

    # More locked/confirmed assignments than slots on a shift.
    # params: shift (id), locked (count), slots (count)
    LOCKED_OVER_SLOTS = "locked_over_slots"
    # An instructor is on two overlapping shifts at different sites (travel
    # included), so the shift counts as having no instructor on site.
    # params: shift (id), instructor (id)
    INSTRUCTOR_DOUBLE_BOOKED = "instructor_double_booked"
    # The engine's final check removed proposals that broke a rule (never expected).
    # params: dropped (count)
    SELF_CHECK_DROPPED = "self_check_dropped"


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning about the instance or the run: a stable ``code`` and ``params`` to
    translate from, and ``text`` in English for the command line, logs and the API."""

    code: str
    params: Mapping[str, object]
    text: str

    def __str__(self) -> str:
        return self.text

    def as_dict(self) -> dict:
        return {"code": str(self.code), "params": dict(self.params), "text": self.text}


@dataclass(frozen=True, slots=True)
class Proposal:
    participant: str
    shift: str
    locked: bool = False
    orientation: bool = False  # first time on this task kind or site: instructor on site


@dataclass(frozen=True, slots=True)
class Stage:
    """One step of the lexicographic optimisation."""

    name: str  # "slot_minutes", "fairness", "continuity_preferences_travel"
    status: str  # "optimal", "time_limit", "skipped", "greedy"
    value: float
    bound: float | None
    seconds: float  # wall-clock
    # CPU seconds of this process (the solver runs single-threaded): on a busy
    # machine the wall time above is several times this.
    cpu_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Solution:
    assignments: tuple[Proposal, ...]
    slot_minutes: int  # filled slot-minutes including locked assignments
    upper_bound_minutes: int  # proven bound on slot-minutes (== slot_minutes when optimal)
    tier: str  # "exact" or "greedy"
    proven_optimal: bool  # slot-minutes proven optimal
    stages: tuple[Stage, ...] = ()
    unfilled: tuple[UnfilledExplanation, ...] = ()
    warnings: tuple[Notice, ...] = ()
    seconds: float = 0.0
    candidate_pairs: int = 0

    @property
    def gap_percent(self) -> float:
        if self.upper_bound_minutes <= 0:
            return 0.0
        return 100.0 * (self.upper_bound_minutes - self.slot_minutes) / self.upper_bound_minutes

    def pairs(self) -> set[tuple[str, str]]:
        return {(a.participant, a.shift) for a in self.assignments}

    def assignees(self, shift_id: str) -> list[str]:
        return sorted(a.participant for a in self.assignments if a.shift == shift_id)


# ----------------------------------------------------------------------- validation


def validate(instance: Instance) -> list[str]:
    """Every structural problem in an instance, as ``place: what is wrong``."""
    problems: list[str] = []
    add = problems.append
    if instance.week_start.weekday() != 0:
        add(f"week_start: {instance.week_start.isoformat()} is not a Monday")
    week_end = instance.week_start + timedelta(days=7)
    if instance.wage_cents_per_hour < 0:
        add("wage_cents_per_hour: must be zero or more")
    for name in ("default_travel_minutes", "same_district_travel_minutes"):
        if getattr(instance, name) < 0:
            add(f"{name}: must be zero or more")
    for pair, minutes in instance.district_travel_minutes.items():
        if minutes < 0:
            add(f"district_travel_minutes[{pair[0]}→{pair[1]}]: must be zero or more")

    def unique(kind: str, items) -> set[str]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if not item.id:
                add(f"{kind}[{i}].id: must not be empty")
            if item.id in seen:
                add(f"{kind}[{i}].id: duplicate id {item.id!r}")
            seen.add(item.id)
        return seen

    site_ids = unique("sites", instance.sites)
    instructor_ids = unique("instructors", instance.instructors)
    participant_ids = unique("participants", instance.participants)
    shift_ids = unique("shifts", instance.shifts)

    def windows(place: str, ws: tuple[Window, ...]) -> None:
        for j, w in enumerate(ws):
            if not 0 <= w.weekday <= 6:
                add(f"{place}.availability[{j}].weekday: must be 0 (Monday) to 6 (Sunday)")
            if w.end <= w.start:
                add(f"{place}.availability[{j}]: end must be after start")

    for i, ins in enumerate(instance.instructors):
        if ins.capacity < 1:
            add(f"instructors[{i}].capacity: must be at least 1")
        windows(f"instructors[{i}]", ins.availability)
    for i, p in enumerate(instance.participants):
        place = f"participants[{i}]"
        if p.plan_end < p.plan_start:
            add(f"{place}.plan_end: before plan_start")
        if p.supervision_level not in (0, 1, 2, 3):
            add(f"{place}.supervision_level: must be 0, 1, 2 or 3")
        if p.instructor is not None and p.instructor not in instructor_ids:
            add(f"{place}.instructor: unknown instructor {p.instructor!r}")
        for name in (
            "max_minutes_per_day",
            "max_days_per_week",
            "max_minutes_per_week",
            "weekly_target_minutes",
            "monthly_earnings_ceiling_cents",
        ):
            value = getattr(p, name)
            if value is not None and value < 0:
                add(f"{place}.{name}: must be zero or more")
        if p.max_days_per_week is not None and p.max_days_per_week > 7:
            add(f"{place}.max_days_per_week: at most 7")
        windows(place, p.availability)
        for j, c in enumerate(p.commitments):
            if c.end <= c.start:
                add(f"{place}.commitments[{j}]: end must be after start")
            if c.site is not None and c.site not in site_ids:
                add(f"{place}.commitments[{j}].site: unknown site {c.site!r}")
        for month in p.earned_cents:
            if len(month) != 7 or month[4] != "-":
                add(f"{place}.earned_cents: month {month!r} is not YYYY-MM")
    for i, s in enumerate(instance.shifts):
        place = f"shifts[{i}]"
        if s.site not in site_ids:
            add(f"{place}.site: unknown site {s.site!r}")
        if s.instructor is not None and s.instructor not in instructor_ids:
            add(f"{place}.instructor: unknown instructor {s.instructor!r}")
        if s.slots < 1:
            add(f"{place}.slots: must be at least 1")
        if s.end <= s.start:
            add(f"{place}: end must be after start")
        elif s.end.date() != s.start.date():
            add(f"{place}: must start and end on the same day")
        if not instance.week_start <= s.start.date() < week_end:
            add(
                f"{place}.start: {s.start.isoformat()} is outside the week starting "
                f"{instance.week_start.isoformat()}"
            )
    for i, lock in enumerate(instance.locked):
        if lock.participant not in participant_ids:
            add(f"locked[{i}].participant: unknown participant {lock.participant!r}")
        if lock.shift not in shift_ids:
            add(f"locked[{i}].shift: unknown shift {lock.shift!r}")
    seen_locks = set()
    for i, lock in enumerate(instance.locked):
        key = (lock.participant, lock.shift)
        if key in seen_locks:
            add(f"locked[{i}]: duplicate locked assignment")
        seen_locks.add(key)
    return problems
