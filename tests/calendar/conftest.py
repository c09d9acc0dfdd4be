"""Calendar tests: every feed is read by two independent parsers (icalendar, vobject)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
import pytest
import vobject
from flask_babel import force_locale

from jobcenter.core import clock

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 2.3.2026 10:00 Helsinki


@dataclass
class ParsedEvent:
    uid: str
    sequence: int
    status: str
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str


def parse(body: bytes | str) -> list[ParsedEvent]:
    """The events of a VCALENDAR, read by icalendar AND vobject; both must agree."""
    text = body.decode() if isinstance(body, bytes) else body
    cal = icalendar.Calendar.from_ical(text)
    assert cal.get("VERSION") == "2.0"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    first = [
        ParsedEvent(
            uid=str(e["UID"]),
            sequence=int(e["SEQUENCE"]),
            status=str(e["STATUS"]),
            start=e.decoded("DTSTART"),
            end=e.decoded("DTEND"),
            summary=str(e["SUMMARY"]),
            location=str(e.get("LOCATION", "")),
            description=str(e.get("DESCRIPTION", "")),
        )
        for e in cal.walk("VEVENT")
    ]
    for e in cal.walk("VEVENT"):
        assert e["DTSTART"].params["TZID"] == "Europe/Helsinki"
        assert "DTSTAMP" in e
        assert "LAST-MODIFIED" in e
    parsed = vobject.readOne(text)
    second = [
        ParsedEvent(
            uid=v.uid.value,
            sequence=int(v.sequence.value),
            status=v.status.value,
            start=v.dtstart.value,
            end=v.dtend.value,
            summary=v.summary.value,
            location=v.location.value if hasattr(v, "location") else "",
            description=v.description.value if hasattr(v, "description") else "",
        )
        for v in getattr(parsed, "vevent_list", [])
    ]
    assert len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert (a.uid, a.sequence, a.status, a.summary, a.location, a.description) == (
            b.uid, b.sequence, b.status, b.summary, b.location, b.description
        )  # fmt: skip
        # The same instants, whichever way each parser resolved the time zone.
        assert a.start == b.start
        assert a.end == b.end
        assert a.start.utcoffset() == b.start.utcoffset()
    return first


def by_uid(events: list[ParsedEvent]) -> dict[str, ParsedEvent]:
    return {e.uid: e for e in events}


@pytest.fixture
def monday(app):
    """The clock on Monday 2 March 2026, 10:00 in Helsinki; English text."""
    with clock.frozen(T0), force_locale("en"):
        yield T0
