"""A small world whose dashboard figures are computed by hand (see `World`).

Period under test: 1 January – 31 March 2026 (days in Helsinki); today is 15 April 2026.

shift  task  local start → end              slots  people (minutes)
S1     T1    Thu 15 Jan 09:00 → 13:00       2      Pekka 240 corrected to 210, Liisa 240
S2     T2    Tue 10 Feb 10:00 → 14:00       2      Olli 240, Pekka no-show
S3     T1    Sat 31 Jan 22:00 → Sun 02:00   1      Liisa 240 (counts on 31 Jan)
S4     T2    Sun 29 Mar 00:30 → 04:30       1      Olli 180 (DST: 3 h), Pekka ill
S5     T1    Thu 5 Mar, cancelled           2      –  ("Tila oli varattu.")
S6     T2    Fri 20 Feb 09:00 → 13:00       3      Olli confirmed (no hours), Liisa declined
S7     T2    Wed 31 Dec 2025 23:00 → 03:00  1      Olli 240 (before the period)
S8     T1    Wed 1 Apr 00:30 → 02:30        1      Pekka 120 (after the period)

T1 is Kallion kirjasto's window washing, T2 Myllypuron palvelukeskus's dishwashing.
Pekka and Liisa (disability) are in Irma's group "Kallio", Olli (rehabilitative) in
Ville's group "Itä". Kallio's task T1 is in district "Keskusta"; T2 has no district.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from jobcenter.core import clock
from jobcenter.core.enums import Stream
from jobcenter.hours.models import AbsenceKind, AttendanceRecord, ShiftFeedback
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from jobcenter.units.models import TaskFeedback
from tests import factories

TODAY = datetime(2026, 4, 15, 12, 0, tzinfo=clock.HELSINKI)
FIRST, LAST = date(2026, 1, 1), date(2026, 3, 31)
RANGE_ARGS = {"from": FIRST.isoformat(), "to": LAST.isoformat()}


@pytest.fixture(autouse=True)
def today(app):
    with clock.frozen(TODAY):
        yield TODAY


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.HELSINKI)


def absent(assignment_shift, participant, kind: AbsenceKind):
    assignment = factories.make_assignment(assignment_shift, participant, AssignmentStatus.ABSENT)
    return factories._add(
        AttendanceRecord(assignment_id=assignment.id, present=False, absence_kind=kind)
    )


def face(shift, participant, value: int) -> ShiftFeedback:
    from jobcenter.extensions import db
    from jobcenter.scheduling.models import Assignment

    assignment = db.session.scalars(
        db.select(Assignment).filter_by(shift_id=shift.id, participant_id=participant.id)
    ).one()
    return factories._add(ShiftFeedback(assignment_id=assignment.id, face=value))


@dataclass
class World:
    units: SimpleNamespace
    kinds: SimpleNamespace
    groups: SimpleNamespace
    people: SimpleNamespace
    tasks: SimpleNamespace
    shifts: SimpleNamespace
    manager: object
    admin: object


@pytest.fixture
def world(session) -> World:
    kallio = factories.make_unit(name="Kallion kirjasto")
    mylly = factories.make_unit(name="Myllypuron palvelukeskus")
    windows = factories.make_task_kind(name_en="Window washing", name_fi="Ikkunanpesu")
    dishes = factories.make_task_kind(name_en="Dishwashing", name_fi="Astianpesu")
    centre = factories.make_district(name_en="Keskusta", name_fi="Keskusta")
    irma = factories.make_instructor(first_name="Irma", last_name="Laine")
    ville = factories.make_instructor(first_name="Ville", last_name="Ahonen")
    g_kallio = factories.make_group(irma, name="Kallio")
    g_ita = factories.make_group(ville, name="Itä")
    pekka = factories.make_participant(
        g_kallio,
        Stream.DISABILITY,
        plan={"start_date": date(2026, 1, 1), "end_date": date(2026, 6, 30),
              "weekly_target_minutes": 600, "monthly_earnings_ceiling_cents": 3000},
        first_name="Pekka", last_name="Virtanen",
    )  # fmt: skip
    liisa = factories.make_participant(
        g_kallio,
        Stream.DISABILITY,
        plan={"start_date": date(2026, 2, 1), "end_date": date(2026, 6, 30),
              "weekly_target_minutes": 420, "monthly_earnings_ceiling_cents": 9000},
        first_name="Liisa", last_name="Korhonen",
    )  # fmt: skip
    olli = factories.make_participant(
        g_ita,
        Stream.REHABILITATIVE,
        plan={"start_date": date(2025, 12, 1), "end_date": date(2026, 12, 31),
              "weekly_target_minutes": 480, "monthly_earnings_ceiling_cents": 4500},
        first_name="Olli", last_name="Mäki",
    )  # fmt: skip
    t1 = factories.make_task(
        kallio, task_kind=windows, group=g_kallio, district_id=centre.id, title="Ikkunat"
    )
    t2 = factories.make_task(mylly, task_kind=dishes, group=g_ita, title="Astiat")

    def shift(task, start, minutes, slots, instructor, **kw):
        return factories.make_shift(
            task, start, ends_at=start + timedelta(minutes=minutes),
            slots=slots, instructor=instructor, **kw,
        )  # fmt: skip

    s1 = shift(t1, local(date(2026, 1, 15), 9), 240, 2, irma)
    s2 = shift(t2, local(date(2026, 2, 10), 10), 240, 2, ville)
    s3 = shift(t1, local(date(2026, 1, 31), 22), 240, 1, irma)
    s4 = shift(t2, local(date(2026, 3, 29), 0, 30), 180, 1, ville)  # ends 04:30 summer time
    s5 = shift(t1, local(date(2026, 3, 5), 9), 240, 2, irma, status=ShiftStatus.CANCELLED,
               cancel_reason="Tila oli varattu.")  # fmt: skip
    s6 = shift(t2, local(date(2026, 2, 20), 9), 240, 3, ville)
    s7 = shift(t2, local(date(2025, 12, 31), 23), 240, 1, ville)
    s8 = shift(t1, local(date(2026, 4, 1), 0, 30), 120, 1, irma)

    pekka_s1 = factories.make_hour_entry(pekka, s1)
    factories.correct_hour_entry(pekka_s1, 210)
    factories.make_hour_entry(liisa, s1)
    factories.make_hour_entry(olli, s2)
    absent(s2, pekka, AbsenceKind.UNEXCUSED)
    factories.make_hour_entry(liisa, s3)
    factories.make_hour_entry(olli, s4)
    absent(s4, pekka, AbsenceKind.OWN_ILLNESS)
    factories.make_assignment(s6, olli, AssignmentStatus.CONFIRMED)
    factories.make_assignment(s6, liisa, AssignmentStatus.DECLINED)
    factories.make_hour_entry(olli, s7)
    factories.make_hour_entry(pekka, s8)

    face(s1, pekka, 3)
    face(s1, liisa, 2)
    face(s3, liisa, 3)
    face(s2, olli, 3)
    face(s4, olli, 1)
    factories._add(TaskFeedback(task_id=t1.id, rating=5, created_at=local(date(2026, 2, 5), 12)))
    factories._add(TaskFeedback(task_id=t2.id, rating=4, created_at=local(date(2026, 3, 2), 12)))

    manager = factories.make_manager(first_name="Maija", last_name="Manager")
    admin = factories.make_admin()
    session.commit()
    return World(
        units=SimpleNamespace(kallio=kallio, mylly=mylly),
        kinds=SimpleNamespace(windows=windows, dishes=dishes, centre=centre),
        groups=SimpleNamespace(kallio=g_kallio, ita=g_ita, irma=irma, ville=ville),
        people=SimpleNamespace(pekka=pekka, liisa=liisa, olli=olli),
        tasks=SimpleNamespace(t1=t1, t2=t2),
        shifts=SimpleNamespace(s1=s1, s2=s2, s3=s3, s4=s4, s5=s5, s6=s6, s7=s7, s8=s8),
        manager=manager,
        admin=admin,
    )
