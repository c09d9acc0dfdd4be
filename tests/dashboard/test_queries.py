"""Each dashboard figure against the hand-computed expectations of the world in
conftest.py (period 1 Jan – 31 Mar 2026)."""

from __future__ import annotations

from datetime import date

import pytest

from jobcenter.core.enums import Stream
from jobcenter.dashboard import queries as q
from jobcenter.dashboard.period import DateRange
from jobcenter.hours.models import AbsenceKind
from tests.dashboard.conftest import FIRST, LAST

PERIOD = DateRange(FIRST, LAST)


def totals(session, by: str, rng: DateRange = PERIOD) -> dict[str, int]:
    return {row.key: row.minutes for row in q.hour_totals(session, rng, by, "en")}


def test_hours_by_stream_count_corrections_and_only_days_in_the_period(session, world):
    # Disability: Pekka 210 (corrected from 240) + Liisa 240 + Liisa 240; rehabilitative:
    # Olli 240 + 180. S7 (31 Dec) and S8 (1 Apr) are outside.
    assert q.minutes_by_stream(session, PERIOD) == {
        Stream.DISABILITY: 690,
        Stream.REHABILITATIVE: 420,
    }


def test_hours_by_unit_are_largest_first_with_names(session, world):
    rows = q.hour_totals(session, PERIOD, "unit", "en")
    assert [(r.label, r.minutes) for r in rows] == [
        ("Kallion kirjasto", 690),
        ("Myllypuron palvelukeskus", 420),
    ]
    assert rows[0].key == str(world.units.kallio.id)


def test_hours_by_task_kind_are_named_in_the_language_asked(session, world):
    english = q.hour_totals(session, PERIOD, "task_kind", "en")
    finnish = q.hour_totals(session, PERIOD, "task_kind", "fi")
    assert [(r.label, r.minutes) for r in english] == [
        ("Window washing", 690),
        ("Dishwashing", 420),
    ]
    assert [r.label for r in finnish] == ["Ikkunanpesu", "Astianpesu"]


def test_a_shift_across_midnight_counts_in_the_month_it_starts(session, world):
    # S3 runs from 31 January 22:00 to 1 February 02:00: all 240 minutes are January's.
    assert totals(session, "month") == {"2026-01": 450 + 240, "2026-02": 240, "2026-03": 180}


def test_a_shift_across_new_year_stays_in_the_old_year(session, world):
    new_year = DateRange(date(2026, 1, 1), date(2026, 1, 1))
    old_year = DateRange(date(2025, 12, 31), date(2025, 12, 31))
    assert totals(session, "stream", new_year) == {}
    assert totals(session, "stream", old_year) == {"rehabilitative": 240}


def test_hours_by_instructor_and_district_keep_rows_without_a_district(session, world):
    irma, ville = world.groups.irma, world.groups.ville
    assert totals(session, "instructor") == {str(irma.id): 690, str(ville.id): 420}
    by_instructor = q.hour_totals(session, PERIOD, "instructor", "en")
    assert by_instructor[0].label == "Irma Laine"
    assert totals(session, "district") == {str(world.kinds.centre.id): 690, q.NONE_KEY: 420}


@pytest.mark.parametrize(
    "rng",
    [
        PERIOD,
        DateRange(date(2026, 1, 15), date(2026, 1, 15)),
        DateRange(date(2025, 12, 31), date(2026, 2, 10)),
        DateRange(date(2026, 5, 1), date(2026, 5, 31)),
    ],
    ids=["period", "one-day", "across-new-year", "no-hours"],
)
def test_the_dashboards_one_pass_totals_equal_each_dimensions_own_total(session, world, rng):
    figures = q.dashboard(session, rng, "en")
    for by in q.DIMENSIONS:
        assert figures.totals[by] == q.hour_totals(session, rng, by, "en"), by
    assert figures.hours_by_month_and_stream == q.hours_by_month_and_stream(session, rng)


def test_the_dashboard_names_its_totals_in_the_language_asked(session, world):
    figures = q.dashboard(session, PERIOD, "fi")
    assert [(r.label, r.minutes) for r in figures.totals["task_kind"]] == [
        ("Ikkunanpesu", 690),
        ("Astianpesu", 420),
    ]
    assert [(r.label, r.minutes) for r in figures.totals["instructor"]] == [
        ("Irma Laine", 690),
        ("Ville Ahonen", 420),
    ]
    assert figures.summary.minutes_by_stream == {
        Stream.DISABILITY: 690,
        Stream.REHABILITATIVE: 420,
    }


