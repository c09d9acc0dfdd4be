"""`flask jobcenter demo`: the small pilot dataset."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from datetime import timedelta
from importlib import resources

import holidays
import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import OneTimeToken, TokenPurpose, User
from jobcenter.accounts.secrets import hash_secret
from jobcenter.catalog.models import Rate, TaskKind
from jobcenter.core import clock
from jobcenter.core.db import Base
from jobcenter.core.enums import Role, Stream
from jobcenter.demo.small import create_small_demo
from jobcenter.models import (
    ActivityDay,
    Assignment,
    AssignmentEvent,
    AttendanceRecord,
    AvailabilityWindow,
    Group,
    HourEntry,
    Instructor,
    Participant,
    Plan,
    Shift,
    Task,
    TaskEvent,
    TaskFeedback,
    TaskKindPreference,
    Unit,
)
from jobcenter.scheduling.offers import DECLINE_CODES
from jobcenter.units.models import TaskStatus, UnitKind
from tests import factories
from tests.demo.conftest import NOW, empty_database, login_rows, sign_in_secret
from tests.demo.rules import local_day, rehabilitative_weeks, violations

PAST = ("attended", "absent", "declined", "cancelled")
FUTURE = ("proposed", "offered", "accepted", "confirmed", "declined", "cancelled")


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


def table_counts(session) -> dict[str, int]:
    return {
        table.name: session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


@pytest.fixture
def demo(run_demo, session):
    result = run_demo()
    session.expire_all()
    return result


def test_demo_has_about_ten_units_with_an_association_and_a_company(demo, session):
    units = session.scalars(sa.select(Unit)).all()
    assert 9 <= len(units) <= 12
    kinds = Counter(unit.kind for unit in units)
    assert kinds[UnitKind.ASSOCIATION] == 1
    assert kinds[UnitKind.COMPANY] == 1
    assert all(unit.district_id and unit.postal_code.startswith("00") for unit in units)
    contacts = Counter(
        u.unit_id for u in session.scalars(sa.select(User).where(User.unit_id.isnot(None)))
    )
    assert all(1 <= contacts[unit.id] <= 2 for unit in units)


def test_demo_has_four_instructors_with_one_or_two_groups(demo, session):
    instructors = session.scalars(sa.select(Instructor)).all()
    assert len(instructors) == 4
    for instructor in instructors:
        assert 1 <= len(instructor.groups) <= 2
        assert 3 <= instructor.supervision_capacity <= 6
    assert {s for i in instructors for s in i.streams} == {Stream.DISABILITY, Stream.REHABILITATIVE}


def test_demo_has_forty_participants_in_both_streams_with_plans(demo, session):
    streams = Counter(session.scalars(sa.select(Participant.stream)))
    assert 36 <= sum(streams.values()) <= 44
    assert streams[Stream.DISABILITY] > streams[Stream.REHABILITATIVE] > 0
    levels = Counter(session.scalars(sa.select(Plan.supervision_level)))
    assert set(levels) == {0, 1, 2, 3}
    assert session.scalar(
        sa.select(sa.func.count()).where(Plan.monthly_earnings_ceiling_cents.isnot(None))
    )
    assert count(session, TaskKindPreference) > 0
    participant_users = sa.select(Participant.user_id)
    assert session.scalar(
        sa.select(sa.func.count(sa.distinct(AvailabilityWindow.user_id))).where(
            AvailabilityWindow.user_id.in_(participant_users)
        )
    ) == sum(streams.values())


def test_demo_has_one_manager_and_one_admin(demo, session):
    roles = Counter(session.scalars(sa.select(User.role)))
    assert roles[Role.MANAGER] == 1
    assert roles[Role.ADMIN] == 1


def test_demo_uses_the_seventeen_pilot_task_kinds(demo, session):
    text = resources.files("jobcenter.seed").joinpath("task_kinds.csv").read_text("utf-8")
    pilot = {row["code"] for row in csv.DictReader(text.splitlines())}
    assert len(pilot) == 17
    assert set(session.scalars(sa.select(TaskKind.code))) == pilot
    used = set(
        session.scalars(sa.select(TaskKind.code).join(Task, Task.task_kind_id == TaskKind.id))
    )
    assert len(used) >= 12


def test_confirmed_hours_reproduce_the_pilots_split(demo, session):
    minutes = dict(
        session.execute(
            sa.select(HourEntry.stream, sa.func.sum(HourEntry.minutes)).group_by(HourEntry.stream)
        ).all()
    )
    assert minutes[Stream.DISABILITY] == pytest.approx(1000 * 60, rel=0.02)
    assert minutes[Stream.REHABILITATIVE] == pytest.approx(170 * 60, rel=0.02)
    assert "disability 1000 h, rehabilitative 170 h" in demo.output


def test_running_the_demo_twice_adds_nothing(run_demo, session):
    run_demo()
    before = table_counts(session)
    again = run_demo()
    assert "already in the database" in again.output
    assert table_counts(session) == before


def test_second_run_prints_a_fresh_sign_in_link_that_replaces_the_first(run_demo, session):
    first = sign_in_secret(run_demo().output)
    second = sign_in_secret(run_demo().output)
    assert first != second
    hashes = set(session.scalars(sa.select(OneTimeToken.token_hash)))
    assert hashes == {hash_secret(second)}


def test_printed_logins_sign_in_for_every_role(demo, app):
    rows = login_rows(demo.output)
    assert [row["role"] for row in rows] == [
        "admin",
        "manager",
        "instructor",
        "unit contact",
        "participant",
    ]
    for row in rows:
        client = app.test_client()
        response = client.post("/login", data={"email": row["email"], "password": row["password"]})
        assert response.status_code == 302, row
        assert "/login" not in response.headers["Location"]
        assert client.get("/home").status_code == 200


def test_printed_sign_in_link_is_a_one_time_token_of_a_participant_without_password(
    demo, session, app
):
    secret = sign_in_secret(demo.output)
    assert f"{app.config['BASE_URL']}/sign-in/{secret}" in demo.output
    token = session.scalars(
        sa.select(OneTimeToken).where(OneTimeToken.token_hash == hash_secret(secret))
    ).one()
    assert token.purpose == TokenPurpose.SIGN_IN
    assert token.used_at is None
    assert token.expires_at > clock.now()
    assert token.user.role == Role.PARTICIPANT
    assert token.user.password_hash is None


def test_history_keeps_every_scheduling_rule(demo, session):
    assert violations(session) == []


def test_rehabilitative_weeks_stay_within_four_days_and_32_hours(demo, session):
    weeks = rehabilitative_weeks(session)
    assert weeks
    assert max(days for _, days, _ in weeks) <= 4
    assert max(minutes for _, _, minutes in weeks) <= 32 * 60


def test_assignment_statuses_follow_the_clock(demo, session):
    rows = session.execute(
        sa.select(Shift.ends_at, Shift.starts_at, Assignment.status).join(Assignment)
    )
    past, future = Counter(), Counter()
    for ends_at, starts_at, status in rows:
        (past if ends_at <= NOW else future)[status.value] += 1
        if ends_at <= NOW:
            assert status.value in PAST
        elif starts_at > NOW:
            assert status.value in FUTURE
    assert past["attended"] > past["absent"] > 0
    assert {"offered", "accepted", "confirmed"} <= set(future)
    last_shift = session.scalar(sa.select(sa.func.max(Shift.starts_at)))
    assert NOW + timedelta(days=14) < last_shift <= NOW + timedelta(days=22)


def test_absences_have_various_kinds_and_activity_days_match(demo, session):
    kinds = set(
        session.scalars(
            sa.select(AttendanceRecord.absence_kind).where(AttendanceRecord.present.is_(False))
        )
    )
    assert len(kinds) >= 3
    attended_days = session.execute(
        sa.select(Assignment.participant_id, Shift.starts_at)
        .join(Shift)
        .where(Assignment.status == "attended")
    ).all()
    distinct = {(pid, local_day(starts)) for pid, starts in attended_days}
    assert count_days(session, "attended") == len(distinct)


def test_public_holidays_are_days_when_the_service_was_not_organised(demo, session):
    days = set(
        session.scalars(sa.select(ActivityDay.day).where(ActivityDay.status == "not_organised"))
    )
    finnish = holidays.Finland(years=range(2024, 2026))
    assert days
    assert all(day in finnish for day in days)


def count_days(session, status: str) -> int:
    return session.scalar(sa.select(sa.func.count()).where(ActivityDay.status == status))


def test_hour_entries_match_confirmed_attendance_and_dated_rates(demo, session):
    rates = session.scalars(sa.select(Rate)).all()

    def rate(kind, day):
        return next(
            r
            for r in rates
            if r.kind == kind and r.valid_from <= day and (r.valid_to is None or day < r.valid_to)
        )

    entries = session.scalars(sa.select(HourEntry)).all()
    assert entries
    net = Counter()
    for entry in entries:
        record = session.get(AttendanceRecord, entry.attendance_record_id)
        assert record.present
        assert record.confirmed_at is not None
        shift = session.get(Shift, entry.shift_id)
        participant = session.get(Participant, entry.participant_id)
        assert entry.stream == participant.stream
        assert entry.unit_id == shift.task.unit_id
        assert entry.task_kind_id == shift.task.task_kind_id
        assert entry.district_id == shift.task.district_id
        assert entry.instructor_id == participant.group.instructor_id
        assert entry.work_date == local_day(shift.starts_at)
        assert entry.wage_cents_per_hour == rate("wage", entry.work_date).cents_per_hour
        assert entry.price_cents_per_hour == rate("price", entry.work_date).cents_per_hour
        assert entry.vat_percent == rate("price", entry.work_date).vat_percent
        net[record.assignment_id] += entry.minutes
    current = {
        r.assignment_id: r.minutes
        for r in session.scalars(
            sa.select(AttendanceRecord).where(AttendanceRecord.confirmed_at.isnot(None))
        )
        if not session.scalar(
            sa.select(sa.func.count()).where(AttendanceRecord.supersedes_id == r.id)
        )
    }
    assert net == Counter(current)


def test_corrections_keep_who_when_and_why(demo, session):
    corrected = session.scalars(
        sa.select(AttendanceRecord).where(AttendanceRecord.supersedes_id.isnot(None))
    ).all()
    assert corrected
    for record in corrected:
        assert record.correction_reason
        assert record.recorded_by_id is not None
        reversal = session.scalars(
            sa.select(HourEntry).where(
                HourEntry.attendance_record_id == record.supersedes_id, HourEntry.minutes < 0
            )
        ).one()
        assert reversal.reverses_id is not None


def test_tasks_appear_in_every_status_with_their_history(demo, session):
    tasks = session.scalars(sa.select(Task)).all()
    statuses = {task.status for task in tasks}
    assert {
        TaskStatus.DRAFT,
        TaskStatus.SUBMITTED,
        TaskStatus.ACCEPTED,
        TaskStatus.SCHEDULED,
        TaskStatus.DONE,
        TaskStatus.CONFIRMED,
        TaskStatus.CANCELLED,
        TaskStatus.REJECTED,
    } <= statuses
    feedback = set(session.scalars(sa.select(TaskFeedback.task_id)))
    for task in tasks:
        events = session.scalars(
            sa.select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(TaskEvent.at)
        ).all()
        assert events[0].to_status == TaskStatus.DRAFT
        assert events[-1].to_status == task.status
        assert all(a.at <= b.at for a, b in itertools.pairwise(events))
        assert all(e.at <= NOW for e in events)
        assert (task.id in feedback) == (task.status == TaskStatus.CONFIRMED)
        if task.status in (TaskStatus.CANCELLED, TaskStatus.REJECTED):
            assert task.status_reason
        has_shifts = session.scalar(sa.select(sa.func.count()).where(Shift.task_id == task.id))
        assert bool(has_shifts) == (
            task.status
            in (TaskStatus.SCHEDULED, TaskStatus.DONE, TaskStatus.CONFIRMED, TaskStatus.CANCELLED)
            and task.group_id is not None
            and has_shifts > 0
        )


def test_the_printed_unit_contact_has_a_finished_task_to_confirm_and_rate(demo, session):
    contact = session.scalars(
        sa.select(User).where(User.email == "leena.heikkinen@demo.jobcenter.example")
    ).one()
    waiting = session.scalars(
        sa.select(Task).where(Task.unit_id == contact.unit_id, Task.status == TaskStatus.DONE)
    ).all()
    assert waiting
    last_end = session.scalar(
        sa.select(sa.func.max(Shift.ends_at)).where(Shift.task_id.in_([t.id for t in waiting]))
    )
    assert last_end < NOW


def test_assignment_history_ends_in_the_current_status(demo, session):
    assignments = session.scalars(sa.select(Assignment)).all()
    for assignment in assignments[:200]:
        events = session.scalars(
            sa.select(AssignmentEvent)
            .where(AssignmentEvent.assignment_id == assignment.id)
            .order_by(AssignmentEvent.at)
        ).all()
        assert events[-1].to_status == assignment.status
        assert events[0].from_status is None


def test_the_same_seed_gives_the_same_demo(app, session, frozen_now):
    def fingerprint():
        users = session.execute(
            sa.select(User.first_name, User.last_name, User.email).order_by(User.id)
        ).all()
        shifts = session.execute(sa.select(Shift.task_id, Shift.starts_at).order_by(Shift.id)).all()
        minutes = session.scalar(sa.select(sa.func.sum(HourEntry.minutes)))
        return users, shifts, minutes

    create_small_demo(session, seed=7)
    session.commit()
    first = fingerprint()
    empty_database()
    create_small_demo(session, seed=7)
    session.commit()
    assert fingerprint() == first
    empty_database()
    create_small_demo(session, seed=8)
    session.commit()
    assert fingerprint()[0] != first[0]


def test_small_size_refuses_a_scale(app, frozen_now):
    result = app.test_cli_runner().invoke(args=["jobcenter", "demo", "--scale", "0.5"])
    assert result.exit_code == 2
    assert "--scale applies to --size helsinki only" in result.output


def test_a_too_short_password_is_refused_and_nothing_is_stored(app, session, frozen_now):
    result = app.test_cli_runner().invoke(args=["jobcenter", "demo", "--password", "short"])
    assert result.exit_code == 2
    assert "at least 10 characters" in result.output
    assert count(session, User) == 0


def test_a_chosen_password_is_printed_and_works(run_demo, app):
    output = run_demo("--password", "kesäpäivä-2025").output
    admin = next(row for row in login_rows(output) if row["role"] == "admin")
    assert admin["password"] == "kesäpäivä-2025"
    client = app.test_client()
    response = client.post("/login", data={"email": admin["email"], "password": "kesäpäivä-2025"})
    assert response.status_code == 302


def test_groups_hold_the_participants_of_their_instructors_streams(demo, session):
    for group in session.scalars(sa.select(Group)):
        streams = {p.stream for p in group.participants}
        assert streams <= set(group.instructor.streams)


def test_demo_refuses_a_database_whose_unit_names_clash_and_stores_nothing(
    app, session, frozen_now
):
    factories.make_unit(name="Kallion kirjasto")
    session.commit()
    result = app.test_cli_runner().invoke(args=["jobcenter", "demo"])
    assert result.exit_code == 1
    assert "A unit named 'Kallion kirjasto' exists already" in result.output
    assert count(session, User) == 0
    assert count(session, Unit) == 1


def test_demo_refuses_when_no_wage_rate_is_valid_and_stores_nothing(app, session, frozen_now):
    from jobcenter.catalog.seed import seed_reference_data

    seed_reference_data(session)
    session.execute(sa.delete(Rate).where(Rate.kind == "wage"))
    session.commit()
    result = app.test_cli_runner().invoke(args=["jobcenter", "demo"])
    assert result.exit_code == 1
    assert "No wage rate is valid on" in result.output
    assert count(session, User) == 0


def test_declined_offers_carry_the_reasons_a_participant_can_choose(demo, session):
    reasons = set(
        session.scalars(
            sa.select(Assignment.decline_reason).where(Assignment.decline_reason.is_not(None))
        )
    )
    assert reasons
    assert reasons <= set(DECLINE_CODES)
