"""Simulates months of shifts day by day, keeping the domain's rules.

The simulator walks the calendar from the first to the last day, creates the shifts
of every task on its weekdays (never on a Finnish public holiday), and fills their
slots from the participants of the task's instructor, checking what an instructor
would check: the person's plan is in force, the shift fits their weekly
availability window and their hours per day, no overlap with their other shifts
that day, days and minutes per calendar week within the plan and the stream rules,
the monthly earnings ceiling, skills, avoided task kinds, and supervision (people
who need an instructor on site, and everyone's first shift on a task kind or at a
site, go only to shifts the instructor attends, at most K at once; one-to-one takes
the instructor's whole capacity).

Past shifts end with attendance (present with minutes, or absent with a kind) and
hour entries once an instructor has confirmed them; future shifts carry offers in
the statuses their lead time makes likely. `HistoryEmitter` turns the outcome into
rows for the bulk writer. Everything random comes from one seeded generator, so a
seed and a date give the same history every time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import holidays

from jobcenter.core.clock import HELSINKI
from jobcenter.core.enums import Stream
from jobcenter.hours.models import AbsenceKind, ActivityDayStatus
from jobcenter.hours.valuation import RateRow, Valuation, rate_valid_on, value_on
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from jobcenter.scheduling.offers import DECLINE_CODES

S = AssignmentStatus

ABSENCE_KINDS = (
    (AbsenceKind.OWN_ILLNESS, 45),
    (AbsenceKind.UNEXCUSED, 18),
    (AbsenceKind.OTHER_EXCUSED, 12),
    (AbsenceKind.SICK_CHILD, 10),
    (AbsenceKind.JOB_INTERVIEW, 10),
    (AbsenceKind.PUBLIC_OFFICE, 5),
)
SHIFT_CANCEL_REASONS = (
    "Tila oli varattu muuhun käyttöön.",
    "Yksikkö perui työn henkilökunnan sairastumisen vuoksi.",
    "Ohjaaja sairastui eikä sijaista saatu.",
    "Työ siirrettiin myöhemmäksi yksikön pyynnöstä.",
)
NO_WORKERS_REASON = "Vuoroon ei löytynyt vapaita tekijöitä."
FEEDBACK_WORDS = {
    3: ("Kivaa!", "Mukava porukka", "Hyvä päivä", "Sain paljon aikaan", ""),
    2: ("Ihan ok", "Vähän väsyttää", "Liian kiire", ""),
    1: ("Liian raskas", "Ei kivaa tänään", ""),
}


class DemoConflict(Exception):
    """The database holds data the demo cannot be built on (clashing names, no rate)."""


@dataclass(frozen=True)
class StreamLimits:
    """The stream's legal limits (StreamRule rows); None means set per person."""

    max_days_per_week: int | None = None
    min_minutes_per_day: int | None = None
    max_minutes_per_day: int | None = None
    max_minutes_per_week: int | None = None


@dataclass
class PlanPeriod:
    plan_id: int
    start: date
    end: date
    days_per_week: int
    min_minutes: int
    max_minutes: int
    level: int
    home_district_id: int | None
    ceiling_cents: int | None = None
    skills: frozenset[int] = frozenset()
    prefer: frozenset[int] = frozenset()
    avoid: frozenset[int] = frozenset()


@dataclass(eq=False)
class Person:
    participant_id: int
    user_id: int
    stream: Stream
    instructor_id: int
    plans: list[PlanPeriod]
    # weekday -> (start minute, end minute) of the weekly availability window
    windows: dict[int, tuple[int, int]]
    days_away: frozenset[date] = frozenset()
    absence_rate: float = 0.08
    answers_offers_self: bool = False
    # Running state of the simulation.
    week: tuple[int, int] = (0, 0)
    week_days: set[date] = field(default_factory=set)
    week_minutes: int = 0
    day: date | None = None
    day_busy: list[tuple[int, int]] = field(default_factory=list)
    day_minutes: int = 0
    month: tuple[int, int] = (0, 0)
    month_cents: int = 0
    month_minutes: int = 0
    kinds_done: set[int] = field(default_factory=set)
    units_done: set[int] = field(default_factory=set)

    def plan_on(self, day: date) -> PlanPeriod | None:
        for plan in self.plans:
            if plan.start <= day <= plan.end:
                return plan
        return None