def test_hours_by_month_and_stream_list_every_month_with_both_streams(session, world):
    # January: Pekka 210 + Liisa 240 (S1) + Liisa 240 (S3, across midnight); February:
    # Olli 240 (S2); March: Olli 180 (S4, the DST night).
    assert q.dashboard(session, PERIOD, "en").hours_by_month_and_stream == [
        ("2026-01", {Stream.DISABILITY: 690, Stream.REHABILITATIVE: 0}),
        ("2026-02", {Stream.DISABILITY: 0, Stream.REHABILITATIVE: 240}),
        ("2026-03", {Stream.DISABILITY: 0, Stream.REHABILITATIVE: 180}),
    ]


def test_distinct_active_participants_per_stream(session, world):
    assert q.participants_by_stream(session, PERIOD) == {
        Stream.DISABILITY: 2,
        Stream.REHABILITATIVE: 1,
    }


def test_a_participant_whose_hours_were_all_reversed_is_not_active(session, world):
    # Only Pekka's corrected S1 entry is in 15 January: corrected, not removed, so he counts;
    # Olli's S7 is a different day.
    day = DateRange(date(2026, 1, 15), date(2026, 1, 15))
    assert q.participants_by_stream(session, day) == {
        Stream.DISABILITY: 2,
        Stream.REHABILITATIVE: 0,
    }


def test_tasks_done_per_kind_count_tasks_shifts_and_hours(session, world):
    rows = q.tasks_done_by_kind(session, PERIOD, "en")
    assert [(r.label, r.tasks, r.shifts, r.minutes) for r in rows] == [
        ("Window washing", 1, 2, 690),
        ("Dishwashing", 1, 2, 420),
    ]


def test_tasks_done_over_a_long_range_count_the_same_way(session, world):
    # Five months (December to April) take the long-range query: S7 (31 Dec) and S8
    # (1 Apr) join in; S2's no-show and S6's confirmation without hours add no shift.
    five_months = DateRange(date(2025, 12, 1), date(2026, 4, 30))
    assert five_months.days >= q.JOIN_SHIFTS_FROM_DAYS > PERIOD.days
    rows = q.tasks_done_by_kind(session, five_months, "en")
    assert [(r.label, r.tasks, r.shifts, r.minutes) for r in rows] == [
        ("Window washing", 1, 3, 810),
        ("Dishwashing", 1, 3, 660),
    ]


def test_pilot_summary_for_the_period(session, world):
    summary = q.pilot_summary(session, PERIOD, "en")
    assert summary.total_minutes == 1110
    assert summary.total_participants == 3
    assert [k.label for k in summary.kinds_done] == ["Window washing", "Dishwashing"]


def test_fill_rate_counts_held_slots_up_to_the_slots_and_skips_cancelled_shifts(session, world):
    # Offered: S1 2×240 + S2 2×240 + S3 240 + S4 180 + S6 3×240 = 2100 slot-minutes
    # (S5 is cancelled). Filled: S1 480, S2 480 (the no-show held the slot), S3 240,
    # S4 180 (two people held its one slot: counted once), S6 240 (Olli; Liisa declined).
    total = q.fill_totals(q.fill_by_month(session, PERIOD))
    assert (total.shifts, total.shifts_filled) == (5, 4)
    assert (total.offered_minutes, total.filled_minutes) == (2100, 1620)
    assert total.rate == pytest.approx(1620 / 2100)


def test_fill_rate_by_month_puts_the_dst_night_and_midnight_shifts_in_their_local_months(
    session, world
):
    rows = {
        r.month: (r.offered_minutes, r.filled_minutes) for r in q.fill_by_month(session, PERIOD)
    }
    assert rows == {"2026-01": (720, 720), "2026-02": (1200, 720), "2026-03": (180, 180)}


def test_a_shift_starting_half_past_midnight_belongs_to_its_local_day(session, world):
    # S4 starts 29 March 00:30 in Helsinki, which is still 28 March in UTC.
    the_28th = DateRange(date(2026, 3, 28), date(2026, 3, 28))
    the_29th = DateRange(date(2026, 3, 29), date(2026, 3, 29))
    assert q.fill_by_month(session, the_28th) == []
    assert [(r.shifts, r.offered_minutes) for r in q.fill_by_month(session, the_29th)] == [(1, 180)]


def test_no_show_and_absence_rates_use_current_attendance_records(session, world):
    # Current records in the period: S1 Pekka (the correction) and Liisa, S2 Olli and Pekka
    # (no-show), S3 Liisa, S4 Olli and Pekka (own illness) = 7.
    figures = q.attendance(session, PERIOD)
    assert figures.records == 7
    assert figures.absent == 2
    assert figures.no_shows == 1
    assert figures.count(AbsenceKind.OWN_ILLNESS) == 1
    assert figures.rate(figures.no_shows) == pytest.approx(1 / 7)


def test_absences_by_task_kind(session, world):
    rows = {
        r.label: (r.records, r.absent, r.no_shows)
        for r in q.attendance_by_task_kind(session, PERIOD, "en")
    }
    assert rows == {"Dishwashing": (4, 2, 1), "Window washing": (3, 0, 0)}


