"""The one scheduler process: `flask jobcenter scheduler`, never inside web workers.

APScheduler 3 with its SQLAlchemy job store in the application database (table
`apscheduler_jobs`, created by the migrations). Jobs:

- `extend_horizon` daily at 02:30 Helsinki time, and once at start: shifts of
  accepted tasks up to SHIFT_HORIZON_WEEKS (default 8) weeks ahead;
- `deliver_outbox` every minute (SCHEDULER_OUTBOX_SECONDS): queued e-mail.
- `nudge_overdue_attendance` daily at 08:00 Helsinki time: one e-mail per instructor
  with shifts that ended without confirmed attendance.
- `send_reminders` every 15 minutes (SCHEDULER_REMINDER_SECONDS): day-before shift
  reminders by e-mail (the rule: jobcenter.notifications.reminders).

Only one scheduler ever runs. It holds the `scheduler` row of the `leases` table:

- acquiring is ONE atomic statement — insert the row, or, if it exists, take it over
  only when it has expired (or is already ours): ``INSERT … ON CONFLICT (name) DO
  UPDATE … WHERE leases.expires_at <= now OR leases.holder = me RETURNING name``.
  Two processes racing for it cannot both win: the database serialises them on the
  row's primary key;
- the holder renews it every third of its lifetime (SCHEDULER_LEASE_SECONDS,
  default 60 s); if a renewal fails (the lease was lost, e.g. after a long pause),
  the scheduler stops its jobs at once and goes back to waiting;
- a second scheduler started by mistake does not run jobs: it WAITS, polling every
  SCHEDULER_POLL_SECONDS, until the lease is released or has expired;
- on shutdown (SIGTERM, Ctrl-C) the jobs are stopped and the lease released, so a
  replacement starts at once; if the process dies, the lease expires after at most
  SCHEDULER_LEASE_SECONDS.

Each job runs through `run_in_app`: its own app context and database session, one
commit on success, rollback on error. Jobs take IDs, not ORM objects, and are
idempotent, so a job that runs again (after a crash, or a missed run) does no harm.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from jobcenter.core import clock
from jobcenter.core.models import Lease

log = logging.getLogger("jobcenter.scheduler")

LEASE_NAME = "scheduler"
DEFAULT_LEASE_SECONDS = 60
EXTEND_HORIZON_AT = (2, 30)  # hour, minute, Helsinki time


# ---------------------------------------------------------------- the lease


def new_holder_id() -> str:
    """Who holds the lease: host, process and a random part (unique per start)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:200]


def acquire_lease(engine: Engine, name: str, holder: str, ttl: timedelta) -> bool:
    """Take or renew the lease `name` for `ttl` if it is free, expired or already ours."""
    now = clock.now()
    values = {"name": name, "holder": holder, "acquired_at": now, "expires_at": now + ttl}
    table = Lease.__table__
    dialect = engine.dialect.name
    with engine.begin() as conn:
        if dialect in ("postgresql", "sqlite"):
            insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
            stmt = (
                insert.values(**values)
                .on_conflict_do_update(
                    index_elements=[table.c.name],
                    set_={
                        "holder": insert.excluded.holder,
                        "acquired_at": sa.case(
                            (table.c.holder == holder, table.c.acquired_at),
                            else_=insert.excluded.acquired_at,
                        ),
                        "expires_at": insert.excluded.expires_at,
                    },
                    where=sa.or_(table.c.expires_at <= now, table.c.holder == holder),
                )
                .returning(table.c.name)
            )
            return conn.execute(stmt).first() is not None
        # Other databases: update-if-expired, else insert (the primary key decides).
        updated = conn.execute(
            sa.update(table)
            .where(table.c.name == name)
            .where(sa.or_(table.c.expires_at <= now, table.c.holder == holder))
            .values(holder=holder, expires_at=now + ttl)
        ).rowcount
        if updated == 1:
            return True
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(table).values(**values))
        return True
    except sa.exc.IntegrityError:
        return False


def release_lease(engine: Engine, name: str, holder: str) -> bool:
    """Give the lease up (only if we hold it)."""
    table = Lease.__table__
    with engine.begin() as conn:
        deleted = conn.execute(
            sa.delete(table).where(table.c.name == name, table.c.holder == holder)
        ).rowcount
    return deleted == 1


def lease_holder(engine: Engine, name: str = LEASE_NAME) -> str | None:
    """Who holds the lease now (None if nobody, or it has expired)."""
    table = Lease.__table__
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(table.c.holder).where(table.c.name == name, table.c.expires_at > clock.now())
        ).first()
    return row[0] if row else None


@dataclass
class LeaseKeeper:
    """One process's hold on a lease."""

    engine: Engine
    holder: str
    name: str = LEASE_NAME
    ttl: timedelta = timedelta(seconds=DEFAULT_LEASE_SECONDS)
    held: bool = False

    def acquire(self) -> bool:
        self.held = acquire_lease(self.engine, self.name, self.holder, self.ttl)
        return self.held

    renew = acquire

    def release(self) -> None:
        if self.held:
            release_lease(self.engine, self.name, self.holder)
        self.held = False

    def wait(self, stop: threading.Event, poll_seconds: float) -> bool:
        """Block until the lease is ours (True) or `stop` is set (False)."""
        announced = False
        while not stop.is_set():
            if self.acquire():
                if announced:
                    log.info("scheduler lease acquired by %s", self.holder)
                return True
            if not announced:
                log.warning(
                    "another scheduler holds the lease (%s); waiting",
                    lease_holder(self.engine, self.name),
                )
                announced = True
            stop.wait(poll_seconds)
        return False


