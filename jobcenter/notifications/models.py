"""Outbox rows: the durable promise to tell someone something."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobcenter.core import clock
from jobcenter.core.db import Base, enum_column


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.CheckConstraint("attempts >= 0", name="attempts_nonnegative"),
        sa.Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    recipient_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(sa.String(254))
    kind: Mapped[str] = mapped_column(sa.String(60))
    locale: Mapped[str] = mapped_column(sa.String(5))
    subject: Mapped[str] = mapped_column(sa.String(250))
    body: Mapped[str] = mapped_column(sa.Text)
    # Makes "never twice" hold even if the same change is processed again.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=clock.now)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
