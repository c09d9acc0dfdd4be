"""The instructors' week grid: their people and shifts, filters, who may open it."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from jobcenter.core import clock
from jobcenter.scheduling.models import AssignmentStatus, Shift, ShiftStatus
from tests import factories

A = AssignmentStatus
H = clock.HELSINKI
WEEK = "/calendar/week?week=2026-03-09"  # Monday 9 – Sunday 15 March 2026


@pytest.fixture
def world(monday, session):
    """An instructor's group with two people and shifts at two units; another group."""
    group = factories.make_group(name="Aamuryhmä")
    maija = factories.make_participant(group=group, first_name="Maija", last_name="Mehiläinen")
    pekka = factories.make_participant(group=group, first_name="Pekka", last_name="Puupää")
    library = factories.make_unit(name="Kirjasto")
    sports = factories.make_unit(name="Urheiluhalli")
    books = factories.make_task(library, title="Kirjojen lajittelu", group=group)
    mats = factories.make_task(
        sports, title="Mattojen asennus", group=group, site_address="Hallitie 1"
    )
    tue = factories.make_shift(books, datetime(2026, 3, 10, 9, 0, tzinfo=H))
    wed = factories.make_shift(mats, datetime(2026, 3, 11, 12, 0, tzinfo=H))
    factories.make_assignment(tue, maija, status=A.CONFIRMED)
    factories.make_assignment(wed, pekka, status=A.OFFERED)
    other_group = factories.make_group(name="Iltaryhmä")
    stranger = factories.make_participant(
        group=other_group, first_name="Ulla", last_name="Ulkopuolinen"
    )
    other = factories.make_shift(
        factories.make_task(title="Lumityöt", group=other_group),
        datetime(2026, 3, 12, 8, 0, tzinfo=H),
    )
    factories.make_assignment(other, stranger)
    session.commit()
    return {"group": group, "other_group": other_group, "maija": maija, "library": library}


def test_instructor_sees_their_people_and_shifts_of_the_week(client, login, world):
    login(world["group"].instructor.user)
    response = client.get(WEEK)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Maija Mehiläinen" in html
    assert "Pekka Puupää" in html
    assert "Kirjojen lajittelu" in html
    assert "Mattojen asennus" in html
    assert "Confirmed" in html
    assert "Offered" in html


def test_instructor_does_not_see_other_groups(client, login, world):
    login(world["group"].instructor.user)
    html = client.get(WEEK).get_data(as_text=True)
    assert "Ulla Ulkopuolinen" not in html
    assert "Lumityöt" not in html
    assert "Iltaryhmä" not in html


def test_instructor_cannot_pick_another_instructors_group(client, login, world):
    login(world["group"].instructor.user)
    html = client.get(f"{WEEK}&group={world['other_group'].id}").get_data(as_text=True)
    assert "Ulla Ulkopuolinen" not in html


def test_filter_by_unit(client, login, world):
    login(world["group"].instructor.user)
    html = client.get(f"{WEEK}&unit={world['library'].id}").get_data(as_text=True)
    assert "Kirjojen lajittelu" in html
    assert "Mattojen asennus" not in html


def test_filter_by_site(client, login, world):
    login(world["group"].instructor.user)
    html = client.get(f"{WEEK}&site=Hallitie+1").get_data(as_text=True)
    assert "Mattojen asennus" in html
    assert "Kirjojen lajittelu" not in html


def test_previous_and_next_week_links_keep_the_filters(client, login, world):
    login(world["group"].instructor.user)
    html = client.get(f"{WEEK}&unit={world['library'].id}").get_data(as_text=True)
    unit = world["library"].id
    assert f"/calendar/week?unit={unit}&amp;week=2026-03-02" in html
    assert f"/calendar/week?unit={unit}&amp;week=2026-03-16" in html


def test_another_week_has_no_shifts(client, login, world):
    login(world["group"].instructor.user)
    html = client.get("/calendar/week?week=2026-04-06").get_data(as_text=True)
    assert "No shifts this week." in html
    assert "Maija Mehiläinen" in html


def test_a_cancelled_shift_is_marked_in_words(client, login, world, session):
    tue = session.scalars(sa.select(Shift).order_by(Shift.starts_at)).first()
    tue.status = ShiftStatus.CANCELLED
    tue.cancel_reason = "Sairastuminen"
    session.commit()
    login(world["group"].instructor.user)
    html = client.get(WEEK).get_data(as_text=True)
    assert "Cancelled" in html


def test_admin_sees_one_group_at_a_time(client, login, world):
    login(factories.make_admin())
    html = client.get(f"{WEEK}&group={world['other_group'].id}").get_data(as_text=True)
    assert "Ulla Ulkopuolinen" in html
    assert "Maija Mehiläinen" not in html


def test_viewing_the_week_is_audited_per_person(client, login, world, session):
    login(world["group"].instructor.user)
    client.get(WEEK)
    audited = set(
        session.scalars(
            sa.select(AuditEvent.participant_id).where(AuditEvent.action == "calendar_week_viewed")
        )
    )
    assert audited == {world["maija"].id, world["maija"].group.participants[1].id}


@pytest.mark.parametrize(
    "query",
    ["?week=garbage", "?group=abc", "?unit=99999999999", "?site=" + "x" * 500, "?week=2026-02-30"],
)
def test_bad_filter_values_are_ignored(client, login, world, query):
    login(world["group"].instructor.user)
    assert client.get("/calendar/week" + query).status_code == 200


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: factories.make_participant().user,
        factories.make_unit_contact,
        factories.make_manager,
    ],
    ids=["participant", "unit_contact", "manager"],
)
def test_other_roles_are_refused(client, login, session, monday, make_user):
    user = make_user()
    session.commit()
    login(user)
    assert client.get("/calendar/week").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client, monday):
    response = client.get("/calendar/week")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
