"""A small per-process cache of the dashboard's figures.

A year of Helsinki-scale history is a dozen aggregations over ~300,000 ledger rows and
~400,000 assignments: about a second of database work. Managers open the same ranges
again and again, so each worker keeps the last results for a range and language and
reuses them while

- the data version is the same: the highest id of the append-only tables (hour ledger,
  attendance records, feedback) — a confirmation, correction or new rating anywhere is
  a new row there, so it shows at once; and
- the result is younger than `DASHBOARD_CACHE_SECONDS` (default 60): changes made in
  place (a shift cancelled, a plan's target edited) show within that time.

The page says when its figures were computed. `DASHBOARD_CACHE_SECONDS = 0` turns the
cache off (tests do: `TESTING` apps default to 0).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from jobcenter.core import clock
from jobcenter.hours.models import AttendanceRecord, HourEntry, ShiftFeedback
from jobcenter.units.models import TaskFeedback

T = TypeVar("T")
MAX_ENTRIES = 64
DEFAULT_SECONDS = 60


def ttl_seconds() -> float:
    return max(0.0, float(current_app.config.get("DASHBOARD_CACHE_SECONDS", DEFAULT_SECONDS)))


def data_version(session: Session) -> tuple[Any, ...]:
    """One primary-key lookup per append-only table (index-only, microseconds)."""
    return (
        session.execute(
            sa.select(
                sa.select(sa.func.max(HourEntry.id)).scalar_subquery(),
                sa.select(sa.func.max(AttendanceRecord.id)).scalar_subquery(),
                sa.select(sa.func.max(ShiftFeedback.id)).scalar_subquery(),
                sa.select(sa.func.max(TaskFeedback.id)).scalar_subquery(),
            )
        )
        .one()
        ._tuple()
    )


class FiguresCache:
    def __init__(self, size: int = MAX_ENTRIES) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, tuple[float, tuple, datetime, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, session: Session, key: Hashable, compute: Callable[[], T]) -> tuple[T, datetime]:
        """(value, when it was computed) — from the cache when still valid."""
        ttl = ttl_seconds()
        if ttl <= 0:
            return compute(), clock.now()
        version = data_version(session)
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[1] == version and now - hit[0] < ttl:
                self._items.move_to_end(key)
                return hit[3], hit[2]
        value, computed_at = compute(), clock.now()
        with self._lock:
            self._items[key] = (now, version, computed_at, value)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value, computed_at

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


figures_cache = FiguresCache()
