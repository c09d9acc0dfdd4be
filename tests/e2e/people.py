"""One signed-in person per role, each with believable data on their home page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from jobcenter.catalog.models import TaskKind
from jobcenter.catalog.seed import seed_reference_data
from jobcenter.core import clock
from jobcenter.core.enums import Locale, Role, Stream
from jobcenter.extensions import db
from jobcenter.scheduling.models import AssignmentStatus
from jobcenter.units.models import TaskStatus
from tests import factories
from tests.home.helpers import confirmed_hours

# Wednesday 15 January 2025, 10:00 in Helsinki: the server thread shares this clock.
NOW = datetime(2025, 1, 15, 10, 0, tzinfo=clock.HELSINKI)

# What each role's home page says first about what they can do (English texts).
NEXT_STEPS = {
    Role.ADMIN: "What you can do",
    Role.MANAGER: "Confirmed hours in 2025",
    Role.INSTRUCTOR: "waiting for you to accept or reject",
    Role.UNIT_CONTACT: "Your unit's tasks",
    Role.PARTICIPANT: "Your next shifts",
}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.HELSINKI)


def _kind(code: str) -> TaskKind:
    return db.session.scalars(sa.select(TaskKind).where(TaskKind.code == code)).one()


def build_world() -> dict[Role, object]:
    """A small Helsinki: two units, an instructor's group, shifts this week and hours.

    Returns one user per role (all with English as their language). Call with the
    clock frozen at NOW; commits."""
    seed_reference_data(db.session)
    today = NOW.date()
    kontula = factories.make_unit(
        name="Kontulan palvelukeskus", street_address="Kontulankaari 1", postal_code="00940"
    )
    library = factories.make_unit(
        name="Itäkeskuksen kirjasto", street_address="Turunlinnantie 1", postal_code="00900"
    )
    instructor = factories.make_instructor(
        first_name="Irma", last_name="Laine", phone="040 123 4567",
        email="irma.laine@example.test", locale=Locale.EN,
    )  # fmt: skip
    morning = factories.make_group(instructor, name="Aamuryhmä")
    factories.make_group(instructor, name="Iltapäiväryhmä")
    participant = factories.make_participant(
        morning, stream=Stream.DISABILITY, first_name="Pekka", last_name="Virtanen",
        locale=Locale.EN,
    )  # fmt: skip
    colleague = factories.make_participant(
        morning, stream=Stream.REHABILITATIVE, first_name="Aino", last_name="Mäkinen"
    )
    contact = factories.make_unit_contact(
        unit=kontula, first_name="Ulla", last_name="Nieminen", locale=Locale.EN
    )
    manager = factories.make_manager(first_name="Matti", last_name="Korhonen", locale=Locale.EN)
    admin = factories.make_admin(first_name="Aila", last_name="Heikkinen", locale=Locale.EN)

    windows = factories.make_task(
        kontula, task_kind=_kind("window_washing"), title="Ikkunoiden pesu, 1. kerros",
        group=morning, status=TaskStatus.SCHEDULED, headcount=2,
    )  # fmt: skip
    mailing = factories.make_task(
        library, task_kind=_kind("mailing_labelling"), title="Kirjastokorttikirjeet",
        group=morning, status=TaskStatus.SCHEDULED, headcount=3, shift_minutes=180,
    )  # fmt: skip
    factories.make_task(kontula, task_kind=_kind("cleaning"), status=TaskStatus.SUBMITTED,
                        title="Varaston siivous")  # fmt: skip
    factories.make_task(kontula, task_kind=_kind("raking"), status=TaskStatus.DRAFT,
                        title="Pihan haravointi")  # fmt: skip

    thursday = factories.make_shift(windows, starts_at=at(today + timedelta(days=1), 9))
    friday = factories.make_shift(mailing, starts_at=at(today + timedelta(days=2), 12, 30))
    factories.make_assignment(thursday, participant, status=AssignmentStatus.CONFIRMED)
    factories.make_assignment(thursday, colleague, status=AssignmentStatus.CONFIRMED)
    factories.make_assignment(friday, participant, status=AssignmentStatus.OFFERED)

    last_week = factories.make_shift(windows, starts_at=at(today - timedelta(days=6), 9))
    confirmed_hours(factories.make_assignment(last_week, participant), 240)
    confirmed_hours(factories.make_assignment(last_week, colleague), 210)
    db.session.commit()
    return {
        Role.ADMIN: admin,
        Role.MANAGER: manager,
        Role.INSTRUCTOR: instructor.user,
        Role.UNIT_CONTACT: contact,
        Role.PARTICIPANT: participant.user,
    }
