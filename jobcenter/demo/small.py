"""`flask jobcenter demo`: a small, believable Helsinki pilot to click through.

Eleven customers (service centres, libraries, a sports hall, housing services, a
school, a vocational college, an association and a company), four instructors
with six groups, forty participants in both streams, a manager and an admin; the
pilot's task kinds in every status; sixteen weeks of history up to today and three
weeks of offers ahead. The confirmed paid hours reproduce the pilot's split:
1000 h in disability work activity and 170 h in rehabilitative work activity.
"""

from __future__ import annotations

import random
import time as timer
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
    DemoConflict,
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
    random_windows,
    task_status_by_dates,
)
from jobcenter.demo.history import HistoryEmitter, Simulator, TaskPlan, thin_to_budget
from jobcenter.demo.names import business_id
from jobcenter.units.models import TaskStatus, Unit, UnitKind

DOMAIN = "demo.jobcenter.example"
MARKER_EMAIL = f"admin@{DOMAIN}"
HISTORY_WEEKS = 16
HORIZON_DAYS = 21
# The pilot's confirmed hours (DOMAIN.md), in minutes.
BUDGETS = {Stream.DISABILITY: 1000 * 60, Stream.REHABILITATIVE: 170 * 60}

# key, name, kind, street address, postal code, district code, contacts
UNITS = (
    ("kinapori", "Kinaporin palvelukeskus", UnitKind.CITY_UNIT, "Kinaporinkatu 9 A", "00500",
     "central", (("Leena", "Heikkinen"), ("Tapio", "Salonen"))),
    ("kannelmaki", "Kannelmäen palvelukeskus", UnitKind.CITY_UNIT, "Klaneettitie 6", "00420",
     "west", (("Marja", "Rantanen"),)),
    ("myllypuro", "Myllypuron palvelukeskus", UnitKind.CITY_UNIT, "Kivensilmänkuja 1", "00920",
     "east", (("Sanna", "Karjalainen"), ("Ville", "Ahonen"))),
    ("kallio_library", "Kallion kirjasto", UnitKind.CITY_UNIT, "Viides linja 11", "00530",
     "central", (("Elina", "Grönroos"),)),
    ("oodi", "Keskustakirjasto Oodi", UnitKind.CITY_UNIT, "Töölönlahdenkatu 4", "00100",
     "south", (("Johanna", "Lehtinen"), ("Fredrik", "Sjöberg"))),
    ("liikuntamylly", "Myllypuron liikuntamylly", UnitKind.CITY_UNIT, "Jauhokuja 3", "00920",
     "east", (("Antti", "Turunen"),)),
    ("housing", "Asumispalvelut Malmi", UnitKind.CITY_UNIT, "Ala-Malmin tori 1", "00700",
     "northeast", (("Riikka", "Savolainen"), ("Petri", "Kinnunen"))),
    ("school", "Meri-Rastilan peruskoulu", UnitKind.CITY_UNIT, "Jaluspolku 3", "00980",
     "east", (("Outi", "Manninen"),)),
    ("college", "Stadin ammattiopisto, Vallila", UnitKind.CITY_UNIT, "Hattulantie 2", "00550",
     "central", (("Heikki", "Laitinen"),)),
    ("martat", "Lauttasaaren Martat ry", UnitKind.ASSOCIATION, "Lauttasaarentie 28", "00200",
     "south", (("Ulla", "Backman"),)),
    ("company", "Vihertyö Koskinen Oy", UnitKind.COMPANY, "Tapanilankaari 10", "00730",
     "northeast", (("Kari", "Koskinen"),)),
)  # fmt: skip

