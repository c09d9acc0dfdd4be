"""My shifts: the participant's home, week, month and one shift, in plain words."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from jobcenter.core import clock
from jobcenter.core.enums import Locale, Role
from jobcenter.scheduling.models import AssignmentStatus
from tests import factories
from tests.home.helpers import confirmed_hours

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=clock.HELSINKI)  # Monday 23.11.2026


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=clock.HELSINKI)


def words(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture(autouse=True)
def frozen(app):
    with clock.frozen(NOW):
        yield


@pytest.fixture
def pekka(session):
    instructor = factories.make_instructor(
        first_name="Irma", last_name="Laine", phone="040 123 4567", email="irma@example.test"
    )
    person = factories.make_participant(
        factories.make_group(instructor), first_name="Pekka", locale=Locale.EN,
        plan={"weekly_target_minutes": 720},
    )  # fmt: skip
    kind = factories.make_task_kind(name_en="Window washing", icon="window")
    unit = factories.make_unit(name="Kontulan palvelukeskus")
    factories.make_offered_shift(
        person, status=AssignmentStatus.CONFIRMED, starts_at=at(date(2026, 11, 24), 9),
        task_kind=kind, unit=unit, site_address="Kontulankaari 1", what_to_bring="Work shoes",
    )  # fmt: skip
    session.commit()
    return person


def test_my_shifts_shows_the_next_shift_with_day_place_map_and_what_to_bring(client, pekka, login):
    login(pekka.user)

    response = client.get("/my/shifts")
    text = words(response)
    html = response.get_data(as_text=True)

    assert "Tuesday, November 24 at 09:00–13:00" in text
    assert "Window washing" in text
    assert "icons.svg#window" in html
    assert "Kontulan palvelukeskus, Kontulankaari 1, Helsinki" in text
    assert "https://www.openstreetmap.org/search?query=Kontulankaari+1%2C+Helsinki" in html
    assert "Bring: Work shoes" in text
    assert 'href="tel:0401234567"' in html
    assert 'href="mailto:irma@example.test"' in html


def test_home_of_a_participant_is_their_my_shifts_page(client, pekka, login):
    login(pekka.user)

    assert "Tuesday, November 24 at 09:00–13:00" in words(client.get("/home"))


def test_hours_this_week_are_shown_against_the_weekly_goal(client, session, pekka, login):
    done = factories.make_offered_shift(pekka, status=AssignmentStatus.ATTENDED,
                                        starts_at=at(date(2026, 11, 23), 6))  # fmt: skip
    confirmed_hours(done, 240, work_date=date(2026, 11, 23))
    session.commit()
    login(pekka.user)

    text = words(client.get("/my/shifts"))

    assert "This week you have worked 4 hours. Your goal is 12 hours a week." in text
    assert "You have worked 4 hours this month." in text


def test_week_view_lists_each_day_and_the_shifts_on_it(client, pekka, login):
    login(pekka.user)

    text = words(client.get("/my/week?start=2026-11-25"))

    assert "Monday, November 23" in text
    assert "Sunday, November 29" in text
    assert "Window washing" in text
    assert text.count("No shifts.") == 6


def test_month_view_lists_days_with_shifts(client, pekka, login):
    login(pekka.user)

    text = words(client.get("/my/month?month=2026-11"))

    assert "November 2026" in text
    assert "1 shift this month." in text
    assert "No shifts this month." in words(client.get("/my/month?month=2027-01"))


def test_bad_week_and_month_parameters_show_the_current_ones(client, pekka, login):
    login(pekka.user)

    assert "Window washing" in words(client.get("/my/week?start=nonsense"))
    assert "Window washing" in words(client.get("/my/month?month=99999-99"))


def test_shift_page_tells_what_to_do_and_who_to_ask(client, pekka, login):
    login(pekka.user)
    shift_id = pekka_shift_id(pekka)

    text = words(client.get(f"/my/shifts/{shift_id}"))

    assert "Where" in text
    assert "Show on the map" in text
    assert "What to bring" in text
    assert "Work shoes" in text
    assert "Irma Laine" in text


def pekka_shift_id(person) -> int:
    from jobcenter.extensions import db
    from jobcenter.scheduling.models import Assignment

    return db.session.query(Assignment).filter_by(participant_id=person.id).first().shift_id


def test_participant_cannot_see_another_participants_shift(client, session, pekka, login):
    other = factories.make_participant(pekka.group)
    session.commit()
    login(other.user)

    assert client.get(f"/my/shifts/{pekka_shift_id(pekka)}").status_code == 404
    assert "Window washing" not in words(client.get("/my/week?start=2026-11-23"))


def test_an_offer_shows_yes_and_no_buttons_with_reasons(client, session, pekka, login):
    factories.make_offered_shift(pekka, starts_at=at(date(2026, 11, 26), 12))
    session.commit()
    login(pekka.user)

    text = words(client.get("/my/shifts"))

    assert "You have 1 new offer. Please answer." in text
    assert "Yes, I will come" in text
    assert "No, I cannot come" in text
    for reason in ("I am sick", "I have another appointment", "I do not want this task"):
        assert reason in text


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.INSTRUCTOR, 403), (Role.MANAGER, 403), (Role.UNIT_CONTACT, 403), (Role.ADMIN, 403)],
)
def test_only_participants_have_my_pages(client, login, session, role, status):
    user = (
        factories.make_instructor().user if role == Role.INSTRUCTOR else factories.make_user(role)
    )
    session.commit()
    login(user)

    for path in ("/my/shifts", "/my/week", "/my/month", "/my/availability", "/my/shifts/1"):
        assert client.get(path).status_code == status, path


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/my/shifts")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