@dataclass(frozen=True)
class InstructorInfo:
    instructor_id: int
    user_id: int
    capacity: int


@dataclass(eq=False)
class TaskPlan:
    task_id: int
    unit_id: int
    kind_id: int
    district_id: int | None
    instructor: InstructorInfo
    start_minute: int  # minutes after midnight, local time
    minutes: int
    slots: int
    first_date: date
    last_date: date
    weekdays: frozenset[int] = frozenset()
    dates: frozenset[date] | None = None  # one-off dates instead of weekdays
    supervised: bool = False  # the instructor goes along when free
    site_supervision: bool = False
    required_skills: frozenset[int] = frozenset()
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    contact_user_id: int | None = None

    def occurs_on(self, day: date) -> bool:
        if day < self.first_date or day > self.last_date:
            return False
        if self.dates is not None:
            return day in self.dates
        return day.weekday() in self.weekdays


@dataclass(eq=False)
class AssignmentOut:
    person: Person
    status: AssignmentStatus
    orientation: bool = False
    level: int = 0
    decline_reason: str | None = None
    absence_kind: AbsenceKind | None = None
    minutes: int = 0  # attended minutes
    late_minutes: int = 0
    early_minutes: int = 0
    attendance_confirmed: bool = False
    dropped: bool = False  # removed when the history is thinned to a budget


@dataclass(eq=False)
class ShiftOut:
    task: TaskPlan
    day: date
    starts_at: datetime
    ends_at: datetime
    instructor_id: int | None
    status: ShiftStatus
    cancel_reason: str | None = None
    assignments: list[AssignmentOut] = field(default_factory=list)
    row_id: int = 0

    @property
    def minutes(self) -> int:
        return self.task.minutes

    def holders(self) -> list[AssignmentOut]:
        return [a for a in self.assignments if not a.dropped and a.status in SLOT_HOLDING]


SLOT_HOLDING = frozenset({S.PROPOSED, S.OFFERED, S.ACCEPTED, S.CONFIRMED, S.ATTENDED, S.ABSENT})


@dataclass
class DayOut:
    day: date
    shifts: list[ShiftOut]
    # (person, day) pairs of a public holiday on the person's usual working day.
    not_organised: list[Person]


def _local(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=HELSINKI).astimezone(UTC)


