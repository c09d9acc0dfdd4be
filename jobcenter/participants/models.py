"""People in work activity and the instructors who supervise them.

Only what matching needs is stored: a supervision level and skills, never a diagnosis.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobcenter.core import clock
from jobcenter.core.db import Base, TimestampMixin, enum_column
from jobcenter.core.enums import Stream

if TYPE_CHECKING:
    from jobcenter.accounts.models import User
    from jobcenter.catalog.models import District, Skill, TaskKind


class Instructor(TimestampMixin, Base):
    __tablename__ = "instructors"
    __table_args__ = (
        sa.CheckConstraint("supervision_capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("works_rehabilitative OR works_disability", name="at_least_one_stream"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), unique=True
    )
    # K: how many participants this instructor can supervise on site at once.
    supervision_capacity: Mapped[int] = mapped_column(default=4)
    works_rehabilitative: Mapped[bool] = mapped_column(default=True)
    works_disability: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship(back_populates="instructor")
    groups: Mapped[list[Group]] = relationship(back_populates="instructor", passive_deletes="all")

    @property
    def streams(self) -> list[Stream]:
        return [
            s
            for s, on in (
                (Stream.REHABILITATIVE, self.works_rehabilitative),
                (Stream.DISABILITY, self.works_disability),
            )
            if on
        ]


class Group(TimestampMixin, Base):
    """An instructor's group of participants: the unit of access for instructors."""

    __tablename__ = "groups"
    __table_args__ = (sa.UniqueConstraint("instructor_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    instructor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("instructors.id", ondelete="RESTRICT"), index=True
    )

    instructor: Mapped[Instructor] = relationship(back_populates="groups")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="group", passive_deletes="all"
    )


class Participant(TimestampMixin, Base):
    __tablename__ = "participants"
    __table_args__ = (sa.Index("ix_participants_stream", "stream"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT"), unique=True
    )
    group_id: Mapped[int] = mapped_column(
        sa.ForeignKey("groups.id", ondelete="RESTRICT"), index=True
    )
    stream: Mapped[Stream] = mapped_column(enum_column(Stream))
    # Set when the data has been anonymised after the retention period.
    anonymised_at: Mapped[datetime | None]
    # Some people cannot answer offers themselves; their instructor confirms for them,
    # so publishing a roster confirms their shifts directly instead of offering them.
    instructor_confirms: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    user: Mapped[User] = relationship(back_populates="participant")
    group: Mapped[Group] = relationship(back_populates="participants")
    plans: Mapped[list[Plan]] = relationship(
        back_populates="participant", order_by="Plan.start_date", cascade="all, delete-orphan"
    )

    @property
    def instructor(self) -> Instructor:
        return self.group.instructor

    def plan_on(self, day: date) -> Plan | None:
        """The plan in force on a day (plans of one person never overlap)."""
        for plan in self.plans:
            if plan.start_date <= day <= plan.end_date:
                return plan
        return None

    @property
    def current_plan(self) -> Plan | None:
        return self.plan_on(clock.today())


plan_skills = sa.Table(
    "plan_skills",
    Base.metadata,
    sa.Column("plan_id", sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("skill_id", sa.ForeignKey("skills.id", ondelete="RESTRICT"), primary_key=True),
)


class Plan(TimestampMixin, Base):
    """A period of work activity; narrows the stream's rules for one person."""

    __tablename__ = "plans"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="period"),
        sa.CheckConstraint("days_per_week BETWEEN 1 AND 7", name="days_per_week"),
        sa.CheckConstraint(
            "min_minutes_per_day >= 0 AND min_minutes_per_day <= max_minutes_per_day "
            "AND max_minutes_per_day <= 1440",
            name="minutes_per_day",
        ),
        sa.CheckConstraint(
            "weekly_target_minutes IS NULL OR weekly_target_minutes >= 0",
            name="weekly_target",
        ),
        sa.CheckConstraint("supervision_level BETWEEN 0 AND 3", name="supervision_level"),
        sa.CheckConstraint(
            "monthly_earnings_ceiling_cents IS NULL OR monthly_earnings_ceiling_cents >= 0",
            name="ceiling_nonnegative",
        ),
        sa.CheckConstraint(
            "daily_allowance_cents IS NULL OR daily_allowance_cents >= 0",
            name="allowance_nonnegative",
        ),
        sa.Index("ix_plans_participant_period", "participant_id", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("participants.id", ondelete="CASCADE")
    )
    start_date: Mapped[date]
    end_date: Mapped[date]
    days_per_week: Mapped[int]
    min_minutes_per_day: Mapped[int]
    max_minutes_per_day: Mapped[int]
    # What the person aims to do in a week; matching's fairness pulls toward it.
    weekly_target_minutes: Mapped[int | None]
    supervision_level: Mapped[int] = mapped_column(sa.SmallInteger, default=2)
    home_district_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("districts.id", ondelete="RESTRICT")
    )
    # Earnings from paid task hours must not harm the person's benefits.
    monthly_earnings_ceiling_cents: Mapped[int | None]
    # Disability stream: this person's work allowance per day of activity (0–12 €).
    daily_allowance_cents: Mapped[int | None]

    participant: Mapped[Participant] = relationship(back_populates="plans")
    home_district: Mapped[District | None] = relationship()
    skills: Mapped[list[Skill]] = relationship(secondary=plan_skills)
    task_kind_preferences: Mapped[list[TaskKindPreference]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class Preference(StrEnum):
    PREFER = "prefer"
    AVOID = "avoid"


class TaskKindPreference(Base):
    __tablename__ = "plan_task_kind_preferences"

    plan_id: Mapped[int] = mapped_column(
        sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True
    )
    task_kind_id: Mapped[int] = mapped_column(
        sa.ForeignKey("task_kinds.id", ondelete="RESTRICT"), primary_key=True
    )
    preference: Mapped[Preference] = mapped_column(enum_column(Preference))

    plan: Mapped[Plan] = relationship(back_populates="task_kind_preferences")
    task_kind: Mapped[TaskKind] = relationship()


class AvailabilityWindow(Base):
    """A weekly window when a person (participant or instructor) can work."""

    __tablename__ = "availability_windows"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),  # 0 = Monday
        sa.CheckConstraint("end_time > start_time", name="times"),
        sa.Index("ix_availability_windows_user_weekday", "user_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)
    start_time: Mapped[time]
    end_time: Mapped[time]


class DayAway(Base):
    """A single day a person cannot work, whatever their weekly windows say."""

    __tablename__ = "days_away"
    __table_args__ = (sa.UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date]
    note: Mapped[str] = mapped_column(sa.String(200), default="")