# key, first name, last name, capacity K, streams, groups (name, stream of members, district)
INSTRUCTORS = (
    ("sari", "Sari", "Korhonen", 4, (Stream.DISABILITY,),
     (("Kallion ryhmä", ((Stream.DISABILITY, 5),), "central"),
      ("Sörnäisten ryhmä", ((Stream.DISABILITY, 5),), "central"))),
    ("mikko", "Mikko", "Lindholm", 5, (Stream.DISABILITY,),
     (("Itäisen Helsingin ryhmä", ((Stream.DISABILITY, 9),), "east"),)),
    ("hanna", "Hanna", "Mäkelä", 6, (Stream.REHABILITATIVE,),
     (("Kuntouttava ryhmä Malmi", ((Stream.REHABILITATIVE, 5),), "northeast"),
      ("Kuntouttava ryhmä Itäkeskus", ((Stream.REHABILITATIVE, 5),), "east"))),
    ("jukka", "Jukka", "Nieminen", 3, (Stream.DISABILITY, Stream.REHABILITATIVE),
     (("Läntisen Helsingin ryhmä", ((Stream.DISABILITY, 7), (Stream.REHABILITATIVE, 4)), "west"),)),
)  # fmt: skip

MON, TUE, WED, THU, FRI = range(5)

# Weekly tasks: unit, kind, title, instructor, weekdays, start, minutes, headcount,
# first week, last week (relative to this week), and options.
WEEKLY = (
    ("kinapori", "dishwashing", "Ruokasalin astianpesu", "sari", (TUE, THU), "10:00", 240, 3,
     -16, 8, {"supervised": True, "skills": ("hygiene_passport",)}),
    ("kinapori", "safety_phone_cleaning", "Turvapuhelinten puhdistus", "sari", (WED,), "09:00",
     180, 2, -14, -6, {"supervised": True}),
    ("kallio_library", "mailing_labelling", "Tapahtumaesitteiden postitus ja tarroitus", "sari",
     (MON,), "12:00", 180, 3, -16, 8, {"site": True}),
    ("college", "thesis_archiving", "Opinnäytetöiden arkistointi", "sari", (FRI,), "09:00", 240,
     2, -10, -3, {"site": True}),
    ("oodi", "bagging_packaging", "Tapahtumakassien pussitus", "sari", (WED,), "12:30", 180, 3,
     -8, 3, {}),
    ("myllypuro", "safety_phone_cleaning", "Turvapuhelinten puhdistus ja tarkistus", "mikko",
     (MON, WED), "09:00", 240, 3, -16, 8, {"supervised": True}),
    ("liikuntamylly", "floorball_mats", "Salibandykaukalon mattojen levitys", "mikko", (FRI,),
     "08:00", 180, 4, -16, 6, {"supervised": True}),
    ("school", "window_washing", "Luokkien ikkunanpesu", "mikko", (TUE,), "09:00", 240, 2, -12,
     -8, {"supervised": True}),
    ("myllypuro", "outdoor_work", "Piha-alueen siistiminen", "mikko", (THU,), "10:00", 180, 3,
     -6, 2, {}),
    ("liikuntamylly", "cleaning", "Katsomon ja pukuhuoneiden siivous", "mikko", (TUE,), "13:00",
     180, 2, -16, -1, {"site": True}),
    ("kannelmaki", "shopping_help", "Asiointiapu ikäihmisille", "jukka", (MON, THU), "10:00", 180,
     3, -16, 8, {}),
    ("kannelmaki", "dishwashing", "Päivätoiminnan astianpesu", "jukka", (WED,), "10:30", 240, 2,
     -10, 4, {"supervised": True, "skills": ("hygiene_passport",)}),
    ("martat", "custom_sewing", "Kangaskassien ompelu myyjäisiin", "jukka", (TUE,), "12:00", 240,
     2, -12, -4, {"supervised": True, "skills": ("sewing_machine",)}),
    ("housing", "resident_folders", "Asukaskansioiden kokoaminen", "hanna", (TUE,), "09:00", 300,
     3, -16, 8, {"supervised": True}),
    ("housing", "moving_packing", "Muuttolaatikoiden pakkaus", "hanna", (THU,), "09:00", 360, 2,
     -10, -6, {"supervised": True}),
    ("school", "storage_organising", "Varaston siivous ja järjestely", "hanna", (WED,), "08:30",
     300, 2, -1, 3, {"supervised": True}),
)  # fmt: skip

