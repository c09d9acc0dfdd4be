"""Stream rules as dated versions, and the one check of plans against them."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from jobcenter.catalog.models import StreamRule
from jobcenter.catalog.operations import (
    check_plan_against_stream_rules,
    create_stream_rule_version,
    stream_rule_in_force,
)
from jobcenter.core.enums import Stream
from jobcenter.core.errors import ValidationFailed
from tests.admin.conftest import page_text

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def _english_messages(app):
    """Rules called outside a request speak the default language (Finnish): these
    tests read them in English."""
    with force_locale("en"):
        yield


def _rule_form(**over) -> dict:
    return {
        "stream": "rehabilitative",
        "valid_from": "2030-01-01",
        "min_days_per_week": "1",
        "max_days_per_week": "4",
        "min_minutes_per_day": "4",
        "max_minutes_per_day": "7,5",
        "max_minutes_per_week": "30",
        "daily_allowance_cents": "9,50",
        "legal_basis": "Laki kuntouttavasta työtoiminnasta 189/2001",
    } | over


def _plan(**over) -> dict:
    return {
        "start_date": date(2025, 1, 1),
        "end_date": date(2025, 6, 30),
        "days_per_week": 3,
        "min_minutes_per_day": 240,
        "max_minutes_per_day": 360,
        "weekly_target_minutes": 900,
        "daily_allowance_cents": None,
    } | over


def test_stream_rules_page_lists_each_streams_versions(admin_client):
    html = page_text(admin_client.get("/admin/stream-rules"))
    assert "Rehabilitative work activity" in html
    assert "Disability work activity" in html
    assert "189/2001" in html
    assert "set per person" in html


def test_new_version_closes_the_previous_one(admin_client, session):
    response = admin_client.post("/admin/stream-rules/new", data=_rule_form())
    assert response.status_code == 303
    versions = session.scalars(
        sa.select(StreamRule)
        .where(StreamRule.stream == Stream.REHABILITATIVE)
        .order_by(StreamRule.valid_from)
    ).all()
    assert [(v.valid_from, v.valid_to) for v in versions] == [
        (date(2016, 1, 1), date(2030, 1, 1)),
        (date(2030, 1, 1), None),
    ]
    new = versions[-1]
    assert (new.min_minutes_per_day, new.max_minutes_per_day, new.max_minutes_per_week) == (
        240,
        450,
        1800,
    )
    assert new.daily_allowance_cents == 950


def test_the_disability_rules_are_untouched_by_a_rehabilitative_version(admin_client, session):
    admin_client.post("/admin/stream-rules/new", data=_rule_form())
    disability = session.scalars(
        sa.select(StreamRule).where(StreamRule.stream == Stream.DISABILITY)
    ).one()
    assert disability.valid_to is None


def test_rule_in_force_follows_the_dates(session):
    create_stream_rule_version(
        session,
        stream=Stream.REHABILITATIVE,
        valid_from=date(2030, 1, 1),
        min_days_per_week=1,
        max_days_per_week=3,
        legal_basis="Muutos",
    )
    before = stream_rule_in_force(session, Stream.REHABILITATIVE, date(2029, 12, 31))
    after = stream_rule_in_force(session, Stream.REHABILITATIVE, date(2030, 1, 1))
    assert before.max_days_per_week == 4
    assert after.max_days_per_week == 3


def test_a_version_cannot_start_before_the_current_one(admin_client, count):
    before = count(StreamRule)
    response = admin_client.post(
        "/admin/stream-rules/new", data=_rule_form(valid_from="2016-01-01")
    )
    assert response.status_code == 422
    assert "A new version must start after" in page_text(response)
    assert count(StreamRule) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_days_per_week", "0"),
        ("max_days_per_week", "8"),
        ("max_minutes_per_day", "25"),
        ("max_minutes_per_week", "200"),
        ("legal_basis", ""),
    ],
)
def test_rule_values_out_of_range_are_refused(admin_client, session, count, field, value):
    before = count(StreamRule)
    response = admin_client.post("/admin/stream-rules/new", data=_rule_form(**{field: value}))
    assert response.status_code == 422
    assert count(StreamRule) == before
    session.expire_all()
    assert stream_rule_in_force(session, Stream.REHABILITATIVE, date(2031, 1, 1)).valid_to is None


def test_rule_minimum_days_must_not_exceed_the_maximum(admin_client, count):
    before = count(StreamRule)
    response = admin_client.post(
        "/admin/stream-rules/new", data=_rule_form(min_days_per_week="5", max_days_per_week="3")
    )
    assert response.status_code == 422
    assert "must not be smaller than the minimum" in page_text(response)
    assert count(StreamRule) == before


def test_rule_minimum_hours_must_not_exceed_the_maximum(admin_client, count):
    before = count(StreamRule)
    response = admin_client.post(
        "/admin/stream-rules/new",
        data=_rule_form(min_minutes_per_day="8", max_minutes_per_day="4"),
    )
    assert response.status_code == 422
    assert count(StreamRule) == before


def test_rule_form_is_prefilled_with_the_rules_in_force(admin_client):
    html = page_text(admin_client.get("/admin/stream-rules/new?stream=rehabilitative"))
    assert 'name="max_minutes_per_week" type="text" value="32"' in html


def test_limits_left_empty_mean_set_per_person(admin_client, session):
    data = _rule_form(
        stream="disability",
        min_days_per_week="",
        max_days_per_week="",
        min_minutes_per_day="",
        max_minutes_per_day="",
        max_minutes_per_week="",
    )
    assert admin_client.post("/admin/stream-rules/new", data=data).status_code == 303
    rule = stream_rule_in_force(session, Stream.DISABILITY, date(2030, 1, 1))
    assert rule.max_days_per_week is None
    assert rule.max_minutes_per_week is None


# ---------------------------------------------------------------- the plan check


def test_rehabilitative_plan_within_the_rules_passes(session):
    check_plan_against_stream_rules(session, Stream.REHABILITATIVE, _plan())


def test_rehabilitative_plan_with_five_days_is_refused_on_days_per_week(session):
    with pytest.raises(ValidationFailed) as caught:
        check_plan_against_stream_rules(session, Stream.REHABILITATIVE, _plan(days_per_week=5))
    assert list(caught.value.errors) == ["days_per_week"]
    assert "1 to 4 days a week" in caught.value.errors["days_per_week"][0]


def test_rehabilitative_plan_under_four_hours_a_day_is_refused(session):
    with pytest.raises(ValidationFailed) as caught:
        check_plan_against_stream_rules(
            session, Stream.REHABILITATIVE, _plan(min_minutes_per_day=180)
        )
    assert "at least 4 hours a day" in caught.value.errors["min_minutes_per_day"][0]


def test_rehabilitative_weekly_target_over_32_hours_is_refused(session):
    with pytest.raises(ValidationFailed) as caught:
        check_plan_against_stream_rules(
            session, Stream.REHABILITATIVE, _plan(weekly_target_minutes=33 * 60)
        )
    assert "at most 32 hours a week" in caught.value.errors["weekly_target_minutes"][0]


def test_disability_plan_has_no_statutory_limits(session):
    check_plan_against_stream_rules(
        session,
        Stream.DISABILITY,
        _plan(
            days_per_week=7,
            min_minutes_per_day=60,
            max_minutes_per_day=600,
            weekly_target_minutes=50 * 60,
        ),
    )


def test_disability_work_allowance_is_capped_by_the_rule(session):
    with pytest.raises(ValidationFailed) as caught:
        check_plan_against_stream_rules(
            session, Stream.DISABILITY, _plan(daily_allowance_cents=1300)
        )
    assert "daily_allowance_cents" in caught.value.errors


def test_a_plan_is_checked_against_every_rule_version_during_it(session):
    create_stream_rule_version(
        session,
        stream=Stream.REHABILITATIVE,
        valid_from=date(2025, 4, 1),
        min_days_per_week=1,
        max_days_per_week=2,
        min_minutes_per_day=240,
        max_minutes_per_day=480,
        max_minutes_per_week=1920,
        legal_basis="Muutos",
    )
    with pytest.raises(ValidationFailed):
        check_plan_against_stream_rules(session, Stream.REHABILITATIVE, _plan(days_per_week=3))
    # On a day before the change, only the old version applies.
    check_plan_against_stream_rules(
        session, Stream.REHABILITATIVE, _plan(days_per_week=3), on_date=date(2025, 3, 1)
    )


def test_a_plan_starting_before_any_rule_is_refused(session):
    with pytest.raises(ValidationFailed) as caught:
        check_plan_against_stream_rules(
            session, Stream.REHABILITATIVE, _plan(start_date=date(2010, 1, 1))
        )
    assert "No stream rule is in force" in caught.value.errors["start_date"][0]
