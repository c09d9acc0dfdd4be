"""Euro amounts read the same wherever they are written: one formatter
(`jobcenter.admin.labels.format_euros`) in the reader's locale, also in the stream
rules' messages."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from jobcenter.admin.labels import format_euros
from jobcenter.catalog.operations import stream_rule_errors
from jobcenter.core.enums import Stream

NBSP = "\xa0"
PLAN = {
    "start_date": date(2026, 1, 1),
    "end_date": date(2026, 6, 30),
    "days_per_week": 3,
    "min_minutes_per_day": 240,
    "max_minutes_per_day": 360,
    "weekly_target_minutes": 720,
    "daily_allowance_cents": 1000,  # the rehabilitative stream allows 9,00 € a day
}


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("fi", f"1{NBSP}234,50"), ("sv", f"1{NBSP}234,50"), ("en", "1,234.50")],
)
def test_euros_are_written_in_the_readers_locale_with_two_decimals(app, locale, expected):
    with force_locale(locale):
        assert format_euros(123450) == expected


def test_whole_euros_keep_their_two_decimals(app):
    with force_locale("en"):
        assert format_euros(900) == "9.00"
        assert format_euros(0) == "0.00"


@pytest.mark.parametrize(("locale", "amount"), [("fi", "9,00"), ("en", "9.00")])
def test_an_allowance_over_the_streams_limit_names_the_limit_in_the_readers_locale(
    session, reference_data, locale, amount
):
    with force_locale(locale):
        errors = stream_rule_errors(session, Stream.REHABILITATIVE, PLAN)
        expected = format_euros(900)

    assert expected == amount
    assert len(errors["daily_allowance_cents"]) == 1
    assert amount in errors["daily_allowance_cents"][0]
