"""A rate or stream-rule version is valid from `valid_from` up to, not including,
`valid_to` (open-ended when None). The rule is written once in two forms side by side
(`in_force_clause` for SQL, `in_force_on` in memory); these tests prove they agree, and
that the database lookup (`rate_in_force`) and the in-memory one (`rate_valid_on`) pick
the same version on every edge day."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobcenter.catalog.models import Rate, RateKind
from jobcenter.catalog.operations import (
    STREAM_RULE_FIELDS,
    create_stream_rule_version,
    in_force_clause,
    in_force_on,
    rate_in_force,
    stream_rule_in_force,
)
from jobcenter.core.enums import Stream
from jobcenter.hours.valuation import load_rates, rate_valid_on
from tests import factories as f

JAN, MAR = date(2026, 1, 1), date(2026, 3, 1)
ONE_DAY = date(2026, 2, 10)
ONE = timedelta(days=1)


@pytest.fixture
def rates(session):
    """Wage 10 € until the end of February, 11 € from March on (open-ended); a price
    valid for one day only (10.2.), and another price from 1.1. that it overlaps."""
    rows = {
        "wage_old": f.make_rate(RateKind.WAGE, 1000, JAN, valid_to=MAR),
        "wage_new": f.make_rate(RateKind.WAGE, 1100, MAR),
        "price_year": f.make_rate(RateKind.PRICE, 1450, JAN),
        "price_day": f.make_rate(
            RateKind.PRICE, 1600, ONE_DAY, valid_to=ONE_DAY + timedelta(days=1)
        ),
    }
    session.commit()
    return rows


def sql_in_force(session, day: date) -> set[int]:
    return set(session.scalars(sa.select(Rate.id).where(in_force_clause(Rate, day))))


def memory_in_force(rows, day: date) -> set[int]:
    return {r.id for r in rows.values() if in_force_on(r, day)}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (JAN - timedelta(days=1), set()),  # the day before the first
        (JAN, {"wage_old", "price_year"}),  # first day
        (MAR - timedelta(days=1), {"wage_old", "price_year"}),  # last day (valid_to - 1)
        (MAR, {"wage_new", "price_year"}),  # valid_to: the old one no longer applies
        (ONE_DAY, {"wage_old", "price_year", "price_day"}),  # a version of one day
        (ONE_DAY + timedelta(days=1), {"wage_old", "price_year"}),  # the day after it
        (date(2099, 12, 31), {"wage_new", "price_year"}),  # open end
    ],
)
def test_sql_and_memory_agree_on_edge_days(session, rates, day, expected):
    ids = {rates[name].id for name in expected}
    assert sql_in_force(session, day) == ids
    assert memory_in_force(rates, day) == ids


def test_sql_and_memory_agree_on_every_day_around_the_versions(session, rates):
    day = date(2025, 12, 25)
    while day <= date(2026, 3, 10):
        assert sql_in_force(session, day) == memory_in_force(rates, day), day
        day += timedelta(days=1)


def test_database_and_memory_lookups_pick_the_same_rate_every_day(session, rates):
    loaded = load_rates(session)
    day = date(2025, 12, 25)
    while day <= date(2026, 3, 10):
        for kind in RateKind.ALL:
            in_db = rate_in_force(session, kind, day)
            in_memory = rate_valid_on(loaded, kind, day)
            assert (in_db and in_db.valid_from) == (in_memory and in_memory.valid_from), (
                kind,
                day,
            )
        day += timedelta(days=1)


def test_where_versions_overlap_the_latest_start_wins_in_both(session, rates):
    assert rate_in_force(session, RateKind.PRICE, ONE_DAY).cents_per_hour == 1600
    assert rate_valid_on(load_rates(session), RateKind.PRICE, ONE_DAY).cents_per_hour == 1600


def test_a_stream_rule_version_applies_up_to_the_day_its_successor_starts(session, reference_data):
    new_start = date(2026, 7, 1)
    old = stream_rule_in_force(session, Stream.REHABILITATIVE, new_start)
    values = {name: getattr(old, name) for name in STREAM_RULE_FIELDS}
    new = create_stream_rule_version(
        session, stream=Stream.REHABILITATIVE, valid_from=new_start, **values
    )
    session.commit()

    assert stream_rule_in_force(session, Stream.REHABILITATIVE, old.valid_from) == old
    assert stream_rule_in_force(session, Stream.REHABILITATIVE, new_start - ONE) == old
    assert stream_rule_in_force(session, Stream.REHABILITATIVE, new_start) == new
    assert stream_rule_in_force(session, Stream.REHABILITATIVE, date(2099, 1, 1)) == new
    assert stream_rule_in_force(session, Stream.REHABILITATIVE, old.valid_from - ONE) is None


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(start=days, length=st.one_of(st.none(), st.integers(1, 800)), day=days)
def test_the_sql_condition_and_the_predicate_agree_on_any_version_and_day(
    session, start, length, day
):
    end = None if length is None else start + timedelta(days=length)
    version = SimpleNamespace(valid_from=start, valid_to=end)
    columns = SimpleNamespace(
        valid_from=sa.literal(start, sa.Date), valid_to=sa.literal(end, sa.Date)
    )
    in_sql = session.scalar(sa.select(in_force_clause(columns, sa.literal(day, sa.Date))))
    assert bool(in_sql) == in_force_on(version, day)