# One-off tasks on given days (relative to today; moved off weekends and holidays).
ONE_OFF = (
    ("kallio_library", "storage_organising", "Kirjavaraston järjestely", "sari", (-12, -11),
     "09:00", 240, 2, {"site": True}),
    ("oodi", "moving_packing", "Näyttelyn purku ja pakkaus", "jukka", (-37, -36, -35), "09:00",
     360, 3, {"supervised": True}),
    ("company", None, "Kiinteistön piha-alueen kausityöt", "hanna", (-50, -49), "09:00", 360, 3,
     {"supervised": True}),
    ("kinapori", "window_washing", "Ikkunanpesu ennen juhlaa", "sari", (9, 10), "09:00", 240, 2,
     {"supervised": True}),
    # Done a few days ago and waiting for the unit to confirm it and rate the work.
    ("kinapori", "safety_phone_cleaning", "Turvapuhelinten syyshuolto", "sari", (-3,), "10:00",
     180, 2, {"supervised": True}),
)  # fmt: skip

# Tasks without shifts, in the statuses before scheduling or ended by a decision.
NO_SHIFTS = (
    (TaskStatus.DRAFT, "kinapori", "window_washing", "Kevään ikkunanpesu", None, 35, None),
    (TaskStatus.SUBMITTED, "kallio_library", "bagging_packaging",
     "Poistokirjojen pakkaus myyntiin", None, 12, None),
    (TaskStatus.SUBMITTED, "kannelmaki", "elderly_assistance", "Ulkoiluapu asukkaille", None, 9,
     None),
    (TaskStatus.ACCEPTED, "myllypuro", "mailing_labelling", "Tiedotteiden postitus asukkaille",
     "mikko", 28, None),
    (TaskStatus.CHANGES_REQUESTED, "college", "moving_packing", "Arkiston siirto",
     None, 20, "Kerro vielä, montako laatikkoa on ja missä kerroksessa arkisto on."),
    (TaskStatus.REJECTED, "company", "cleaning", "Toimiston viikkosiivous", None, 14,
     "Tehtävä korvaisi palkattua henkilökuntaa, eikä työtoiminta voi tehdä sitä."),
    (TaskStatus.CANCELLED, "oodi", "floorball_mats", "Tapahtuman roudaus", None, 16,
     "Tapahtuma peruttiin."),
)  # fmt: skip

# A task cancelled while running: its later shifts were cancelled with the reason.
CANCELLED_RUNNING = (
    "kinapori",
    "cleaning",
    "Kuntosalin siivous",
    "sari",
    (WED,),
    "13:00",
    180,
    2,
    -9,
    4,
    -3,
    "Kuntosali suljettiin remontin ajaksi.",
)

DESCRIPTIONS = {
    "dishwashing": "Astioiden pesu ja kuivaus lounaan jälkeen. Tilassa on astianpesukone.",
    "safety_phone_cleaning": "Palautettujen turvapuhelinten puhdistus ja pakkaus ohjeen mukaan.",
    "mailing_labelling": "Kirjeiden taittelu, kuoritus ja osoitetarrojen liimaus.",
    "thesis_archiving": "Opinnäytetöiden lajittelu vuosittain ja siirto arkistokoteloihin.",
    "bagging_packaging": "Esitteiden ja tuotteiden pussitus valmiiksi jaettaviksi.",
    "floorball_mats": "Mattojen levitys ja kaukalon kokoaminen ennen turnausta.",
    "window_washing": "Sisäikkunoiden pesu. Välineet löytyvät talosta.",
    "outdoor_work": "Roskien keruu ja piha-alueen siistiminen.",
    "cleaning": "Pintojen pyyhintä ja lattioiden imurointi.",
    "shopping_help": "Ikäihmisen saattaminen kauppaan ja ostosten kantaminen.",
    "custom_sewing": "Kangaskassien ompelu valmiiksi leikatuista kappaleista.",
    "resident_folders": "Uusien asukkaiden tervetuliaiskansioiden kokoaminen.",
    "moving_packing": "Tavaroiden pakkaus laatikoihin ja laatikoiden merkintä.",
    "storage_organising": "Varaston tyhjennys, siivous ja tavaroiden järjestely hyllyihin.",
    "raking": "Lehtien haravointi ja kasaus.",
    "gritting_snow": "Kulkuväylien lumityöt ja hiekoitus.",
    "elderly_assistance": "Ikäihmisten avustaminen ulkoilussa ja arjen asioissa.",
}


