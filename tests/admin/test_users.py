"""Managing users of every role, participants' plans and instructors' groups."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent, User
from jobcenter.catalog.models import Skill, TaskKind
from jobcenter.core import clock
from jobcenter.core.enums import Role, Stream
from jobcenter.participants.models import (
    Group,
    Instructor,
    Participant,
    Plan,
    Preference,
    TaskKindPreference,
)
from tests import factories
from tests.admin.conftest import page_text
from tests.conftest import login_as

pytestmark = pytest.mark.usefixtures("reference_data")


def _person(**over) -> dict:
    return {
        "first_name": "Maija",
        "last_name": "Meikäläinen",
        "email": "maija.meikalainen@example.com",
        "phone": "+358 40 123 4567",
        "locale": "sv",
    } | over


def _participant_form(group: Group, **over) -> dict:
    today = clock.today()
    return {
        "first_name": "Pekka",
        "last_name": "Osallistuja",
        "email": "",
        "phone": "",
        "locale": "fi",
        "group_id": str(group.id),
        "stream": "disability",
        "start_date": today.isoformat(),
        "end_date": (today + timedelta(days=180)).isoformat(),
        "days_per_week": "3",
        "min_minutes_per_day": "4",
        "max_minutes_per_day": "6,5",
        "weekly_target_minutes": "15",
        "supervision_level": "2",
        "home_district_id": "",
        "monthly_earnings_ceiling_cents": "",
        "daily_allowance_cents": "",
    } | over


def _rows(count) -> tuple[int, int, int, int]:
    return count(User), count(Participant), count(Plan), count(Instructor)


# ---------------------------------------------------------------- list


def test_user_list_filters_by_role(admin_client, session):
    factories.make_manager(first_name="Mikko", last_name="Manageri")
    factories.make_unit_contact(first_name="Ulla", last_name="Yksikkö")
    session.commit()
    html = page_text(admin_client.get("/admin/users?role=manager"))
    assert "Manageri, Mikko" in html
    assert "Yksikkö, Ulla" not in html


def test_user_list_searches_name_and_email_case_insensitively(admin_client, session):
    factories.make_manager(first_name="Mikko", last_name="Manageri", email="mikko@example.com")
    factories.make_manager(first_name="Sanna", last_name="Muu", email="sanna@example.com")
    session.commit()
    by_name = page_text(admin_client.get("/admin/users?q=mikko+MANAGERI"))
    assert "Manageri, Mikko" in by_name
    assert "Muu, Sanna" not in by_name
    by_email = page_text(admin_client.get("/admin/users?q=SANNA@"))
    assert "Muu, Sanna" in by_email
    assert "Manageri, Mikko" not in by_email


def test_user_list_search_treats_percent_sign_literally(admin_client, session):
    factories.make_manager(first_name="Mikko", last_name="Manageri")
    session.commit()
    html = page_text(admin_client.get("/admin/users?q=%25"))
    assert "Manageri, Mikko" not in html


def test_user_list_is_paginated(admin_client, session):
    for n in range(30):
        factories.make_manager(first_name="Sivu", last_name=f"Henkilö{n:02d}")
    session.commit()
    first = page_text(admin_client.get("/admin/users?role=manager"))
    assert "Henkilö00, Sivu" in first
    assert "Henkilö29, Sivu" not in first
    assert "Page 1 of 2" in first
    second = page_text(admin_client.get("/admin/users?role=manager&page=2"))
    assert "Henkilö29, Sivu" in second
    assert "Henkilö00, Sivu" not in second


def test_user_list_page_beyond_the_end_is_empty_not_an_error(admin_client):
    response = admin_client.get("/admin/users?page=999")
    assert response.status_code == 200


# ---------------------------------------------------------------- create


def test_admin_creates_a_manager_with_a_lowercased_email(admin_client, session):
    response = admin_client.post(
        "/admin/users/new/manager", data=_person(email="Maija.M@Example.COM")
    )
    assert response.status_code == 303
    user = session.scalars(sa.select(User).where(User.last_name == "Meikäläinen")).one()
    assert user.role == Role.MANAGER
    assert user.email == "maija.m@example.com"
    assert user.locale == "sv"
    assert user.password_hash is None
    assert response.headers["Location"].endswith(f"/admin/users/{user.id}")


def test_unknown_role_in_the_create_address_is_not_found(admin_client):
    assert admin_client.get("/admin/users/new/wizard").status_code == 404


def test_email_is_required_for_everyone_but_participants(admin_client, count):
    before = _rows(count)
    response = admin_client.post("/admin/users/new/admin", data=_person(email=""))
    assert response.status_code == 422
    assert "Enter an e-mail address." in page_text(response)
    assert _rows(count) == before


def test_an_invalid_email_is_refused_and_nothing_is_stored(admin_client, count):
    before = _rows(count)
    response = admin_client.post("/admin/users/new/manager", data=_person(email="not-an-address"))
    assert response.status_code == 422
    assert "Check the e-mail address." in page_text(response)
    assert _rows(count) == before


def test_email_must_be_unique_whatever_its_case(admin_client, session, count):
    factories.make_manager(email="taken@example.com")
    session.commit()
    before = _rows(count)
    response = admin_client.post(
        "/admin/users/new/manager", data=_person(email="TAKEN@example.com")
    )
    assert response.status_code == 422
    assert "Another user already has this e-mail address." in page_text(response)
    assert _rows(count) == before


def test_unit_contact_needs_a_unit(admin_client, count):
    before = _rows(count)
    response = admin_client.post("/admin/users/new/unit_contact", data=_person(unit_id=""))
    assert response.status_code == 422
    assert "Choose the unit this person orders work for." in page_text(response)
    assert _rows(count) == before


def test_admin_creates_a_unit_contact_for_a_unit(admin_client, session):
    unit = factories.make_unit(name="Kallion kirjasto")
    session.commit()
    response = admin_client.post("/admin/users/new/unit_contact", data=_person(unit_id=unit.id))
    assert response.status_code == 303
    user = session.scalars(sa.select(User).where(User.role == Role.UNIT_CONTACT)).one()
    assert user.unit_id == unit.id


def test_unit_contact_cannot_be_created_for_a_deactivated_unit(admin_client, session, count):
    unit = factories.make_unit(is_active=False)
    session.commit()
    before = _rows(count)
    response = admin_client.post("/admin/users/new/unit_contact", data=_person(unit_id=unit.id))
    assert response.status_code == 422
    assert _rows(count) == before


def test_admin_creates_an_instructor_with_capacity_and_streams(admin_client, session):
    data = _person(supervision_capacity="6", streams=["rehabilitative"])
    response = admin_client.post("/admin/users/new/instructor", data=data)
    assert response.status_code == 303
    instructor = session.scalars(sa.select(Instructor)).one()
    assert instructor.supervision_capacity == 6
    assert instructor.streams == [Stream.REHABILITATIVE]
    assert instructor.user.role == Role.INSTRUCTOR


@pytest.mark.parametrize("capacity", ["0", "-1", "abc", "2,5"])
def test_instructor_capacity_must_be_a_whole_number_of_at_least_one(admin_client, count, capacity):
    before = _rows(count)
    data = _person(supervision_capacity=capacity, streams=["disability"])
    response = admin_client.post("/admin/users/new/instructor", data=data)
    assert response.status_code == 422
    assert _rows(count) == before


def test_instructor_needs_at_least_one_stream(admin_client, count):
    before = _rows(count)
    response = admin_client.post(
        "/admin/users/new/instructor", data=_person(supervision_capacity="4")
    )
    assert response.status_code == 422
    assert "Choose at least one stream." in page_text(response)
    assert _rows(count) == before


def test_admin_creates_a_participant_with_an_initial_plan(admin_client, session):
    group = factories.make_group()
    district_id = session.execute(sa.text("SELECT min(id) FROM districts")).scalar()
    skills = session.scalars(sa.select(Skill).order_by(Skill.id).limit(2)).all()
    kinds = session.scalars(sa.select(TaskKind).order_by(TaskKind.id).limit(3)).all()
    session.commit()
    data = _participant_form(
        group,
        skill_ids=[str(s.id) for s in skills],
        preferred_task_kind_ids=[str(kinds[0].id), str(kinds[1].id)],
        avoided_task_kind_ids=[str(kinds[2].id)],
        home_district_id=str(district_id),
        monthly_earnings_ceiling_cents="300,50",
        daily_allowance_cents="6.00",
    )
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 303
    participant = session.scalars(sa.select(Participant)).one()
    assert participant.user.email is None
    assert participant.stream == Stream.DISABILITY
    assert participant.group_id == group.id
    plan = participant.plans[0]
    assert plan.days_per_week == 3
    assert (plan.min_minutes_per_day, plan.max_minutes_per_day) == (240, 390)
    assert plan.weekly_target_minutes == 900
    assert plan.supervision_level == 2
    assert plan.monthly_earnings_ceiling_cents == 30050
    assert plan.daily_allowance_cents == 600
    assert plan.home_district_id == district_id
    assert {s.id for s in plan.skills} == {s.id for s in skills}
    prefs = {(p.task_kind_id, p.preference) for p in plan.task_kind_preferences}
    assert prefs == {
        (kinds[0].id, Preference.PREFER),
        (kinds[1].id, Preference.PREFER),
        (kinds[2].id, Preference.AVOID),
    }
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "participant_created")
    ).one()
    assert event.participant_id == participant.id


def test_rehabilitative_plan_with_five_days_a_week_is_refused(admin_client, session, count):
    group = factories.make_group()
    session.commit()
    before = _rows(count)
    data = _participant_form(group, stream="rehabilitative", days_per_week="5")
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 422
    assert "This stream allows 1 to 4 days a week" in page_text(response)
    assert "The plan has 5." in page_text(response)
    assert _rows(count) == before


def test_disability_plan_with_five_days_a_week_is_accepted(admin_client, session):
    group = factories.make_group()
    session.commit()
    data = _participant_form(group, stream="disability", days_per_week="5")
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 303
    assert session.scalars(sa.select(Plan)).one().days_per_week == 5


def test_rehabilitative_plan_over_eight_hours_a_day_is_refused(admin_client, session, count):
    group = factories.make_group()
    session.commit()
    before = _rows(count)
    data = _participant_form(group, stream="rehabilitative", max_minutes_per_day="8,5")
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 422
    assert "This stream allows at most 8 hours a day" in page_text(response)
    assert _rows(count) == before


def test_plan_minimum_hours_must_not_exceed_the_maximum(admin_client, session, count):
    group = factories.make_group()
    session.commit()
    before = _rows(count)
    data = _participant_form(group, min_minutes_per_day="7", max_minutes_per_day="5")
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 422
    assert "must not be smaller than the minimum" in page_text(response)
    assert _rows(count) == before


def test_plan_must_not_end_before_it_starts(admin_client, session, count):
    group = factories.make_group()
    session.commit()
    today = clock.today()
    before = _rows(count)
    data = _participant_form(
        group,
        start_date=today.isoformat(),
        end_date=(today - timedelta(days=1)).isoformat(),
    )
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 422
    assert "The plan must end on or after its start date." in page_text(response)
    assert _rows(count) == before


@pytest.mark.parametrize("days", ["0", "8", "kolme"])
def test_plan_days_a_week_must_be_one_to_seven(admin_client, session, count, days):
    group = factories.make_group()
    session.commit()
    before = _rows(count)
    response = admin_client.post(
        "/admin/users/new/participant", data=_participant_form(group, days_per_week=days)
    )
    assert response.status_code == 422
    assert _rows(count) == before


def test_participant_needs_a_group(admin_client, session, count):
    group = factories.make_group()
    session.commit()
    before = _rows(count)
    response = admin_client.post(
        "/admin/users/new/participant", data=_participant_form(group, group_id="")
    )
    assert response.status_code == 422
    assert "Choose the group the participant belongs to." in page_text(response)
    assert _rows(count) == before


def test_participant_group_instructor_must_work_in_the_participants_stream(
    admin_client, session, count
):
    instructor = factories.make_instructor()
    instructor.works_rehabilitative = False
    group = factories.make_group(instructor)
    session.commit()
    before = _rows(count)
    data = _participant_form(group, stream="rehabilitative")
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 422
    assert "does not work in the participant&#39;s stream" in page_text(response)
    assert _rows(count) == before


def test_a_task_kind_cannot_be_both_preferred_and_avoided(admin_client, session, count):
    group = factories.make_group()
    kind = session.scalars(sa.select(TaskKind).limit(1)).one()
    session.commit()
    before = _rows(count)
    data = _participant_form(
        group, preferred_task_kind_ids=[str(kind.id)], avoided_task_kind_ids=[str(kind.id)]
    )
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 422
    assert "cannot be both preferred and avoided" in page_text(response)
    assert _rows(count) == before


def test_money_with_three_decimals_is_refused(admin_client, session, count):
    group = factories.make_group()
    session.commit()
    before = _rows(count)
    data = _participant_form(group, monthly_earnings_ceiling_cents="300,505")
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 422
    assert "Use at most 2 decimals." in page_text(response)
    assert _rows(count) == before


def test_participant_form_explains_supervision_levels_and_asks_no_diagnosis(admin_client, session):
    factories.make_group()
    session.commit()
    html = page_text(admin_client.get("/admin/users/new/participant"))
    assert "works alone after an introduction" in html
    assert "needs an instructor of their own" in html
    assert "diagnos" not in html.replace("Never write a diagnosis here", "")


# ---------------------------------------------------------------- view and edit


def test_viewing_a_participant_writes_an_audit_event(admin_client, admin, session):
    participant = factories.make_participant()
    session.commit()
    response = admin_client.get(f"/admin/users/{participant.user_id}")
    assert response.status_code == 200
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "participant_viewed")
    ).all()
    assert [(e.participant_id, e.actor_id) for e in events] == [(participant.id, admin.id)]


def test_opening_a_participants_edit_form_writes_an_audit_event(admin_client, session, count):
    participant = factories.make_participant()
    session.commit()
    admin_client.get(f"/admin/users/{participant.user_id}/edit")
    assert count(AuditEvent, AuditEvent.participant_id == participant.id) == 1


def test_viewing_another_role_writes_no_participant_audit_event(admin_client, session, count):
    manager = factories.make_manager()
    session.commit()
    assert admin_client.get(f"/admin/users/{manager.id}").status_code == 200
    assert count(AuditEvent, AuditEvent.participant_id.is_not(None)) == 0


def test_participant_page_shows_the_plan(admin_client, session):
    participant = factories.make_participant(
        plan={"days_per_week": 2, "monthly_earnings_ceiling_cents": 25000}
    )
    session.commit()
    html = page_text(admin_client.get(f"/admin/users/{participant.user_id}"))
    assert "Disability work activity" in html
    assert "250.00" in html or "250,00" in html
    assert "Reachable" in html


def test_missing_user_is_not_found(admin_client):
    assert admin_client.get("/admin/users/999999").status_code == 404


def test_admin_edits_a_managers_name_and_email(admin_client, session):
    manager = factories.make_manager(email="old@example.com")
    session.commit()
    response = admin_client.post(
        f"/admin/users/{manager.id}/edit",
        data=_person(first_name="Uusi", email="New@Example.com"),
    )
    assert response.status_code == 303
    session.refresh(manager)
    assert (manager.first_name, manager.email) == ("Uusi", "new@example.com")


def test_editing_to_another_users_email_is_refused(admin_client, session):
    factories.make_manager(email="first@example.com")
    second = factories.make_manager(email="second@example.com")
    session.commit()
    response = admin_client.post(
        f"/admin/users/{second.id}/edit", data=_person(email="FIRST@example.com")
    )
    assert response.status_code == 422
    assert "Another user already has this e-mail address." in page_text(response)
    session.refresh(second)
    assert second.email == "second@example.com"


def test_keeping_ones_own_email_is_not_a_duplicate(admin_client, session):
    manager = factories.make_manager(email="same@example.com")
    session.commit()
    response = admin_client.post(
        f"/admin/users/{manager.id}/edit", data=_person(email="Same@example.com")
    )
    assert response.status_code == 303


def test_admin_edits_an_instructors_capacity(admin_client, session):
    instructor = factories.make_instructor(capacity=4, email="inst@example.com")
    session.commit()
    data = _person(
        email="inst@example.com", supervision_capacity="8", streams=["rehabilitative", "disability"]
    )
    response = admin_client.post(f"/admin/users/{instructor.user_id}/edit", data=data)
    assert response.status_code == 303
    session.refresh(instructor)
    assert instructor.supervision_capacity == 8


def test_instructor_cannot_drop_a_stream_their_participants_are_in(admin_client, session):
    instructor = factories.make_instructor(email="inst@example.com")
    factories.make_participant(group=factories.make_group(instructor), stream=Stream.DISABILITY)
    session.commit()
    data = _person(email="inst@example.com", supervision_capacity="4", streams=["rehabilitative"])
    response = admin_client.post(f"/admin/users/{instructor.user_id}/edit", data=data)
    assert response.status_code == 422
    session.refresh(instructor)
    assert instructor.works_disability


def test_admin_edits_a_participants_plan(admin_client, session):
    participant = factories.make_participant()
    session.commit()
    data = _participant_form(participant.group, days_per_week="4", max_minutes_per_day="7,25")
    response = admin_client.post(f"/admin/users/{participant.user_id}/edit", data=data)
    assert response.status_code == 303
    session.expire_all()
    plan = session.scalars(sa.select(Plan)).one()
    assert (plan.days_per_week, plan.max_minutes_per_day) == (4, 435)
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "participant_updated")
    ).one()
    assert event.participant_id == participant.id
    assert "plan.days_per_week" in event.detail["fields"]
    assert "4" not in str(event.detail)  # field names only, never the values


def test_moving_a_participant_to_the_rehabilitative_stream_checks_the_plan(admin_client, session):
    participant = factories.make_participant(stream=Stream.DISABILITY)
    session.commit()
    data = _participant_form(participant.group, stream="rehabilitative", days_per_week="6")
    response = admin_client.post(f"/admin/users/{participant.user_id}/edit", data=data)
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Participant, participant.id).stream == Stream.DISABILITY
    assert session.scalars(sa.select(Plan)).one().days_per_week == 3


def test_editing_plan_preferences_replaces_them(admin_client, session):
    participant = factories.make_participant()
    kinds = session.scalars(sa.select(TaskKind).order_by(TaskKind.id).limit(2)).all()
    plan = participant.plans[0]
    plan.task_kind_preferences.append(
        TaskKindPreference(task_kind_id=kinds[0].id, preference=Preference.PREFER)
    )
    session.commit()
    data = _participant_form(participant.group, avoided_task_kind_ids=[str(kinds[0].id)])
    response = admin_client.post(f"/admin/users/{participant.user_id}/edit", data=data)
    assert response.status_code == 303
    session.expire_all()
    prefs = session.scalars(sa.select(TaskKindPreference)).all()
    assert [(p.task_kind_id, p.preference) for p in prefs] == [(kinds[0].id, Preference.AVOID)]


# ---------------------------------------------------------------- deactivate


def test_deactivation_ends_the_users_sessions(app, admin_client, session):
    manager = factories.make_manager()
    session.commit()
    their_browser = login_as(app.test_client(), manager)
    assert their_browser.get("/home").status_code == 200

    response = admin_client.post(f"/admin/users/{manager.id}/deactivate")
    assert response.status_code == 303

    session.refresh(manager)
    assert not manager.is_active_account
    assert manager.session_version == 2
    after = their_browser.get("/home")
    assert after.status_code == 302
    assert "/login" in after.headers["Location"]


def test_a_reactivated_user_must_sign_in_again(app, admin_client, session):
    manager = factories.make_manager()
    session.commit()
    their_browser = login_as(app.test_client(), manager)
    admin_client.post(f"/admin/users/{manager.id}/deactivate")
    admin_client.post(f"/admin/users/{manager.id}/reactivate")
    session.refresh(manager)
    assert manager.is_active_account
    assert their_browser.get("/home").status_code == 302


def test_admin_cannot_deactivate_their_own_account(admin_client, admin, session):
    response = admin_client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in page_text(response)
    session.refresh(admin)
    assert admin.is_active_account


def test_deactivating_a_participant_is_audited_with_their_id(admin_client, session, count):
    participant = factories.make_participant()
    session.commit()
    admin_client.post(f"/admin/users/{participant.user_id}/deactivate")
    assert (
        count(
            AuditEvent,
            AuditEvent.action == "user_deactivated",
            AuditEvent.participant_id == participant.id,
        )
        == 1
    )


def test_deactivated_users_are_listed_as_deactivated_in_words(admin_client, session):
    factories.make_manager(first_name="Poissa", last_name="Oleva", is_active_account=False)
    session.commit()
    html = page_text(admin_client.get("/admin/users?status=inactive"))
    assert "Oleva, Poissa" in html
    assert "Deactivated" in html


# ---------------------------------------------------------------- groups


def test_admin_creates_a_group_for_an_instructor(admin_client, session):
    instructor = factories.make_instructor()
    session.commit()
    response = admin_client.post(
        "/admin/groups", data={"name": "Aamuryhmä", "instructor_id": str(instructor.id)}
    )
    assert response.status_code == 303
    group = session.scalars(sa.select(Group)).one()
    assert (group.name, group.instructor_id) == ("Aamuryhmä", instructor.id)
    assert "Aamuryhmä" in page_text(admin_client.get("/admin/groups"))


def test_group_names_are_unique_per_instructor(admin_client, session, count):
    instructor = factories.make_instructor()
    factories.make_group(instructor, name="Aamuryhmä")
    session.commit()
    response = admin_client.post(
        "/admin/groups", data={"name": "AAMURYHMÄ", "instructor_id": str(instructor.id)}
    )
    assert response.status_code == 422
    assert "already has a group with this name" in page_text(response)
    assert count(Group) == 1


def test_group_needs_an_instructor(admin_client, count):
    response = admin_client.post("/admin/groups", data={"name": "Ryhmä", "instructor_id": ""})
    assert response.status_code == 422
    assert count(Group) == 0


def test_admin_creates_a_participant_whose_instructor_confirms_shifts(admin_client, session):
    group = factories.make_group()
    session.commit()
    data = _participant_form(group, instructor_confirms="y")
    response = admin_client.post("/admin/users/new/participant", data=data)
    assert response.status_code == 303
    participant = session.scalars(sa.select(Participant)).one()
    assert participant.instructor_confirms is True


def test_a_new_participant_answers_offers_themselves_by_default(admin_client, session):
    group = factories.make_group()
    session.commit()
    admin_client.post("/admin/users/new/participant", data=_participant_form(group))
    assert session.scalars(sa.select(Participant)).one().instructor_confirms is False


def test_admin_turns_instructor_confirms_on_and_off_with_an_audit_event(admin_client, session):
    participant = factories.make_participant()
    session.commit()
    url = f"/admin/users/{participant.user_id}/edit"
    data = _participant_form(participant.group, instructor_confirms="y")
    assert admin_client.post(url, data=data).status_code == 303
    session.expire_all()
    assert session.get(Participant, participant.id).instructor_confirms is True
    events = session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.action == "participant_updated",
            AuditEvent.participant_id == participant.id,
        )
    ).all()
    assert any("instructor_confirms" in e.detail["fields"] for e in events)
    checkbox = re.search(r'<input[^>]*id="instructor_confirms"[^>]*>', admin_client.get(url).text)
    assert re.search(r"\bchecked\b", checkbox.group(0))
    assert "The instructor confirms shifts for this participant." in page_text(
        admin_client.get(f"/admin/users/{participant.user_id}")
    )
    assert admin_client.post(url, data=_participant_form(participant.group)).status_code == 303
    session.expire_all()
    assert session.get(Participant, participant.id).instructor_confirms is False


def test_participant_form_explains_instructor_confirms_plainly(admin_client, session):
    factories.make_group()
    session.commit()
    text = page_text(admin_client.get("/admin/users/new/participant"))
    assert "The instructor confirms shifts for this participant" in text
    assert "cannot answer shift offers themselves" in text
