"""Load a week from the database, solve it in the background, persist and publish.

- `build_instance(session, week_start, group_id)`: the engine's `Instance` for one
  group's week, in a handful of bulk queries (see README.md for where each field
  comes from).
- `start_run` / `execute_run` / `run_now`: a `MatchingRun` row, solved by one
  background worker thread (never in the request).
- `persist_proposals(session, run)`: PROPOSED assignments for the run's proposals.
- `hand_change(session, user, run, remove=..., add=...)`: the board's add, remove,
  replace and exchange as ONE change: the removals are taken off the week, then every
  addition is checked with the engine's rules against the roster that results (the
  other additions included); either everything is applied or `ChangeRefused` names
  each person, shift and reason and nothing is written.
- `publish(session, user, run)`: proposals become OFFERED assignments, with history
  and a short notice to each participant through the outbox; for people whose
  instructor confirms for them (`Participant.instructor_confirms`) they become
  CONFIRMED at once, with a "you have a new shift" notice. Idempotent.
- `why_not(session, run, participant, shift)`: why a group member is not on a shift of
  the week, checked with the engine's rules against the board as it is now: every
  rule that stops them, or that the slots went to others and what spoke for those
  (fairness, continuity, preferences).
- `week_hours(session, run)`: each group member's planned hours in the week against
  their plan's weekly target (the board's fairness panel).
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import date, datetime, time, timedelta
from typing import Any

import holidays as holiday_calendar
import sqlalchemy as sa
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from jobcenter.accounts.models import User
from jobcenter.catalog.models import RateKind, Skill
from jobcenter.catalog.operations import rate_in_force, stream_rule_in_force
from jobcenter.core import clock
from jobcenter.core.authz import get_visible
from jobcenter.core.enums import Role, Stream
from jobcenter.core.errors import DomainError, ValidationFailed
from jobcenter.matching import engine, wording
from jobcenter.matching import model as m
from jobcenter.matching.explain import explain_pair
from jobcenter.matching.instance_json import solution_to_dict
from jobcenter.matching.models import MatchingRun, RunStatus
from jobcenter.matching.rules import Context, PlanState
from jobcenter.matching.wording import NO_PLAN_THIS_WEEK, SHIFT_NOT_OPEN
from jobcenter.notifications.outbox import enqueue
from jobcenter.participants.models import (
    AvailabilityWindow,
    DayAway,
    Group,
    Instructor,
    Participant,
    Plan,
    Preference,
    TaskKindPreference,
)
from jobcenter.reports.earnings import CLOSE_SHARE, Earnings, earned_cents_by_month, earnings_for
from jobcenter.scheduling.models import (
    SLOT_HOLDING,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Shift,
    ShiftStatus,
)
from jobcenter.units.models import Task, TaskStatus

log = logging.getLogger(__name__)

# Decided assignments: the engine keeps them as they are.
DECIDED = (
    AssignmentStatus.OFFERED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.ATTENDED,
    AssignmentStatus.ABSENT,
)
TASK_STATUSES = (TaskStatus.ACCEPTED, TaskStatus.SCHEDULED)
NOTICE_KIND = "shift_offered"
CONFIRMED_NOTICE_KIND = "shift_confirmed"
RUNNER_ROLES = (Role.INSTRUCTOR, Role.ADMIN)


# --------------------------------------------------------------------------- loading


def _local(value: datetime) -> datetime:
    return clock.to_local(value).replace(tzinfo=None)


def _week_bounds(week_start: date) -> tuple[datetime, datetime]:
    first = datetime.combine(week_start, time(0, 0), tzinfo=clock.HELSINKI)
    last = datetime.combine(week_start + timedelta(days=7), time(0, 0), tzinfo=clock.HELSINKI)
    return first, last


def site_key(task: Task) -> str:
    """A task's site: its street address and postal code (not personal data)."""
    return f"{task.site_address.strip().lower()}|{(task.site_postal_code or '').strip()}"


def _add_site(sites: dict[str, m.Site], task: Task) -> str:
    key = site_key(task)
    district = task.district or task.unit.district
    sites.setdefault(key, m.Site(key, task.site_address, district.code if district else None))
    return key


def _min(*values: int | None) -> int | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _plan_in_week(participant: Participant, week_start: date) -> Plan | None:
    week_end = week_start + timedelta(days=6)
    for plan in participant.plans:
        if plan.start_date <= week_end and plan.end_date >= week_start:
            return plan
    return None


