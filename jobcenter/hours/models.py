"""Attendance and hours, kept as append-only records so no correction is silent.

Two faces of one day (DOMAIN.md): the *activity day* drives allowance reports to
Kela; *paid task hours* drive wages and billing. They are separate tables.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobcenter.core import clock
from jobcenter.core.db import Base, enum_column
from jobcenter.core.enums import Stream


class AbsenceKind(StrEnum):
    OWN_ILLNESS = "own_illness"
    SICK_CHILD = "sick_child"
    JOB_INTERVIEW = "job_interview"
    PUBLIC_OFFICE = "public_office"
    OTHER_EXCUSED = "other_excused"
    UNEXCUSED = "unexcused"  # no-show


class AttendanceRecord(Base):
    """One version of what happened on an assignment. A correction is a new record
    that supersedes the old one, with who, when and why."""

    __tablename__ = "attendance_records"
    __table_args__ = (
        sa.CheckConstraint(
            "(present AND absence_kind IS NULL AND minutes IS NOT NULL AND minutes >= 0) "
            "OR (NOT present AND absence_kind IS NOT NULL)",
            name="present_or_absent",
        ),
        sa.CheckConstraint(
            "actual_end IS NULL OR actual_start IS NULL OR actual_end > actual_start",
            name="actual_times",
        ),
        sa.CheckConstraint(
            "supersedes_id IS NULL OR correction_reason IS NOT NULL",
            name="correction_has_reason",
        ),
        sa.Index("ix_attendance_records_assignment", "assignment_id"),
        # One original record per assignment; corrections chain from it.
        sa.Index(
            "uq_attendance_records_original",
            "assignment_id",
            unique=True,
            sqlite_where=sa.text("supersedes_id IS NULL"),
            postgresql_where=sa.text("supersedes_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignments.id", ondelete="RESTRICT"))
    present: Mapped[bool]
    absence_kind: Mapped[AbsenceKind | None] = mapped_column(enum_column(AbsenceKind))
    actual_start: Mapped[datetime | None]
    actual_end: Mapped[datetime | None]
    minutes: Mapped[int | None]
    late: Mapped[bool] = mapped_column(default=False)
    left_early: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None]
    supersedes_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attendance_records.id"), unique=True
    )
    correction_reason: Mapped[str | None] = mapped_column(sa.Text)

    supersedes: Mapped[AttendanceRecord | None] = relationship(remote_side=[id])


class HourEntry(Base):
    """Confirmed paid task hours, a ledger: a correction adds a reversal of the old
    entry and a new entry, so totals are plain sums and history stays intact.

    Report dimensions are copied in at confirmation so the manager's totals are one
    indexed aggregation, and valued at the wage, price and VAT valid on that date.
    """

    __tablename__ = "hour_entries"
    __table_args__ = (
        sa.CheckConstraint(
            "(reverses_id IS NULL AND minutes >= 0) OR (reverses_id IS NOT NULL AND minutes <= 0)",
            name="sign",
        ),
        sa.CheckConstraint(
            "wage_cents_per_hour >= 0 AND price_cents_per_hour >= 0", name="rates_nonnegative"
        ),
        sa.CheckConstraint("vat_percent >= 0 AND vat_percent < 100", name="vat_range"),
        sa.Index(
            "uq_hour_entries_original",
            "attendance_record_id",
            unique=True,
            sqlite_where=sa.text("reverses_id IS NULL"),
            postgresql_where=sa.text("reverses_id IS NULL"),
        ),
        sa.Index("ix_hour_entries_shift", "shift_id"),
        sa.Index("ix_hour_entries_work_date", "work_date"),
        sa.Index("ix_hour_entries_stream_date", "stream", "work_date"),
        sa.Index("ix_hour_entries_unit_date", "unit_id", "work_date"),
        sa.Index("ix_hour_entries_kind_date", "task_kind_id", "work_date"),
        sa.Index("ix_hour_entries_instructor_date", "instructor_id", "work_date"),
        sa.Index("ix_hour_entries_participant_date", "participant_id", "work_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_record_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attendance_records.id", ondelete="RESTRICT")
    )
    reverses_id: Mapped[int | None] = mapped_column(sa.ForeignKey("hour_entries.id"), unique=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("shifts.id", ondelete="RESTRICT"))
    work_date: Mapped[date]
    minutes: Mapped[int]
    stream: Mapped[Stream] = mapped_column(enum_column(Stream))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    task_kind_id: Mapped[int] = mapped_column(sa.ForeignKey("task_kinds.id", ondelete="RESTRICT"))
    instructor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("instructors.id", ondelete="SET NULL")
    )
    district_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("districts.id", ondelete="SET NULL")
    )
    wage_cents_per_hour: Mapped[int]
    price_cents_per_hour: Mapped[int]
    vat_percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # Set when the entry lands in a month that had been closed and was reopened.
    after_month_close: Mapped[bool] = mapped_column(default=False)


class ActivityDayStatus(StrEnum):
    ATTENDED = "attended"
    ABSENT = "absent"
    NOT_ORGANISED = "not_organised"  # a public holiday: neither attended nor absent


class ActivityDay(Base):
    """The allowance face of a day; a correction supersedes, never overwrites."""

    __tablename__ = "activity_days"
    __table_args__ = (
        sa.CheckConstraint(
            "(status = 'absent' AND absence_kind IS NOT NULL) "
            "OR (status <> 'absent' AND absence_kind IS NULL)",
            name="absence_kind_only_when_absent",
        ),
        sa.CheckConstraint(
            "supersedes_id IS NULL OR correction_reason IS NOT NULL",
            name="correction_has_reason",
        ),
        sa.Index("ix_activity_days_participant_day", "participant_id", "day"),
        # One original record per person and day, so allowances cannot double-count.
        sa.Index(
            "uq_activity_days_original",
            "participant_id",
            "day",
            unique=True,
            sqlite_where=sa.text("supersedes_id IS NULL"),
            postgresql_where=sa.text("supersedes_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    day: Mapped[date]
    status: Mapped[ActivityDayStatus] = mapped_column(enum_column(ActivityDayStatus))
    absence_kind: Mapped[AbsenceKind | None] = mapped_column(enum_column(AbsenceKind))
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(default=clock.now)
    supersedes_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activity_days.id"), unique=True
    )
    correction_reason: Mapped[str | None] = mapped_column(sa.Text)


class MonthClosure(Base):
    """A group's month closed by its instructor; reopening is explicit and kept."""

    __tablename__ = "month_closures"
    __table_args__ = (
        sa.UniqueConstraint("group_id", "month"),
        sa.CheckConstraint("reopened_at IS NULL OR reopen_reason IS NOT NULL", name="reopen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="RESTRICT"))
    month: Mapped[date]  # first day of the month
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime] = mapped_column(default=clock.now)
    reopened_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reopened_at: Mapped[datetime | None]
    reopen_reason: Mapped[str | None] = mapped_column(sa.Text)


class ShiftFeedback(Base):
    """A participant's three-face rating of a shift (1 sad, 2 neutral, 3 happy)."""

    __tablename__ = "shift_feedback"
    __table_args__ = (sa.CheckConstraint("face BETWEEN 1 AND 3", name="face_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    face: Mapped[int] = mapped_column(sa.SmallInteger)
    word: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)

    assignment = relationship("Assignment")
