"""My account: the reminders switch and the way to the calendar subscription."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from jobcenter.accounts.models import AuditEvent
from tests import factories


def test_account_page_has_the_reminders_checkbox_ticked_by_default(client, login, session):
    user = factories.make_participant(email="maija@example.test").user
    session.commit()
    login(user)
    html = client.get("/account").get_data(as_text=True)
    assert "Send me reminders the day before a shift" in html
    checkbox = re.search(r'<input[^>]*id="reminders_enabled"[^>]*>', html).group(0)
    assert 'type="checkbox"' in checkbox
    assert "checked" in checkbox


def test_turning_reminders_off_is_saved(client, login, session):
    user = factories.make_participant(email="maija@example.test").user
    session.commit()
    login(user)
    response = client.post("/account/reminders", data={})
    assert response.status_code == 302
    session.refresh(user)
    assert user.reminders_enabled is False
    page = client.get("/account").get_data(as_text=True)
    assert "You will not get reminders before shifts." in page
    assert session.scalar(
        sa.select(AuditEvent.detail).where(AuditEvent.action == "reminders_changed")
    ) == {"enabled": False}


def test_turning_reminders_back_on_is_saved(client, login, session):
    user = factories.make_participant(email="maija@example.test", reminders_enabled=False).user
    session.commit()
    login(user)
    client.post("/account/reminders", data={"reminders_enabled": "y"})
    session.refresh(user)
    assert user.reminders_enabled is True


def test_reminders_switch_needs_the_csrf_token(make_app, session):
    user = factories.make_participant(email="maija@example.test").user
    session.commit()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    from tests.conftest import login_as

    login_as(client, user)
    response = client.post("/account/reminders", data={})
    assert response.status_code in (400, 422)
    session.refresh(user)
    assert user.reminders_enabled is True


def test_people_without_email_are_told_reminders_need_one(client, login, session):
    user = factories.make_participant().user
    session.commit()
    login(user)
    html = client.get("/account").get_data(as_text=True)
    assert "You have no e-mail address in Jobcenter." in html
    assert 'id="reminders_enabled"' not in html


@pytest.mark.parametrize(
    ("make_user", "linked"),
    [
        (lambda: factories.make_participant().user, True),
        (lambda: factories.make_instructor().user, True),
        (factories.make_unit_contact, True),
        (factories.make_manager, False),
    ],
    ids=["participant", "instructor", "unit_contact", "manager"],
)
def test_account_page_links_to_the_calendar_subscription(client, login, session, make_user, linked):
    user = make_user()
    session.commit()
    login(user)
    html = client.get("/account").get_data(as_text=True)
    assert ('href="/calendar/subscribe"' in html) is linked


def test_reminders_post_needs_sign_in(client, session):
    response = client.post("/account/reminders", data={})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