def build_instance(session: Session, week_start: date, group_id: int) -> m.Instance:
    """The engine's instance for one group's week: its participants with the plan in
    force, and the planned shifts of the tasks the group accepted."""
    first, last = _week_bounds(week_start)
    week_end = week_start + timedelta(days=6)
    group = session.get(Group, group_id)
    if group is None:
        raise LookupError(f"no group {group_id}")

    # 1. Participants with their plans, skills, preferences and home district.
    people = session.scalars(
        sa.select(Participant)
        .where(Participant.group_id == group_id, Participant.anonymised_at.is_(None))
        .options(
            selectinload(Participant.plans).selectinload(Plan.skills),
            selectinload(Participant.plans)
            .selectinload(Plan.task_kind_preferences)
            .selectinload(TaskKindPreference.task_kind),
            selectinload(Participant.plans).selectinload(Plan.home_district),
        )
        .order_by(Participant.id)
    ).all()
    planned = [(p, plan) for p in people if (plan := _plan_in_week(p, week_start)) is not None]
    person_ids = [p.id for p, _plan in planned]

    # 2. The week's shifts of the group's tasks.
    shifts = session.scalars(
        sa.select(Shift)
        .join(Shift.task)
        .where(
            Task.group_id == group_id,
            Task.status.in_(TASK_STATUSES),
            Shift.status == ShiftStatus.PLANNED,
            Shift.starts_at >= first,
            Shift.starts_at < last,
        )
        .options(
            selectinload(Shift.task).selectinload(Task.required_skills),
            selectinload(Shift.task).selectinload(Task.task_kind),
            selectinload(Shift.task).selectinload(Task.district),
            selectinload(Shift.task).selectinload(Task.unit),
        )
        .order_by(Shift.id)
    ).all()
    shift_ids = {s.id for s in shifts}
    task_ids = {s.task_id for s in shifts}

    # 3. Every slot-holding assignment on these shifts or of these people this week.
    holding = session.execute(
        sa.select(Assignment, Shift, Task)
        .join(Assignment.shift)
        .join(Shift.task)
        .where(
            Assignment.status.in_(SLOT_HOLDING),
            Shift.status != ShiftStatus.CANCELLED,
            sa.or_(
                Assignment.shift_id.in_(shift_ids or [-1]),
                sa.and_(
                    Assignment.participant_id.in_(person_ids or [-1]),
                    Shift.starts_at >= first,
                    Shift.starts_at < last,
                ),
            ),
        )
    ).all()

    # 4. History: attended shifts (orientation) and earlier assignees (continuity).
    history = session.execute(
        sa.select(Assignment.participant_id, Assignment.status, Task)
        .join(Assignment.shift)
        .join(Shift.task)
        .where(
            Assignment.participant_id.in_(person_ids or [-1]),
            Assignment.status.in_((AssignmentStatus.ATTENDED, AssignmentStatus.CONFIRMED)),
            Shift.starts_at < first,
        )
        .options(selectinload(Task.task_kind))
    ).all()

    # 5. Availability windows and days away of participants and instructors.
    instructor_ids = {s.instructor_id for s in shifts if s.instructor_id} | {group.instructor_id}
    instructors = session.scalars(
        sa.select(Instructor).where(Instructor.id.in_(instructor_ids)).order_by(Instructor.id)
    ).all()
    user_ids = [p.user_id for p, _plan in planned] + [i.user_id for i in instructors]
    windows: dict[int, list[m.Window]] = defaultdict(list)
    for w in session.scalars(
        sa.select(AvailabilityWindow)
        .where(AvailabilityWindow.user_id.in_(user_ids or [-1]))
        .order_by(AvailabilityWindow.user_id, AvailabilityWindow.weekday, AvailabilityWindow.id)
    ):
        windows[w.user_id].append(m.Window(w.weekday, w.start_time, w.end_time))
    away: dict[int, set[date]] = defaultdict(set)
    for user_id, day in session.execute(
        sa.select(DayAway.user_id, DayAway.day).where(
            DayAway.user_id.in_(user_ids or [-1]), DayAway.day.between(week_start, week_end)
        )
    ):
        away[user_id].add(day)

    # 6. Money: the wage, and paid hours already recorded in the week's months.
    wage_rate = rate_in_force(session, RateKind.WAGE, week_start)
    wage = wage_rate.cents_per_hour if wage_rate else 0
    months = sorted({week_start.replace(day=1), week_end.replace(day=1)})
    month_end = (months[-1] + timedelta(days=32)).replace(day=1)
    earned = earned_cents_by_month(
        session, person_ids, months[0], month_end, exclude_shift_ids=shift_ids
    )

    rules = {
        stream: stream_rule_in_force(session, stream, week_start)
        for stream in {p.stream for p, _plan in planned}
    }

    # --- assemble
    in_run = set(person_ids)
    locked: list[m.LockedAssignment] = []
    held_outside: dict[int, int] = defaultdict(int)
    locked_count: dict[int, int] = defaultdict(int)
    commitments: dict[int, list[m.Commitment]] = defaultdict(list)
    sites: dict[str, m.Site] = {}
    for assignment, shift, task in holding:
        if shift.id in shift_ids:
            if assignment.participant_id not in in_run:
                held_outside[shift.id] += 1
            elif assignment.is_locked or assignment.status in DECIDED:
                locked.append(m.LockedAssignment(str(assignment.participant_id), str(shift.id)))
                locked_count[shift.id] += 1
            # An unlocked proposal of an earlier run is planned again.
        elif assignment.participant_id in in_run and assignment.status in DECIDED:
            # Work elsewhere that week: its site must be known for travel times.
            _add_site(sites, task)
            commitments[assignment.participant_id].append(
                m.Commitment(_local(shift.starts_at), _local(shift.ends_at), site_key(task))
            )
            if assignment.status not in (AssignmentStatus.ATTENDED, AssignmentStatus.ABSENT):
                month = f"{_local(shift.starts_at):%Y-%m}"
                earned[assignment.participant_id][month] += shift.minutes * wage // 60

    known_kinds: dict[int, set[str]] = defaultdict(set)
    known_sites: dict[int, set[str]] = defaultdict(set)
    previous: dict[str, set[str]] = defaultdict(set)
    for pid, status, task in history:
        if status == AssignmentStatus.ATTENDED:
            known_kinds[pid].add(task.task_kind.code)
            known_sites[pid].add(site_key(task))
        if task.id in task_ids:
            previous[str(task.id)].add(str(pid))

    engine_shifts = []
    kind_names: dict[str, str] = {}
    skill_names: dict[str, str] = {}
    for shift in shifts:
        task = shift.task
        slots = shift.slots - held_outside[shift.id]
        if slots < 1 and not locked_count[shift.id]:
            continue
        slots = max(slots, locked_count[shift.id], 1)
        key = _add_site(sites, task)
        kind_names[task.task_kind.code] = task.task_kind.name()
        for skill in task.required_skills:
            skill_names[skill.code] = skill.name()
        engine_shifts.append(
            m.Shift(
                id=str(shift.id),
                kind=task.task_kind.code,
                site=key,
                start=_local(shift.starts_at),
                end=_local(shift.ends_at),
                slots=slots,
                task=str(task.id),
                title=task.title,
                required_skills=frozenset(s.code for s in task.required_skills),
                instructor=str(shift.instructor_id) if shift.instructor_id else None,
                site_supervision=task.site_supervision,
                paid=True,
                holiday_work_allowed=task.include_public_holidays,
            )
        )
    kept = {s.id for s in engine_shifts}
    locked = [lk for lk in locked if lk.shift in kept]

    participants = []
    for person, plan in planned:
        rule = rules.get(person.stream)
        prefs = plan.task_kind_preferences
        participants.append(
            m.Participant(
                id=str(person.id),
                stream=m.Stream(str(person.stream)),
                plan_start=plan.start_date,
                plan_end=plan.end_date,
                supervision_level=plan.supervision_level,
                instructor=str(group.instructor_id),
                availability=tuple(windows[person.user_id]),
                days_away=frozenset(away[person.user_id]),
                skills=frozenset(s.code for s in plan.skills),
                preferred_kinds=frozenset(
                    p.task_kind.code for p in prefs if p.preference == Preference.PREFER
                ),
                avoided_kinds=frozenset(
                    p.task_kind.code for p in prefs if p.preference == Preference.AVOID
                ),
                home_district=plan.home_district.code if plan.home_district else None,
                max_minutes_per_day=_min(
                    rule.max_minutes_per_day if rule else None, plan.max_minutes_per_day
                ),
                max_days_per_week=_min(
                    rule.max_days_per_week if rule else None, plan.days_per_week
                ),
                max_minutes_per_week=rule.max_minutes_per_week if rule else None,
                weekly_target_minutes=plan.weekly_target_minutes,
                works_on_holidays=person.stream != Stream.REHABILITATIVE,
                monthly_earnings_ceiling_cents=plan.monthly_earnings_ceiling_cents,
                earned_cents=dict(earned[person.id]),
                known_kinds=frozenset(known_kinds[person.id]),
                known_sites=frozenset(known_sites[person.id]),
                commitments=tuple(sorted(commitments[person.id], key=lambda c: c.start)),
            )
        )

    finnish = holiday_calendar.Finland(years=sorted({week_start.year, week_end.year}))
    return m.Instance(
        week_start=week_start,
        participants=tuple(participants),
        shifts=tuple(engine_shifts),
        instructors=tuple(
            m.Instructor(
                id=str(i.id),
                capacity=i.supervision_capacity,
                availability=tuple(windows[i.user_id]),
                days_away=frozenset(away[i.user_id]),
            )
            for i in instructors
        ),
        sites=tuple(sorted(sites.values(), key=lambda s: s.id)),
        locked=tuple(sorted(locked, key=lambda lk: (lk.shift, lk.participant))),
        holidays=frozenset(
            d for d in (week_start + timedelta(days=i) for i in range(7)) if d in finnish
        ),
        wage_cents_per_hour=wage,
        previous_assignees={k: frozenset(v) for k, v in previous.items()},
        skill_names=skill_names,
        kind_names=kind_names,
    )