def test_cancellations_by_unit_and_by_reason(session, world):
    by_unit = q.cancellations_by_unit(session, PERIOD)
    by_reason = q.cancellations_by_reason(session, PERIOD)
    assert [(r.label, r.shifts, r.slot_minutes) for r in by_unit] == [("Kallion kirjasto", 1, 480)]
    assert [(r.label, r.shifts) for r in by_reason] == [("Tila oli varattu.", 1)]


def test_groups_against_their_plans_weekly_targets(session, world):
    # Kallio: Pekka 600 min/week × 90 days + Liisa 420 × 59 days (from 1 Feb), over 7.
    # Itä: Olli 480 × 90 days / 7.
    rows = {r.group: r for r in q.group_targets(session, PERIOD, date(2026, 4, 15))}
    assert rows["Kallio"].target_minutes == round((600 * 90 + 420 * 59) / 7)
    assert rows["Kallio"].done_minutes == 690
    assert rows["Kallio"].participants == 2
    assert rows["Itä"].target_minutes == round(480 * 90 / 7)
    assert rows["Itä"].done_minutes == 420
    assert rows["Itä"].instructor == "Ville Ahonen"


def test_weekly_targets_do_not_count_days_after_today(session, world):
    rows = {r.group: r for r in q.group_targets(session, PERIOD, date(2026, 1, 7))}
    assert rows["Itä"].target_minutes == round(480 * 7 / 7)


def test_earnings_ceiling_warnings_count_people_close_to_and_over_it(session, world):
    # At 10 €/h. January: Pekka earned 35 € of a 30 € ceiling (over); Liisa's work came
    # before her plan (and its ceiling) began. February: Olli 40 € of 45 € (89 %: close).
    # March: Olli 30 € of 45 € (67 %: fine).
    rows = q.ceiling_warnings(session, PERIOD)
    assert [(r.month, r.with_ceiling, r.close, r.over) for r in rows] == [
        ("2026-01", 1, 0, 1),
        ("2026-02", 1, 1, 0),
        ("2026-03", 1, 0, 0),
    ]


def test_satisfaction_per_group(session, world):
    rows = {r.label: r for r in q.satisfaction_by_group(session, PERIOD)}
    kallio, ita = rows["Kallio"], rows["Itä"]
    assert (kallio.unit_ratings, kallio.units_very_satisfied) == (1, 1)
    assert (kallio.participant_ratings, kallio.participants_very_satisfied) == (3, 2)
    assert (ita.unit_ratings, ita.units_very_satisfied) == (1, 0)
    assert (ita.participant_ratings, ita.participants_very_satisfied) == (2, 1)
    total = q.satisfaction_totals(list(rows.values()))
    assert total.unit_share == pytest.approx(0.5)
    assert total.participant_share == pytest.approx(0.6)


def test_satisfaction_per_month(session, world):
    rows = {
        r.key: (
            r.unit_ratings,
            r.units_very_satisfied,
            r.participant_ratings,
            r.participants_very_satisfied,
        )
        for r in q.satisfaction_by_month(session, PERIOD)
    }
    assert rows == {"2026-01": (0, 0, 3, 2), "2026-02": (1, 1, 1, 1), "2026-03": (1, 0, 1, 0)}


def test_drill_down_from_a_unit_to_its_tasks_and_shifts(session, world):
    condition, part = q.dimension_filter("unit", str(world.units.kallio.id), PERIOD)
    tasks = q.tasks_behind(session, part, condition, "en")
    assert [(t.title, t.shifts, t.people, t.minutes) for t in tasks] == [("Ikkunat", 2, 2, 690)]
    shifts = q.task_shifts(session, PERIOD, world.tasks.t1.id)
    assert [(s.shift_id, s.minutes, s.filled) for s in shifts] == [
        (world.shifts.s1.id, 450, 2),
        (world.shifts.s3.id, 240, 1),
        (world.shifts.s5.id, 0, 0),
    ]


def test_drill_down_from_a_month_narrows_the_period(session, world):
    condition, part = q.dimension_filter("month", "2026-02", PERIOD)
    assert part == DateRange(date(2026, 2, 1), date(2026, 2, 28))
    assert [t.minutes for t in q.tasks_behind(session, part, condition, "en")] == [240]


@pytest.mark.parametrize(
    ("by", "key"),
    [("stream", "nobody"), ("month", "2025-12"), ("month", "2026-1"), ("unit", "x"),
     ("unit", "99999999999"), ("district", "-1"), ("colour", "1")],
)  # fmt: skip
def test_drill_down_keys_that_name_nothing_are_refused(by, key):
    assert q.dimension_filter(by, key, PERIOD) is None


def test_people_on_a_shift_show_first_name_and_initial_only(session, world):
    people = q.shift_people(session, world.shifts.s2.id)
    assert [(p.display_name, p.minutes) for p in people] == [("Olli M.", 240), ("Pekka V.", 0)]
