"""Hours are written one way: the dashboard's tables, the downloads and the API round
minutes to hours with two decimals through `jobcenter.core.exports.hours_value`."""

from __future__ import annotations

from decimal import Decimal

from jobcenter.core.exports import hours_value
from jobcenter.dashboard import tables
from jobcenter.reports import money


def test_dashboard_hours_are_the_downloads_hours_for_every_minute_of_a_long_day():
    for minutes in range(-600, 1441):
        assert tables.hours(minutes) == hours_value(minutes), minutes


def test_api_hours_are_the_downloads_hours_as_json_numbers():
    for minutes in range(-600, 1441):
        assert money.hours(minutes) == float(hours_value(minutes)), minutes


def test_dashboard_hours_keep_two_decimals_rounded_from_minutes():
    assert tables.hours(1385) == Decimal("23.08")
    assert str(tables.hours(60)) == "1.00"
    assert tables.hours(1) == Decimal("0.02")
    assert tables.hours(None) == Decimal("0.00")