# --------------------------------------------------------------------------- runs


def parse_week(value: Any) -> date:
    """A week's Monday from input, or ValidationFailed (422)."""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed({"week_start": [_("Send a date as YYYY-MM-DD.")]}) from None
    if not 2000 <= day.year <= 2100:
        raise ValidationFailed({"week_start": [_("Choose a week between 2000 and 2100.")]})
    if day.weekday() != 0:
        raise ValidationFailed({"week_start": [_("A week starts on a Monday.")]})
    return day


def start_run(session: Session, user: User, week_start: date, group_id: int) -> MatchingRun:
    """A queued run for a group the user may plan (its instructor, or an admin)."""
    if user.role not in RUNNER_ROLES:
        raise DomainError(_("Only the group's instructor can run matching."), status=403)
    group = get_visible(Group, group_id, user)
    if user.role == Role.INSTRUCTOR and group.instructor.user_id != user.id:
        raise DomainError(_("Only the group's instructor can run matching."), status=403)
    run = MatchingRun(group_id=group.id, week_start=parse_week(week_start), requested_by_id=user.id)
    session.add(run)
    session.flush()
    return run


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _submit(app: Flask, run_id: int) -> Future:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="matching")
    return _executor.submit(run_now, app, run_id)


def execute_run(app: Flask, run_id: int) -> Future:
    """Solve the run in the background worker; returns at once."""
    return _submit(app, run_id)


