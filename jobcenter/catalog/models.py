"""Catalogues and rules that admins maintain as data, never as constants in code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobcenter.core.db import Base, NamedInThreeLanguages, enum_column
from jobcenter.core.enums import Stream


class District(NamedInThreeLanguages, Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)


class Skill(NamedInThreeLanguages, Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)


class TaskKind(NamedInThreeLanguages, Base):
    __tablename__ = "task_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    # Name of an SVG symbol in static/icons.svg shown beside the kind's name.
    icon: Mapped[str] = mapped_column(sa.String(40), default="task")
    is_active: Mapped[bool] = mapped_column(default=True)


class StreamRule(Base):
    """A stream's legal limits, valid from a date; a participant's plan narrows them.

    Minutes rather than hours so that sums and comparisons are exact.
    NULL means "no statutory limit: set per person in the plan".
    """

    __tablename__ = "stream_rules"
    __table_args__ = (
        sa.UniqueConstraint("stream", "valid_from"),
        sa.CheckConstraint(
            "min_days_per_week IS NULL OR max_days_per_week IS NULL "
            "OR (min_days_per_week >= 1 AND min_days_per_week <= max_days_per_week "
            "AND max_days_per_week <= 7)",
            name="days_per_week",
        ),
        sa.CheckConstraint(
            "min_minutes_per_day IS NULL OR max_minutes_per_day IS NULL "
            "OR (min_minutes_per_day >= 0 AND min_minutes_per_day <= max_minutes_per_day "
            "AND max_minutes_per_day <= 1440)",
            name="minutes_per_day",
        ),
        sa.CheckConstraint(
            "max_minutes_per_week IS NULL OR (max_minutes_per_week > 0 "
            "AND max_minutes_per_week <= 10080)",
            name="minutes_per_week",
        ),
        sa.CheckConstraint("daily_allowance_cents >= 0", name="allowance_nonnegative"),
        sa.CheckConstraint(
            "min_plan_months IS NULL OR max_plan_months IS NULL "
            "OR (min_plan_months >= 1 AND min_plan_months <= max_plan_months)",
            name="plan_months",
        ),
        sa.CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    stream: Mapped[Stream] = mapped_column(enum_column(Stream))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    min_days_per_week: Mapped[int | None]
    max_days_per_week: Mapped[int | None]
    min_minutes_per_day: Mapped[int | None]
    max_minutes_per_day: Mapped[int | None]
    max_minutes_per_week: Mapped[int | None]
    # How long one plan period may be (rehabilitative: 3–24 months).
    min_plan_months: Mapped[int | None]
    max_plan_months: Mapped[int | None]
    # Rehabilitative: 9 €/day compensation per attended day. Disability: the
    # work allowance's upper bound (0–12 €/day), the person's own amount is in the plan.
    daily_allowance_cents: Mapped[int] = mapped_column(default=0)
    legal_basis: Mapped[str] = mapped_column(sa.String(200), default="")


class RateKind:
    WAGE = "wage"  # paid to the participant per task hour
    PRICE = "price"  # billed to the ordering unit per worker hour, before VAT
    ALL = (WAGE, PRICE)


class Rate(Base):
    """Money per hour with dates of validity; VAT applies to prices."""

    __tablename__ = "rates"
    __table_args__ = (
        sa.UniqueConstraint("kind", "valid_from"),
        sa.CheckConstraint("kind IN ('wage', 'price')", name="kind"),
        sa.CheckConstraint("cents_per_hour >= 0", name="cents_nonnegative"),
        sa.CheckConstraint("vat_percent >= 0 AND vat_percent < 100", name="vat_range"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="validity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    cents_per_hour: Mapped[int]
    vat_percent: Mapped[Decimal] = mapped_column(sa.Numeric(5, 2), default=Decimal("0"))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
