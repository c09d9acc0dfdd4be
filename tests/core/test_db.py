"""Shared column types and engine settings, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from jobcenter.core.clock import HELSINKI
from jobcenter.core.db import Base, UTCDateTime
from jobcenter.scheduling.models import Shift
from tests import factories


def _event(session, at: datetime) -> int:
    event = AuditEvent(action="test", at=at)
    session.add(event)
    session.commit()
    return event.id


def test_datetime_comes_back_timezone_aware_in_utc(session):
    event_id = _event(session, datetime(2025, 3, 3, 9, 0, tzinfo=HELSINKI))
    session.expire_all()
    at = session.get(AuditEvent, event_id).at
    assert at.utcoffset() == timedelta(0)
    assert at == datetime(2025, 3, 3, 7, 0, tzinfo=UTC)


def test_datetime_keeps_the_instant_across_daylight_saving(session):
    summer = datetime(2025, 7, 1, 9, 0, tzinfo=HELSINKI)  # UTC+3
    event_id = _event(session, summer)
    session.expire_all()
    assert session.get(AuditEvent, event_id).at == datetime(2025, 7, 1, 6, 0, tzinfo=UTC)


def test_datetime_selected_as_a_column_is_aware_too(session):
    _event(session, datetime(2025, 3, 3, 9, 0, tzinfo=HELSINKI))
    at = session.scalar(sa.select(AuditEvent.at))
    assert at.tzinfo is not None
    assert at.utcoffset() == timedelta(0)


def test_naive_datetime_is_refused_before_it_reaches_the_database(session):
    session.add(AuditEvent(action="test", at=datetime(2025, 3, 3, 9, 0)))
    with pytest.raises(sa.exc.StatementError) as caught:
        session.flush()
    session.rollback()
    assert isinstance(caught.value.orig, ValueError)
    assert "naive" in str(caught.value.orig)


def test_naive_datetime_is_refused_in_a_query_too(session):
    with pytest.raises(sa.exc.StatementError):
        session.scalars(sa.select(AuditEvent).where(AuditEvent.at < datetime(2025, 3, 3))).all()
    session.rollback()


def test_datetimes_in_different_zones_sort_by_instant(session):
    helsinki_ten = _event(session, datetime(2025, 3, 3, 10, 0, tzinfo=HELSINKI))  # 08:00 UTC
    utc_nine = _event(session, datetime(2025, 3, 3, 9, 0, tzinfo=UTC))
    ordered = session.scalars(sa.select(AuditEvent.id).order_by(AuditEvent.at)).all()
    assert ordered == [helsinki_ten, utc_nine]


def test_datetimes_compare_by_instant_in_queries(session):
    event_id = _event(session, datetime(2025, 3, 3, 9, 0, tzinfo=HELSINKI))  # 07:00 UTC
    bound = datetime(2025, 3, 3, 7, 30, tzinfo=UTC)
    found = session.scalars(sa.select(AuditEvent.id).where(AuditEvent.at < bound)).all()
    assert found == [event_id]


def test_shift_times_come_back_as_the_same_instants(session):
    start = datetime(2025, 3, 3, 9, 0, tzinfo=HELSINKI)
    shift = factories.make_shift(starts_at=start)
    session.commit()
    session.expire_all()
    stored = session.get(Shift, shift.id)
    assert (stored.starts_at, stored.minutes) == (start, shift.task.shift_minutes)


def test_every_datetime_column_of_the_models_stores_utc():
    """A plain DateTime column would accept naive values and lose the time zone on SQLite."""
    plain = [
        f"{table.name}.{column.name}"
        for table in Base.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, sa.DateTime) and not isinstance(column.type, UTCDateTime)
    ]
    assert plain == []


def test_sqlite_connections_enforce_foreign_keys(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL always enforces foreign keys")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
