"""Each role's home page shows that person's own real data and what they can do next."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from jobcenter.core import clock
from jobcenter.core.enums import Locale, Role, Stream
from jobcenter.scheduling.models import AssignmentStatus, ShiftStatus
from jobcenter.units.models import TaskStatus
from tests import factories
from tests.home.helpers import confirmed_hours

# Monday 13 January 2025, 08:00 in Helsinki.
MONDAY = datetime(2025, 1, 13, 8, 0, tzinfo=clock.HELSINKI)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=clock.HELSINKI)


@pytest.fixture
def monday(app):
    clock.freeze(MONDAY)
    return MONDAY.date()


def page(client, path: str = "/home") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def text_of(html: str) -> str:
    """The page's visible words on one line, as a reader would scan them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---------------------------------------------------------------- admin


def test_admin_home_counts_active_users_by_role(client, session, login):
    admin = factories.make_admin(locale=Locale.EN)
    factories.make_manager()
    factories.make_unit_contact()
    factories.make_unit_contact()
    factories.make_manager(is_active_account=False)
    session.commit()
    login(admin)

    words = text_of(page(client))

    assert "2 Unit contacts" in words
    assert "1 Managers" in words
    assert "1 Administrators" in words
    assert "1 closed account is not counted above." in words


def test_admin_home_counts_units_and_catalogues(client, session, login, reference_data):
    admin = factories.make_admin(locale=Locale.EN)
    factories.make_unit()
    factories.make_unit(is_active=False)
    session.commit()
    login(admin)

    words = text_of(page(client))

    assert "1 Active units" in words
    assert "1 Closed units" in words
    assert "17 Task kinds in use" in words


def test_admin_home_links_to_every_admin_page(client, session, login):
    admin = factories.make_admin(locale=Locale.EN)
    session.commit()
    login(admin)

    html = page(client)

    for path in ("/admin/users", "/admin/units", "/admin/skills", "/admin/task-kinds",
                 "/admin/stream-rules", "/admin/rates"):  # fmt: skip
        assert f'href="{path}"' in html


# ---------------------------------------------------------------- manager


def test_manager_home_sums_confirmed_hours_by_stream_this_year(client, session, login, monday):
    manager = factories.make_manager(locale=Locale.EN)
    disability = factories.make_participant(stream=Stream.DISABILITY)
    rehab = factories.make_participant(stream=Stream.REHABILITATIVE)
    shift = factories.make_shift(starts_at=at(date(2025, 1, 8), 9))
    confirmed_hours(factories.make_assignment(shift, disability), 240)
    confirmed_hours(factories.make_assignment(shift, rehab), 90)
    session.commit()
    login(manager)

    words = text_of(page(client))

    assert "Confirmed hours in 2025" in words
    assert "Disability work activity 4" in words
    assert "Rehabilitative work activity 1.5" in words
    assert "Total 5.5" in words
    assert "1 unit served" in words
    assert "2 participants did paid work" in words


def test_manager_home_nets_out_corrected_hours(client, session, login, monday, ledger):
    manager = factories.make_manager(locale=Locale.EN)
    assignment = factories.make_assignment(factories.make_shift(starts_at=at(date(2025, 1, 8), 9)))
    wrong = confirmed_hours(assignment, 300)
    confirmed_hours(assignment, 240, corrects=wrong)
    session.commit()
    login(manager)

    assert "Total 4" in text_of(page(client))


def test_manager_home_leaves_out_hours_of_other_years(client, session, login, monday):
    manager = factories.make_manager(locale=Locale.EN)
    last_year = factories.make_shift(starts_at=at(date(2024, 12, 30), 9))
    assignment = factories.make_assignment(last_year)
    confirmed_hours(assignment, 240)
    session.commit()
    login(manager)

    words = text_of(page(client))

    assert "No hours have been confirmed in 2025 yet." in words
    assert "Total" not in words


# ---------------------------------------------------------------- instructor


def test_instructor_home_lists_own_groups_with_participant_counts(client, session, login):
    instructor = factories.make_instructor(locale=Locale.EN)
    morning = factories.make_group(instructor, name="Aamuryhmä")
    factories.make_group(instructor, name="Iltaryhmä")
    factories.make_participant(morning)
    factories.make_participant(morning)
    factories.make_group(name="Someone else's group")
    session.commit()
    login(instructor.user)

    words = text_of(page(client))

    assert "Aamuryhmä 2" in words
    assert "Iltaryhmä 0" in words
    assert "Someone else's group" not in words
    assert "2 participants in your groups" in words


