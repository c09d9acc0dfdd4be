"""`flask jobcenter demo --size helsinki`: the benchmark scale of QUALITY.md.

About 2,000 participants, 150 units, 60 instructors and a year of history (about
200,000 shifts and 400,000 assignments with attendance and hour entries), made
with the same simulator as the small demo and written with bulk inserts (COPY on
PostgreSQL). The calendar is generated one day at a time and rows leave in chunks,
so memory stays bounded. `scale` shrinks every count for tests (0.01 = 1 %).
"""

from __future__ import annotations

import random
import time as timer
from collections.abc import Callable
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.accounts.secrets import hash_password
from jobcenter.catalog.seed import seed_reference_data
from jobcenter.core import clock
from jobcenter.core.enums import Role, Stream
from jobcenter.dashboard.summaries import rebuild_all as rebuild_summaries
from jobcenter.demo.bulk import BulkWriter
from jobcenter.demo.common import (
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    DemoResult,
    Login,
    NameMaker,
    add_admin,
    add_group,
    add_instructor,
    add_month_closures,
    add_participant,
    add_task,
    add_user,
    at,
    confirmed_hours,
    describe_existing,
    issue_sign_in_link,
    load_reference,
    monday,
    random_plans,
    task_status_by_dates,
)
from jobcenter.demo.history import HistoryEmitter, InstructorInfo, Simulator, TaskPlan
from jobcenter.demo.names import FINNISH_LAST, NEIGHBOURHOODS, business_id
from jobcenter.units.models import TaskStatus, UnitKind

DOMAIN = "helsinki-demo.jobcenter.example"
MARKER_EMAIL = f"admin@{DOMAIN}"

# The benchmark scale (QUALITY.md) at scale 1.0.
PARTICIPANTS = 2000
UNITS = 150
INSTRUCTORS = 60
SHIFTS = 200_000
HISTORY_WEEKS = 52
HORIZON_DAYS = 21

SEASONAL = {
    "gritting_snow": (11, 12, 1, 2, 3),
    "raking": (4, 5, 9, 10, 11),
}

# label in a unit's name, unit kind, share, task kinds it orders
UNIT_TYPES = (
    ("palvelukeskus", UnitKind.CITY_UNIT, 24,
     ("cleaning", "safety_phone_cleaning", "dishwashing", "elderly_assistance",
      "window_washing", "shopping_help")),
    ("kirjasto", UnitKind.CITY_UNIT, 14,
     ("mailing_labelling", "bagging_packaging", "storage_organising", "moving_packing")),
    ("liikuntahalli", UnitKind.CITY_UNIT, 8, ("floorball_mats", "cleaning", "gritting_snow")),
    ("asumispalvelut", UnitKind.CITY_UNIT, 14,
     ("resident_folders", "outdoor_work", "raking", "moving_packing", "storage_organising")),
    ("peruskoulu", UnitKind.CITY_UNIT, 14,
     ("storage_organising", "window_washing", "raking", "moving_packing")),
    ("nuorisotalo", UnitKind.CITY_UNIT, 6, ("cleaning", "bagging_packaging", "outdoor_work")),
    ("ammattiopiston toimipiste", UnitKind.CITY_UNIT, 4, ("thesis_archiving", "mailing_labelling")),
    ("Martat ry", UnitKind.ASSOCIATION, 7, ("custom_sewing", "bagging_packaging",
                                            "mailing_labelling")),
    ("Kiinteistöpalvelu Oy", UnitKind.COMPANY, 7, ("outdoor_work", "raking", "gritting_snow")),
    ("", UnitKind.PRIVATE_PERSON, 2, ("shopping_help", "moving_packing", "raking",
                                      "window_washing")),
)  # fmt: skip