def _weighted(rng: random.Random, pairs):
    total = sum(w for _, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


class Simulator:
    """Walks the calendar; yields each day's shifts with their assignments."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        first_day: date,
        last_day: date,
        people: list[Person],
        tasks: list[TaskPlan],
        stream_limits: dict[Stream, StreamLimits],
        wage_cents: Callable[[date], int],
        budgets: dict[Stream, int] | None = None,
        past_fill: float = 0.92,
        cancel_rate: float = 0.02,
        decline_rate: float = 0.06,
    ) -> None:
        self.rng = rng
        self.now = now
        self.first_day = first_day
        self.last_day = last_day
        self.tasks = sorted(tasks, key=lambda t: (t.first_date, t.task_id))
        self.stream_limits = stream_limits
        self.wage_cents = wage_cents
        self.budgets = budgets
        self.past_fill = past_fill
        self.cancel_rate = cancel_rate
        self.decline_rate = decline_rate
        self.pool: dict[int, list[Person]] = {}
        for person in people:
            self.pool.setdefault(person.instructor_id, []).append(person)
        self.people = people
        self.holidays = holidays.Finland(years=range(first_day.year, last_day.year + 1))
        self.done_minutes: dict[Stream, int] = {Stream.DISABILITY: 0, Stream.REHABILITATIVE: 0}
        today_local = now.astimezone(HELSINKI).date()
        self._pace_days = max(1, (min(today_local, last_day) - first_day).days + 1)

    def is_holiday(self, day: date) -> bool:
        return day in self.holidays

    # ---------------------------------------------------------------- walk
    def days(self) -> Iterator[DayOut]:
        pending = list(self.tasks)
        active: list[TaskPlan] = []
        day = self.first_day
        while day <= self.last_day:
            while pending and pending[0].first_date <= day:
                active.append(pending.pop(0))
            active = [t for t in active if t.last_date >= day]
            if self.is_holiday(day):
                yield DayOut(day, [], self._not_organised(day))
            else:
                todays = sorted(
                    (t for t in active if t.occurs_on(day)),
                    key=lambda t: (t.start_minute, t.task_id),
                )
                instructor_busy: dict[int, list[tuple[int, int]]] = {}
                shifts = [self._shift(task, day, instructor_busy) for task in todays]
                yield DayOut(day, [s for s in shifts if s is not None], [])
            day += timedelta(days=1)

    def _not_organised(self, day: date) -> list[Person]:
        if day.weekday() >= 5:
            return []
        ends = _local(day, 23 * 60)
        if ends > self.now:
            return []
        return [p for p in self.people if day.weekday() in p.windows and p.plan_on(day) is not None]

    # --------------------------------------------------------------- shift
    def _shift(
        self, task: TaskPlan, day: date, instructor_busy: dict[int, list[tuple[int, int]]]
    ) -> ShiftOut | None:
        rng = self.rng
        start, end = task.start_minute, task.start_minute + task.minutes
        starts_at, ends_at = _local(day, start), _local(day, end)
        cancelled = task.cancelled_on is not None and day >= task.cancelled_on
        if cancelled and day > task.cancelled_on + timedelta(days=21):
            return None  # beyond the rolling horizon when the task was cancelled
        past = ends_at <= self.now
        instructor_id = None
        if task.supervised:
            busy = instructor_busy.setdefault(task.instructor.instructor_id, [])
            if all(end <= b0 or start >= b1 for b0, b1 in busy):
                busy.append((start, end))
                instructor_id = task.instructor.instructor_id
        shift = ShiftOut(task, day, starts_at, ends_at, instructor_id, ShiftStatus.PLANNED)
        if cancelled:
            shift.status = ShiftStatus.CANCELLED
            shift.cancel_reason = task.cancel_reason
        elif rng.random() < self.cancel_rate:
            shift.status = ShiftStatus.CANCELLED
            shift.cancel_reason = rng.choice(SHIFT_CANCEL_REASONS)
        elif past:
            shift.status = ShiftStatus.DONE

        lead_days = (starts_at - self.now).total_seconds() / 86400
        if shift.status == ShiftStatus.CANCELLED:
            wanted = rng.randint(0, task.slots) if lead_days < 21 else 0
        elif past:
            wanted = sum(1 for _ in range(task.slots) if rng.random() < self.past_fill) or 1
            if self.budgets is not None:
                wanted = task.slots
        else:
            fill = 0.95 if lead_days <= 7 else 0.75 if lead_days <= 14 else 0.45
            wanted = sum(1 for _ in range(task.slots) if rng.random() < fill)
        self._fill(shift, wanted, start, end, past, instructor_busy)
        if past and shift.status == ShiftStatus.DONE and not shift.holders():
            shift.status = ShiftStatus.CANCELLED
            shift.cancel_reason = NO_WORKERS_REASON
        return shift

    def _ahead(self, stream: Stream, day: date) -> bool:
        if self.budgets is None:
            return False
        done = (day - self.first_day).days + 1
        target = self.budgets[stream] * 1.04 * min(1.0, done / self._pace_days)
        return self.done_minutes[stream] >= target

    def _fill(
        self,
        shift: ShiftOut,
        wanted: int,
        start: int,
        end: int,
        past: bool,
        instructor_busy: dict[int, list[tuple[int, int]]],
    ) -> None:
        if wanted <= 0:
            return
        rng = self.rng
        task = shift.task
        day = shift.day
        weekday = day.weekday()
        week = day.isocalendar()[:2]
        month = (day.year, day.month)
        minutes = task.minutes
        busy = instructor_busy.setdefault(task.instructor.instructor_id, [])
        # The instructor can come along (for orientation or on-site supervision) when free.
        can_supervise = shift.instructor_id is not None or all(
            end <= b0 or start >= b1 for b0, b1 in busy
        )
        capacity = task.instructor.capacity
        wage = self.wage_cents(day)
        cancelled = shift.status == ShiftStatus.CANCELLED
        candidates = []
        for person in self.pool.get(task.instructor.instructor_id, ()):
            plan = person.plan_on(day)
            if plan is None or day in person.days_away:
                continue
            window = person.windows.get(weekday)
            if window is None or start < window[0] or end > window[1]:
                continue
            if not plan.min_minutes <= minutes <= plan.max_minutes:
                continue
            if task.kind_id in plan.avoid or not task.required_skills <= plan.skills:
                continue
            limits = self.stream_limits.get(person.stream, StreamLimits())
            if person.week != week:
                person.week, person.week_days, person.week_minutes = week, set(), 0
            if person.day != day:
                person.day, person.day_busy, person.day_minutes = day, [], 0
            if person.month != month:
                person.month, person.month_cents, person.month_minutes = month, 0, 0
            if any(start < b1 + 30 and end > b0 - 30 for b0, b1 in person.day_busy):
                continue
            day_cap = plan.max_minutes
            if limits.max_minutes_per_day is not None:
                day_cap = min(day_cap, limits.max_minutes_per_day)
            if person.day_minutes + minutes > day_cap:
                continue
            if day not in person.week_days:
                max_days = plan.days_per_week
                if limits.max_days_per_week is not None:
                    max_days = min(max_days, limits.max_days_per_week)
                if len(person.week_days) >= max_days:
                    continue
            if (
                limits.max_minutes_per_week is not None
                and person.week_minutes + minutes > limits.max_minutes_per_week
            ):
                continue
            if (
                plan.ceiling_cents is not None
                and person.month_cents + minutes * wage // 60 > plan.ceiling_cents
            ):
                continue
            orientation = task.kind_id not in person.kinds_done or (
                task.unit_id not in person.units_done
            )
            level = max(plan.level, 2) if orientation else plan.level
            if level >= 2 and not can_supervise:
                continue
            key = (
                rng.random()
                + person.month_minutes / 900
                - (0.6 if task.kind_id in plan.prefer else 0.0)
                - (0.3 if plan.home_district_id == task.district_id else 0.0)
            )
            candidates.append((key, person.participant_id, person, orientation, level))
        candidates.sort(key=lambda c: (c[0], c[1]))

        onsite = 0
        one_to_one = False
        taken: list[tuple[Person, bool, int]] = []
        asked: set[int] = set()
        passes = (False, True) if self.budgets is not None and past else (True,)
        for allow_ahead in passes:
            for _key, _pid, person, orientation, level in candidates:
                if len(taken) >= wanted or one_to_one:
                    break
                if person.participant_id in asked:
                    continue
                if past and not allow_ahead and self._ahead(person.stream, day):
                    continue
                if allow_ahead and past and self.budgets is not None and taken:
                    break  # the ahead pass only makes sure the shift is not empty
                if level >= 3:
                    if onsite:
                        continue
                    one_to_one = True
                elif level == 2:
                    if onsite >= capacity:
                        continue
                    onsite += 1
                if level >= 2 and shift.instructor_id is None:
                    busy.append((start, end))
                    shift.instructor_id = task.instructor.instructor_id
                taken.append((person, orientation, level))
                asked.add(person.participant_id)
                if not cancelled and rng.random() < self.decline_rate:
                    shift.assignments.append(
                        AssignmentOut(
                            person,
                            S.DECLINED,
                            orientation,
                            level,
                            decline_reason=rng.choice(DECLINE_CODES),
                        )
                    )
                    taken.pop()
                    if level >= 3:
                        one_to_one = False
                    elif level == 2:
                        onsite -= 1
                    continue
                shift.assignments.append(self._outcome(shift, person, orientation, level, past))
            if taken:
                break

    def _outcome(
        self, shift: ShiftOut, person: Person, orientation: bool, level: int, past: bool
    ) -> AssignmentOut:
        rng = self.rng
        task = shift.task
        out = AssignmentOut(person, S.CONFIRMED, orientation, level)
        if shift.status == ShiftStatus.CANCELLED:
            out.status = S.CANCELLED
            return out
        minutes = task.minutes
        # The time is the person's whether they come or not: limits count scheduled time.
        person.day_busy.append((task.start_minute, task.start_minute + minutes))
        person.day_minutes += minutes
        person.week_days.add(shift.day)
        person.week_minutes += minutes
        person.month_minutes += minutes
        person.month_cents += minutes * self.wage_cents(shift.day) // 60
        person.kinds_done.add(task.kind_id)
        person.units_done.add(task.unit_id)
        if not past:
            lead = (shift.starts_at - self.now).total_seconds() / 86400
            if lead <= 3:
                choices = ((S.CONFIRMED, 85), (S.ACCEPTED, 10), (S.OFFERED, 5))
            elif lead <= 7:
                choices = ((S.CONFIRMED, 60), (S.ACCEPTED, 25), (S.OFFERED, 15))
            elif lead <= 14:
                choices = ((S.CONFIRMED, 20), (S.ACCEPTED, 35), (S.OFFERED, 35), (S.PROPOSED, 10))
            else:
                choices = ((S.PROPOSED, 50), (S.OFFERED, 40), (S.ACCEPTED, 10))
            out.status = _weighted(rng, choices)
            return out
        if rng.random() < person.absence_rate and not orientation:
            out.status = S.ABSENT
            out.absence_kind = _weighted(rng, ABSENCE_KINDS)
            return out
        out.status = S.ATTENDED
        if rng.random() < 0.07:
            out.late_minutes = rng.choice((10, 15, 30))
        if rng.random() < 0.05:
            out.early_minutes = rng.choice((30, 45, 60))
        out.minutes = minutes - out.late_minutes - out.early_minutes
        # Instructors confirm the day's hours within two days.
        confirm_at = shift.ends_at + timedelta(hours=rng.choice((1, 2, 3, 20, 26, 44)))
        out.attendance_confirmed = confirm_at <= self.now
        if out.attendance_confirmed:
            self.done_minutes[person.stream] += out.minutes
        return out


def thin_to_budget(
    shifts: list[ShiftOut], budgets: dict[Stream, int], rng: random.Random
) -> dict[Stream, int]:
    """Drop attended assignments until each stream's confirmed minutes equal its budget.

    Dropping only ever lowers a person's load, so every rule still holds. Orientation
    shifts and a shift's last person are kept; the final few minutes are trimmed from
    one attendance as leaving early. Returns the confirmed minutes per stream.
    """
    confirmed: dict[Stream, list[tuple[ShiftOut, AssignmentOut]]] = {s: [] for s in budgets}
    for shift in shifts:
        for a in shift.assignments:
            if a.status == S.ATTENDED and a.attendance_confirmed and not a.dropped:
                confirmed.setdefault(a.person.stream, []).append((shift, a))
    totals = {}
    for stream, budget in budgets.items():
        pairs = confirmed.get(stream, [])
        total = sum(a.minutes for _, a in pairs)
        order = list(pairs)
        rng.shuffle(order)
        for shift, a in order:
            if total - a.minutes < budget:
                continue
            if a.orientation or len(shift.holders()) < 2:
                continue
            a.dropped = True
            total -= a.minutes
        excess = total - budget
        if excess > 0:
            for _shift, a in order:
                if not a.dropped and a.minutes - excess >= 60:
                    a.minutes -= excess
                    a.early_minutes += excess
                    total -= excess
                    break
        totals[stream] = total
    return totals


class RateBook:
    """Wage, price and VAT valid on a date, from the Rate rows (kept in memory); the
    choice of version is `jobcenter.hours.valuation`'s, as for confirmed attendance."""

    def __init__(self, rates: list[tuple[str, int, Decimal, date, date | None]]) -> None:
        self.rates = [RateRow(*r) for r in sorted(rates, key=lambda r: r[3])]
        self._cache: dict[date, Valuation] = {}

    def valuation(self, day: date) -> Valuation:
        if day not in self._cache:
            found = value_on(self.rates, day)
            if found is None:
                kind = "wage" if rate_valid_on(self.rates, "wage", day) is None else "price"
                raise DemoConflict(
                    f"No {kind} rate is valid on {day.isoformat()}: add one in the admin pages."
                )
            self._cache[day] = found
        return self._cache[day]

    def on(self, kind: str, day: date) -> tuple[int, Decimal]:
        found = self.valuation(day)
        if kind == "wage":
            return found.wage_cents_per_hour, Decimal("0")
        return found.price_cents_per_hour, found.vat_percent

    def wage(self, day: date) -> int:
        return self.valuation(day).wage_cents_per_hour


class HistoryEmitter:
    """Turns simulated days into rows: shifts, assignments and their events,
    attendance, hour entries, activity days, participant feedback."""

    def __init__(
        self, writer, rates: RateBook, rng: random.Random, now: datetime, full_events: bool
    ) -> None:
        self.writer = writer
        self.rates = rates
        self.rng = rng
        self.now = now
        self.full_events = full_events
        self.corrections = 0
        self._activity: dict[int, dict] = {}

    def emit_day(self, day: DayOut, correction_rate: float = 0.0) -> None:
        for person in day.not_organised:
            self.writer.add(
                "activity_days",
                {
                    "participant_id": person.participant_id,
                    "day": day.day,
                    "status": ActivityDayStatus.NOT_ORGANISED,
                    "absence_kind": None,
                    "recorded_by_id": None,
                    "recorded_at": _local(day.day, 8 * 60),
                },
            )
        self._activity = {}
        for shift in day.shifts:
            self.emit_shift(shift, correction_rate)
        for participant_id in sorted(self._activity):
            self.writer.add("activity_days", self._activity[participant_id])
        self._activity = {}

    def emit_shift(self, shift: ShiftOut, correction_rate: float = 0.0) -> None:
        rng = self.rng
        task = shift.task
        instructor_user = task.instructor.user_id
        holders = shift.holders()
        levels = [a.level for a in holders]
        if levels:
            supervision = max(levels)
        else:
            supervision = 2 if shift.instructor_id else (1 if task.site_supervision else 0)
        created = min(shift.starts_at - timedelta(days=21), self.now - timedelta(hours=1))
        updated = created
        if shift.status == ShiftStatus.CANCELLED and shift.cancel_reason != NO_WORKERS_REASON:
            cancelled_at = min(shift.starts_at - timedelta(days=rng.randint(1, 5)), self.now)
            updated = max(cancelled_at, created)
        shift_row = self.writer.add(
            "shifts",
            {
                "task_id": task.task_id,
                "starts_at": shift.starts_at,
                "ends_at": shift.ends_at,
                "slots": task.slots,
                "supervision_needed": supervision,
                "instructor_id": shift.instructor_id,
                "status": shift.status,
                "cancel_reason": shift.cancel_reason,
                "needs_review": False,
                "sequence": 1 if shift.status == ShiftStatus.CANCELLED else 0,
                "created_at": created,
                "updated_at": updated,
            },
        )
        shift.row_id = shift_row["id"]
        for a in shift.assignments:
            if not a.dropped:
                self._assignment(shift, shift_row["id"], a, instructor_user, correction_rate)

    def _events(self, assignment_id: int, steps) -> None:
        for at, actor, frm, to, reason in steps:
            self.writer.add(
                "assignment_events",
                {
                    "assignment_id": assignment_id,
                    "at": at,
                    "actor_id": actor,
                    "from_status": frm,
                    "to_status": to,
                    "reason": reason,
                },
            )

    def _assignment(
        self,
        shift: ShiftOut,
        shift_id: int,
        a: AssignmentOut,
        instructor_user: int,
        correction_rate: float,
    ) -> None:
        rng = self.rng
        now = self.now
        person = a.person
        starts = shift.starts_at
        proposed_at = min(
            starts - timedelta(days=rng.randint(8, 16), hours=rng.randint(0, 8)),
            now - timedelta(hours=rng.randint(30, 60)),
        )
        offered_at = proposed_at + timedelta(minutes=rng.randint(5, 90))
        responded_at = min(offered_at + timedelta(hours=rng.randint(2, 40)), now)
        confirmed_at = min(
            responded_at + timedelta(hours=rng.randint(1, 30)), now, starts - timedelta(hours=2)
        )
        confirmed_at = max(confirmed_at, responded_at)
        responder = person.user_id if person.answers_offers_self else instructor_user
        status = a.status
        steps: list[tuple] = []
        row = {
            "shift_id": shift_id,
            "participant_id": person.participant_id,
            "status": status,
            "decline_reason": a.decline_reason,
            "is_locked": False,
            "is_orientation": a.orientation,
            "responded_at": None,
            "confirmed_at": None,
            "confirmed_by_id": None,
            "created_at": proposed_at,
            "updated_at": proposed_at,
        }
        full = self.full_events
        if status == S.PROPOSED:
            steps.append((proposed_at, instructor_user, None, S.PROPOSED, None))
        elif status == S.OFFERED:
            if full:
                steps.append((proposed_at, instructor_user, None, S.PROPOSED, None))
            steps.append(
                (offered_at, instructor_user, S.PROPOSED if full else None, S.OFFERED, None)
            )
            row["updated_at"] = offered_at
        elif status in (S.ACCEPTED, S.DECLINED):
            if full:
                steps.append((proposed_at, instructor_user, None, S.PROPOSED, None))
                steps.append((offered_at, instructor_user, S.PROPOSED, S.OFFERED, None))
            # The decline's code is on the assignment; an event's reason is the person's
            # own words, which the demo has none of.
            steps.append((responded_at, responder, S.OFFERED if full else None, status, None))
            row["responded_at"] = responded_at
            row["updated_at"] = responded_at
        else:  # confirmed, attended, absent, cancelled
            if full:
                steps.append((proposed_at, instructor_user, None, S.PROPOSED, None))
                steps.append((offered_at, instructor_user, S.PROPOSED, S.OFFERED, None))
                steps.append((responded_at, responder, S.OFFERED, S.ACCEPTED, None))
            steps.append(
                (confirmed_at, instructor_user, S.ACCEPTED if full else None, S.CONFIRMED, None)
            )
            row.update(
                responded_at=responded_at,
                confirmed_at=confirmed_at,
                confirmed_by_id=instructor_user,
                updated_at=confirmed_at,
            )
            if status == S.CANCELLED:
                at = max(confirmed_at, min(starts - timedelta(days=1), now))
                steps.append((at, instructor_user, S.CONFIRMED, S.CANCELLED, shift.cancel_reason))
                row["updated_at"] = at
            elif status in (S.ATTENDED, S.ABSENT):
                at = shift.ends_at + timedelta(minutes=rng.randint(5, 90))
                at = min(at, now)
                steps.append((at, instructor_user, S.CONFIRMED, status, None))
                row["updated_at"] = at
        row = self.writer.add("assignments", row)
        self._events(row["id"], steps)
        if status in (S.ATTENDED, S.ABSENT):
            self._attendance(shift, row["id"], a, instructor_user, correction_rate)

    def _attendance(
        self,
        shift: ShiftOut,
        assignment_id: int,
        a: AssignmentOut,
        instructor_user: int,
        correction_rate: float,
    ) -> None:
        rng = self.rng
        person = a.person
        task = shift.task
        recorded_at = min(shift.ends_at + timedelta(minutes=rng.randint(5, 90)), self.now)
        confirmed_at = None
        if a.status == S.ATTENDED and a.attendance_confirmed:
            confirmed_at = max(recorded_at, shift.ends_at + timedelta(hours=1))
            confirmed_at = min(confirmed_at, self.now)
        present = a.status == S.ATTENDED
        # A correction: first recorded with a mistake, then corrected with a reason.
        corrected = present and confirmed_at is not None and rng.random() < correction_rate
        first_minutes = a.minutes
        if corrected:
            first_minutes = min(task.minutes, a.minutes + 30)
        record = self.writer.add(
            "attendance_records",
            {
                "assignment_id": assignment_id,
                "present": present,
                "absence_kind": None if present else a.absence_kind,
                "actual_start": shift.starts_at + timedelta(minutes=a.late_minutes)
                if present
                else None,
                "actual_end": shift.ends_at - timedelta(minutes=a.early_minutes)
                if present
                else None,
                "minutes": first_minutes if present else None,
                "late": a.late_minutes > 0,
                "left_early": a.early_minutes > 0,
                "note": "",
                "recorded_by_id": instructor_user,
                "recorded_at": recorded_at,
                "confirmed_by_id": instructor_user if confirmed_at else None,
                "confirmed_at": confirmed_at,
                "supersedes_id": None,
                "correction_reason": None,
            },
        )
        # One activity day per person and day: attended if any shift was attended.
        known = self._activity.get(person.participant_id)
        if known is None or (present and known["status"] != ActivityDayStatus.ATTENDED):
            self._activity[person.participant_id] = {
                "participant_id": person.participant_id,
                "day": shift.day,
                "status": ActivityDayStatus.ATTENDED if present else ActivityDayStatus.ABSENT,
                "absence_kind": None if present else a.absence_kind,
                "recorded_by_id": instructor_user,
                "recorded_at": recorded_at,
            }
        if present and rng.random() < 0.35 and recorded_at < self.now:
            face = _weighted(rng, ((3, 70), (2, 22), (1, 8)))
            self.writer.add(
                "shift_feedback",
                {
                    "assignment_id": assignment_id,
                    "face": face,
                    "word": rng.choice(FEEDBACK_WORDS[face]),
                    "created_at": recorded_at,
                },
            )
        if confirmed_at is None:
            return
        entry = self._hour_entry(
            shift, record["id"], person, first_minutes, instructor_user, confirmed_at
        )
        if corrected:
            self.corrections += 1
            fixed_at = min(confirmed_at + timedelta(days=rng.randint(1, 3)), self.now)
            reason = "Korjattu: osallistuja lähti 30 minuuttia aiemmin kuin kirjattiin."
            new = self.writer.add(
                "attendance_records",
                dict(
                    record,
                    id=self.writer.next_id("attendance_records"),
                    minutes=a.minutes,
                    actual_end=record["actual_end"] - timedelta(minutes=first_minutes - a.minutes),
                    left_early=True,
                    recorded_at=fixed_at,
                    confirmed_at=fixed_at,
                    supersedes_id=record["id"],
                    correction_reason=reason,
                ),
            )
            self.writer.add(
                "hour_entries",
                dict(
                    entry,
                    id=self.writer.next_id("hour_entries"),
                    minutes=-entry["minutes"],
                    reverses_id=entry["id"],
                    created_at=fixed_at,
                ),
            )
            self._hour_entry(shift, new["id"], person, a.minutes, instructor_user, fixed_at)

    def _hour_entry(self, shift, record_id, person, minutes, instructor_user, at) -> dict:
        task = shift.task
        value = self.rates.valuation(shift.day)
        return self.writer.add(
            "hour_entries",
            {
                "attendance_record_id": record_id,
                "reverses_id": None,
                "participant_id": person.participant_id,
                "shift_id": self._shift_id(shift),
                "work_date": shift.day,
                "minutes": minutes,
                "stream": person.stream,
                "unit_id": task.unit_id,
                "task_kind_id": task.kind_id,
                "instructor_id": task.instructor.instructor_id,
                "district_id": task.district_id,
                "wage_cents_per_hour": value.wage_cents_per_hour,
                "price_cents_per_hour": value.price_cents_per_hour,
                "vat_percent": value.vat_percent,
                "created_at": at,
                "created_by_id": instructor_user,
                "after_month_close": False,
            },
        )

    def _shift_id(self, shift: ShiftOut) -> int:
        return shift.row_id  # set by emit_shift
