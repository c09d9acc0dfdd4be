"""Infrastructure tables: the scheduler's lease and APScheduler's job store."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobcenter.core.db import Base


class Lease(Base):
    """A named, expiring lock held by one process (e.g. the only scheduler)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(200))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


# APScheduler 3's SQLAlchemyJobStore table, declared here so that migrations (not the
# job store) create it; the job store's own "create if missing" then finds it in place.
apscheduler_jobs = sa.Table(
    "apscheduler_jobs",
    Base.metadata,
    sa.Column("id", sa.Unicode(191), primary_key=True),
    sa.Column("next_run_time", sa.Float(25), index=True),
    sa.Column("job_state", sa.LargeBinary, nullable=False),
)
