"""The scheduler: only one runs (a database lease), jobs run in their own transaction."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from jobcenter import scheduler as sched
from jobcenter.core import clock
from jobcenter.core.models import Lease, apscheduler_jobs
from jobcenter.notifications.models import OutboxMessage, OutboxStatus
from jobcenter.scheduling.models import Shift
from jobcenter.units import lifecycle
from jobcenter.units.models import TaskStatus, Unit
from tests import factories
from tests.smtp import smtp_server  # noqa: F401  (pytest fixture)

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TTL = timedelta(seconds=60)


@pytest.fixture
def engine(db):
    return db.engine


def holder_row(session) -> Lease | None:
    session.expire_all()
    return session.get(Lease, sched.LEASE_NAME)


def wait_until(condition, timeout: float = 30.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


# ---------------------------------------------------------------- the lease, with the clock


def test_the_first_acquirer_gets_the_lease_and_the_second_does_not(engine, session):
    with clock.frozen(T0):
        assert sched.acquire_lease(engine, "scheduler", "one", TTL) is True
        assert sched.acquire_lease(engine, "scheduler", "two", TTL) is False
        assert sched.lease_holder(engine) == "one"
    row = holder_row(session)
    assert (row.holder, row.acquired_at, row.expires_at) == ("one", T0, T0 + TTL)


def test_the_holder_renews_its_lease(engine, session):
    with clock.frozen(T0):
        sched.acquire_lease(engine, "scheduler", "one", TTL)
    with clock.frozen(T0 + timedelta(seconds=20)):
        assert sched.acquire_lease(engine, "scheduler", "one", TTL) is True
    row = holder_row(session)
    assert (row.acquired_at, row.expires_at) == (T0, T0 + timedelta(seconds=80))


def test_the_second_waits_until_the_lease_expires(engine):
    with clock.frozen(T0):
        sched.acquire_lease(engine, "scheduler", "one", TTL)
    with clock.frozen(T0 + TTL - timedelta(seconds=1)):
        assert sched.acquire_lease(engine, "scheduler", "two", TTL) is False
    with clock.frozen(T0 + TTL):
        assert sched.acquire_lease(engine, "scheduler", "two", TTL) is True
        assert sched.lease_holder(engine) == "two"
        # The first one's renewal now fails: it has lost the lease and must stop.
        assert sched.acquire_lease(engine, "scheduler", "one", TTL) is False


def test_releasing_lets_the_second_acquire_at_once(engine):
    with clock.frozen(T0):
        sched.acquire_lease(engine, "scheduler", "one", TTL)
        assert sched.release_lease(engine, "scheduler", "two") is False  # not theirs
        assert sched.acquire_lease(engine, "scheduler", "two", TTL) is False
        assert sched.release_lease(engine, "scheduler", "one") is True
        assert sched.lease_holder(engine) is None
        assert sched.acquire_lease(engine, "scheduler", "two", TTL) is True


def test_a_waiting_keeper_gets_the_lease_when_the_holder_releases_it(engine):
    first = sched.LeaseKeeper(engine, "one")
    second = sched.LeaseKeeper(engine, "two")
    assert first.acquire()
    stop = threading.Event()
    got = []
    waiter = threading.Thread(target=lambda: got.append(second.wait(stop, poll_seconds=0.05)))
    waiter.start()
    try:
        time.sleep(0.3)
        assert got == []
        assert not second.held
        first.release()
        waiter.join(timeout=5)
        assert got == [True]
        assert second.held
        assert sched.lease_holder(engine) == "two"
    finally:
        stop.set()
        waiter.join(timeout=5)
        second.release()


def test_a_waiting_keeper_gives_up_when_stopped(engine):
    sched.LeaseKeeper(engine, "one").acquire()
    stop = threading.Event()
    stop.set()
    assert sched.LeaseKeeper(engine, "two").wait(stop, poll_seconds=0.05) is False


@pytest.mark.postgres_only
def test_on_postgresql_two_connections_racing_never_both_win(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    for round_ in range(20):
        barrier = threading.Barrier(2)
        results: dict[str, bool] = {}

        def race(holder: str, name: str = f"race-{round_}", barrier=barrier, results=results):
            barrier.wait()
            results[holder] = sched.acquire_lease(engine, name, holder, TTL)

        threads = [threading.Thread(target=race, args=(h,)) for h in ("one", "two")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert sorted(results.values()) == [False, True], results


@pytest.mark.postgres_only
def test_on_postgresql_an_open_transaction_holding_the_row_makes_the_other_wait(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL")
    table = Lease.__table__
    now = clock.now()
    with engine.connect() as conn:
        transaction = conn.begin()
        conn.execute(
            sa.insert(table).values(
                name="scheduler", holder="one", acquired_at=now, expires_at=now + TTL
            )
        )
        results = []
        other = threading.Thread(
            target=lambda: results.append(sched.acquire_lease(engine, "scheduler", "two", TTL))
        )
        other.start()
        time.sleep(0.5)
        assert results == []  # blocked on the first connection's uncommitted row
        transaction.commit()
        other.join(timeout=10)
    assert results == [False]
    assert sched.lease_holder(engine) == "one"


# ---------------------------------------------------------------- the job wrapper


def test_a_job_commits_its_work_in_its_own_transaction(app, session, monkeypatch):
    def job(job_session):
        job_session.add(Unit(name="Job unit", street_address="Katu 1", postal_code="00100"))
        job_session.flush()
        return "ok"

    monkeypatch.setitem(sched.JOBS, "test_job", job)
    assert sched.run_in_app(app, "test_job") == "ok"
    assert session.scalar(sa.select(Unit.name)) == "Job unit"


def test_a_failing_job_leaves_nothing_behind(app, session, monkeypatch):
    def job(job_session):
        job_session.add(Unit(name="Half done", street_address="Katu 1", postal_code="00100"))
        job_session.flush()
        raise RuntimeError("boom")

    monkeypatch.setitem(sched.JOBS, "test_job", job)
    with pytest.raises(RuntimeError):
        sched.run_in_app(app, "test_job")
    assert session.scalar(sa.select(sa.func.count()).select_from(Unit)) == 0


def test_a_job_of_a_scheduler_not_running_here_is_skipped(app, monkeypatch):
    monkeypatch.setitem(sched.JOBS, "test_job", lambda s: pytest.fail("must not run"))
    assert sched.run_job("test_job", "nobody") is None


# ---------------------------------------------------------------- the process


def test_only_one_scheduler_runs_jobs_and_the_second_takes_over_when_it_stops(
    app,
    make_app,
    session,
    smtp_server,  # noqa: F811
):
    contact = factories.make_unit_contact()
    group = factories.make_group()
    task = factories.make_posted_task(contact)
    lifecycle.accept(session, task, group.instructor.user, group, generate=False)
    session.commit()
    task_id = task.id

    config = {
        # Long enough that a busy machine never lets it lapse between renewals: the
        # take-over below comes from the first scheduler releasing it on shutdown.
        "SCHEDULER_LEASE_SECONDS": 30,
        "SCHEDULER_POLL_SECONDS": 0.1,
        "SCHEDULER_OUTBOX_SECONDS": 1,
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": smtp_server.port,
    }
    first_app, second_app = make_app(**config), make_app(**config)
    first_stop, second_stop = threading.Event(), threading.Event()
    first = threading.Thread(
        target=sched.run_scheduler,
        args=(first_app,),
        kwargs={"stop_event": first_stop, "install_signal_handlers": False, "holder": "one"},
    )
    second = threading.Thread(
        target=sched.run_scheduler,
        args=(second_app,),
        kwargs={"stop_event": second_stop, "install_signal_handlers": False, "holder": "two"},
    )

    def shift_count() -> int:
        session.rollback()
        return session.scalar(sa.select(sa.func.count()).where(Shift.task_id == task_id))

    first.start()
    try:
        # At start the scheduler extends the horizon and delivers the queued answer.
        assert wait_until(lambda: shift_count() == 1)
        assert wait_until(lambda: len(smtp_server.messages) == 1)

        def outbox_status():
            session.rollback()
            return session.scalar(sa.select(OutboxMessage.status))

        assert wait_until(lambda: outbox_status() == OutboxStatus.SENT)
        assert session.get(type(task), task_id).status == TaskStatus.SCHEDULED
        assert set(session.scalars(sa.select(apscheduler_jobs.c.id))) == {
            "extend_horizon",
            "deliver_outbox",
            "send_reminders",
            "nudge_overdue_attendance",
        }

        second.start()
        time.sleep(1.0)
        assert sched.lease_holder(session.get_bind()) == "one"
        assert "two" not in sched._RUNNING

        first_stop.set()
        first.join(timeout=30)
        assert not first.is_alive()
        assert wait_until(lambda: sched.lease_holder(session.get_bind()) == "two")
        assert wait_until(lambda: "two" in sched._RUNNING)
    finally:
        first_stop.set()
        second_stop.set()
        for thread in (first, second):
            if thread.is_alive():
                thread.join(timeout=15)
    assert sched.lease_holder(session.get_bind()) is None
    assert shift_count() == 1  # the second scheduler's run made nothing twice
    assert len(smtp_server.messages) == 1
