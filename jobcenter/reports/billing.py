"""Billing: confirmed hours × price (+ VAT) per customer unit and month, with the
tasks behind them. Prices and VAT are those each hour entry carries (valid on its
work date), so a price or VAT change in the middle of a month is billed right.

Unit totals are rounded once from the exact sums, exactly as the unit's own "hours
and costs" page shows them (`jobcenter.reports.money` is the one rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from jobcenter.catalog.models import TaskKind
from jobcenter.core.authz import scope
from jobcenter.hours.models import HourEntry
from jobcenter.reports import money
from jobcenter.reports.periods import Period
from jobcenter.scheduling.models import Shift
from jobcenter.units.models import Task, Unit


@dataclass
class BillingLine:
    """One task's hours in the month."""

    task_id: int
    title: str
    task_kind: TaskKind
    minutes: int
    net_cents: int
    vat_cents: int
    late_corrections: int = 0  # entries added after the month had been closed

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


@dataclass
class UnitBill:
    unit_id: int
    unit_name: str
    business_id: str | None
    billing_reference: str | None
    minutes: int
    net_cents: int
    vat_cents: int
    lines: list[BillingLine] = field(default_factory=list)
    late_corrections: int = 0

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


@dataclass
class BillingReport:
    period: Period
    units: list[UnitBill]

    @property
    def minutes(self) -> int:
        return sum(u.minutes for u in self.units)

    @property
    def net_cents(self) -> int:
        return sum(u.net_cents for u in self.units)

    @property
    def vat_cents(self) -> int:
        return sum(u.vat_cents for u in self.units)

    @property
    def gross_cents(self) -> int:
        return self.net_cents + self.vat_cents


def _in_period(stmt: sa.Select, period: Period) -> sa.Select:
    return stmt.where(HourEntry.work_date >= period.first, HourEntry.work_date <= period.last)


def billing_report(
    session: Session, user: Any, period: Period, *, unit_id: int | None = None
) -> BillingReport:
    """Units with confirmed hours in the period (within the user's scope: a unit contact
    only their own unit), each with its tasks."""
    sums = (
        money.minutes_sum(),
        money.price_cent_minutes(),
        money.vat_cent_minute_percents(),
        money.late_corrections_count(),
    )
    unit_stmt = _in_period(sa.select(HourEntry.unit_id, *sums).group_by(HourEntry.unit_id), period)
    task_stmt = _in_period(
        sa.select(HourEntry.unit_id, Shift.task_id, *sums)
        .join(Shift, Shift.id == HourEntry.shift_id)
        .group_by(HourEntry.unit_id, Shift.task_id),
        period,
    )
    if unit_id is not None:
        unit_stmt = unit_stmt.where(HourEntry.unit_id == unit_id)
        task_stmt = task_stmt.where(HourEntry.unit_id == unit_id)
    unit_rows = session.execute(scope(unit_stmt, HourEntry, user)).all()
    task_rows = session.execute(scope(task_stmt, HourEntry, user)).all()

    units = {
        u.id: u
        for u in session.scalars(
            sa.select(Unit).where(Unit.id.in_([r[0] for r in unit_rows] or [-1]))
        )
    }
    tasks = {
        t.id: t
        for t in session.scalars(
            sa.select(Task).where(Task.id.in_([r[1] for r in task_rows] or [-1]))
        )
    }
    kinds = {
        k.id: k
        for k in session.scalars(
            sa.select(TaskKind).where(TaskKind.id.in_({t.task_kind_id for t in tasks.values()}))
        )
    }
    lines: dict[int, list[BillingLine]] = {}
    for uid, task_id, minutes, net, vat, late in task_rows:
        task = tasks[task_id]
        lines.setdefault(uid, []).append(
            BillingLine(
                task_id=task_id,
                title=task.title,
                task_kind=kinds[task.task_kind_id],
                minutes=int(minutes),
                net_cents=money.cents(net),
                vat_cents=money.vat_cents(vat),
                late_corrections=int(late),
            )
        )
    bills = [
        UnitBill(
            unit_id=uid,
            unit_name=units[uid].name,
            business_id=units[uid].business_id,
            billing_reference=units[uid].billing_reference,
            minutes=int(minutes),
            net_cents=money.cents(net),
            vat_cents=money.vat_cents(vat),
            lines=sorted(lines.get(uid, []), key=lambda line: (line.title, line.task_id)),
            late_corrections=int(late),
        )
        for uid, minutes, net, vat, late in unit_rows
    ]
    bills.sort(key=lambda b: (b.unit_name.lower(), b.unit_id))
    return BillingReport(period=period, units=bills)
