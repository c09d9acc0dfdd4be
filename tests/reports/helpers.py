"""Small builders for report tests: a shift on a given day and hours on it."""

from __future__ import annotations

from datetime import date, timedelta

from tests import factories as f
from tests.reports.conftest import at


def shift_on(day: date, task=None, minutes: int = 240, hour: int = 9, **kw):
    task = task or f.make_task()
    start = at(day, hour)
    return f.make_shift(task, starts_at=start, ends_at=start + timedelta(minutes=minutes), **kw)


def hours_on(person, day: date, minutes: int = 240, task=None, **kw):
    """A confirmed hour entry of `minutes` for `person` on a shift that day."""
    return f.make_hour_entry(person, shift_on(day, task, minutes), **kw)
