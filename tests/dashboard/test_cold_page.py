"""The shortcuts that keep a cold dashboard cheap give the same figures as the long way:
earnings for a SELECT of people, figures read together under one freshness check, and
drill-down links built from one URL."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import url_for

from jobcenter.catalog.models import Rate, RateKind
from jobcenter.core.enums import Stream
from jobcenter.core.exports import Table
from jobcenter.dashboard import queries as q
from jobcenter.dashboard import summaries
from jobcenter.dashboard import tables as t
from jobcenter.dashboard.period import DateRange
from jobcenter.participants.models import Participant
from jobcenter.reports.earnings import earnings_for
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories as f
from tests.reports.helpers import hours_on, shift_on

NOVEMBER = date(2026, 11, 1)


def _planned(person, day: date, status=AssignmentStatus.CONFIRMED):
    return f.make_assignment(shift_on(day), person, status=status)


def test_earnings_for_a_select_of_people_equal_those_for_their_ids_across_a_wage_change(
    session, reference_data
):
    old = session.query(Rate).filter_by(kind=RateKind.WAGE).one()
    old.valid_to = date(2026, 11, 28)
    session.add(Rate(kind=RateKind.WAGE, cents_per_hour=1100, valid_from=date(2026, 11, 28)))
    group = f.make_group()
    capped = f.make_participant(group, plan={"monthly_earnings_ceiling_cents": 15000})
    other = f.make_participant(group)
    hours_on(capped, date(2026, 11, 10), 300, wage_cents_per_hour=1000)
    _planned(capped, date(2026, 11, 27))  # 4 h × 10 €
    _planned(capped, date(2026, 11, 30), AssignmentStatus.ACCEPTED)  # 4 h × 11 €
    _planned(other, date(2026, 11, 29))
    session.commit()

    by_ids = earnings_for(session, [capped.id, other.id], NOVEMBER)
    selected = earnings_for(session, sa.select(Participant.id), NOVEMBER)

    assert selected == by_ids
    assert (by_ids[capped.id].planned_minutes, by_ids[capped.id].planned_cents) == (480, 8400)
    assert (by_ids[other.id].planned_cents, by_ids[other.id].ceiling_cents) == (4400, None)


def test_earnings_for_an_empty_select_or_list_are_empty(session, reference_data):
    none = sa.select(Participant.id).where(sa.false())
    assert earnings_for(session, none, NOVEMBER) == {}
    assert earnings_for(session, [], NOVEMBER) == {}


def test_figures_read_together_see_a_write_made_between_them(session, world):
    rng = DateRange(date(2026, 3, 1), date(2026, 3, 31))
    with summaries.reading(session):
        before = q.minutes_by_stream(session, rng)[Stream.DISABILITY]
        person = session.scalars(
            sa.select(Participant).where(Participant.stream == Stream.DISABILITY)
        ).first()
        f.make_hour_entry(person, shift_on(date(2026, 3, 10)), minutes=60)
        session.flush()
        after = q.minutes_by_stream(session, rng)[Stream.DISABILITY]
    assert after == before + 60


def test_drill_down_links_built_from_one_url_equal_url_for(app):
    rng = DateRange(date(2026, 1, 1), date(2026, 3, 31))
    keys = ["17", "none", "disability", "2026-02"]
    with app.test_request_context():
        expected = [
            url_for("dashboard.totals", by="unit", key=key, **rng.as_args()) for key in keys
        ]
        assert t.totals_links("unit", keys, rng) == expected


def test_table_cells_are_shown_in_the_pages_language_with_a_dash_for_none(app):
    table = t.DashTable(
        "x",
        Table("Title", ["Name", "Hours", "Share (%)"]),
        numeric=frozenset({1, 2}),
        links=["/a"],
    )
    table.table.add("Row", t.hours(90_000), None)
    with app.test_request_context("/?lang=fi"):
        (row,) = table.shown()
    assert (row.heading, row.link) == ("Row", "/a")
    assert row.cells == [("1\xa0500,00", True), ("–", True)]