def run_now(app: Flask, run_id: int) -> None:
    """Solve one run in its own app context and session (the worker thread calls this)."""
    from jobcenter.extensions import db

    with app.app_context():
        session = db.session
        try:
            run = session.get(MatchingRun, run_id)
            if run is None or run.status != RunStatus.QUEUED:
                return
            run.status = RunStatus.RUNNING
            run.started_at = clock.now()
            session.commit()
            instance = build_instance(session, run.week_start, run.group_id)
            solution = engine.solve(
                instance, time_limit=float(app.config.get("MATCHING_TIME_LIMIT", 60))
            )
            result = solution_to_dict(solution)
            run.result = result
            run.stats = {
                "participants": len(instance.participants),
                "shifts": len(instance.shifts),
                "slots": sum(s.slots for s in instance.shifts),
                "locked": len(instance.locked),
                "proposals": sum(1 for a in solution.assignments if not a.locked),
                "slot_minutes": solution.slot_minutes,
                "upper_bound_minutes": solution.upper_bound_minutes,
                "proven_optimal": solution.proven_optimal,
                "seconds": round(solution.seconds, 3),
            }
            persist_proposals(session, run)
            run.status = RunStatus.DONE
            run.finished_at = clock.now()
            session.commit()
        except Exception:
            log.exception("matching run %s failed", run_id)
            session.rollback()
            run = session.get(MatchingRun, run_id)
            if run is not None:
                run.status = RunStatus.FAILED
                run.error = "The matching run failed; see the server log."
                run.finished_at = clock.now()
                session.commit()
        finally:
            session.remove()


def _week_shifts(session: Session, run: MatchingRun) -> dict[int, Shift]:
    first, last = _week_bounds(run.week_start)
    rows = session.scalars(
        sa.select(Shift)
        .join(Shift.task)
        .where(
            Task.group_id == run.group_id,
            Shift.status == ShiftStatus.PLANNED,
            Shift.starts_at >= first,
            Shift.starts_at < last,
        )
        .options(selectinload(Shift.assignments))
    ).all()
    return {s.id: s for s in rows}


def proposals(run: MatchingRun) -> list[tuple[int, int]]:
    """(participant id, shift id) of the run's new (not locked) proposals."""
    rows = (run.result or {}).get("assignments", [])
    return [(int(a["participant"]), int(a["shift"])) for a in rows if not a.get("locked")]


def persist_proposals(session: Session, run: MatchingRun) -> list[Assignment]:
    """PROPOSED assignments for the run's proposals. Locked and existing assignments
    stay; unlocked proposals of an earlier run that this run did not make are removed;
    a shift never gets more slot-holders than its slots."""
    shifts = _week_shifts(session, run)
    wanted = defaultdict(set)
    for pid, sid in proposals(run):
        wanted[sid].add(pid)
    created = []
    for sid, shift in sorted(shifts.items()):
        for a in list(shift.assignments):
            stale = a.status == AssignmentStatus.PROPOSED and not a.is_locked
            if stale and a.participant_id not in wanted[sid]:
                shift.assignments.remove(a)
        have = {a.participant_id for a in shift.assignments}
        holding = sum(1 for a in shift.assignments if a.status in SLOT_HOLDING)
        for pid in sorted(wanted[sid] - have):
            if holding >= shift.slots:
                break
            assignment = Assignment(shift=shift, participant_id=pid)
            assignment.status = AssignmentStatus.PROPOSED
            session.add(assignment)
            session.flush()
            session.add(
                AssignmentEvent(
                    assignment_id=assignment.id,
                    actor_id=run.requested_by_id,
                    from_status=None,
                    to_status=AssignmentStatus.PROPOSED,
                    reason=f"matching run {run.id}",
                )
            )
            holding += 1
            created.append(assignment)
    session.flush()
    return created


# --------------------------------------------------------------------------- hand changes


# Reasons that do not stop an addition.
_NOT_A_REFUSAL = (m.ReasonCode.COULD_BE_ADDED,)


@dataclass(frozen=True)
class Problem:
    """One addition the rules refuse: who, which shift, and every reason (engine
    `Reason`s with code and params; translate them with `matching.wording`)."""

    participant: Participant
    shift: Shift
    reasons: tuple[m.Reason, ...]


class ChangeRefused(DomainError):
    """A hand change breaks a hard rule; nothing was changed."""

    status = 422

    def __init__(self, problems: list[Problem]):
        super().__init__(_("The change breaks a rule, so nothing was changed."))
        self.problems = problems


@dataclass
class Change:
    """What a hand change did: the assignments removed (participant id, shift id) and
    the proposals created."""

    removed: list[tuple[int, int]] = field(default_factory=list)
    added: list[Assignment] = field(default_factory=list)


def _run_shift_ids(session: Session, run: MatchingRun) -> set[int]:
    first, last = _week_bounds(run.week_start)
    return set(
        session.scalars(
            sa.select(Shift.id)
            .join(Shift.task)
            .where(Task.group_id == run.group_id, Shift.starts_at >= first, Shift.starts_at < last)
        )
    )