# (start minute, length): mornings and afternoons, so a person can do one of each.
SHIFT_TIMES = (
    (8 * 60, 180), (8 * 60, 240), (8 * 60 + 30, 180), (8 * 60 + 30, 210), (9 * 60, 180),
    (8 * 60, 240), (12 * 60 + 30, 180), (12 * 60 + 30, 210), (13 * 60, 180), (12 * 60, 240),
    (9 * 60, 300), (10 * 60, 240),
)  # fmt: skip
TITLES = {
    "cleaning": "Siivous",
    "safety_phone_cleaning": "Turvapuhelinten puhdistus",
    "mailing_labelling": "Postitus ja tarroitus",
    "floorball_mats": "Salibandymattojen levitys",
    "window_washing": "Ikkunanpesu",
    "outdoor_work": "Piha-alueen siistiminen",
    "storage_organising": "Varaston järjestely",
    "moving_packing": "Muuttopakkaus",
    "thesis_archiving": "Opinnäytetöiden arkistointi",
    "resident_folders": "Asukaskansioiden kokoaminen",
    "elderly_assistance": "Ikäihmisten avustaminen",
    "dishwashing": "Astianpesu",
    "gritting_snow": "Hiekoitus ja lumityöt",
    "raking": "Haravointi",
    "bagging_packaging": "Pussitus ja pakkaus",
    "custom_sewing": "Ompelutyö",
    "shopping_help": "Asiointiapu",
}


def existing_demo(session: Session) -> User | None:
    return session.scalars(sa.select(User).where(User.email == MARKER_EMAIL)).first()


def _count(value: float, minimum: int) -> int:
    return max(minimum, round(value))