def _minute(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _seasonal_kind(day: date) -> str:
    if day.month in (12, 1, 2, 3):
        return "gritting_snow"
    if day.month in (4, 5, 9, 10, 11):
        return "raking"
    return "outdoor_work"


def existing_demo(session: Session) -> User | None:
    return session.scalars(sa.select(User).where(User.email == MARKER_EMAIL)).first()


def create_small_demo(
    session: Session,
    *,
    seed: int = DEFAULT_SEED,
    password: str = DEFAULT_PASSWORD,
    base_url: str = "http://127.0.0.1:5000",
    sign_in_days: int = 14,
) -> DemoResult:
    """Create the small demo once; on later runs print its logins again.

    Only flushes: the caller commits.
    """
    started = timer.perf_counter()
    seed_reference_data(session)
    if existing_demo(session) is not None:
        result = describe_existing(
            session,
            size="small",
            domain=DOMAIN,
            password=password,
            base_url=base_url,
            sign_in_days=sign_in_days,
        )
        result.seconds = timer.perf_counter() - started
        return result

    clash = session.scalars(
        sa.select(Unit.name).where(Unit.name.in_([unit[1] for unit in UNITS]))
    ).first()
    if clash is not None:
        raise DemoConflict(
            f"A unit named {clash!r} exists already: load the demo into an empty database."
        )

    rng = random.Random(seed)
    now = clock.now()
    today = clock.today()
    history_start = monday(today) - timedelta(weeks=HISTORY_WEEKS)
    horizon_end = today + timedelta(days=HORIZON_DAYS)
    ref = load_reference(session, today)
    writer = BulkWriter(session)
    password_hash = hash_password(password)
    names = NameMaker(rng, DOMAIN)
    long_ago = at(history_start - timedelta(days=200), 9)
    logins: list[Login] = []

    logins.append(add_admin(writer, names, password, password_hash, long_ago))
    manager_email = names.email("Päivi", "Laine")
    add_user(
        writer,
        role=Role.MANAGER,
        first="Päivi",
        last="Laine",
        email=manager_email,
        password_hash=password_hash,
        created_at=long_ago,
    )
    logins.append(Login("manager", "Päivi Laine", manager_email, password))

    units: dict[str, dict] = {}
    for key, name, kind, street, postal, district, contacts in UNITS:
        unit_id = writer.add(
            "units",
            {
                "name": name,
                "kind": kind,
                "business_id": business_id(2_870_000 + len(units) * 7919)
                if kind != UnitKind.CITY_UNIT
                else None,
                "street_address": street,
                "postal_code": postal,
                "city": "Helsinki",
                "district_id": ref.districts[district],
                "email": f"{key.replace('_', '.')}@{DOMAIN}",
                "phone": f"09 310 {40000 + len(units) * 37:05d}",
                "billing_reference": f"HEL-{1000 + len(units)}"
                if kind == UnitKind.CITY_UNIT
                else None,
                "is_active": True,
                "created_at": long_ago,
                "updated_at": long_ago,
            },
        )["id"]
        contact_ids = []
        for first, last in contacts:
            email = names.email(first, last)
            contact_ids.append(
                add_user(
                    writer,
                    role=Role.UNIT_CONTACT,
                    first=first,
                    last=last,
                    email=email,
                    password_hash=password_hash,
                    unit_id=unit_id,
                    created_at=long_ago,
                )
            )
            if not any(login.role == "unit contact" for login in logins):
                logins.append(Login("unit contact", f"{first} {last}", email, password))
        units[key] = {
            "id": unit_id,
            "district_id": ref.districts[district],
            "address": (street, postal),
            "contacts": contact_ids,
        }

    instructors = {}
    groups: list[tuple[int, int]] = []
    people = []
    first_with_email = first_without_email = None
    for key, first, last, capacity, streams, group_specs in INSTRUCTORS:
        email = names.email(first, last)
        user_id = add_user(
            writer,
            role=Role.INSTRUCTOR,
            first=first,
            last=last,
            email=email,
            password_hash=password_hash,
            created_at=long_ago,
        )
        if key == "sari":
            logins.append(Login("instructor", f"{first} {last}", email, password))
        info = add_instructor(
            writer, user_id=user_id, capacity=capacity, streams=streams, created_at=long_ago
        )
        instructors[key] = (info, [])
        for group_name, members, district in group_specs:
            group_id = add_group(writer, group_name, info.instructor_id, long_ago)
            instructors[key][1].append(group_id)
            groups.append((group_id, user_id))
            for stream, count in members:
                for _ in range(count):
                    p_first, p_last, locale = names.person()
                    with_email = rng.random() < 0.25
                    if first_with_email is None:
                        with_email = True
                    elif first_without_email is None:
                        with_email = False
                    email = names.email(p_first, p_last) if with_email else None
                    home = district if rng.random() < 0.7 else rng.choice(sorted(ref.districts))
                    plans = random_plans(
                        rng,
                        stream,
                        today=today,
                        history_start=history_start,
                        ref=ref,
                        home_district_id=ref.districts[home],
                        level_weights=(15, 35, 35, 15)
                        if stream == Stream.DISABILITY
                        else (45, 40, 15, 0),
                    )
                    joined = at(plans[0]["start"] - timedelta(days=rng.randint(3, 20)), 10)
                    p_user = add_user(
                        writer,
                        role=Role.PARTICIPANT,
                        first=p_first,
                        last=p_last,
                        email=email,
                        password_hash=password_hash if email else None,
                        locale=locale,
                        created_at=joined,
                    )
                    away = set()
                    if rng.random() < 0.3:
                        begin = today + timedelta(days=rng.randint(-90, 20))
                        away = {begin + timedelta(days=n) for n in range(rng.randint(1, 5))}
                    person = add_participant(
                        writer,
                        rng,
                        user_id=p_user,
                        group_id=group_id,
                        instructor_id=info.instructor_id,
                        stream=stream,
                        plans=plans,
                        windows=random_windows(rng, plans[-1]["days_per_week"]),
                        days_away=away,
                        created_at=joined,
                    )
                    people.append(person)
                    if with_email and first_with_email is None:
                        first_with_email = (f"{p_first} {p_last}", email)
                    if not with_email and first_without_email is None:
                        first_without_email = (f"{p_first} {p_last}", p_user, user_id)
    logins.append(Login("participant", *first_with_email, password))

    tasks = _tasks(writer, rng, ref, units, instructors, now, today, history_start, horizon_end)
    add_month_closures(writer, groups, history_start, now)

    simulator = Simulator(
        rng=rng,
        now=now,
        first_day=history_start,
        last_day=horizon_end,
        people=people,
        tasks=tasks,
        stream_limits=ref.limits,
        wage_cents=ref.rates.wage,
        budgets=BUDGETS,
        past_fill=1.0,
    )
    days = list(simulator.days())
    thin_to_budget([s for d in days for s in d.shifts], BUDGETS, rng)
    emitter = HistoryEmitter(writer, ref.rates, random.Random(seed + 1), now, full_events=True)
    for day in days:
        emitter.emit_day(day, correction_rate=0.02)
    writer.close()
    # The bulk inserts bypassed the ORM's flush: build the dashboard's summaries now.
    rebuild_summaries(session)

    name, participant_user_id, instructor_user_id = first_without_email
    url = issue_sign_in_link(
        session, participant_user_id, instructor_user_id, base_url, now, sign_in_days
    )
    result = DemoResult("small", True, logins, name, url, dict(writer.written))
    result.hours = confirmed_hours(session)
    result.seconds = timer.perf_counter() - started
    return result


def _tasks(writer, rng, ref, units, instructors, now, today, history_start, horizon_end):
    this_monday = monday(today)
    plans: list[TaskPlan] = []

    def common(unit_key, kind_code, instructor_key, opts):
        unit = units[unit_key]
        info, group_ids = instructors[instructor_key] if instructor_key else (None, [None])
        return {
            "unit_id": unit["id"],
            "unit_address": unit["address"],
            "district_id": unit["district_id"],
            "contact_user_id": unit["contacts"][0],
            "kind_id": ref.kinds[kind_code],
            "description": DESCRIPTIONS.get(kind_code, ""),
            "group_id": group_ids[0],
            "instructor": info,
            "supervised": opts.get("supervised", False),
            "site_supervision": opts.get("site", False),
            "required_skills": frozenset(ref.skills[s] for s in opts.get("skills", ())),
            "site_contact": "Vahtimestari" if opts.get("site") else "",
        }

    for (
        unit_key,
        kind,
        title,
        who,
        weekdays,
        start,
        minutes,
        headcount,
        first_week,
        last_week,
        opts,
    ) in WEEKLY:
        first = max(history_start, this_monday + timedelta(weeks=first_week))
        first += timedelta(days=(min(weekdays) - first.weekday()) % 7)
        last = this_monday + timedelta(weeks=last_week, days=max(weekdays))
        status = task_status_by_dates(rng, first, last, today, horizon_end)
        plan = add_task(
            writer,
            rng,
            now=now,
            status=status,
            title=title,
            headcount=headcount,
            minutes=minutes,
            start_minute=_minute(start),
            first_date=first,
            last_date=last,
            weekdays=frozenset(weekdays),
            dates=None,
            **common(unit_key, kind, who, opts),
        )
        if plan:
            plans.append(plan)

    for unit_key, kind, title, who, offsets, start, minutes, headcount, opts in ONE_OFF:
        days = [_working_day(today + timedelta(days=o), history_start) for o in offsets]
        days = sorted(set(days))
        kind = kind or _seasonal_kind(days[0])
        status = task_status_by_dates(rng, days[0], days[-1], today, horizon_end)
        plan = add_task(
            writer,
            rng,
            now=now,
            status=status,
            title=title,
            headcount=headcount,
            minutes=minutes,
            start_minute=_minute(start),
            first_date=days[0],
            last_date=days[-1],
            weekdays=None,
            dates=days,
            **common(unit_key, kind, who, opts),
        )
        if plan:
            plans.append(plan)

    (
        unit_key,
        kind,
        title,
        who,
        weekdays,
        start,
        minutes,
        headcount,
        first_week,
        last_week,
        cancel_week,
        reason,
    ) = CANCELLED_RUNNING
    first = this_monday + timedelta(weeks=first_week, days=min(weekdays))
    plan = add_task(
        writer,
        rng,
        now=now,
        status=TaskStatus.CANCELLED,
        title=title,
        headcount=headcount,
        minutes=minutes,
        start_minute=_minute(start),
        first_date=first,
        last_date=this_monday + timedelta(weeks=last_week, days=max(weekdays)),
        weekdays=frozenset(weekdays),
        dates=None,
        reason=reason,
        cancelled_on=this_monday + timedelta(weeks=cancel_week),
        **common(unit_key, kind, who, {"site": True}),
    )
    plans.append(plan)

    for status, unit_key, kind, title, who, in_days, reason in NO_SHIFTS:
        first = _working_day(today + timedelta(days=in_days), history_start)
        if status == TaskStatus.ACCEPTED:
            first = max(first, horizon_end + timedelta(days=3))
        add_task(
            writer,
            rng,
            now=now,
            status=status,
            title=title,
            headcount=2,
            minutes=240,
            start_minute=9 * 60,
            first_date=first,
            last_date=first,
            weekdays=None,
            dates=[first],
            reason=reason,
            **common(unit_key, kind, who, {}),
        )
    return plans


def _working_day(day: date, not_before: date) -> date:
    """The first weekday on or after `day` that is not a public holiday."""
    import holidays

    finnish = holidays.Finland(years=range(day.year, day.year + 2))
    day = max(day, not_before)
    while day.weekday() >= 5 or day in finnish:
        day += timedelta(days=1)
    return day