def test_instructor_home_counts_tasks_waiting_in_the_inbox(client, session, login):
    instructor = factories.make_instructor(locale=Locale.EN)
    factories.make_task(status=TaskStatus.SUBMITTED)
    factories.make_task(status=TaskStatus.SUBMITTED)
    factories.make_task(status=TaskStatus.DRAFT)
    factories.make_task(status=TaskStatus.ACCEPTED)
    session.commit()
    login(instructor.user)

    assert "2 tasks waiting for you to accept or reject" in text_of(page(client))


def test_instructor_home_lists_only_own_shifts_left_this_week(client, session, login, monday):
    instructor = factories.make_instructor(locale=Locale.EN)
    group = factories.make_group(instructor)
    own_task = factories.make_task(group=group, title="Ikkunanpesu")
    thursday = factories.make_shift(own_task, starts_at=at(date(2025, 1, 16), 9))
    factories.make_assignment(thursday, factories.make_participant(group))
    factories.make_shift(own_task, starts_at=at(date(2025, 1, 20), 9))  # next week
    factories.make_shift(
        own_task,
        starts_at=at(date(2025, 1, 17), 9),
        status=ShiftStatus.CANCELLED,
        cancel_reason="Unit closed",
    )
    factories.make_shift(
        factories.make_task(title="Another group's task"), starts_at=at(date(2025, 1, 15), 9)
    )
    session.commit()
    login(instructor.user)

    words = text_of(page(client))

    assert words.count("Ikkunanpesu") == 1
    assert "Thursday, January 16 at 09:00–13:00" in words
    assert "1 of 2 people confirmed" in words
    assert "Another group's task" not in words
    assert "1 shift left this week" in words


def test_instructor_without_groups_or_shifts_sees_friendly_messages(client, session, login):
    instructor = factories.make_instructor(locale=Locale.EN)
    session.commit()
    login(instructor.user)

    words = text_of(page(client))

    assert "You have no groups yet." in words
    assert "No more shifts this week." in words


# ---------------------------------------------------------------- unit contact


def test_unit_contact_home_counts_own_units_tasks_by_status(client, session, login):
    contact = factories.make_unit_contact(locale=Locale.EN)
    factories.make_task(contact.unit, status=TaskStatus.DRAFT)
    factories.make_task(contact.unit, status=TaskStatus.SUBMITTED)
    factories.make_task(contact.unit, status=TaskStatus.SUBMITTED)
    factories.make_task(status=TaskStatus.DONE)  # another unit's
    session.commit()
    login(contact)

    words = text_of(page(client))

    assert f"Order work for {contact.unit.name} from Jobcenter" in words
    assert "Drafts, not sent yet 1" in words
    assert "Sent, waiting for an instructor 2" in words
    assert "All tasks 3" in words
    assert "waiting for your confirmation" not in words


def test_unit_contact_home_lists_only_own_units_coming_shifts(client, session, login, monday):
    contact = factories.make_unit_contact(locale=Locale.EN)
    own = factories.make_task(contact.unit, title="Postitus")
    factories.make_shift(own, starts_at=at(date(2025, 1, 21), 12))
    factories.make_shift(own, starts_at=at(date(2025, 1, 10), 12))  # already past
    factories.make_shift(factories.make_task(title="Vieras tehtävä"))
    session.commit()
    login(contact)

    words = text_of(page(client))

    assert words.count("Postitus") == 1
    assert "Tuesday, January 21 at 12:00–16:00" in words
    assert "Vieras tehtävä" not in words


def test_unit_contact_without_tasks_sees_friendly_messages(client, session, login):
    contact = factories.make_unit_contact(locale=Locale.EN)
    session.commit()
    login(contact)

    words = text_of(page(client))

    assert "Your unit has no tasks yet." in words
    assert "No shifts are coming up." in words


# ---------------------------------------------------------------- participant


def _participant_with_shift(status=AssignmentStatus.CONFIRMED, **user_kw):
    instructor = factories.make_instructor(first_name="Irma", last_name="Ohjaaja",
                                           phone="040 123 4567")  # fmt: skip
    participant = factories.make_participant(factories.make_group(instructor), **user_kw)
    kind = factories.make_task_kind(name_fi="Siivous", name_sv="Städning", name_en="Cleaning",
                                    icon="broom")  # fmt: skip
    unit = factories.make_unit(name="Kontulan palvelukeskus", street_address="Kontulantie 5")
    task = factories.make_task(unit, task_kind=kind, title="Siivous")
    shift = factories.make_shift(task, starts_at=at(date(2025, 1, 14), 9))
    factories.make_assignment(shift, participant, status=status)
    return participant


