"""A matching run: one week and one group, solved in the background."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobcenter.core import clock
from jobcenter.core.db import Base, enum_column


class RunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class MatchingRun(Base):
    """The engine's result is stored as produced: participant and shift ids, proposals,
    and explanations as codes with parameters. No participant data beyond ids."""

    __tablename__ = "matching_runs"
    __table_args__ = (sa.Index("ix_matching_runs_group_week", "group_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("groups.id", ondelete="CASCADE"))
    week_start: Mapped[date]
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus), default=RunStatus.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(sa.Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    stats: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
