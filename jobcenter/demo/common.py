"""Pieces both demo sizes share: reference look-ups, people, tasks and their history,
the printed logins and the participant's one-time sign-in link."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import OneTimeToken, TokenPurpose, User
from jobcenter.accounts.secrets import hash_secret, new_secret, verify_password
from jobcenter.catalog.models import District, Rate, Skill, StreamRule, TaskKind
from jobcenter.catalog.operations import in_force_on
from jobcenter.core import clock
from jobcenter.core.clock import HELSINKI
from jobcenter.core.enums import Locale, Role, Stream
from jobcenter.demo.bulk import BulkWriter
from jobcenter.demo.history import (
    DemoConflict,  # noqa: F401  (re-exported for the CLI)
    InstructorInfo,
    Person,
    PlanPeriod,
    RateBook,
    StreamLimits,
    TaskPlan,
)
from jobcenter.demo.names import (
    FINNISH_FEMALE,
    FINNISH_LAST,
    FINNISH_MALE,
    SWEDISH_FEMALE,
    SWEDISH_LAST,
    SWEDISH_MALE,
    ascii_slug,
    phone_number,
)
from jobcenter.hours.models import HourEntry
from jobcenter.participants.models import Group, Instructor, Participant, Preference
from jobcenter.units.models import TaskStatus

DEFAULT_PASSWORD = "jobcenter-demo"  # noqa: S105 (printed for the demo's users)
DEFAULT_SEED = 2021

FEEDBACK_COMMENTS = {
    5: ("Erinomaista työtä, kiitos koko ryhmälle!", "Tosi siisti lopputulos.",
        "Asukkaat kiittelivät avuliaisuutta.", "Sovitusti ja huolellisesti tehty."),
    4: ("Hyvin sujui, tulkaa uudestaan.", "Mukava ryhmä, pientä viivettä aloituksessa.",
        "Työ tehtiin hyvin, ohjeita tarvittiin alussa."),
    3: ("Työ tehtiin, mutta ohjeistusta tarvittiin paljon.", "Osa tavaroista jäi paikoilleen."),
    2: ("Osa työstä jäi kesken.",),
    1: ("Työ ei vastannut tilausta.",),
}  # fmt: skip


@dataclass
class Reference:
    districts: dict[str, int]
    kinds: dict[str, int]
    skills: dict[str, int]
    rates: RateBook
    limits: dict[Stream, StreamLimits]


def load_reference(session: Session, on: date) -> Reference:
    """Districts, task kinds, skills, rates and stream rules as the generators use them."""
    districts = dict(session.execute(sa.select(District.code, District.id)).all())
    kinds = dict(session.execute(sa.select(TaskKind.code, TaskKind.id)).all())
    skills = dict(session.execute(sa.select(Skill.code, Skill.id)).all())
    rates = RateBook(
        [
            (r.kind, r.cents_per_hour, r.vat_percent, r.valid_from, r.valid_to)
            for r in session.scalars(sa.select(Rate))
        ]
    )
    for kind in ("wage", "price"):
        rates.on(kind, on)  # refuses early (DemoConflict) when a rate is missing
    limits: dict[Stream, StreamLimits] = {}
    for rule in session.scalars(sa.select(StreamRule).order_by(StreamRule.valid_from)):
        if in_force_on(rule, on):
            limits[rule.stream] = StreamLimits(
                rule.max_days_per_week,
                rule.min_minutes_per_day,
                rule.max_minutes_per_day,
                rule.max_minutes_per_week,
            )
    return Reference(districts, kinds, skills, rates, limits)


@dataclass
class Login:
    role: str
    name: str
    email: str
    password: str | None


@dataclass
class DemoResult:
    size: str
    created: bool
    logins: list[Login]
    sign_in_name: str | None = None
    sign_in_url: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    hours: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local Helsinki time as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI).astimezone(UTC)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class NameMaker:
    """Believable, unique names and e-mail addresses (about one in seven Swedish)."""

    def __init__(self, rng: random.Random, domain: str) -> None:
        self.rng = rng
        self.domain = domain
        self.emails: set[str] = set()

    def person(self) -> tuple[str, str, Locale]:
        rng = self.rng
        swedish = rng.random() < 0.14
        if swedish:
            first = rng.choice(SWEDISH_FEMALE if rng.random() < 0.5 else SWEDISH_MALE)
            last = rng.choice(SWEDISH_LAST if rng.random() < 0.7 else FINNISH_LAST)
            return first, last, Locale.SV
        first = rng.choice(FINNISH_FEMALE if rng.random() < 0.5 else FINNISH_MALE)
        return first, rng.choice(FINNISH_LAST), Locale.FI

    def email(self, first: str, last: str, local: str | None = None) -> str:
        base = local or ascii_slug(f"{first} {last}")
        candidate, n = f"{base}@{self.domain}", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{base}{n}@{self.domain}"
        self.emails.add(candidate)
        return candidate


def add_user(
    writer: BulkWriter,
    *,
    role: Role,
    first: str,
    last: str,
    email: str | None,
    password_hash: str | None,
    locale: Locale = Locale.FI,
    unit_id: int | None = None,
    created_at: datetime,
) -> int:
    user_id = writer.next_id("users")
    row = writer.add(
        "users",
        {
            "id": user_id,
            "email": email,
            "first_name": first,
            "last_name": last,
            "phone": phone_number(user_id),
            "role": role,
            "locale": locale,
            "password_hash": password_hash,
            "is_active": True,
            "unit_id": unit_id,
            "last_login_at": None,
            "session_version": 1,
            "created_at": created_at,
            "updated_at": created_at,
        },
    )
    return row["id"]


def add_admin(
    writer: BulkWriter, names: NameMaker, password: str, password_hash: str, created_at: datetime
) -> Login:
    """The demo's admin; their address (admin@<domain>) is how a later run finds the demo."""
    email = names.email("", "", "admin")
    add_user(
        writer,
        role=Role.ADMIN,
        first="Kaisa",
        last="Lindqvist",
        email=email,
        password_hash=password_hash,
        created_at=created_at,
    )
    return Login("admin", "Kaisa Lindqvist", email, password)


