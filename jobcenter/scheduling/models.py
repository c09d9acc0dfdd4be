"""Shifts and assignments with their state and history."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobcenter.core import clock
from jobcenter.core.db import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from jobcenter.accounts.models import User
    from jobcenter.participants.models import Instructor, Participant
    from jobcenter.units.models import Task


class ShiftStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    DONE = "done"


class Shift(TimestampMixin, Base):
    __tablename__ = "shifts"
    __table_args__ = (
        # Generation is idempotent: one shift per task and start.
        sa.UniqueConstraint("task_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="times"),
        sa.CheckConstraint("slots >= 1", name="slots_positive"),
        sa.CheckConstraint("supervision_needed BETWEEN 0 AND 3", name="supervision_needed_range"),
        sa.CheckConstraint("sequence >= 0", name="sequence_nonnegative"),
        sa.CheckConstraint(
            "status <> 'cancelled' OR cancel_reason IS NOT NULL", name="reason_for_cancel"
        ),
        sa.Index("ix_shifts_starts_at", "starts_at"),
        sa.Index("ix_shifts_instructor_starts_at", "instructor_id", "starts_at"),
        sa.Index("ix_shifts_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    slots: Mapped[int]
    # The highest supervision level this shift can take on (from site and instructor).
    supervision_needed: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    instructor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("instructors.id", ondelete="SET NULL")
    )
    status: Mapped[ShiftStatus] = mapped_column(
        enum_column(ShiftStatus), default=ShiftStatus.PLANNED
    )
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The task changed after people were confirmed: an instructor must look at it.
    needs_review: Mapped[bool] = mapped_column(default=False)
    # iCalendar SEQUENCE: bumped on every change people should see.
    sequence: Mapped[int] = mapped_column(default=0)

    task: Mapped[Task] = relationship()
    instructor: Mapped[Instructor | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="shift", cascade="all, delete-orphan"
    )

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class AssignmentStatus(StrEnum):
    PROPOSED = "proposed"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CONFIRMED = "confirmed"
    ATTENDED = "attended"
    ABSENT = "absent"
    CANCELLED = "cancelled"


# Statuses that hold one of the shift's slots.
SLOT_HOLDING = (
    AssignmentStatus.PROPOSED,
    AssignmentStatus.OFFERED,
    AssignmentStatus.ACCEPTED,
    AssignmentStatus.CONFIRMED,
    AssignmentStatus.ATTENDED,
    AssignmentStatus.ABSENT,
)


class Assignment(TimestampMixin, Base):
    __tablename__ = "assignments"
    __table_args__ = (
        sa.UniqueConstraint("shift_id", "participant_id"),
        sa.Index("ix_assignments_participant_status", "participant_id", "status"),
        sa.Index("ix_assignments_shift_status", "shift_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(sa.ForeignKey("shifts.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="RESTRICT")
    )
    status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus), default=AssignmentStatus.PROPOSED
    )
    decline_reason: Mapped[str | None] = mapped_column(sa.String(40))
    is_locked: Mapped[bool] = mapped_column(default=False)
    # First shift of this person on this task kind or site: an instructor must be there.
    is_orientation: Mapped[bool] = mapped_column(default=False)
    responded_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    shift: Mapped[Shift] = relationship(back_populates="assignments")
    participant: Mapped[Participant] = relationship()
    # Events of one moment (a frozen clock, one transaction) keep the order they were made in.
    events: Mapped[list[AssignmentEvent]] = relationship(
        back_populates="assignment",
        cascade="all, delete-orphan",
        order_by="(AssignmentEvent.at, AssignmentEvent.id)",
    )


class AssignmentEvent(Base):
    __tablename__ = "assignment_events"
    __table_args__ = (sa.Index("ix_assignment_events_assignment_at", "assignment_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("assignments.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[AssignmentStatus | None] = mapped_column(
        enum_column(AssignmentStatus, name="from_status")
    )
    to_status: Mapped[AssignmentStatus] = mapped_column(
        enum_column(AssignmentStatus, name="to_status")
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)

    assignment: Mapped[Assignment] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
