"""Database constraints on catalogues and rules kept as data: districts, skills,
task kinds, stream rules and rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from jobcenter.catalog.models import Rate, RateKind, Skill, StreamRule, TaskKind
from jobcenter.core.enums import Stream
from tests import factories
from tests.core.constraints import delete_row, refused


def _rule(**kw) -> StreamRule:
    values = {
        "stream": Stream.REHABILITATIVE,
        "valid_from": date(2025, 1, 1),
        "min_days_per_week": 1,
        "max_days_per_week": 4,
        "min_minutes_per_day": 240,
        "max_minutes_per_day": 480,
        "max_minutes_per_week": 1920,
        "daily_allowance_cents": 900,
    }
    return StreamRule(**(values | kw))


def _rate(**kw) -> Rate:
    values = {
        "kind": RateKind.PRICE,
        "cents_per_hour": 1450,
        "vat_percent": Decimal("25.50"),
        "valid_from": date(2025, 1, 1),
    }
    return Rate(**(values | kw))


def test_district_code_is_unique(session):
    factories.make_district(code="kallio")
    with refused(session, "uq_districts_code"):
        factories.make_district(code="kallio")


def test_skill_code_is_unique(session):
    factories.make_skill(code="cleaning")
    with refused(session, "uq_skills_code"):
        factories.make_skill(code="cleaning")


def test_task_kind_code_is_unique(session):
    factories.make_task_kind(code="raking")
    with refused(session, "uq_task_kinds_code"):
        factories.make_task_kind(code="raking")


def test_deleting_a_skill_a_plan_needs_is_refused(session):
    skill = factories.make_skill()
    participant = factories.make_participant()
    participant.plans[0].skills.append(skill)
    session.flush()
    with refused(session, "fk_plan_skills_skill_id_skills"):
        delete_row(session, Skill, skill.id)


def test_deleting_a_skill_a_task_requires_is_refused(session):
    skill = factories.make_skill()
    task = factories.make_task()
    task.required_skills.append(skill)
    session.flush()
    with refused(session, "fk_task_required_skills_skill_id_skills"):
        delete_row(session, Skill, skill.id)


def test_deleting_a_task_kind_in_use_is_refused(session):
    task = factories.make_task()
    with refused(session, "fk_tasks_task_kind_id_task_kinds"):
        delete_row(session, TaskKind, task.task_kind_id)


def test_stream_rule_with_legal_defaults_is_stored(session):
    session.add(_rule())
    session.commit()
    assert session.scalars(sa.select(StreamRule)).one().max_minutes_per_week == 1920


def test_stream_rule_without_statutory_limits_is_stored(session):
    session.add(
        _rule(
            stream=Stream.DISABILITY,
            min_days_per_week=None,
            max_days_per_week=None,
            min_minutes_per_day=None,
            max_minutes_per_day=None,
            max_minutes_per_week=None,
        )
    )
    session.commit()
    assert session.scalars(sa.select(StreamRule)).one().max_days_per_week is None


@pytest.mark.parametrize(
    ("min_days", "max_days"),
    [(0, 4), (5, 4), (1, 8)],
    ids=["zero_minimum", "minimum_above_maximum", "more_than_seven"],
)
def test_stream_rule_days_per_week_out_of_range_are_refused(session, min_days, max_days):
    with refused(session, "ck_stream_rules_days_per_week"):
        session.add(_rule(min_days_per_week=min_days, max_days_per_week=max_days))


@pytest.mark.parametrize(
    ("min_minutes", "max_minutes"),
    [(-1, 480), (481, 480), (240, 1441)],
    ids=["negative_minimum", "minimum_above_maximum", "more_than_a_day"],
)
def test_stream_rule_minutes_per_day_out_of_range_are_refused(session, min_minutes, max_minutes):
    with refused(session, "ck_stream_rules_minutes_per_day"):
        session.add(_rule(min_minutes_per_day=min_minutes, max_minutes_per_day=max_minutes))


@pytest.mark.parametrize("minutes", [0, 10081], ids=["zero", "more_than_a_week"])
def test_stream_rule_minutes_per_week_out_of_range_are_refused(session, minutes):
    with refused(session, "ck_stream_rules_minutes_per_week"):
        session.add(_rule(max_minutes_per_week=minutes))


def test_stream_rule_negative_allowance_is_refused(session):
    with refused(session, "ck_stream_rules_allowance_nonnegative"):
        session.add(_rule(daily_allowance_cents=-1))


def test_stream_rule_ending_before_it_starts_is_refused(session):
    with refused(session, "ck_stream_rules_validity"):
        session.add(_rule(valid_from=date(2025, 1, 1), valid_to=date(2025, 1, 1)))


def test_two_stream_rules_of_one_stream_from_the_same_day_are_refused(session):
    session.add(_rule())
    session.flush()
    with refused(session, "uq_stream_rules_stream_valid_from"):
        session.add(_rule(max_days_per_week=3))


def test_rate_with_negative_cents_is_refused(session):
    with refused(session, "ck_rates_cents_nonnegative"):
        session.add(_rate(cents_per_hour=-1))


@pytest.mark.parametrize("vat", [Decimal("100"), Decimal("-0.01")], ids=["hundred", "negative"])
def test_rate_with_vat_out_of_range_is_refused(session, vat):
    with refused(session, "ck_rates_vat_range"):
        session.add(_rate(vat_percent=vat))


def test_rate_of_unknown_kind_is_refused(session):
    with refused(session, "ck_rates_kind"):
        session.add(_rate(kind="bonus"))


def test_rate_ending_before_it_starts_is_refused(session):
    with refused(session, "ck_rates_validity"):
        session.add(_rate(valid_from=date(2025, 1, 1), valid_to=date(2024, 12, 31)))


def test_two_rates_of_one_kind_from_the_same_day_are_refused(session):
    session.add(_rate())
    session.flush()
    with refused(session, "uq_rates_kind_valid_from"):
        session.add(_rate(cents_per_hour=1500))


def test_vat_keeps_two_decimals(session):
    session.add(_rate(vat_percent=Decimal("25.50")))
    session.commit()
    session.expire_all()
    assert session.scalars(sa.select(Rate)).one().vat_percent == Decimal("25.50")
