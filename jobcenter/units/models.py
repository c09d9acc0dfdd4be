"""Customers and their tasks, with the task's history and the unit's feedback."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobcenter.core import clock
from jobcenter.core.db import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from jobcenter.accounts.models import User
    from jobcenter.catalog.models import District, Skill, TaskKind
    from jobcenter.participants.models import Group


class UnitKind(StrEnum):
    CITY_UNIT = "city_unit"
    COMPANY = "company"
    ASSOCIATION = "association"
    PRIVATE_PERSON = "private_person"


class Unit(TimestampMixin, Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind), default=UnitKind.CITY_UNIT)
    business_id: Mapped[str | None] = mapped_column(sa.String(20))  # Y-tunnus
    street_address: Mapped[str] = mapped_column(sa.String(200))
    postal_code: Mapped[str] = mapped_column(sa.String(10))
    city: Mapped[str] = mapped_column(sa.String(80), default="Helsinki")
    district_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("districts.id", ondelete="RESTRICT"), index=True
    )
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    billing_reference: Mapped[str | None] = mapped_column(sa.String(80))
    is_active: Mapped[bool] = mapped_column(default=True)

    district: Mapped[District | None] = relationship()
    # The database refuses to delete a unit that still has contacts or tasks.
    contacts: Mapped[list[User]] = relationship(back_populates="unit", passive_deletes="all")
    tasks: Mapped[list[Task]] = relationship(back_populates="unit", passive_deletes="all")


# A name that differs from another only in case is the same unit to people.
sa.Index("uq_units_name_lower", sa.func.lower(Unit.name), unique=True)


class TaskStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    DONE = "done"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


task_required_skills = sa.Table(
    "task_required_skills",
    Base.metadata,
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("skill_id", sa.ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True),
)


class Task(TimestampMixin, Base):
    """A piece of work a unit orders; becomes shifts once an instructor accepts it."""

    __tablename__ = "tasks"
    __table_args__ = (
        sa.CheckConstraint("headcount >= 1", name="headcount_positive"),
        sa.CheckConstraint(
            "shift_minutes > 0 AND shift_minutes <= 1440", name="shift_minutes_range"
        ),
        sa.CheckConstraint(
            "last_date IS NULL OR first_date IS NULL OR last_date >= first_date",
            name="date_window",
        ),
        sa.CheckConstraint(
            "preferred_end IS NULL OR preferred_start IS NULL OR preferred_end > preferred_start",
            name="preferred_times",
        ),
        sa.CheckConstraint(
            "status NOT IN ('rejected', 'cancelled') OR status_reason IS NOT NULL",
            name="reason_for_refusal",
        ),
        sa.Index("ix_tasks_unit_status", "unit_id", "status"),
        sa.Index("ix_tasks_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    task_kind_id: Mapped[int] = mapped_column(
        sa.ForeignKey("task_kinds.id", ondelete="RESTRICT"), index=True
    )
    site_address: Mapped[str] = mapped_column(sa.String(200))
    site_postal_code: Mapped[str] = mapped_column(sa.String(10), default="")
    site_city: Mapped[str] = mapped_column(sa.String(80), default="Helsinki")
    district_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("districts.id", ondelete="RESTRICT")
    )
    # The site can supervise (e.g. a caretaker): covers supervision levels 0–1 only.
    site_supervision: Mapped[bool] = mapped_column(default=False)
    headcount: Mapped[int] = mapped_column(default=1)
    shift_minutes: Mapped[int] = mapped_column(default=240)
    first_date: Mapped[date | None]
    last_date: Mapped[date | None]
    preferred_start: Mapped[time | None]
    preferred_end: Mapped[time | None]
    # RFC 5545 RRULE subset (FREQ=WEEKLY;BYDAY=…;UNTIL=… or COUNT=…); NULL = single dates.
    recurrence: Mapped[str | None] = mapped_column(sa.String(200))
    include_public_holidays: Mapped[bool] = mapped_column(default=False)
    physical_demands: Mapped[str] = mapped_column(sa.Text, default="")
    what_to_bring: Mapped[str] = mapped_column(sa.Text, default="")
    site_contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    site_contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus), default=TaskStatus.DRAFT)
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    # The group (and so the instructor) that accepted the task into its pool.
    group_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="RESTRICT"), index=True
    )

    unit: Mapped[Unit] = relationship(back_populates="tasks")
    task_kind: Mapped[TaskKind] = relationship()
    district: Mapped[District | None] = relationship()
    group: Mapped[Group | None] = relationship()
    required_skills: Mapped[list[Skill]] = relationship(secondary=task_required_skills)
    dates: Mapped[list[TaskDate]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskDate.day"
    )
    events: Mapped[list[TaskEvent]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskEvent.at"
    )


class TaskDate(Base):
    """A specific date the unit asked for (when the task is not recurring)."""

    __tablename__ = "task_dates"
    __table_args__ = (sa.UniqueConstraint("task_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"))
    day: Mapped[date]
    start_time: Mapped[time | None]

    task: Mapped[Task] = relationship(back_populates="dates")


class TaskEvent(Base):
    """One step of a task's history: who moved it, when and why."""

    __tablename__ = "task_events"
    __table_args__ = (sa.Index("ix_task_events_task_at", "task_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=clock.now)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[TaskStatus | None] = mapped_column(
        enum_column(TaskStatus, name="from_status")
    )
    to_status: Mapped[TaskStatus] = mapped_column(enum_column(TaskStatus, name="to_status"))
    reason: Mapped[str | None] = mapped_column(sa.Text)

    task: Mapped[Task] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class TaskFeedback(Base):
    """The unit's rating of a completed task (1–5)."""

    __tablename__ = "task_feedback"
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"), unique=True)
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    given_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
