"""Confirmed hours per key (stream, unit, task kind, instructor, month or participant)
for a date range: one grouped SQL sum over the hour ledger, scoped to the user.
Reversal entries make the sums the corrected figures."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from jobcenter.accounts.models import User
from jobcenter.admin.labels import STREAM_LABELS
from jobcenter.catalog.models import TaskKind
from jobcenter.core.authz import scope
from jobcenter.core.enums import Role, Stream
from jobcenter.hours.models import HourEntry
from jobcenter.participants.models import Instructor, Participant
from jobcenter.reports import money
from jobcenter.reports.periods import Period
from jobcenter.units.models import Unit


class HoursBy(StrEnum):
    STREAM = "stream"
    UNIT = "unit"
    TASK_KIND = "task_kind"
    INSTRUCTOR = "instructor"
    MONTH = "month"
    PARTICIPANT = "participant"


# Roles that may see hours per person (each within their own rows).
PEOPLE_VIEWERS = frozenset({Role.ADMIN, Role.INSTRUCTOR, Role.PARTICIPANT})


@dataclass
class HoursRow:
    key: str | int | None
    label: str
    minutes: int

    @property
    def hours(self) -> float:
        return money.hours(self.minutes)


def _key_columns(by: HoursBy) -> list[Any]:
    if by == HoursBy.MONTH:
        return [sa.extract("year", HourEntry.work_date), sa.extract("month", HourEntry.work_date)]
    column = {
        HoursBy.STREAM: HourEntry.stream,
        HoursBy.UNIT: HourEntry.unit_id,
        HoursBy.TASK_KIND: HourEntry.task_kind_id,
        HoursBy.INSTRUCTOR: HourEntry.instructor_id,
        HoursBy.PARTICIPANT: HourEntry.participant_id,
    }[by]
    return [column]


def hours_by(session: Session, user: Any, period: Period, by: HoursBy) -> list[HoursRow]:
    """Confirmed minutes per key in the period, keys in a stable order. The caller
    checks that the user's role may group `by` participant (`PEOPLE_VIEWERS`)."""
    keys = _key_columns(by)
    stmt = (
        sa.select(*keys, money.minutes_sum())
        .where(HourEntry.work_date >= period.first, HourEntry.work_date <= period.last)
        .group_by(*keys)
    )
    raw = session.execute(scope(stmt, HourEntry, user)).all()
    if by == HoursBy.MONTH:
        rows = [
            HoursRow(f"{int(y):04d}-{int(m):02d}", f"{int(y):04d}-{int(m):02d}", int(minutes))
            for y, m, minutes in raw
        ]
        return sorted(rows, key=lambda r: str(r.key))
    labels = _labels(session, by, [r[0] for r in raw if r[0] is not None])
    rows = []
    for key, minutes in raw:
        if by == HoursBy.STREAM:
            key = Stream(key).value
        label = labels.get(key, _("No instructor") if key is None else str(key))
        rows.append(HoursRow(key, label, int(minutes)))
    return sorted(rows, key=lambda r: (r.key is None, r.label.lower(), str(r.key)))


def _labels(session: Session, by: HoursBy, keys: list[Any]) -> dict[Any, str]:
    if by == HoursBy.STREAM:
        return {Stream(k).value: str(STREAM_LABELS[Stream(k)]) for k in keys}
    if by == HoursBy.UNIT:
        return dict(session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(keys))).all())
    if by == HoursBy.TASK_KIND:
        return {
            k.id: k.name()
            for k in session.scalars(sa.select(TaskKind).where(TaskKind.id.in_(keys)))
        }
    owner = Instructor if by == HoursBy.INSTRUCTOR else Participant
    return {
        oid: f"{last} {first}"
        for oid, first, last in session.execute(
            sa.select(owner.id, User.first_name, User.last_name)
            .join(User, User.id == owner.user_id)
            .where(owner.id.in_(keys))
        )
    }
