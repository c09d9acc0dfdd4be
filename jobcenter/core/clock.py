"""The one source of "now", so tests can set the date instead of sleeping."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")

_frozen: datetime | None = None


def now() -> datetime:
    """Timezone-aware UTC now (or the frozen instant in tests)."""
    if _frozen is not None:
        return _frozen
    return datetime.now(UTC)


def local_now() -> datetime:
    return now().astimezone(HELSINKI)


def today() -> date:
    """Today's date in Helsinki, which is what people mean by "today"."""
    return local_now().date()


def to_local(value: datetime) -> datetime:
    return value.astimezone(HELSINKI)


def freeze(value: datetime | None) -> None:
    global _frozen
    if value is not None and value.tzinfo is None:
        raise ValueError("freeze() needs a timezone-aware datetime")
    _frozen = value.astimezone(UTC) if value is not None else None


@contextmanager
def frozen(value: datetime) -> Iterator[None]:
    previous = _frozen
    freeze(value)
    try:
        yield
    finally:
        freeze(previous)