def add_windows(writer: BulkWriter, user_id: int, windows: dict[int, tuple[int, int]]) -> None:
    for weekday, (start, end) in sorted(windows.items()):
        writer.add(
            "availability_windows",
            {
                "user_id": user_id,
                "weekday": weekday,
                "start_time": time(start // 60, start % 60),
                "end_time": time(end // 60, end % 60),
            },
        )


def add_instructor(
    writer: BulkWriter,
    *,
    user_id: int,
    capacity: int,
    streams: tuple[Stream, ...],
    created_at: datetime,
) -> InstructorInfo:
    row = writer.add(
        "instructors",
        {
            "user_id": user_id,
            "supervision_capacity": capacity,
            "works_rehabilitative": Stream.REHABILITATIVE in streams,
            "works_disability": Stream.DISABILITY in streams,
            "created_at": created_at,
            "updated_at": created_at,
        },
    )
    add_windows(writer, user_id, {d: (8 * 60, 16 * 60) for d in range(5)})
    return InstructorInfo(row["id"], user_id, capacity)


def add_group(writer: BulkWriter, name: str, instructor_id: int, created_at: datetime) -> int:
    return writer.add(
        "groups",
        {
            "name": name,
            "instructor_id": instructor_id,
            "created_at": created_at,
            "updated_at": created_at,
        },
    )["id"]


def random_plans(
    rng: random.Random,
    stream: Stream,
    *,
    today: date,
    history_start: date,
    ref: Reference,
    home_district_id: int | None,
    level_weights: tuple[int, int, int, int],
    renewal_rate: float = 0.12,
    busy: bool = False,
) -> list[dict]:
    """One or two consecutive plan periods, the current one running past today."""
    level = rng.choices((0, 1, 2, 3), weights=level_weights)[0]
    kinds = sorted(ref.kinds.values())
    skills = sorted(ref.skills.values())
    skill_codes = {v: k for k, v in ref.skills.items()}
    start = history_start - timedelta(days=rng.randint(0, 150))
    if rng.random() < 0.2:  # joined while the history runs
        start = history_start + timedelta(days=rng.randint(7, 60))
    months = rng.choice((6, 9, 12, 12, 18, 24)) if stream == Stream.REHABILITATIVE else 24
    periods = [(start, start + timedelta(days=30 * months))]
    if periods[0][1] < today + timedelta(days=45):
        periods[0] = (start, today + timedelta(days=rng.randint(60, 200)))
    if rng.random() < renewal_rate and start < history_start:
        # An earlier period ended in the middle of the history and a new one began.
        split = history_start + timedelta(days=rng.randint(20, 70))
        periods = [(start, split - timedelta(days=1)), (split, periods[0][1])]
    plans = []
    for n, (begin, end) in enumerate(periods):
        if stream == Stream.REHABILITATIVE:
            days = rng.choice((3, 4, 4, 4) if busy else (2, 3, 3, 4, 4))
            min_minutes = 240
            max_minutes = rng.choice((360, 420, 480))
            allowance = None
        else:
            days = rng.choice((4, 5, 5) if busy else (2, 3, 3, 4, 4, 5))
            min_minutes = rng.choice((120, 180))
            max_minutes = rng.choice((360, 420, 480) if busy else (240, 300, 360, 360))
            allowance = rng.choice((600, 800, 1000, 1200))
        if n == 0 and len(periods) == 2:
            days = max(1, days - 1)
        own_skills = {s for s in skills if rng.random() < 0.18}
        if rng.random() < 0.45:
            own_skills.add(ref.skills["hygiene_passport"])
        if rng.random() < 0.25:
            own_skills.add(ref.skills["sewing_machine"])
        prefer = set(rng.sample(kinds, rng.randint(1, 3)))
        avoid = {k for k in rng.sample(kinds, rng.randint(0, 2)) if k not in prefer}
        ceiling = None
        if rng.random() < (0.35 if stream == Stream.REHABILITATIVE else 0.22):
            ceiling = rng.choice((15000, 20000, 30000, 45000))
        plans.append(
            {
                "start": begin,
                "end": end,
                "days_per_week": days,
                "min_minutes": min_minutes,
                "max_minutes": max_minutes,
                "weekly_target": days * min_minutes,
                "level": level,
                "home_district_id": home_district_id,
                "ceiling_cents": ceiling,
                "allowance": allowance,
                "skills": frozenset(own_skills),
                "prefer": frozenset(prefer),
                "avoid": frozenset(avoid),
                "skill_codes": sorted(skill_codes[s] for s in own_skills),
            }
        )
    return plans


def random_windows(rng: random.Random, days_per_week: int) -> dict[int, tuple[int, int]]:
    count = min(5, days_per_week + rng.choice((0, 1, 1, 2)))
    weekdays = sorted(rng.sample(range(5), count))
    start = rng.choice((8 * 60, 8 * 60, 8 * 60 + 30, 9 * 60))
    end = rng.choice((14 * 60, 15 * 60, 16 * 60, 16 * 60))
    return {d: (start, end) for d in weekdays}


def add_participant(
    writer: BulkWriter,
    rng: random.Random,
    *,
    user_id: int,
    group_id: int,
    instructor_id: int,
    stream: Stream,
    plans: list[dict],
    windows: dict[int, tuple[int, int]],
    days_away: set[date],
    created_at: datetime,
) -> Person:
    participant_id = writer.add(
        "participants",
        {
            "user_id": user_id,
            "group_id": group_id,
            "stream": stream,
            "anonymised_at": None,
            "created_at": created_at,
            "updated_at": created_at,
        },
    )["id"]
    periods = []
    for plan in plans:
        plan_at = (
            min(created_at, at(plan["start"], 9)) if plan is plans[0] else at(plan["start"], 9)
        )
        plan_id = writer.add(
            "plans",
            {
                "participant_id": participant_id,
                "start_date": plan["start"],
                "end_date": plan["end"],
                "days_per_week": plan["days_per_week"],
                "min_minutes_per_day": plan["min_minutes"],
                "max_minutes_per_day": plan["max_minutes"],
                "weekly_target_minutes": plan["weekly_target"],
                "supervision_level": plan["level"],
                "home_district_id": plan["home_district_id"],
                "monthly_earnings_ceiling_cents": plan["ceiling_cents"],
                "daily_allowance_cents": plan["allowance"],
                "created_at": plan_at,
                "updated_at": plan_at,
            },
        )["id"]
        for skill_id in sorted(plan["skills"]):
            writer.add("plan_skills", {"plan_id": plan_id, "skill_id": skill_id})
        for kind_id in sorted(plan["prefer"]):
            writer.add(
                "plan_task_kind_preferences",
                {"plan_id": plan_id, "task_kind_id": kind_id, "preference": Preference.PREFER},
            )
        for kind_id in sorted(plan["avoid"]):
            writer.add(
                "plan_task_kind_preferences",
                {"plan_id": plan_id, "task_kind_id": kind_id, "preference": Preference.AVOID},
            )
        periods.append(
            PlanPeriod(
                plan_id=plan_id,
                start=plan["start"],
                end=plan["end"],
                days_per_week=plan["days_per_week"],
                min_minutes=plan["min_minutes"],
                max_minutes=plan["max_minutes"],
                level=plan["level"],
                home_district_id=plan["home_district_id"],
                ceiling_cents=plan["ceiling_cents"],
                skills=plan["skills"],
                prefer=plan["prefer"],
                avoid=plan["avoid"],
            )
        )
    add_windows(writer, user_id, windows)
    for day in sorted(days_away):
        writer.add("days_away", {"user_id": user_id, "day": day, "note": "Loma"})
    return Person(
        participant_id=participant_id,
        user_id=user_id,
        stream=stream,
        instructor_id=instructor_id,
        plans=periods,
        windows=windows,
        days_away=frozenset(days_away),
        absence_rate=rng.choice((0.03, 0.05, 0.08, 0.1, 0.15)),
        answers_offers_self=rng.random() < 0.5,
    )


def recurrence_rule(weekdays: frozenset[int], until: date) -> str:
    names = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    days = ",".join(names[d] for d in sorted(weekdays))
    return f"FREQ=WEEKLY;BYDAY={days};UNTIL={until:%Y%m%d}"


def add_task(
    writer: BulkWriter,
    rng: random.Random,
    *,
    now: datetime,
    status: TaskStatus,
    unit_id: int,
    unit_address: tuple[str, str],
    district_id: int | None,
    contact_user_id: int,
    kind_id: int,
    title: str,
    description: str,
    headcount: int,
    minutes: int,
    start_minute: int,
    first_date: date,
    last_date: date,
    weekdays: frozenset[int] | None,
    dates: list[date] | None,
    group_id: int | None,
    instructor: InstructorInfo | None,
    supervised: bool = False,
    site_supervision: bool = False,
    required_skills: frozenset[int] = frozenset(),
    reason: str | None = None,
    cancelled_on: date | None = None,
    site_contact: str = "",
) -> TaskPlan | None:
    """A task row with its history (events, feedback); returns what the simulator
    needs when the task has shifts."""
    task_id = writer.next_id("tasks")
    first_start = at(first_date, start_minute // 60, start_minute % 60)
    last_end = at(last_date, start_minute // 60, start_minute % 60) + timedelta(minutes=minutes)
    if status in (TaskStatus.DRAFT, TaskStatus.SUBMITTED, TaskStatus.CHANGES_REQUESTED):
        created = now - timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 6))
    else:
        created = min(first_start - timedelta(days=rng.randint(14, 28)), now - timedelta(days=9))
    steps = [(created, contact_user_id, None, TaskStatus.DRAFT, None)]
    t = created
    instructor_user = instructor.user_id if instructor else None

    def step(after_hours: tuple[int, int], actor, to, why=None, cap=None):
        nonlocal t
        t = t + timedelta(hours=rng.randint(*after_hours))
        if cap is not None:
            t = min(t, cap)
        t = min(t, now - timedelta(minutes=5))
        steps.append((t, actor, steps[-1][3], to, why))

    if status != TaskStatus.DRAFT:
        step((1, 40), contact_user_id, TaskStatus.SUBMITTED)
    if status in (TaskStatus.CHANGES_REQUESTED, TaskStatus.REJECTED):
        step((4, 48), instructor_user, status, reason)
    scheduled_like = (TaskStatus.SCHEDULED, TaskStatus.DONE, TaskStatus.CONFIRMED)
    if status in (TaskStatus.ACCEPTED, *scheduled_like) or (
        status == TaskStatus.CANCELLED and cancelled_on is not None
    ):
        step((4, 60), instructor_user, TaskStatus.ACCEPTED, cap=first_start - timedelta(days=4))
        if status != TaskStatus.ACCEPTED:
            step(
                (1, 20), instructor_user, TaskStatus.SCHEDULED, cap=first_start - timedelta(days=3)
            )
    if status == TaskStatus.CANCELLED:
        if cancelled_on is None:  # cancelled by the unit before anyone accepted it
            step((4, 60), contact_user_id, TaskStatus.CANCELLED, reason)
        else:
            t = max(t, min(at(cancelled_on, 8) - timedelta(days=2), now))
            steps.append((t, contact_user_id, steps[-1][3], TaskStatus.CANCELLED, reason))
    rating = None
    if status in (TaskStatus.DONE, TaskStatus.CONFIRMED):
        t = max(t, last_end)
        steps.append((t, instructor_user, TaskStatus.SCHEDULED, TaskStatus.DONE, None))
    if status == TaskStatus.CONFIRMED:
        step((20, 110), contact_user_id, TaskStatus.CONFIRMED)
        rating = rng.choices((5, 4, 3, 2, 1), weights=(55, 30, 11, 3, 1))[0]
    address, postal = unit_address
    writer.add(
        "tasks",
        {
            "id": task_id,
            "unit_id": unit_id,
            "created_by_id": contact_user_id,
            "title": title,
            "description": description,
            "task_kind_id": kind_id,
            "site_address": address,
            "site_postal_code": postal,
            "site_city": "Helsinki",
            "district_id": district_id,
            "site_supervision": site_supervision,
            "headcount": headcount,
            "shift_minutes": minutes,
            "first_date": first_date,
            "last_date": last_date,
            "preferred_start": time(start_minute // 60, start_minute % 60),
            "preferred_end": (
                datetime.combine(first_date, time(start_minute // 60, start_minute % 60))
                + timedelta(minutes=minutes)
            ).time(),
            "recurrence": recurrence_rule(weekdays, last_date) if weekdays else None,
            "include_public_holidays": False,
            "physical_demands": "",
            "what_to_bring": "",
            "site_contact_name": site_contact,
            "site_contact_phone": phone_number(task_id) if site_contact else "",
            "status": status,
            "status_reason": reason
            if status in (TaskStatus.REJECTED, TaskStatus.CANCELLED, TaskStatus.CHANGES_REQUESTED)
            else None,
            "group_id": group_id if instructor else None,
            "created_at": created,
            "updated_at": steps[-1][0],
        },
    )
    for skill_id in sorted(required_skills):
        writer.add("task_required_skills", {"task_id": task_id, "skill_id": skill_id})
    for day in sorted(dates or ()):
        writer.add("task_dates", {"task_id": task_id, "day": day, "start_time": None})
    for when, actor, frm, to, why in steps:
        writer.add(
            "task_events",
            {
                "task_id": task_id,
                "at": when,
                "actor_id": actor,
                "from_status": frm,
                "to_status": to,
                "reason": why,
            },
        )
    if rating is not None:
        writer.add(
            "task_feedback",
            {
                "task_id": task_id,
                "rating": rating,
                "comment": rng.choice(FEEDBACK_COMMENTS[rating]),
                "given_by_id": contact_user_id,
                "created_at": steps[-1][0],
            },
        )
    has_shifts = status in scheduled_like or (
        status == TaskStatus.CANCELLED and cancelled_on is not None
    )
    if not has_shifts or instructor is None:
        return None
    return TaskPlan(
        task_id=task_id,
        unit_id=unit_id,
        kind_id=kind_id,
        district_id=district_id,
        instructor=instructor,
        start_minute=start_minute,
        minutes=minutes,
        slots=headcount,
        first_date=first_date,
        last_date=last_date,
        weekdays=weekdays or frozenset(),
        dates=frozenset(dates) if dates else None,
        supervised=supervised,
        site_supervision=site_supervision,
        required_skills=required_skills,
        cancelled_on=cancelled_on,
        cancel_reason=reason,
        contact_user_id=contact_user_id,
    )


def task_status_by_dates(
    rng: random.Random, first_date: date, last_date: date, today: date, horizon_end: date
) -> TaskStatus:
    """What a task's dates make its status: running, just finished, or confirmed."""
    if first_date > horizon_end:
        return TaskStatus.ACCEPTED
    if last_date >= today:
        return TaskStatus.SCHEDULED
    if (today - last_date).days <= 6 or rng.random() < 0.08:
        return TaskStatus.DONE
    return TaskStatus.CONFIRMED


def add_month_closures(
    writer: BulkWriter,
    groups: list[tuple[int, int]],
    first_day: date,
    now: datetime,
) -> None:
    """Each group's past months closed by its instructor on the 7th of the next month."""
    month = first_day.replace(day=1)
    while True:
        following = (month + timedelta(days=32)).replace(day=1)
        closed_at = at(following.replace(day=7), 10)
        if closed_at > now:
            break
        for group_id, instructor_user_id in groups:
            writer.add(
                "month_closures",
                {
                    "group_id": group_id,
                    "month": month,
                    "closed_by_id": instructor_user_id,
                    "closed_at": closed_at,
                    "reopened_by_id": None,
                    "reopened_at": None,
                    "reopen_reason": None,
                },
            )
        month = following


def issue_sign_in_link(
    session: Session,
    user_id: int,
    created_by_id: int | None,
    base_url: str,
    now: datetime,
    days: int,
) -> str:
    """A fresh one-time sign-in link; the person's earlier unused links are withdrawn."""
    session.execute(
        sa.delete(OneTimeToken).where(
            OneTimeToken.user_id == user_id,
            OneTimeToken.purpose == TokenPurpose.SIGN_IN,
            OneTimeToken.used_at.is_(None),
        )
    )
    secret = new_secret()
    session.add(
        OneTimeToken(
            user_id=user_id,
            purpose=TokenPurpose.SIGN_IN,
            token_hash=hash_secret(secret),
            created_at=now,
            expires_at=now + timedelta(days=days),
            created_by_id=created_by_id,
        )
    )
    session.flush()
    return f"{base_url.rstrip('/')}/sign-in/{secret}"


def confirmed_hours(session: Session) -> dict[str, float]:
    """Net confirmed paid hours per stream (the ledger's plain sum)."""
    rows = session.execute(
        sa.select(HourEntry.stream, sa.func.sum(HourEntry.minutes)).group_by(HourEntry.stream)
    ).all()
    return {str(stream): (minutes or 0) / 60 for stream, minutes in rows}


def describe_existing(
    session: Session,
    *,
    size: str,
    domain: str,
    password: str,
    base_url: str,
    sign_in_days: int,
) -> DemoResult:
    """The demo is there already: its logins again, and a fresh sign-in link that
    replaces the participant's earlier unused one (so nothing is added twice)."""
    logins: list[Login] = []
    for role, label in (
        (Role.ADMIN, "admin"),
        (Role.MANAGER, "manager"),
        (Role.INSTRUCTOR, "instructor"),
        (Role.UNIT_CONTACT, "unit contact"),
        (Role.PARTICIPANT, "participant"),
    ):
        user = session.scalars(
            sa.select(User)
            .where(User.role == role, User.email.like(f"%@{domain}"))
            .order_by(User.id)
        ).first()
        if user is not None:
            shown = password if verify_password(user.password_hash, password) else None
            logins.append(Login(label, user.full_name, user.email, shown))
    instructor_user = sa.orm.aliased(User)
    participant_user = sa.orm.aliased(User)
    participant = session.scalars(
        sa.select(Participant)
        .join(participant_user, Participant.user_id == participant_user.id)
        .join(Group, Participant.group_id == Group.id)
        .join(Instructor, Group.instructor_id == Instructor.id)
        .join(instructor_user, Instructor.user_id == instructor_user.id)
        .where(
            participant_user.email.is_(None),
            participant_user.is_active_account.is_(True),
            instructor_user.email.like(f"%@{domain}"),
        )
        .order_by(Participant.id)
    ).first()
    result = DemoResult(size, False, logins)
    if participant is not None:
        result.sign_in_name = participant.user.full_name
        result.sign_in_url = issue_sign_in_link(
            session,
            participant.user_id,
            participant.group.instructor.user_id,
            base_url,
            clock.now(),
            sign_in_days,
        )
    result.hours = confirmed_hours(session)
    return result
