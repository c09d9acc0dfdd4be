"""Report tests run on a set date: Wednesday 25 November 2026 at noon in Helsinki."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from jobcenter.core import clock

TODAY = date(2026, 11, 25)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.HELSINKI)


@pytest.fixture(autouse=True)
def frozen_today(app):
    clock.freeze(at(TODAY, 12))
    yield
    clock.freeze(None)
