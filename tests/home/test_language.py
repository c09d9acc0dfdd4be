"""The language switcher, `?lang=`, `<html lang>` and dates and times in words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import refresh

from jobcenter.accounts.models import User
from jobcenter.core import clock
from jobcenter.core.enums import Locale
from jobcenter.core.i18n import day_in_words, local_datetime, short_date, time_span_in_words
from tests import factories


def test_language_switch_saves_the_choice_on_the_signed_in_users_account(client, session, login):
    manager = factories.make_manager(locale=Locale.FI)
    session.commit()
    login(manager)

    response = client.post("/language", data={"lang": "sv", "next": "/home"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    session.expire_all()
    assert session.get(User, manager.id).locale == Locale.SV
    assert '<html lang="sv">' in client.get("/home").get_data(as_text=True)


def test_saved_language_follows_the_user_to_a_new_browser(app, client, session, login):
    manager = factories.make_manager(locale=Locale.EN)
    session.commit()
    login(manager)

    assert '<html lang="en">' in client.get("/home").get_data(as_text=True)


def test_anonymous_visitors_language_is_kept_in_the_session(client):
    client.post("/language", data={"lang": "en", "next": "/login"})

    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_finnish_is_the_default_language(client):
    assert '<html lang="fi">' in client.get("/login").get_data(as_text=True)


def test_language_switch_ignores_an_unknown_language(client, session, login):
    manager = factories.make_manager(locale=Locale.FI)
    session.commit()
    login(manager)

    client.post("/language", data={"lang": "de", "next": "/home"})

    session.expire_all()
    assert session.get(User, manager.id).locale == Locale.FI


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "home"])
def test_language_switch_never_redirects_to_another_site(client, target):
    response = client.post("/language", data={"lang": "sv", "next": target})

    assert response.headers["Location"] == "/home"


def test_lang_query_renders_the_page_in_swedish(client):
    html = client.get("/login?lang=sv").get_data(as_text=True)

    assert '<html lang="sv">' in html
    assert 'aria-current="true" class="current">På svenska' in html


def test_lang_query_overrides_the_saved_language_for_one_page(client, session, login):
    manager = factories.make_manager(locale=Locale.FI)
    session.commit()
    login(manager)

    assert '<html lang="en">' in client.get("/home?lang=en").get_data(as_text=True)
    refresh()  # the test's app context outlives requests; Flask-Babel caches the locale in it
    assert '<html lang="fi">' in client.get("/home").get_data(as_text=True)


def test_language_switch_returns_to_the_page_without_the_lang_query(client):
    html = client.get("/login?lang=sv&next=%2Fhome").get_data(as_text=True)

    assert 'name="next" value="/login?next=%2Fhome"' in html


def test_every_language_button_names_its_language_in_that_language(client):
    html = client.get("/login").get_data(as_text=True)

    assert '<button type="submit" name="lang" value="fi" lang="fi"' in html
    assert ">Suomeksi</button>" in html
    assert ">På svenska</button>" in html
    assert ">In English</button>" in html


TUESDAY_MORNING = (
    datetime(2025, 1, 14, 9, 0, tzinfo=clock.HELSINKI),
    datetime(2025, 1, 14, 13, 0, tzinfo=clock.HELSINKI),
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "Tiistaina 14.1."),
        ("sv", "Tisdag 14 januari"),
        ("en", "Tuesday, January 14"),
    ],
)
def test_day_in_words_spells_out_the_weekday(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        assert day_in_words(date(2025, 1, 14)) == expected


def test_shift_time_in_finnish_uses_hours_without_minutes(app):
    with app.test_request_context("/?lang=fi"):
        text = time_span_in_words(*TUESDAY_MORNING)

    assert text.startswith("Tiistaina 14.1.")
    assert text.endswith("9–13")


def test_shift_time_keeps_minutes_when_they_are_not_zero(app):
    start = datetime(2025, 1, 14, 9, 30, tzinfo=clock.HELSINKI)
    end = datetime(2025, 1, 14, 13, 15, tzinfo=clock.HELSINKI)
    with app.test_request_context("/?lang=fi"):
        assert time_span_in_words(start, end).endswith("9.30–13.15")
    with app.test_request_context("/?lang=en"):
        refresh()
        assert time_span_in_words(start, end) == "Tuesday, January 14 at 09:30–13:15"


def test_shift_time_is_shown_in_helsinki_time(app):
    from datetime import UTC

    start = datetime(2025, 7, 1, 6, 0, tzinfo=UTC)  # 9.00 in Helsinki (summer time)
    end = datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
    with app.test_request_context("/?lang=en"):
        assert time_span_in_words(start, end) == "Tuesday, July 1 at 09:00–13:00"


def test_night_shift_names_both_days(app):
    start = datetime(2025, 1, 14, 22, 0, tzinfo=clock.HELSINKI)
    end = datetime(2025, 1, 15, 2, 0, tzinfo=clock.HELSINKI)
    with app.test_request_context("/?lang=en"):
        text = time_span_in_words(start, end)

    assert text == "Tuesday, January 14 at 22:00 – Wednesday, January 15 at 02:00"


def test_language_switch_from_a_post_only_address_returns_home(client):
    response = client.post("/language", data={"lang": "sv", "next": "/logout"})

    assert response.headers["Location"] == "/"


def test_menu_marks_the_section_of_a_sub_page(client, session, login):
    admin = factories.make_admin(locale=Locale.EN)
    session.commit()
    login(admin)

    html = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)

    assert '<a href="/admin/users" aria-current="true">' in html


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_short_dates_are_written_the_finnish_way_in_every_language(app, lang):
    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        assert short_date(date(2026, 12, 5)) == "5.12.2026"


@pytest.mark.parametrize(
    ("lang", "expected"), [("fi", "5.12.2026 9.30"), ("sv", "5.12.2026 09:30")]
)
def test_a_moment_is_shown_as_a_short_date_and_helsinki_clock_time(app, lang, expected):
    moment = datetime(2026, 12, 5, 7, 30, tzinfo=UTC)
    with app.test_request_context(f"/?lang={lang}"):
        refresh()
        assert local_datetime(moment) == expected
