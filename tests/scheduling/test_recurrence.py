"""The weekly RRULE subset: parsing, writing, expanding, and wall-clock starts over DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jobcenter.scheduling import recurrence as r
from jobcenter.scheduling.recurrence import Recurrence, RecurrenceError

MO, TU, WE, TH, FR, SA, SU = range(7)


def test_parses_weekdays_and_until():
    rec = r.parse("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260131")
    assert rec == Recurrence(weekdays=(MO, WE), until=date(2026, 1, 31))


def test_parses_count_interval_prefix_and_any_order_case_insensitively():
    rec = r.parse("rrule:count=4;byday=fr;interval=2;freq=weekly")
    assert rec == Recurrence(weekdays=(FR,), interval=2, count=4)


def test_until_with_a_time_part_uses_its_date():
    assert r.parse("FREQ=WEEKLY;BYDAY=TU;UNTIL=20260310T235959Z").until == date(2026, 3, 10)


def test_without_until_or_count_the_rule_is_open_ended():
    assert r.parse("FREQ=WEEKLY;BYDAY=TU").is_open_ended


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("FREQ=DAILY;BYDAY=MO", "freq"),
        ("BYDAY=MO", "freq"),
        ("FREQ=WEEKLY", "byday"),
        ("FREQ=WEEKLY;BYDAY=", "byday"),
        ("FREQ=WEEKLY;BYDAY=XX", "byday"),
        ("FREQ=WEEKLY;BYDAY=1MO", "byday"),
        ("FREQ=WEEKLY;BYDAY=MO,MO", "byday"),
        ("FREQ=WEEKLY;BYDAY=MO;UNTIL=2026-01-31", "until"),
        ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260231", "until"),
        ("FREQ=WEEKLY;BYDAY=MO;COUNT=0", "count"),
        ("FREQ=WEEKLY;BYDAY=MO;COUNT=-1", "count"),
        ("FREQ=WEEKLY;BYDAY=MO;COUNT=9999", "count"),
        ("FREQ=WEEKLY;BYDAY=MO;INTERVAL=0", "interval"),
        ("FREQ=WEEKLY;BYDAY=MO;INTERVAL=53", "interval"),
        ("FREQ=WEEKLY;BYDAY=MO;UNTIL=20260131;COUNT=3", "until_and_count"),
        ("FREQ=WEEKLY;BYDAY=MO;BYMONTH=1", "unsupported_part"),
        ("FREQ=WEEKLY;BYDAY=MO;FREQ=WEEKLY", "duplicate_part"),
        ("FREQ=WEEKLY;BYDAY=MO;WKST=SU", "wkst"),
        ("weekly on mondays", "syntax"),
    ],
)
def test_rules_outside_the_subset_are_refused_with_a_reason(rule, code):
    with pytest.raises(RecurrenceError) as exc:
        r.parse(rule)
    assert exc.value.code == code


def test_format_writes_the_canonical_rule():
    rec = Recurrence(weekdays=(FR, MO), interval=2, count=6)
    assert r.format_rule(rec) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;COUNT=6"


def test_build_makes_a_rule_from_form_parts():
    assert r.build([TU, TH], until=date(2026, 5, 29)) == "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20260529"


def test_normalise_round_trips():
    assert r.normalise("byday=we,mo;freq=weekly;interval=1") == "FREQ=WEEKLY;BYDAY=MO,WE"


@given(
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    interval=st.integers(1, r.MAX_INTERVAL),
    end=st.one_of(
        st.none(),
        st.integers(1, r.MAX_COUNT).map(lambda n: ("count", n)),
        st.dates(date(2000, 1, 1), date(2100, 1, 1)).map(lambda d: ("until", d)),
    ),
)
def test_any_valid_rule_survives_format_then_parse(weekdays, interval, end):
    kwargs = {end[0]: end[1]} if end else {}
    rec = Recurrence(weekdays=tuple(weekdays), interval=interval, **kwargs)
    assert r.parse(r.format_rule(rec)) == rec


def test_expand_gives_the_listed_weekdays_until_the_end_date():
    rec = r.parse("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20260114")
    assert r.expand(rec, date(2026, 1, 1)) == [
        date(2026, 1, 5),
        date(2026, 1, 7),
        date(2026, 1, 12),
        date(2026, 1, 14),
    ]


def test_series_start_is_an_occurrence_only_on_a_listed_weekday():
    rec = r.parse("FREQ=WEEKLY;BYDAY=FR;COUNT=2")
    # 1.1.2026 is a Thursday.
    assert r.expand(rec, date(2026, 1, 1)) == [date(2026, 1, 2), date(2026, 1, 9)]


def test_count_counts_from_the_series_start_not_from_the_window():
    rec = r.parse("FREQ=WEEKLY;BYDAY=MO;COUNT=3")
    days = r.expand(rec, date(2026, 1, 5), window_start=date(2026, 1, 13))
    assert days == [date(2026, 1, 19)]


def test_interval_skips_weeks_counted_from_the_start_week():
    rec = r.parse("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR;COUNT=4")
    # Start on Wednesday 7.1.2026: Tuesday 6.1. is before the start.
    assert r.expand(rec, date(2026, 1, 7)) == [
        date(2026, 1, 9),
        date(2026, 1, 20),
        date(2026, 1, 23),
        date(2026, 2, 3),
    ]


def test_open_ended_rule_is_expanded_only_within_a_window():
    rec = r.parse("FREQ=WEEKLY;BYDAY=TH")
    with pytest.raises(ValueError, match="window_end"):
        r.expand(rec, date(2026, 1, 1))
    assert r.expand(rec, date(2026, 1, 1), window_end=date(2026, 1, 20)) == [
        date(2026, 1, 1),
        date(2026, 1, 8),
        date(2026, 1, 15),
    ]


def test_until_before_start_gives_no_date():
    rec = r.parse("FREQ=WEEKLY;BYDAY=MO;UNTIL=20251231")
    assert r.expand(rec, date(2026, 1, 1)) == []


def test_last_date_of_a_bounded_series():
    rec = r.parse("FREQ=WEEKLY;BYDAY=MO,TH;COUNT=3")
    assert r.last_date(rec, date(2026, 1, 5)) == date(2026, 1, 12)
    assert r.last_date(r.parse("FREQ=WEEKLY;BYDAY=MO"), date(2026, 1, 5)) is None


@given(
    weekdays=st.sets(st.integers(0, 6), min_size=1),
    interval=st.integers(1, 4),
    start=st.dates(date(2024, 1, 1), date(2030, 1, 1)),
    count=st.integers(1, 40),
)
def test_expansion_is_sorted_unique_on_listed_days_and_honours_count(
    weekdays, interval, start, count
):
    rec = Recurrence(weekdays=tuple(weekdays), interval=interval, count=count)
    days = r.expand(rec, start)
    assert len(days) == count
    assert days == sorted(set(days))
    assert all(d >= start and d.weekday() in weekdays for d in days)
    first_monday = start - timedelta(days=start.weekday())
    assert all(((d - first_monday).days // 7) % interval == 0 for d in days)


# ---------------------------------------------------------------- DST, Europe/Helsinki


def test_weekly_start_keeps_its_wall_clock_time_over_the_spring_change():
    # Clocks go forward on Sunday 29.3.2026 at 03:00 (EET +2 → EEST +3).
    rec = r.parse("FREQ=WEEKLY;BYDAY=TH;COUNT=3")
    starts = [r.local_start(d, time(9, 0)) for d in r.expand(rec, date(2026, 3, 19))]
    assert [s.strftime("%d.%m. %H:%M") for s in starts] == [
        "19.03. 09:00",
        "26.03. 09:00",
        "02.04. 09:00",
    ]
    assert [s.astimezone(UTC).hour for s in starts] == [7, 7, 6]


def test_weekly_start_keeps_its_wall_clock_time_over_the_autumn_change():
    # Clocks go back on Sunday 25.10.2026 at 04:00 (EEST +3 → EET +2).
    rec = r.parse("FREQ=WEEKLY;BYDAY=SU;COUNT=3")
    starts = [r.local_start(d, time(10, 0)) for d in r.expand(rec, date(2026, 10, 18))]
    assert [s.hour for s in starts] == [10, 10, 10]
    assert [s.astimezone(UTC).hour for s in starts] == [7, 8, 8]


def test_a_start_in_the_skipped_spring_hour_moves_forward_by_the_gap():
    start = r.local_start(date(2026, 3, 29), time(3, 30))
    assert (start.hour, start.minute) == (4, 30)
    assert start.utcoffset() == timedelta(hours=3)


def test_a_start_in_the_repeated_autumn_hour_is_the_first_one():
    start = r.local_start(date(2026, 10, 25), time(3, 30))
    assert start.utcoffset() == timedelta(hours=3)
    assert start.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_shift_length_is_real_time_even_over_a_clock_change():
    start = r.local_start(date(2026, 10, 25), time(1, 0))
    end = r.end_after(start, 4 * 60)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=4)
    assert end.astimezone(r.HELSINKI).hour == 4  # 01:00 + 4 h elapsed: the wall shows 04:00
