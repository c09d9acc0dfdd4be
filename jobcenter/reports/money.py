"""The one valuation rule for confirmed hours, shared by every report and page.

Each hour entry carries the wage, price and VAT valid on its work date, and
corrections are reversal entries (negative minutes), so money is a plain SQL sum:
the database sums cent-minutes exactly and the result is rounded to whole cents
once, half up, per figure shown.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from jobcenter.core.exports import hours_value
from jobcenter.hours.models import HourEntry


def minutes_sum() -> sa.ColumnElement[Any]:
    return sa.func.coalesce(sa.func.sum(HourEntry.minutes), 0)


def wage_cent_minutes() -> sa.ColumnElement[Any]:
    """Σ minutes × wage (cents per hour): divide by 60 for cents."""
    return sa.func.coalesce(sa.func.sum(HourEntry.minutes * HourEntry.wage_cents_per_hour), 0)


def price_cent_minutes() -> sa.ColumnElement[Any]:
    """Σ minutes × price (cents per hour), before VAT: divide by 60 for cents."""
    return sa.func.coalesce(sa.func.sum(HourEntry.minutes * HourEntry.price_cents_per_hour), 0)


def vat_cent_minute_percents() -> sa.ColumnElement[Any]:
    """Σ minutes × price × VAT %: divide by 60 × 100 for the VAT in cents."""
    return sa.func.coalesce(
        sa.func.sum(HourEntry.minutes * HourEntry.price_cents_per_hour * HourEntry.vat_percent), 0
    )


def late_corrections_count() -> sa.ColumnElement[Any]:
    """How many changes were written after their month had been closed (a reopened
    month): reports flag them so payroll and billing can follow up. One correction is a
    reversal and a new entry of the same attendance record, so records are counted,
    not entries."""
    return sa.func.count(
        sa.distinct(
            sa.case((HourEntry.after_month_close.is_(True), HourEntry.attendance_record_id))
        )
    )


def cents(value: Any, divisor: int = 60) -> int:
    """An exact sum (cent-minutes, or cent-minute-percents with divisor 6000) as whole
    cents, half away from zero."""
    amount = Decimal(str(value or 0)) / divisor
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def vat_cents(value: Any) -> int:
    return cents(value, 60 * 100)


def hours(minutes: int) -> float:
    """Minutes as hours with two decimals (the rounding of every page and download,
    `jobcenter.core.exports.hours_value`), as a JSON number for the API."""
    return float(hours_value(minutes))
