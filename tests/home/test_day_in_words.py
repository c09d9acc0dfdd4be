"""A shift's day and time in words, as participants read it."""

from datetime import UTC, date, datetime, timedelta

from flask_babel import force_locale

from jobcenter.core.clock import HELSINKI
from jobcenter.core.i18n import clock_time, day_in_words, time_span_in_words


def test_overnight_shift_names_its_second_day_in_lower_case_in_finnish(app):
    start = datetime(2025, 1, 14, 22, 0, tzinfo=HELSINKI)
    end = datetime(2025, 1, 15, 6, 0, tzinfo=HELSINKI)
    with app.test_request_context(), force_locale("fi"):
        text = time_span_in_words(start, end)
    assert text == "Tiistaina 14.1. klo 22 – keskiviikkona 15.1. klo 6"


def test_a_shift_within_one_day_reads_day_and_hours_in_finnish(app):
    start = datetime(2025, 1, 14, 9, 0, tzinfo=HELSINKI)
    end = datetime(2025, 1, 14, 13, 0, tzinfo=HELSINKI)
    with app.test_request_context(), force_locale("fi"):
        text = time_span_in_words(start, end)
    assert text == "Tiistaina 14.1. klo 9–13"


def test_every_finnish_weekday_reads_as_on_that_day(app):
    # CLDR gives "sunnuntai" for Sunday where the other days are "maanantaina" etc.
    monday = date(2026, 11, 23)
    with app.test_request_context(), force_locale("fi"):
        words = [day_in_words(monday + timedelta(days=n)).split()[0] for n in range(7)]
    assert words == [
        "Maanantaina",
        "Tiistaina",
        "Keskiviikkona",
        "Torstaina",
        "Perjantaina",
        "Lauantaina",
        "Sunnuntaina",
    ]


def test_clock_times_follow_the_language_and_helsinki_time(app):
    moment = datetime(2026, 1, 14, 7, 5, tzinfo=UTC)  # 9.05 in Helsinki
    with app.test_request_context():
        with force_locale("fi"):
            finnish = clock_time(moment)
        with force_locale("sv"):
            swedish = clock_time(moment)
    assert (finnish, swedish) == ("9.05", "09:05")
