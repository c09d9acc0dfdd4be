"""A task's weekly repeat in words on its page, never the stored iCalendar rule."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from jobcenter.units.wording import repeat_in_words


def task(rule: str, first=date(2026, 9, 18), last=None):
    return SimpleNamespace(recurrence=rule, first_date=first, last_date=last)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Every week on Monday and Friday, 18.9.2026 – 6.11.2026"),
        ("fi", "Joka viikko maanantaina ja perjantaina, 18.9.2026 – 6.11.2026"),
    ],
)
def test_a_weekly_repeat_is_said_in_words_with_its_period(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        text = repeat_in_words(task("FREQ=WEEKLY;BYDAY=MO,FR;UNTIL=20261106"))
    assert text == expected


def test_an_open_ended_repeat_every_two_weeks(app):
    with app.test_request_context("/?lang=en"):
        text = repeat_in_words(task("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"))
    assert text == "Every 2 weeks on Tuesday, from 18.9.2026 on"


def test_a_repeat_counted_in_times_ends_on_its_last_day(app):
    with app.test_request_context("/?lang=en"):
        text = repeat_in_words(task("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6", first=date(2026, 9, 14)))
    assert text == "Every week on Monday and Wednesday, 14.9.2026 – 30.9.2026"


def test_the_task_page_never_shows_the_stored_rule(client, session, login):
    from datetime import timedelta

    from jobcenter.core import clock
    from tests import factories

    contact = factories.make_unit_contact()
    first = (clock.today() + timedelta(days=7)).isoformat()
    posted = factories.make_posted_task(
        contact, dates=[], recurrence="FREQ=WEEKLY;BYDAY=FR", first_date=first
    )
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{posted.id}?lang=en").get_data(as_text=True)

    assert "FREQ=" not in page
    assert "Every week on Friday" in page


def test_the_tasks_steps_keep_their_lines_on_its_page(client, session, login):
    from tests import factories

    contact = factories.make_unit_contact()
    posted = factories.make_posted_task(contact, description="1. Pyyhi pöydät\n2. Imuroi lattia")
    session.commit()
    login(contact)

    page = client.get(f"/tasks/{posted.id}").get_data(as_text=True)

    assert '<dd class="reason">1. Pyyhi pöydät\n2. Imuroi lattia</dd>' in page
    css = client.get("/static/css/units.css").get_data(as_text=True)
    assert ".facts .reason { white-space: pre-line;" in css