# ---------------------------------------------------------------- jobs


def _extend_horizon(session: Session) -> Any:
    from jobcenter.scheduling.jobs import extend_horizon

    return extend_horizon(session)


def _deliver_outbox(session: Session) -> Any:
    from jobcenter.notifications.sender import deliver_pending

    # The sender works in its own session and commits each message's steps itself.
    return deliver_pending()


def _nudge_overdue_attendance(session: Session) -> Any:
    from jobcenter.hours.jobs import nudge_overdue_attendance

    return nudge_overdue_attendance(session)


def _send_reminders(session: Session) -> Any:
    from jobcenter.notifications.reminders import send_reminders

    return send_reminders(session)


JOBS: dict[str, Callable[[Session], Any]] = {
    "extend_horizon": _extend_horizon,
    "deliver_outbox": _deliver_outbox,
    "nudge_overdue_attendance": _nudge_overdue_attendance,
    "send_reminders": _send_reminders,
}

# Running schedulers in this process, by lease holder id: APScheduler stores only the
# job's name and holder (picklable), and finds the app and lease here.
_RUNNING: dict[str, tuple[Flask, LeaseKeeper]] = {}


def run_in_app(app: Flask, name: str) -> Any:
    """Run job `name` in its own app context and transaction: commit once, or roll back."""
    from jobcenter.extensions import db

    job = JOBS[name]
    with app.app_context():
        try:
            result = job(db.session)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", name)
            raise
        finally:
            db.session.remove()
    log.info("job %s done: %s", name, result)
    return result


def run_job(name: str, holder: str) -> Any:
    """APScheduler's entry point (referenced as text in the job store)."""
    running = _RUNNING.get(holder)
    if running is None:
        log.warning("job %s skipped: scheduler %s is not running here", name, holder)
        return None
    app, keeper = running
    if not keeper.held:
        log.warning("job %s skipped: the scheduler lease is not held", name)
        return None
    return run_in_app(app, name)


def build_scheduler(app: Flask, engine: Engine, holder: str) -> Any:
    """A BackgroundScheduler with the SQLAlchemy job store and our jobs (not started)."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=clock.HELSINKI,
    )
    hour, minute = EXTEND_HORIZON_AT
    scheduler.add_job(
        "jobcenter.scheduler:run_job",
        trigger=CronTrigger(hour=hour, minute=minute, timezone=clock.HELSINKI),
        args=["extend_horizon", holder],
        id="extend_horizon",
        name="Extend recurring tasks' shifts to the horizon",
        replace_existing=True,
        misfire_grace_time=6 * 3600,
        next_run_time=datetime.now(UTC),  # once at start, then daily
    )
    seconds = int(app.config.get("SCHEDULER_OUTBOX_SECONDS", 60))
    scheduler.add_job(
        "jobcenter.scheduler:run_job",
        trigger=IntervalTrigger(seconds=seconds),
        args=["deliver_outbox", holder],
        id="deliver_outbox",
        name="Deliver queued e-mail",
        replace_existing=True,
        misfire_grace_time=seconds,
        next_run_time=datetime.now(UTC),
    )
    scheduler.add_job(
        "jobcenter.scheduler:run_job",
        trigger=CronTrigger(hour=8, minute=0, timezone=clock.HELSINKI),
        args=["nudge_overdue_attendance", holder],
        id="nudge_overdue_attendance",
        name="Remind instructors of attendance not yet confirmed",
        replace_existing=True,
        misfire_grace_time=6 * 3600,
    )
    reminder_seconds = int(app.config.get("SCHEDULER_REMINDER_SECONDS", 15 * 60))
    scheduler.add_job(
        "jobcenter.scheduler:run_job",
        trigger=IntervalTrigger(seconds=reminder_seconds),
        args=["send_reminders", holder],
        id="send_reminders",
        name="Queue day-before shift reminders",
        replace_existing=True,
        misfire_grace_time=reminder_seconds,
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def run_scheduler(
    app: Flask,
    *,
    stop_event: threading.Event | None = None,
    install_signal_handlers: bool = True,
    holder: str | None = None,
) -> None:
    """Run until stopped (SIGTERM/SIGINT, or `stop_event`): wait for the lease, run the
    jobs while holding it, release it on the way out."""
    from jobcenter.extensions import db

    stop = stop_event or threading.Event()
    if install_signal_handlers and threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
    with app.app_context():
        engine = db.engine
    lease_seconds = float(app.config.get("SCHEDULER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    poll_seconds = float(app.config.get("SCHEDULER_POLL_SECONDS", lease_seconds / 4))
    renew_seconds = lease_seconds / 3
    keeper = LeaseKeeper(engine, holder or new_holder_id(), ttl=timedelta(seconds=lease_seconds))
    log.info("scheduler %s starting", keeper.holder)
    try:
        while keeper.wait(stop, poll_seconds):
            _RUNNING[keeper.holder] = (app, keeper)
            scheduler = build_scheduler(app, engine, keeper.holder)
            scheduler.start()
            log.info("scheduler %s running jobs", keeper.holder)
            try:
                while not stop.wait(renew_seconds):
                    if not keeper.renew():
                        log.error("scheduler %s lost its lease; stopping jobs", keeper.holder)
                        break
            finally:
                scheduler.shutdown(wait=True)
                _RUNNING.pop(keeper.holder, None)
    finally:
        keeper.release()
        log.info("scheduler %s stopped", keeper.holder)