def _roster(
    session: Session,
    run: MatchingRun,
    instance: m.Instance,
    gone: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> list[m.Proposal]:
    """The week's unlocked proposals as the engine's roster (locked and decided
    assignments are already in `instance.locked`), without the pairs in `gone`."""
    people = {p.id for p in instance.participants}
    shifts = {s.id for s in instance.shifts}
    first, last = _week_bounds(run.week_start)
    planned = session.execute(
        sa.select(Assignment.participant_id, Assignment.shift_id)
        .join(Assignment.shift)
        .join(Shift.task)
        .where(
            Task.group_id == run.group_id,
            Shift.starts_at >= first,
            Shift.starts_at < last,
            Assignment.status == AssignmentStatus.PROPOSED,
            Assignment.is_locked.is_(False),
        )
        .order_by(Assignment.id)
    ).all()
    return [
        m.Proposal(str(pid), str(sid))
        for pid, sid in planned
        if (str(pid), str(sid)) not in gone and str(pid) in people and str(sid) in shifts
    ]


def check_change(
    session: Session,
    run: MatchingRun,
    remove: list[Assignment],
    add: list[tuple[Participant, Shift]],
) -> list[Problem]:
    """Every addition that the engine's hard rules refuse once `remove` is taken off
    the week and the other additions are on it. Empty when the change may be made."""
    instance = build_instance(session, run.week_start, run.group_id)
    gone = {(str(a.participant_id), str(a.shift_id)) for a in remove}
    instance = dc_replace(
        instance,
        locked=tuple(lk for lk in instance.locked if (lk.participant, lk.shift) not in gone),
    )
    people = {p.id for p in instance.participants}
    shifts = {s.id for s in instance.shifts}
    roster = _roster(session, run, instance, gone)
    wanted = [(str(p.id), str(s.id)) for p, s in add]
    problems: list[Problem] = []
    for (person, shift), (pid, sid) in zip(add, wanted, strict=True):
        if pid not in people:
            reasons = [m.Reason(NO_PLAN_THIS_WEEK, "no plan in force this week")]  # type: ignore[arg-type]
        elif sid not in shifts:
            reasons = [m.Reason(SHIFT_NOT_OPEN, "the shift is not open for planning")]  # type: ignore[arg-type]
        else:
            others = [
                m.Proposal(op, os)
                for op, os in wanted
                if (op, os) != (pid, sid) and op in people and os in shifts
            ]
            solution = m.Solution(
                assignments=tuple(roster + others),
                slot_minutes=0,
                upper_bound_minutes=0,
                tier="hand",
                proven_optimal=False,
            )
            reasons = [
                r
                for r in explain_pair(instance, solution, pid, sid)
                if r.code not in _NOT_A_REFUSAL
            ]
            if any(r.code is m.ReasonCode.BETTER_FIT_CHOSEN for r in reasons):
                slots = next(s.slots for s in instance.shifts if s.id == sid)
                reasons = [m.Reason(m.ReasonCode.SLOTS_FULL, "slots full", None, {"slots": slots})]
        if reasons:
            problems.append(Problem(person, shift, tuple(reasons)))
    return problems


def _propose(
    session: Session, user: User, run: MatchingRun, participant_id: int, shift: Shift, why: str
) -> Assignment:
    """A PROPOSED assignment, reusing the row of an earlier declined or cancelled one
    (one row per person and shift) so its history stays in one place."""
    existing = session.scalar(
        sa.select(Assignment).where(
            Assignment.shift_id == shift.id, Assignment.participant_id == participant_id
        )
    )
    if existing is not None and existing.status in SLOT_HOLDING:
        raise DomainError(_("This person is already on the shift."))
    before = existing.status if existing is not None else None
    assignment = existing or Assignment(shift=shift, participant_id=participant_id)
    assignment.status = AssignmentStatus.PROPOSED
    assignment.is_locked = False
    assignment.decline_reason = None
    assignment.responded_at = None
    assignment.confirmed_at = None
    assignment.confirmed_by_id = None
    session.add(assignment)
    session.flush()
    session.add(
        AssignmentEvent(
            assignment_id=assignment.id,
            actor_id=user.id,
            from_status=before,
            to_status=AssignmentStatus.PROPOSED,
            reason=f"{why} in matching run {run.id}",
        )
    )
    return assignment


def hand_change(
    session: Session,
    user: User,
    run: MatchingRun,
    *,
    remove: list[Assignment] | tuple[Assignment, ...] = (),
    add: list[tuple[Participant, Shift]] | tuple[tuple[Participant, Shift], ...] = (),
    why: str = "changed by hand",
) -> Change:
    """Remove proposals and add people to shifts of the run's week as one change.

    Only proposals (not offers or confirmed shifts) can be removed; people must be in
    the run's group and shifts in its week. The additions are checked together against
    the roster without the removals (`check_change`); if any is refused,
    `ChangeRefused` is raised and nothing is written."""
    if run.status != RunStatus.DONE:
        raise DomainError(_("The matching run has not finished yet."))
    week = _run_shift_ids(session, run)
    for a in remove:
        if a.shift_id not in week:
            raise DomainError(_("This shift is not on the board."), status=404)
        if a.status != AssignmentStatus.PROPOSED:
            raise DomainError(
                _("Only proposals can be changed here; this shift is already offered.")
            )
    seen: set[tuple[int, int]] = set()
    for person, shift in add:
        if person.group_id != run.group_id:
            raise DomainError(_("Choose a participant of the group."), status=422)
        if shift.id not in week:
            raise DomainError(_("This shift is not on the board."), status=404)
        if (person.id, shift.id) in seen:
            raise DomainError(_("Choose two different people."), status=422)
        seen.add((person.id, shift.id))
    problems = check_change(session, run, list(remove), list(add))
    if problems:
        raise ChangeRefused(problems)

    change = Change()
    for a in remove:
        change.removed.append((a.participant_id, a.shift_id))
        session.delete(a)
    session.flush()
    for person, shift in add:
        change.added.append(_propose(session, user, run, person.id, shift, why))
    _sync_result(run, change)
    session.flush()
    return change


def _sync_result(run: MatchingRun, change: Change) -> None:
    """Keep the run's proposals in step with hand changes, so publishing offers them."""
    result = dict(run.result or {})
    gone = set(change.removed)
    rows = [
        a
        for a in result.get("assignments", [])
        if (int(a["participant"]), int(a["shift"])) not in gone
    ]
    for a in change.added:
        pair = {"participant": str(a.participant_id), "shift": str(a.shift_id)}
        rows.append(pair | {"locked": False})
    result["assignments"] = rows
    run.result = result


# --------------------------------------------------------------------------- why not


@dataclass(frozen=True)
class Factor:
    """Something the objective weighs that speaks for the people chosen: `code` is
    one of `wording.FAIRNESS`, `CONTINUITY`, `PREFERENCE` or `WHOLE_WEEK`."""

    code: str
    participant_ids: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "participant_ids": list(self.participant_ids)}


