"""`flask jobcenter demo --size helsinki`, run at 1 % of the benchmark scale: the same
code path (bulk writer, COPY on PostgreSQL) as the full two-thousand-person year."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from jobcenter.core.db import Base
from jobcenter.core.enums import Stream
from jobcenter.models import (
    ActivityDay,
    Assignment,
    AttendanceRecord,
    HourEntry,
    Instructor,
    Participant,
    Shift,
    Task,
    Unit,
)
from tests import factories
from tests.demo.conftest import login_rows
from tests.demo.rules import orphan_foreign_keys, violations

SCALE = 0.01


@pytest.fixture
def helsinki(run_demo, session):
    result = run_demo("--size", "helsinki", "--scale", str(SCALE))
    session.expire_all()
    return result


def count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_tiny_helsinki_has_counts_in_the_benchmarks_proportions(helsinki, session):
    assert count(session, Participant) == 2000 * SCALE
    assert count(session, Instructor) == 2  # 60 × 1 % rounds below the minimum of two
    assert count(session, Unit) == 3
    shifts = count(session, Shift)
    assert 200_000 * SCALE * 0.8 <= shifts <= 200_000 * SCALE * 1.2
    assignments = count(session, Assignment)
    assert 1.2 <= assignments / shifts <= 2.6  # about two people a shift (fewer at 1 %)
    streams = Counter(session.scalars(sa.select(Participant.stream)))
    assert streams[Stream.DISABILITY]
    assert streams[Stream.REHABILITATIVE]


def test_tiny_helsinki_covers_a_year_of_history(helsinki, session, frozen_now):
    first, last = session.execute(
        sa.select(sa.func.min(Shift.starts_at), sa.func.max(Shift.starts_at))
    ).one()
    assert (frozen_now - first).days >= 360
    assert 14 <= (last - frozen_now).days <= 22


def test_tiny_helsinki_rows_point_at_existing_rows(helsinki, session):
    assert orphan_foreign_keys(session) == []


def test_tiny_helsinki_keeps_every_scheduling_rule(helsinki, session):
    assert violations(session) == []


def test_tiny_helsinki_attendance_and_hours_are_consistent(helsinki, session):
    past_holders = count(session, Assignment, Assignment.status.in_(("attended", "absent")))
    first_records = count(session, AttendanceRecord, AttendanceRecord.supersedes_id.is_(None))
    assert first_records == past_holders
    confirmed_minutes = session.scalar(
        sa.select(sa.func.sum(AttendanceRecord.minutes)).where(
            AttendanceRecord.confirmed_at.isnot(None),
            ~sa.exists().where(
                sa.orm.aliased(AttendanceRecord).supersedes_id == AttendanceRecord.id
            ),
        )
    )
    assert session.scalar(sa.select(sa.func.sum(HourEntry.minutes))) == confirmed_minutes
    attended = count(session, ActivityDay, ActivityDay.status == "attended")
    assert 0 < attended <= past_holders


def test_tiny_helsinki_is_not_created_twice(run_demo, session):
    run_demo("--size", "helsinki", "--scale", str(SCALE))
    before = {t.name: count(session, t) for t in Base.metadata.sorted_tables}
    again = run_demo("--size", "helsinki", "--scale", str(SCALE))
    assert "already in the database" in again.output
    after = {t.name: count(session, t) for t in Base.metadata.sorted_tables}
    assert after == before


def test_rows_added_after_the_bulk_load_get_fresh_ids(helsinki, session):
    highest = session.scalar(sa.select(sa.func.max(Unit.id)))
    unit = factories.make_unit()
    task = factories.make_task(unit=unit)
    assert unit.id > highest
    assert task.id > session.scalar(sa.select(sa.func.max(Task.id)).where(Task.id != task.id))
    shift = factories.make_shift(task=task)
    assert shift.id == session.scalar(sa.select(sa.func.max(Shift.id)))


def test_tiny_helsinki_logins_sign_in(helsinki, app):
    rows = login_rows(helsinki.output)
    assert {row["role"] for row in rows} == {
        "admin",
        "manager",
        "instructor",
        "unit contact",
        "participant",
    }
    for row in rows:
        client = app.test_client()
        response = client.post("/login", data={"email": row["email"], "password": row["password"]})
        assert response.status_code == 302, row
        assert "/login" not in response.headers["Location"]
