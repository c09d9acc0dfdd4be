"""Daily (and monthly) summaries of the ledger that the dashboard's figures add up.

Every figure of the dashboard for any date range is a SUM over these rows: whole
months come from the month rows (`grain = "m"`, `day` = the month's first day), the
days at the range's edges from the day rows (`grain = "d"`). Tables that stay small
at day grain (a few dozen rows a day) have day rows only.

The rows hold ids, never names: names (units, task kinds, groups, instructors,
districts) are joined when the figures are read, so a renamed unit needs no rebuild.
No foreign keys: the summaries are derived data, rebuilt from the ledger by
`jobcenter.dashboard.summaries`, which is the only writer. A day whose source rows
change is written to `dashboard_stale_days` in the same transaction; readers rebuild
those days before they add anything up.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobcenter.core.db import Base

DAY = "d"
MONTH = "m"


class HourSummary(Base):
    """Confirmed minutes (net of corrections) per (day or month, stream, unit, task
    kind, instructor, district), as copied into the hour ledger at confirmation."""

    __tablename__ = "dashboard_hours"
    __table_args__ = (sa.Index("ix_dashboard_hours_grain_day", "grain", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(sa.String(1))
    day: Mapped[date]
    month: Mapped[date]
    stream: Mapped[str] = mapped_column(sa.String(20))
    unit_id: Mapped[int]
    task_kind_id: Mapped[int]
    instructor_id: Mapped[int | None]
    district_id: Mapped[int | None]
    minutes: Mapped[int] = mapped_column(sa.BigInteger)
    entries: Mapped[int]


class TaskSummary(Base):
    """Per (day or month, task kind, task): shifts whose confirmed minutes are more
    than zero, and those shifts' minutes. A shift's hours all carry its day."""

    __tablename__ = "dashboard_tasks"
    __table_args__ = (sa.Index("ix_dashboard_tasks_grain_day", "grain", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(sa.String(1))
    day: Mapped[date]
    month: Mapped[date]
    task_kind_id: Mapped[int]
    task_id: Mapped[int]
    shifts: Mapped[int]
    minutes: Mapped[int] = mapped_column(sa.BigInteger)


class PersonMonth(Base):
    """Confirmed minutes per (month, stream, participant): distinct people cannot be
    added up over days, so whole months come from here and edge days from the ledger."""

    __tablename__ = "dashboard_people"
    __table_args__ = (sa.Index("ix_dashboard_people_month", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date]
    stream: Mapped[str] = mapped_column(sa.String(20))
    participant_id: Mapped[int]
    minutes: Mapped[int] = mapped_column(sa.BigInteger)


class EarningsMonth(Base):
    """Earned minutes × wage per (month, participant, plan with an earnings ceiling
    covering the entry's day): the earnings-ceiling warnings of whole months."""

    __tablename__ = "dashboard_earnings"
    __table_args__ = (sa.Index("ix_dashboard_earnings_month", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date]
    participant_id: Mapped[int]
    plan_id: Mapped[int]
    earned_x60: Mapped[int] = mapped_column(sa.BigInteger)


class FillDay(Base):
    """Offered and filled slot-minutes of the day's shifts that were not cancelled."""

    __tablename__ = "dashboard_fill"

    grain: Mapped[str] = mapped_column(sa.String(1), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    month: Mapped[date]
    shifts: Mapped[int]
    shifts_filled: Mapped[int]
    offered_minutes: Mapped[int] = mapped_column(sa.BigInteger)
    filled_minutes: Mapped[int] = mapped_column(sa.BigInteger)


class AttendanceDay(Base):
    """Current attendance records of the day's shifts per (task kind, absence kind);
    an empty absence kind is "present"."""

    __tablename__ = "dashboard_attendance"
    __table_args__ = (sa.Index("ix_dashboard_attendance_grain_day", "grain", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(sa.String(1))
    day: Mapped[date]
    month: Mapped[date]
    task_kind_id: Mapped[int]
    absence_kind: Mapped[str] = mapped_column(sa.String(20))
    records: Mapped[int]


class CancellationDay(Base):
    """Cancelled shifts of the day per (unit, reason) with their slot-minutes."""

    __tablename__ = "dashboard_cancellations"
    __table_args__ = (sa.Index("ix_dashboard_cancellations_grain_day", "grain", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(sa.String(1))
    day: Mapped[date]
    month: Mapped[date]
    unit_id: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.Text)
    shifts: Mapped[int]
    slot_minutes: Mapped[int] = mapped_column(sa.BigInteger)


class RatingDay(Base):
    """Ratings per (day, source, group): `unit` = units' ratings of tasks given that
    day, for the task's group; `participant` = participants' faces for shifts of that
    day, for the participant's group. `very` counts the top of each scale."""

    __tablename__ = "dashboard_ratings"
    __table_args__ = (sa.Index("ix_dashboard_ratings_grain_day", "grain", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grain: Mapped[str] = mapped_column(sa.String(1))
    day: Mapped[date]
    month: Mapped[date]
    source: Mapped[str] = mapped_column(sa.String(12))
    group_id: Mapped[int | None]
    ratings: Mapped[int]
    very: Mapped[int]


class StaleDay(Base):
    """A day whose summaries no longer match the ledger (append-only log: writers
    never wait for each other; a rebuild removes the rows it has read)."""

    __tablename__ = "dashboard_stale_days"
    __table_args__ = (sa.Index("ix_dashboard_stale_days_day", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
