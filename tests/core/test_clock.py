"""The one clock: aware UTC instants, Helsinki dates, and a freeze for tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from jobcenter.core import clock


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    clock.freeze(None)
    yield
    clock.freeze(None)


def test_now_is_timezone_aware_utc():
    now = clock.now()
    assert now.utcoffset() == timedelta(0)


def test_now_follows_the_real_time_when_not_frozen():
    before = datetime.now(UTC)
    now = clock.now()
    assert before <= now <= datetime.now(UTC)


def test_frozen_clock_returns_the_frozen_instant():
    instant = datetime(2025, 3, 3, 7, 0, tzinfo=UTC)
    clock.freeze(instant)
    assert clock.now() == instant


def test_frozen_instant_is_given_back_in_utc():
    clock.freeze(datetime(2025, 3, 3, 9, 0, tzinfo=clock.HELSINKI))
    assert clock.now() == datetime(2025, 3, 3, 7, 0, tzinfo=UTC)
    assert clock.now().utcoffset() == timedelta(0)


def test_freezing_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.freeze(datetime(2025, 3, 3, 9, 0))


def test_frozen_block_restores_the_previous_clock():
    outer = datetime(2025, 1, 1, tzinfo=UTC)
    clock.freeze(outer)
    with clock.frozen(datetime(2025, 6, 1, tzinfo=UTC)):
        assert clock.now() == datetime(2025, 6, 1, tzinfo=UTC)
    assert clock.now() == outer


def test_frozen_block_restores_the_clock_after_an_error():
    with pytest.raises(RuntimeError), clock.frozen(datetime(2025, 6, 1, tzinfo=UTC)):
        raise RuntimeError
    assert clock.now() != datetime(2025, 6, 1, tzinfo=UTC)


def test_today_is_the_date_in_helsinki_not_in_utc():
    clock.freeze(datetime(2025, 3, 2, 22, 30, tzinfo=UTC))  # 00:30 on 3 March in Helsinki
    assert clock.today() == date(2025, 3, 3)


def test_local_now_is_in_helsinki_winter_time():
    clock.freeze(datetime(2025, 1, 15, 10, 0, tzinfo=UTC))
    assert clock.local_now().utcoffset() == timedelta(hours=2)
    assert clock.local_now().hour == 12


def test_local_now_is_in_helsinki_summer_time():
    clock.freeze(datetime(2025, 7, 15, 10, 0, tzinfo=UTC))
    assert clock.local_now().utcoffset() == timedelta(hours=3)
    assert clock.local_now().hour == 13


def test_to_local_keeps_the_instant():
    instant = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # the night summer time ends
    local = clock.to_local(instant)
    # Compared in UTC: Python never equates a wall time inside the repeated hour
    # with an instant in another zone (PEP 495).
    assert local.astimezone(UTC) == instant
    assert (local.hour, local.utcoffset()) == (3, timedelta(hours=3))