@dataclass(frozen=True)
class WhyNot:
    """Why one participant is (not) on one shift of a run's week, on the board as it
    is now (hand changes included).

    `reasons` are engine `Reason`s (code, params): every hard rule that stops the
    person; or `better_fit_chosen` (no rule stops them, the slots went to others,
    named in ``params["chosen"]``) with `factors` saying what spoke for those chosen;
    or `could_be_added`; or `assigned`/`locked` when the person is on the shift."""

    participant: Participant
    shift: Shift
    reasons: tuple[m.Reason, ...]
    factors: tuple[Factor, ...] = ()
    holders: tuple[Participant, ...] = ()

    @property
    def chosen(self) -> bool:
        return any(r.code in (m.ReasonCode.ASSIGNED, m.ReasonCode.LOCKED) for r in self.reasons)

    @property
    def name(self) -> str:
        return self.participant.user.full_name


def why_not(session: Session, run: MatchingRun, person: Participant, shift: Shift) -> WhyNot:
    """Why `person` is not on `shift`, checked with the engine's rules against the
    board as it is now. The person must be in the run's group (else 422) and the shift
    in its week (else 404)."""
    if run.status != RunStatus.DONE:
        raise DomainError(_("The matching run has not finished yet."))
    if person.group_id != run.group_id or person.anonymised_at is not None:
        raise DomainError(_("Choose a participant of the group."), status=422)
    if shift.id not in _run_shift_ids(session, run):
        raise DomainError(_("This shift is not on the board."), status=404)
    holding = session.scalars(
        sa.select(Assignment)
        .where(Assignment.shift_id == shift.id, Assignment.status.in_(SLOT_HOLDING))
        .options(selectinload(Assignment.participant).selectinload(Participant.user))
        .order_by(Assignment.id)
    ).all()
    holders = tuple(
        sorted(
            (a.participant for a in holding if a.participant.group_id == run.group_id),
            key=lambda p: (p.user.last_name, p.user.first_name, p.id),
        )
    )
    if any(a.participant_id == person.id for a in holding):
        reason = m.Reason(m.ReasonCode.ASSIGNED, "on the shift")
        return WhyNot(person, shift, (reason,), holders=holders)
    instance = build_instance(session, run.week_start, run.group_id)
    pid, sid = str(person.id), str(shift.id)
    ctx = Context(instance)
    if pid not in ctx.p_index:
        reasons = (m.Reason(NO_PLAN_THIS_WEEK, "no plan in force this week"),)  # type: ignore[arg-type]
        return WhyNot(person, shift, reasons, holders=holders)
    if sid not in ctx.s_index:
        reasons = (m.Reason(SHIFT_NOT_OPEN, "the shift is not open for planning"),)  # type: ignore[arg-type]
        return WhyNot(person, shift, reasons, holders=holders)
    solution = m.Solution(
        assignments=tuple(_roster(session, run, instance)),
        slot_minutes=0,
        upper_bound_minutes=0,
        tier="board",
        proven_optimal=False,
    )
    reasons = tuple(explain_pair(ctx, solution, pid, sid))
    factors: tuple[Factor, ...] = ()
    if reasons and reasons[0].code is m.ReasonCode.BETTER_FIT_CHOSEN:
        chosen = [str(c) for c in reasons[0].params.get("chosen", [])]  # type: ignore[attr-defined]
        factors = _factors(ctx, solution, pid, sid, chosen)
    return WhyNot(person, shift, reasons, factors, holders)


