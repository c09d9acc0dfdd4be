"""The instructor's page for one coming shift (/shifts/<id>/manage) and its actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jobcenter.core import clock
from jobcenter.scheduling.models import ShiftStatus
from tests import factories
from tests.scheduling.test_review import LATER, T0


@pytest.fixture
def en(client):
    with client.session_transaction() as sess:
        sess["locale"] = "en"
    return client


@pytest.fixture
def setting(session):
    w = factories.make_shift_with_waiting_change(T0, LATER)
    return w.contact, w.group, w.shift


def test_instructor_sees_the_shift_now_beside_what_the_task_says(en, login, setting):
    _contact, group, shift = setting
    login(group.instructor.user)
    with clock.frozen(LATER):
        page = en.get(f"/shifts/{shift.id}/manage").get_data(as_text=True)

    assert "The task changed after people said yes" in page
    assert "09:00" in page
    assert "12:00" in page
    assert "Anna Aalto" in page


def test_instructor_moves_the_shift_from_the_page(en, login, session, setting):
    _contact, group, shift = setting
    login(group.instructor.user)
    with clock.frozen(LATER):
        response = en.post(f"/shifts/{shift.id}/move")

    assert response.status_code == 303
    session.expire_all()
    assert clock.to_local(shift.starts_at).hour == 12
    assert shift.needs_review is False


def test_cancel_without_a_reason_shows_the_error_and_cancels_nothing(en, login, session, setting):
    _contact, group, shift = setting
    login(group.instructor.user)
    with clock.frozen(LATER):
        response = en.post(f"/shifts/{shift.id}/cancel", data={"cancel-reason": ""})

    assert response.status_code == 422
    assert "Say why the shift is cancelled." in response.get_data(as_text=True)
    session.expire_all()
    assert shift.status == ShiftStatus.PLANNED


def test_refused_move_shows_why_on_the_page(en, login, session, setting):
    _contact, group, shift = setting
    login(group.instructor.user)
    with clock.frozen(LATER):
        en.post(f"/shifts/{shift.id}/keep")
        response = en.post(f"/shifts/{shift.id}/move")

    assert response.status_code == 409
    assert "This shift has no change waiting." in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["contact", "participant", "stranger"])
def test_only_the_tasks_instructor_or_an_admin_may_open_the_page(en, login, session, setting, who):
    contact, group, shift = setting
    users = {
        "contact": lambda: contact,
        "participant": lambda: factories.make_participant(group=group).user,
        "stranger": lambda: factories.make_group().instructor.user,
    }
    user = users[who]()
    session.commit()
    login(user)

    status = en.get(f"/shifts/{shift.id}/manage").status_code

    assert status == {"contact": 403, "participant": 403, "stranger": 404}[who]


def test_admin_may_open_the_page(en, login, session, setting):
    _contact, _group, shift = setting
    admin = factories.make_admin()
    session.commit()
    login(admin)
    with clock.frozen(LATER):
        assert en.get(f"/shifts/{shift.id}/manage").status_code == 200


def test_signed_out_visitor_is_sent_to_sign_in(en, setting):
    _contact, _group, shift = setting
    response = en.get(f"/shifts/{shift.id}/manage")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_viewing_the_people_is_written_to_the_audit_log(en, login, session, setting):
    from jobcenter.accounts.models import AuditEvent

    _contact, group, shift = setting
    login(group.instructor.user)
    with clock.frozen(LATER):
        en.get(f"/shifts/{shift.id}/manage")

    assert session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "shift_people_viewed")
    )


def test_taking_a_change_that_removed_the_day_says_the_shift_is_cancelled(
    en, login, session, setting
):
    from jobcenter.units.posting import update_task

    contact, group, shift = setting
    with clock.frozen(LATER):
        other_day = (clock.to_local(shift.starts_at).date() + timedelta(days=1)).isoformat()
        update_task(session, shift.task, actor=contact, values={"dates": [other_day]})
        session.commit()
        login(group.instructor.user)
        response = en.post(f"/shifts/{shift.id}/move", follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "The shift is cancelled. The people on it were told." in page
    assert "Anna Aalto – cancelled" in page
