"""What an hour of paid task work is worth on a given day: the one place that decides.

`value_on(rates, day)` picks the wage and the price (with its VAT) valid on `day` from
rate versions (`Rate` rows, or any objects with the same attributes). Confirmation of
attendance (`jobcenter.hours.attendance`) and the demo history (`jobcenter.demo.history`)
both value hours through it, so a rate change in the middle of a month values each
side at its own rate everywhere.

A version is valid from `valid_from` up to, not including, `valid_to` (open-ended when
`valid_to` is None), as the admin pages store it: the rule is
`jobcenter.catalog.operations.in_force_on` (and `in_force_clause` in SQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from jobcenter.catalog.models import Rate, RateKind
from jobcenter.catalog.operations import in_force_on
from jobcenter.core.errors import DomainError


class RateRow(NamedTuple):
    """A rate version as plain data (the demo keeps its rates in memory)."""

    kind: str
    cents_per_hour: int
    vat_percent: Decimal
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True)
class Valuation:
    wage_cents_per_hour: int
    price_cents_per_hour: int
    vat_percent: Decimal


def rate_valid_on(rates: Iterable[Any], kind: str, day: date) -> Any | None:
    """The version of `kind` valid on `day` (the latest start wins if data overlap): the
    rule of `jobcenter.catalog.operations.in_force_on`, as `rate_in_force` asks the database."""
    found = None
    for rate in rates:
        if rate.kind != kind or not in_force_on(rate, day):
            continue
        if found is None or rate.valid_from > found.valid_from:
            found = rate
    return found


def value_on(rates: Iterable[Any], day: date) -> Valuation | None:
    """Wage, price and VAT valid on `day`, or None when either rate is missing."""
    rates = list(rates)
    wage = rate_valid_on(rates, RateKind.WAGE, day)
    price = rate_valid_on(rates, RateKind.PRICE, day)
    if wage is None or price is None:
        return None
    return Valuation(
        wage_cents_per_hour=int(wage.cents_per_hour),
        price_cents_per_hour=int(price.cents_per_hour),
        vat_percent=Decimal(price.vat_percent),
    )


def load_rates(session: Session) -> list[RateRow]:
    """Every rate version (a handful of rows) as plain data."""
    rows = session.execute(
        sa.select(Rate.kind, Rate.cents_per_hour, Rate.vat_percent, Rate.valid_from, Rate.valid_to)
    ).all()
    return [RateRow(*row) for row in rows]


def valuation_on(session: Session, day: date, rates: list[RateRow] | None = None) -> Valuation:
    """The valuation for a day from the database; refused when no rate is in force."""
    valuation = value_on(rates if rates is not None else load_rates(session), day)
    if valuation is None:
        raise DomainError(
            _(
                "No wage or price is valid on %(day)s. Ask an administrator to add the rates.",
                day=day.isoformat(),
            )
        )
    return valuation