def create_helsinki_demo(
    session: Session,
    *,
    seed: int = DEFAULT_SEED,
    scale: float = 1.0,
    password: str = DEFAULT_PASSWORD,
    base_url: str = "http://127.0.0.1:5000",
    sign_in_days: int = 14,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Create the benchmark dataset once (only flushes; the caller commits)."""
    started = timer.perf_counter()
    say = progress or (lambda _message: None)
    seed_reference_data(session)
    if existing_demo(session) is not None:
        result = describe_existing(
            session,
            size="helsinki",
            domain=DOMAIN,
            password=password,
            base_url=base_url,
            sign_in_days=sign_in_days,
        )
        result.seconds = timer.perf_counter() - started
        return result

    rng = random.Random(seed)
    now = clock.now()
    today = clock.today()
    first_day = monday(today) - timedelta(weeks=HISTORY_WEEKS)
    last_day = today + timedelta(days=HORIZON_DAYS)
    ref = load_reference(session, today)
    writer = BulkWriter(session)
    password_hash = hash_password(password)
    names = NameMaker(rng, DOMAIN)
    long_ago = at(first_day - timedelta(days=120), 9)
    logins: list[Login] = []

    logins.append(add_admin(writer, names, password, password_hash, long_ago))
    for n in range(_count(4 * scale, 1)):
        first, last, locale = names.person()
        email = names.email(first, last)
        add_user(
            writer,
            role=Role.MANAGER,
            first=first,
            last=last,
            email=email,
            password_hash=password_hash,
            locale=locale,
            created_at=long_ago,
        )
        if n == 0:
            logins.append(Login("manager", f"{first} {last}", email, password))

    units = _units(
        session, writer, rng, ref, names, password, password_hash, long_ago, scale, logins
    )
    say(f"{len(units)} units")

    instructors: list[tuple[InstructorInfo, list[tuple[int, Stream | None]], str]] = []
    groups: list[tuple[int, int]] = []
    for n in range(_count(INSTRUCTORS * scale, 2)):
        first, last, locale = names.person()
        email = names.email(first, last)
        user_id = add_user(
            writer,
            role=Role.INSTRUCTOR,
            first=first,
            last=last,
            email=email,
            password_hash=password_hash,
            locale=locale,
            created_at=long_ago,
        )
        if n == 0:
            logins.append(Login("instructor", f"{first} {last}", email, password))
        pick = rng.random()
        # The first two instructors cover one stream each, so every scale has both.
        if n == 0 or (n > 1 and pick < 0.6):
            streams: tuple[Stream, ...] = (Stream.DISABILITY,)
        elif n == 1 or pick < 0.8:
            streams = (Stream.REHABILITATIVE,)
        else:
            streams = (Stream.DISABILITY, Stream.REHABILITATIVE)
        info = add_instructor(
            writer,
            user_id=user_id,
            capacity=rng.randint(3, 6),
            streams=streams,
            created_at=long_ago,
        )
        home = rng.choice(NEIGHBOURHOODS)
        own_groups = []
        for g in range(rng.choice((1, 1, 2))):
            group_id = add_group(writer, f"{home[1]} ryhmä {g + 1}", info.instructor_id, long_ago)
            own_groups.append((group_id, streams[g % len(streams)]))
            groups.append((group_id, user_id))
        instructors.append((info, own_groups, home[3]))
    say(f"{len(instructors)} instructors")

    portfolios = _portfolios(rng, units, instructors)
    people = []
    sign_in = None
    participant_count = _count(PARTICIPANTS * scale, 2 * len(instructors))
    for n in range(participant_count):
        info, own_groups, district = instructors[n % len(instructors)]
        group_id, stream = own_groups[(n // len(instructors)) % len(own_groups)]
        first, last, locale = names.person()
        with_email = n == 0 or (n > 1 and rng.random() < 0.2)
        email = names.email(first, last) if with_email else None
        home = district if rng.random() < 0.6 else rng.choice(sorted(ref.districts))
        plans = random_plans(
            rng,
            stream,
            today=today,
            history_start=first_day,
            ref=ref,
            home_district_id=ref.districts[home],
            level_weights=(35, 45, 16, 4) if stream == Stream.DISABILITY else (50, 40, 10, 0),
            busy=True,
        )
        joined = at(plans[0]["start"] - timedelta(days=rng.randint(3, 20)), 10)
        user_id = add_user(
            writer,
            role=Role.PARTICIPANT,
            first=first,
            last=last,
            email=email,
            password_hash=password_hash if email else None,
            locale=locale,
            created_at=joined,
        )
        days = 5 if rng.random() < 0.8 else min(5, plans[-1]["days_per_week"] + 1)
        windows = {d: (8 * 60, 16 * 60) for d in sorted(rng.sample(range(5), days))}
        away = set()
        if rng.random() < 0.25:
            begin = first_day + timedelta(days=rng.randint(0, 380))
            away = {begin + timedelta(days=k) for k in range(rng.randint(3, 10))}
        people.append(
            add_participant(
                writer,
                rng,
                user_id=user_id,
                group_id=group_id,
                instructor_id=info.instructor_id,
                stream=stream,
                plans=plans,
                windows=windows,
                days_away=away,
                created_at=joined,
            )
        )
        if plans[0]["start"] < first_day:
            # In the programme before the year began: already oriented at most sites.
            portfolio = portfolios[n % len(instructors)]
            person = people[-1]
            person.units_done = {u["id"] for u in portfolio if rng.random() < 0.7}
            person.kinds_done = {
                ref.kinds[k] for u in portfolio for k in u["kinds"] if rng.random() < 0.7
            }
        if n == 0:
            logins.append(Login("participant", f"{first} {last}", email, password))
        if n == 1:
            sign_in = (f"{first} {last}", user_id, info.user_id)
    say(f"{len(people)} participants")

    pools: dict[int, int] = {}
    for person in people:
        pools[person.instructor_id] = pools.get(person.instructor_id, 0) + 1
    tasks = _tasks(
        writer,
        rng,
        ref,
        portfolios,
        units,
        instructors,
        pools,
        len(people),
        now,
        today,
        first_day,
        last_day,
        scale,
    )
    say(f"{len(tasks)} tasks with shifts")
    add_month_closures(writer, groups, first_day, now)

    simulator = Simulator(
        rng=rng,
        now=now,
        first_day=first_day,
        last_day=last_day,
        people=people,
        tasks=tasks,
        stream_limits=ref.limits,
        wage_cents=ref.rates.wage,
        budgets=None,
        past_fill=0.92,
    )
    emitter = HistoryEmitter(writer, ref.rates, random.Random(seed + 1), now, full_events=False)
    shifts = assignments = 0
    for day in simulator.days():
        emitter.emit_day(day, correction_rate=0.003)
        shifts += len(day.shifts)
        assignments += sum(len(s.assignments) for s in day.shifts)
        if day.day.day == 1 or day.day == last_day:
            say(
                f"{day.day:%Y-%m-%d}: {shifts:,} shifts, {assignments:,} assignments "
                f"({timer.perf_counter() - started:.0f} s)"
            )
    writer.close()
    # The bulk inserts bypassed the ORM's flush: build the dashboard's summaries now.
    days = rebuild_summaries(session)
    say(f"dashboard summaries of {days:,} days ({timer.perf_counter() - started:.0f} s)")

    name, participant_user_id, instructor_user_id = sign_in
    url = issue_sign_in_link(
        session, participant_user_id, instructor_user_id, base_url, now, sign_in_days
    )
    result = DemoResult("helsinki", True, logins, name, url, dict(writer.written))
    result.hours = confirmed_hours(session)
    result.seconds = timer.perf_counter() - started
    return result


def _units(session, writer, rng, ref, names, password, password_hash, created_at, scale, logins):
    taken = set(session.scalars(sa.text("SELECT name FROM units")))
    combos = [(hood, kind) for hood in NEIGHBOURHOODS for kind in UNIT_TYPES]
    weights = [kind[2] for _hood, kind in combos]
    units = []
    target = _count(UNITS * scale, 3)
    n = 0
    while len(units) < target:
        hood, (label, unit_kind, _share, kinds) = rng.choices(combos, weights=weights)[0]
        neighbourhood, genitive, postal, district, streets = hood
        n += 1
        if unit_kind == UnitKind.PRIVATE_PERSON:
            first, last, _ = names.person()
            name = f"{first} {last}, {neighbourhood}"
        elif unit_kind == UnitKind.COMPANY:
            name = f"{rng.choice(FINNISH_LAST)} {label}"
        elif unit_kind == UnitKind.ASSOCIATION:
            name = f"{genitive} {label}"
        else:
            name = f"{genitive} {label}"
        if name in taken:
            if n > 50 * target:
                name = f"{name} {n}"
            else:
                continue
        taken.add(name)
        street = f"{rng.choice(streets)} {rng.randint(1, 60)}"
        unit_id = writer.add(
            "units",
            {
                "name": name,
                "kind": unit_kind,
                "business_id": business_id(3_100_000 + n * 7919)
                if unit_kind in (UnitKind.COMPANY, UnitKind.ASSOCIATION)
                else None,
                "street_address": street,
                "postal_code": postal,
                "city": "Helsinki",
                "district_id": ref.districts[district],
                "email": None,
                "phone": f"09 310 {(n * 7919) % 100000:05d}",
                "billing_reference": f"HEL-{2000 + n}" if unit_kind == UnitKind.CITY_UNIT else None,
                "is_active": True,
                "created_at": created_at,
                "updated_at": created_at,
            },
        )["id"]
        contacts = []
        for _ in range(rng.choice((1, 1, 2))):
            first, last, locale = names.person()
            email = names.email(first, last)
            contacts.append(
                add_user(
                    writer,
                    role=Role.UNIT_CONTACT,
                    first=first,
                    last=last,
                    email=email,
                    password_hash=password_hash,
                    locale=locale,
                    unit_id=unit_id,
                    created_at=created_at,
                )
            )
            if not any(login.role == "unit contact" for login in logins):
                logins.append(Login("unit contact", f"{first} {last}", email, password))
        units.append(
            {
                "id": unit_id,
                "name": name,
                "district_id": ref.districts[district],
                "district": district,
                "address": (street, postal),
                "contacts": contacts,
                "kinds": kinds,
            }
        )
    return units


def _pick_kind(rng: random.Random, kinds: tuple[str, ...], day: date) -> str:
    usable = [k for k in kinds if k not in SEASONAL or day.month in SEASONAL[k]]
    return rng.choice(usable or ["cleaning"])


def _portfolios(rng: random.Random, units: list[dict], instructors: list) -> list[list[dict]]:
    """Each instructor serves a few regular customers, mostly near their groups; every
    unit has at least one instructor."""
    by_district: dict[str, list[dict]] = {}
    for unit in units:
        by_district.setdefault(unit["district"], []).append(unit)
    portfolios: list[list[dict]] = [[] for _ in instructors]
    shuffled = list(units)
    rng.shuffle(shuffled)
    for n, unit in enumerate(shuffled):
        portfolios[n % len(instructors)].append(unit)
    for portfolio, (_info, _groups, district) in zip(portfolios, instructors, strict=True):
        wanted = min(len(units), rng.randint(4, 8))
        nearby = by_district.get(district, [])
        while len(portfolio) < wanted:
            unit = rng.choice(nearby) if nearby and rng.random() < 0.6 else rng.choice(units)
            if unit not in portfolio:
                portfolio.append(unit)
    return portfolios


def _tasks(
    writer,
    rng,
    ref,
    portfolios,
    units,
    instructors,
    pools,
    people_count,
    now,
    today,
    first_day,
    last_day,
    scale,
):
    """Tasks for every instructor's pool until the year holds about SHIFTS shifts."""
    window_days = (last_day - first_day).days + 1
    plans: list[TaskPlan] = []
    for (info, own_groups, _district), portfolio in zip(instructors, portfolios, strict=True):
        share = SHIFTS * scale * pools.get(info.instructor_id, 0) / max(1, people_count)
        expected = 0.0
        while expected < share:
            unit = rng.choice(portfolio)
            weekdays = frozenset(rng.sample(range(5), rng.choice((1, 1, 2, 2, 2, 3, 5))))
            weeks = rng.choice((2, 4, 6, 8, 12, 12, 26, 52))
            offset = rng.randint(-weeks * 7 + 7, window_days - 1)
            first = first_day + timedelta(days=max(0, offset))
            last = first_day + timedelta(days=offset + weeks * 7 - 1)
            if last < first:
                continue
            start, minutes = rng.choice(SHIFT_TIMES)
            kind = _pick_kind(rng, unit["kinds"], first)
            in_window = (min(last, last_day) - first).days + 1
            if in_window <= 0:
                continue
            expected += in_window / 7 * len(weekdays) * 0.96
            status = task_status_by_dates(rng, first, last, today, last_day)
            cancelled_on = None
            reason = None
            if status == TaskStatus.SCHEDULED and rng.random() < 0.02 and first < today:
                status = TaskStatus.CANCELLED
                cancelled_on = today - timedelta(days=rng.randint(0, (today - first).days))
                reason = "Yksikkö perui tehtävän."
            group_id = own_groups[0][0]
            plan = add_task(
                writer,
                rng,
                now=now,
                status=status,
                unit_id=unit["id"],
                unit_address=unit["address"],
                district_id=unit["district_id"],
                contact_user_id=unit["contacts"][0],
                kind_id=ref.kinds[kind],
                title=f"{TITLES[kind]}, {unit['name']}",
                description="",
                headcount=rng.choices((1, 2, 3, 4), weights=(15, 45, 28, 12))[0],
                minutes=minutes,
                start_minute=start,
                first_date=first,
                last_date=last,
                weekdays=weekdays,
                dates=None,
                group_id=group_id,
                instructor=info,
                supervised=rng.random() < 0.4,
                site_supervision=rng.random() < 0.2,
                reason=reason,
                cancelled_on=cancelled_on,
            )
            if plan is not None:
                plans.append(plan)
    # Tasks still waiting for a decision, or turned down.
    waiting = (
        TaskStatus.DRAFT,
        TaskStatus.SUBMITTED,
        TaskStatus.SUBMITTED,
        TaskStatus.CHANGES_REQUESTED,
        TaskStatus.REJECTED,
    )
    for n in range(_count(len(units) * 0.4, 2)):
        unit = units[n % len(units)]
        status = waiting[n % len(waiting)]
        first = today + timedelta(days=rng.randint(7, 40))
        kind = _pick_kind(rng, unit["kinds"], first)
        add_task(
            writer,
            rng,
            now=now,
            status=status,
            unit_id=unit["id"],
            unit_address=unit["address"],
            district_id=unit["district_id"],
            contact_user_id=unit["contacts"][0],
            kind_id=ref.kinds[kind],
            title=f"{TITLES[kind]}, {unit['name']}",
            description="",
            headcount=2,
            minutes=240,
            start_minute=9 * 60,
            first_date=first,
            last_date=first,
            weekdays=None,
            dates=[first],
            group_id=None,
            instructor=None,
            reason="Tehtävä korvaisi palkattua työtä."
            if status == TaskStatus.REJECTED
            else "Tarkenna työn kesto."
            if status == TaskStatus.CHANGES_REQUESTED
            else None,
        )
    return plans