def test_participant_sees_next_shift_day_and_time_in_words(client, session, login, monday):
    participant = _participant_with_shift(locale=Locale.FI)
    session.commit()
    login(participant.user)

    html = page(client)
    words = text_of(html)

    assert "Tiistaina 14.1." in words
    assert re.search(r"Tiistaina 14\.1\. \w+ 9–13", words)
    assert "Siivous" in words
    assert "Kontulan palvelukeskus, Kontulantie 5, Helsinki" in words
    assert "icons.svg#broom" in html


def test_participant_sees_day_names_in_swedish(client, session, login, monday):
    participant = _participant_with_shift(locale=Locale.SV)
    session.commit()
    login(participant.user)

    words = text_of(page(client))

    assert "Tisdag 14 januari" in words
    assert "Städning" in words


def test_participant_sees_whether_a_shift_is_confirmed_or_waits_for_an_answer(
    client, session, login, monday
):
    participant = _participant_with_shift(status=AssignmentStatus.OFFERED, locale=Locale.EN)
    session.commit()
    login(participant.user)

    assert "Can you come? Please answer." in text_of(page(client))


@pytest.mark.parametrize(
    "status", [AssignmentStatus.PROPOSED, AssignmentStatus.DECLINED, AssignmentStatus.CANCELLED]
)
def test_participant_does_not_see_shifts_they_are_not_going_to(
    client, session, login, monday, status
):
    participant = _participant_with_shift(status=status, locale=Locale.EN)
    session.commit()
    login(participant.user)

    words = text_of(page(client))

    assert "You have no shifts yet." in words
    assert "Kontulan palvelukeskus" not in words


def test_participant_does_not_see_other_participants_shifts(client, session, login, monday):
    _participant_with_shift(locale=Locale.EN)
    other = factories.make_participant(locale=Locale.EN)
    session.commit()
    login(other.user)

    words = text_of(page(client))

    assert "You have no shifts yet." in words
    assert "Siivous" not in words


def test_participant_without_shifts_sees_a_friendly_message(client, session, login):
    participant = factories.make_participant(locale=Locale.EN)
    session.commit()
    login(participant.user)

    words = text_of(page(client))

    assert "You have no shifts yet." in words
    assert "Your instructor will offer you work. You will see it here." in words


def test_participant_sees_instructors_name_and_phone(client, session, login, monday):
    participant = _participant_with_shift(locale=Locale.EN)
    session.commit()
    login(participant.user)

    html = page(client)

    assert "Irma Ohjaaja" in html
    assert 'href="tel:0401234567"' in html
    assert "040 123 4567" in html


def test_participant_sees_hours_worked_this_month(client, session, login, monday):
    participant = _participant_with_shift(locale=Locale.EN)
    earlier = factories.make_shift(starts_at=at(date(2025, 1, 7), 9))
    confirmed_hours(factories.make_assignment(earlier, participant), 240)
    session.commit()
    login(participant.user)

    assert "You have worked 4 hours this month." in text_of(page(client))


# ---------------------------------------------------------------- every role


def _user_with_role(role: Role):
    if role == Role.INSTRUCTOR:
        return factories.make_instructor().user
    if role == Role.PARTICIPANT:
        return factories.make_participant().user
    return factories.make_user(role)


@pytest.mark.parametrize("role", list(Role))
def test_every_link_on_a_home_page_leads_to_a_route_that_exists(app, client, session, login, role):
    user = _user_with_role(role)
    session.commit()
    login(user)

    html = page(client)
    hrefs = re.findall(r'href="(/[^"#?]*)', html)
    links = {link for link in hrefs if not link.startswith("/static/")}
    routes = app.url_map.bind("localhost")

    assert "/account" in links
    for link in sorted(links):
        endpoint, _args = routes.match(link, method="GET")  # raises NotFound for a dead link
        assert endpoint in app.view_functions


@pytest.mark.parametrize("role", list(Role))
def test_home_pages_have_no_inline_styles_or_scripts(client, session, login, role):
    user = _user_with_role(role)
    session.commit()
    login(user)

    html = page(client)

    assert " style=" not in html
    assert "<script" not in html
    assert "<style" not in html


def test_home_page_title_names_the_page_and_the_service(client, session, login):
    manager = factories.make_manager(locale=Locale.EN)
    session.commit()
    login(manager)

    assert "<title>Home – Jobcenter</title>" in page(client)


def test_next_week_is_not_this_week_for_the_instructor(client, session, login, monday):
    instructor = factories.make_instructor(locale=Locale.EN)
    task = factories.make_task(group=factories.make_group(instructor), title="Haravointi")
    factories.make_shift(task, starts_at=at(MONDAY.date() + timedelta(days=7), 9))
    session.commit()
    login(instructor.user)

    words = text_of(page(client))

    assert "Haravointi" not in words
    assert "No more shifts this week." in words
