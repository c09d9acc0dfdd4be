"""A rehabilitative plan period lasts 3–24 months (Act 189/2001); disability has no limit."""

from datetime import date

import pytest
from flask_babel import force_locale

from jobcenter.catalog.operations import add_months, check_plan_against_stream_rules
from jobcenter.core.enums import Stream
from jobcenter.core.errors import ValidationFailed

PLAN = {
    "days_per_week": 3,
    "min_minutes_per_day": 240,
    "max_minutes_per_day": 360,
    "weekly_target_minutes": 720,
}


@pytest.fixture(autouse=True)
def _english_messages(app):
    """Rules called outside a request speak the default language (Finnish): these
    tests read them in English."""
    with force_locale("en"):
        yield


def plan(start: date, end: date) -> dict:
    return PLAN | {"start_date": start, "end_date": end}


def test_three_months_is_the_shortest_rehabilitative_plan(session, reference_data):
    check_plan_against_stream_rules(
        session, Stream.REHABILITATIVE, plan(date(2026, 1, 1), date(2026, 3, 31))
    )


def test_a_shorter_rehabilitative_plan_is_refused_on_its_end_date(session, reference_data):
    with pytest.raises(ValidationFailed) as refused:
        check_plan_against_stream_rules(
            session, Stream.REHABILITATIVE, plan(date(2026, 1, 1), date(2026, 3, 30))
        )
    assert "at least 3 months" in refused.value.errors["end_date"][0]


def test_a_rehabilitative_plan_longer_than_24_months_is_refused(session, reference_data):
    with pytest.raises(ValidationFailed) as refused:
        check_plan_against_stream_rules(
            session, Stream.REHABILITATIVE, plan(date(2026, 1, 1), date(2028, 1, 1))
        )
    assert "at most 24 months" in refused.value.errors["end_date"][0]


def test_a_disability_plan_may_be_of_any_length(session, reference_data):
    check_plan_against_stream_rules(
        session, Stream.DISABILITY, plan(date(2026, 1, 1), date(2026, 1, 31))
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 1, 1), 24, date(2028, 1, 1)),
    ],
)
def test_adding_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert add_months(start, months) == expected