def _factors(
    ctx: Context, solution: m.Solution, pid: str, sid: str, chosen: list[str]
) -> tuple[Factor, ...]:
    """What speaks for the people chosen over `pid`, in the objective's order after
    filled hours: fairness (further below their weekly target before this shift),
    continuity (worked on this task before), preferences (like this task kind)."""
    state = PlanState(ctx)
    for a in solution.assignments:
        pair = (ctx.p_index[a.participant], ctx.s_index[a.shift])
        if pair not in ctx.locked_set:
            state.add(*pair)
    p, s = ctx.p_index[pid], ctx.s_index[sid]
    shift = ctx.shifts[s]
    me = ctx.participants[p]

    def gap(q: int, without: int) -> int | None:
        target = ctx.participants[q].weekly_target_minutes
        if not target:
            return None
        return target - (state.week_minutes[q] - without)

    mine = gap(p, 0)
    fairer, continued, liked = [], [], []
    previous = ctx.instance.previous_assignees.get(shift.task or "", frozenset())
    for cid in chosen:
        q = ctx.p_index.get(cid)
        if q is None:
            continue
        theirs = gap(q, ctx.s_minutes[s])
        if theirs is not None and (mine is None or theirs > mine):
            fairer.append(int(cid))
        if cid in previous and pid not in previous:
            continued.append(int(cid))
        if shift.kind in ctx.participants[q].preferred_kinds and shift.kind not in (
            me.preferred_kinds
        ):
            liked.append(int(cid))
    factors = [
        Factor(code, tuple(ids))
        for code, ids in (
            (wording.FAIRNESS, fairer),
            (wording.CONTINUITY, continued),
            (wording.PREFERENCE, liked),
        )
        if ids
    ]
    return tuple(factors) or (Factor(wording.WHOLE_WEEK),)


# Warnings about the week itself (an instructor booked at two sites, more locked people
# than slots) are worked out again from today's data; a run's own warnings (its final
# check) stay as the run recorded them.
_WEEK_NOTICES = frozenset({m.NoticeCode.LOCKED_OVER_SLOTS, m.NoticeCode.INSTRUCTOR_DOUBLE_BOOKED})


def current_warnings(session: Session, run: MatchingRun) -> list[dict]:
    """The board's warnings as of now. Tasks change after a run (days moved, shifts
    cancelled, another instructor on site), so a warning stored with the run can name a
    shift that is gone or a clash that no longer exists; the instructor needs today's."""
    recorded = [
        w
        for w in (run.result or {}).get("warnings", [])
        if not (isinstance(w, dict) and w.get("code") in _WEEK_NOTICES)
    ]
    try:
        ctx = Context(build_instance(session, run.week_start, run.group_id))
    except (DomainError, m.InstanceError):
        return recorded
    return [w.as_dict() for w in ctx.warnings] + recorded


def names_for(session: Session, shifts: list[Shift], people: list[Participant]) -> wording.Names:
    """Names for the sentences: skills by code; shifts, instructors and participants by
    id (shifts by their day, time and title)."""
    skills = {s.code: s.name() for s in session.scalars(sa.select(Skill))}
    labels = {str(s.id): wording.shift_label(s) for s in shifts}
    ids = {s.instructor_id for s in shifts if s.instructor_id}
    instructors = {
        str(i.id): i.user.full_name
        for i in session.scalars(
            sa.select(Instructor)
            .where(Instructor.id.in_(ids or {-1}))
            .options(selectinload(Instructor.user))
        )
    }
    persons = {str(p.id): p.user.full_name for p in people}
    return wording.Names(
        skill=lambda code: skills.get(code, code),
        shift=lambda sid: labels.get(sid, sid),
        instructor=lambda iid: instructors.get(iid, iid),
        participant=lambda pid: persons.get(pid, pid),
    )


# --------------------------------------------------------------------------- fairness


@dataclass(frozen=True)
class PersonWeek:
    """A group member's week: planned minutes (every slot-holding shift of the week,
    in any group) against their plan's weekly target."""

    participant: Participant
    planned_minutes: int
    target_minutes: int | None
    shifts: int
    # The month's confirmed + accepted earnings against the ceiling (of the week's
    # first month), so the planner sees who is close before adding more.
    earnings: Earnings | None = None

    @property
    def close_to_ceiling(self) -> bool:
        share = self.earnings.share_of_ceiling if self.earnings else None
        return share is not None and share >= CLOSE_SHARE

    @property
    def below_target_minutes(self) -> int:
        if not self.target_minutes:
            return 0
        return max(self.target_minutes - self.planned_minutes, 0)

    @property
    def over_target_minutes(self) -> int:
        """Planned beyond the weekly target: within the plan's limits, but the planner
        should see it, since it can take work from people still below theirs."""
        if not self.target_minutes:
            return 0
        return max(self.planned_minutes - self.target_minutes, 0)


def week_hours(session: Session, run: MatchingRun) -> list[PersonWeek]:
    """The group's members, those furthest below their weekly target first, then the
    others by name."""
    first, last = _week_bounds(run.week_start)
    people = session.scalars(
        sa.select(Participant)
        .where(Participant.group_id == run.group_id, Participant.anonymised_at.is_(None))
        .options(selectinload(Participant.user), selectinload(Participant.plans))
    ).all()
    planned: dict[int, int] = defaultdict(int)
    count: dict[int, int] = defaultdict(int)
    for pid, starts_at, ends_at in session.execute(
        sa.select(Assignment.participant_id, Shift.starts_at, Shift.ends_at)
        .join(Assignment.shift)
        .where(
            Assignment.participant_id.in_([p.id for p in people] or [-1]),
            Assignment.status.in_(SLOT_HOLDING),
            Shift.status != ShiftStatus.CANCELLED,
            Shift.starts_at >= first,
            Shift.starts_at < last,
        )
    ):
        planned[pid] += int((ends_at - starts_at).total_seconds() // 60)
        count[pid] += 1
    earnings = earnings_for(session, [p.id for p in people], run.week_start)
    rows = []
    for person in people:
        plan = _plan_in_week(person, run.week_start)
        rows.append(
            PersonWeek(
                person,
                planned[person.id],
                plan.weekly_target_minutes if plan else None,
                count[person.id],
                earnings.get(person.id),
            )
        )
    rows.sort(
        key=lambda r: (
            -r.below_target_minutes,
            r.participant.user.last_name,
            r.participant.user.first_name,
            r.participant.id,
        )
    )
    return rows


# --------------------------------------------------------------------------- publish


def _to_publish(session: Session, run: MatchingRun) -> list[tuple[Assignment, Participant | None]]:
    """The run's proposals still waiting to be published, with their people, in shift
    and person order."""
    if run.status != RunStatus.DONE:
        raise DomainError(_("The matching run has not finished yet."))
    shifts = _week_shifts(session, run)
    wanted = set(proposals(run))
    people = {
        p.id: p
        for p in session.scalars(
            sa.select(Participant)
            .where(Participant.id.in_({pid for pid, _sid in wanted} or {-1}))
            .options(selectinload(Participant.user))
        )
    }
    return [
        (a, people.get(a.participant_id))
        for sid, shift in sorted(shifts.items())
        for a in sorted(shift.assignments, key=lambda a: a.participant_id)
        if a.status == AssignmentStatus.PROPOSED and (a.participant_id, sid) in wanted
    ]


@dataclass(frozen=True)
class PublishPreview:
    """What publishing would do now: offers, direct confirmations, people told."""

    offers: int
    confirmations: int
    people: int


def publish_preview(session: Session, run: MatchingRun) -> PublishPreview:
    waiting = _to_publish(session, run)
    direct = sum(1 for _a, person in waiting if person is not None and person.instructor_confirms)
    return PublishPreview(
        offers=len(waiting) - direct,
        confirmations=direct,
        people=len({a.participant_id for a, _person in waiting}),
    )


def publish(session: Session, user: User, run: MatchingRun) -> list[Assignment]:
    """Turn the run's proposals into offers and notify each participant once. For a
    person whose instructor confirms for them, the proposal becomes a confirmed shift
    at once (confirmed by `user`), and they are told they have a new shift.
    Publishing again changes nothing twice. Returns the assignments changed now."""
    changed = []
    people: dict[int, Participant] = {}
    now = clock.now()
    for a, person in _to_publish(session, run):
        if person is not None:
            people[person.id] = person
        if person is not None and person.instructor_confirms:
            a.status = AssignmentStatus.CONFIRMED
            a.confirmed_at = now
            a.confirmed_by_id = user.id
        else:
            a.status = AssignmentStatus.OFFERED
        session.add(
            AssignmentEvent(
                assignment_id=a.id,
                actor_id=user.id,
                from_status=AssignmentStatus.PROPOSED,
                to_status=a.status,
                reason=(
                    f"matching run {run.id}: confirmed by the instructor"
                    if a.status == AssignmentStatus.CONFIRMED
                    else f"matching run {run.id}"
                ),
            )
        )
        changed.append(a)
    session.flush()
    if changed:
        _notify(session, changed, people)
    run.published_at = now
    session.flush()
    return changed


def _notify(session: Session, changed: list[Assignment], people: dict[int, Participant]) -> None:
    for a in changed:
        user = people[a.participant_id].user
        if not user.email:
            continue
        confirmed = a.status == AssignmentStatus.CONFIRMED
        key = f"shift-confirmed:{a.id}" if confirmed else f"shift-offered:{a.id}"
        if session.scalar(sa.select(sa.literal(1)).where(_outbox_key_exists(key))):
            continue
        locale = str(user.locale)
        start = clock.to_local(a.shift.starts_at)
        end = clock.to_local(a.shift.ends_at)
        with force_locale(locale):
            values = {
                "day": start.strftime("%d.%m.%Y"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
            }
            if confirmed:
                subject = _("You have a new work shift")
                body = _(
                    "You have a new work shift on %(day)s at %(start)s–%(end)s. "
                    "Your instructor has confirmed it for you. "
                    "Sign in to Jobcenter to see it.",
                    **values,
                )
            else:
                subject = _("You have a new work shift offer")
                body = _(
                    "You have been offered a work shift on %(day)s at %(start)s–%(end)s. "
                    "Sign in to Jobcenter to accept or decline it.",
                    **values,
                )
        enqueue(
            session,
            recipient=user,
            to_address=user.email,
            kind=CONFIRMED_NOTICE_KIND if confirmed else NOTICE_KIND,
            subject=subject,
            body=body + "\n",
            locale=locale,
            dedupe_key=key,
        )


def _outbox_key_exists(key: str) -> sa.ColumnElement[bool]:
    from jobcenter.notifications.models import OutboxMessage

    return sa.exists().where(OutboxMessage.dedupe_key == key)
